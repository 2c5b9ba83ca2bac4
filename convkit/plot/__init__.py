"""Drawing functions of the book (matplotlib, never pyplot).

Pure functions: they take data and an optional ``ax``, draw, and return the Axes
(or a Figure for grids); they never show or save anything and never read files.
``convkit.widgets`` builds its demos from them, and chapters call them for their
static figures. General tools live in :mod:`convkit.plot._base`; drawings that
belong to one chapter live in ``convkit/plot/_<chapter>.py`` and are imported
below.
"""
from ._base import (  # noqa: F401
    DIVERGING, GREY, NUMBERS_GID, SEQUENTIAL, SMALL, fig_to_png, format_number, new_figure,
    show_array, show_image, small_multiples, stem_signal,
)

# Chapter drawings (one line per module, appended in book order):
