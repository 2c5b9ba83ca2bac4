"""convkit.plot: what each picture shows, colour conventions, and deterministic PNG bytes."""
import io
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from convkit import plot


def numbers_of(ax):
    """The collection of cell numbers that show_array drew, or None."""
    found = [c for c in ax.collections if c.get_gid() == plot.NUMBERS_GID]
    return found[0] if found else None


def test_plot_never_imports_pyplot_and_convkit_alone_no_matplotlib():
    code = ("import sys, convkit; assert 'matplotlib' not in sys.modules, 'convkit imported mpl';"
            "assert 'ipywidgets' not in sys.modules;"
            "import convkit.plot; assert 'matplotlib.pyplot' not in sys.modules;"
            "assert 'ipywidgets' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("value, text", [
    (3, "3"), (2.0, "2"), (0.25, "0.25"), (-1.5, "\u22121.5"), (1 / 3, "0.33"),
    (-0.001, "0"), (0.1 + 0.2, "0.3"), (float("nan"), "nan"),
])
def test_format_number(value, text):
    assert plot.format_number(value) == text


def test_small_array_shows_every_number_with_contrasting_colour():
    a = np.arange(9).reshape(3, 3)
    ax = plot.show_array(a)
    numbers = numbers_of(ax)
    assert numbers is not None
    assert numbers.cell_texts == [str(v) for v in range(9)]
    colours = numbers.get_facecolors()
    # viridis: 0 is dark purple (white text), 8 is yellow (black text)
    assert tuple(colours[0][:3]) == (1.0, 1.0, 1.0)
    assert tuple(colours[-1][:3]) == (0.0, 0.0, 0.0)


def test_numbers_auto_only_up_to_8x8_but_can_be_forced():
    assert numbers_of(plot.show_array(np.zeros((8, 8)))) is not None
    assert numbers_of(plot.show_array(np.zeros((9, 9)))) is None
    assert numbers_of(plot.show_array(np.zeros((3, 3)), numbers=False)) is None
    forced = numbers_of(plot.show_array(np.ones((9, 9)), numbers=True))
    assert len(forced.cell_texts) == 81


def test_nan_cells_have_no_number():
    a = np.array([[1.0, np.nan], [np.nan, 4.0]])
    assert numbers_of(plot.show_array(a)).cell_texts == ["1", "4"]


def test_signed_input_uses_diverging_map_centred_on_zero():
    a = np.array([[-1.0, 0.0], [2.0, 0.5]])
    image = plot.show_array(a).images[0]
    assert image.get_cmap().name == plot.DIVERGING
    assert image.norm.vmin == -2.0 and image.norm.vmax == 2.0
    # given limits are made symmetric too: white stays at zero
    image = plot.show_array(a, vmin=-1, vmax=3).images[0]
    assert (image.norm.vmin, image.norm.vmax) == (-3.0, 3.0)


def test_non_negative_input_uses_sequential_map():
    image = plot.show_array(np.arange(4).reshape(2, 2)).images[0]
    assert image.get_cmap().name == plot.SEQUENTIAL
    assert (image.norm.vmin, image.norm.vmax) == (0.0, 3.0)


def test_highlight_draws_window_around_cells():
    ax = plot.show_array(np.zeros((5, 5)), highlight=(slice(1, 4), (2, 5)))
    windows = [p for p in ax.patches if isinstance(p, Rectangle)
               and p.get_xy() == (1.5, 0.5)]
    assert windows and all(w.get_width() == 3 and w.get_height() == 3 for w in windows)
    several = plot.show_array(np.zeros((5, 5)), highlight=[(0, 0), (slice(2, 4), slice(2, 4))])
    corners = {p.get_xy() for p in several.patches if isinstance(p, Rectangle)}
    assert {(-0.5, -0.5), (1.5, 1.5)} <= corners


def test_one_dimensional_array_is_one_row():
    ax = plot.show_array(np.array([1, 2, 3]))
    assert ax.images[0].get_array().shape == (1, 3)


