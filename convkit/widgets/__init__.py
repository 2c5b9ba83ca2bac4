"""Interactive demos of the book, live in Jupyter and working on the static website.

Every demo is made by one ``explore_<topic>(...)`` function that returns a
:class:`Demo`; a chapter cell is just that call. All demos share one mechanism
(:mod:`convkit.widgets._demo`): a pure drawing function built on :mod:`convkit.plot`,
controls described by :class:`Slider`, :class:`Choice`, :class:`Toggle`, :class:`Step`
and :class:`KernelText`, and a display that gives Jupyter the live ipywidgets version
and the website a static version with precomputed frames (see :class:`Demo`).

This is the top layer of convkit: it imports matplotlib (through :mod:`convkit.plot`)
and ipywidgets, and nothing in convkit imports it.
"""
from ._demo import (
    DEFAULT_BUDGET, Choice, Control, Demo, DemoWidget, Frame, KernelText, RenderedFrame, Slider,
    Step, Toggle, format_kernel,
)

# Demos of the chapters: add ``from ._<topic> import explore_<topic>`` here.

__all__ = [
    "Demo", "DemoWidget", "Frame", "RenderedFrame", "Control", "Slider", "Choice", "Toggle",
    "Step", "KernelText", "DEFAULT_BUDGET", "format_kernel",
]