def test_draws_into_given_axes_and_returns_it():
    fig = plot.new_figure((4, 2))
    left, right = fig.subplots(1, 2)
    assert plot.show_array(np.eye(2), right) is right
    assert plot.show_image(np.eye(20), left) is left
    assert len(right.images) == 1 and len(left.images) == 1


def test_show_image_grey_and_signed():
    grey = plot.show_image(np.full((20, 20), 128, np.uint8)).images[0]
    assert grey.get_cmap().name == plot.GREY
    assert (grey.norm.vmin, grey.norm.vmax) == (0, 255)
    unit = plot.show_image(np.full((20, 20), 0.5)).images[0]
    assert (unit.norm.vmin, unit.norm.vmax) == (0, 1)
    signed = plot.show_image(np.linspace(-3, 1, 400).reshape(20, 20)).images[0]
    assert signed.get_cmap().name == plot.DIVERGING
    assert (signed.norm.vmin, signed.norm.vmax) == (-3.0, 3.0)
    assert numbers_of(plot.show_image(np.eye(4))) is None   # images never carry numbers


def test_small_multiples_one_titled_panel_each():
    fig = plot.small_multiples({"a": np.eye(3), "b": -np.eye(3), "c": np.ones((20, 20))},
                               ncols=2)
    assert isinstance(fig, Figure)
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == ["a", "b", "c"]
    assert not fig.axes[3].axison                                    # the empty slot
    shared = plot.small_multiples({"a": np.eye(3), "b": -2 * np.eye(3)}, share_scale=True)
    norms = [(ax.images[0].norm.vmin, ax.images[0].norm.vmax) for ax in shared.axes]
    assert norms == [(-2.0, 2.0), (-2.0, 2.0)]


def test_stem_signal_writes_values_when_short():
    x = np.array([1.0, -2.0, 0.5])
    ax = plot.stem_signal(x, start=-1)
    assert [t.get_text() for t in ax.texts] == ["1", "\u22122", "0.5"]
    assert list(ax.get_xticks()) == [-1, 0, 1]
    assert len(plot.stem_signal(np.zeros(40)).texts) == 0


def test_fig_to_png_is_byte_identical_and_metadata_free():
    def draw():
        ax = plot.show_array(np.arange(16).reshape(4, 4) - 8, title="x",
                             highlight=(slice(0, 2), slice(0, 2)))
        return plot.fig_to_png(ax.figure)

    first, second = draw(), draw()
    assert first == second
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"tEXt" not in first and b"iTXt" not in first and b"Software" not in first
    image = Image.open(io.BytesIO(first))
    assert image.mode == "P"          # palette PNG: small frames
    rgb = Image.open(io.BytesIO(plot.fig_to_png(plot.show_array(np.eye(3)).figure,
                                                palette=False)))
    assert rgb.mode == "RGB"


def test_fig_to_png_dpi_changes_size_not_figure():
    fig = plot.show_array(np.eye(3)).figure
    dpi = fig.dpi
    small = Image.open(io.BytesIO(plot.fig_to_png(fig, dpi=36)))
    large = Image.open(io.BytesIO(plot.fig_to_png(fig, dpi=72)))
    assert large.size[0] == 2 * small.size[0]
    assert fig.dpi == dpi


def test_palette_is_exact_for_few_colours():
    fig = plot.new_figure((2, 2))
    plot.show_image(np.tile(np.linspace(0, 1, 10), (10, 1)), fig.add_subplot())
    exact = np.asarray(Image.open(io.BytesIO(plot.fig_to_png(fig))).convert("RGB"))
    full = np.asarray(Image.open(io.BytesIO(plot.fig_to_png(fig, palette=False))))
    assert np.array_equal(exact, full)


def test_glyph_outlines_handle_blanks():
    from convkit.plot._base import _glyphs, _text_width
    with_space, without = _glyphs("a b"), _glyphs("ab")
    assert len(with_space.vertices) == len(without.vertices)  # a blank has no ink
    assert _text_width("a b") > _text_width("ab")              # but it takes room
