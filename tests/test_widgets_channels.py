"""The demo and drawings of the chapter *Multiple channels* (book/channels.ipynb)."""
import re

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_channels
from convkit.widgets._channels import layer_summary

CONTROLS = {"c_in": [1, 3, 16, 64], "c_out": [1, 4, 16, 64], "k": [1, 3, 5, 7],
            "p": [0, 1, 2, 3], "s": [1, 2]}
DEFAULTS = {"c_in": 3, "c_out": 64, "k": 3, "p": 1, "s": 1}


@pytest.fixture(scope="module")
def demo():
    return explore_channels()


def settings():
    """Every allowed value of every control, the others at their defaults."""
    for name, values in CONTROLS.items():
        for v in values:
            yield {**DEFAULTS, name: v}


# --- the demo -----------------------------------------------------------------------------------

def test_works_without_arguments_and_has_the_documented_controls(demo):
    assert demo.values == CONTROLS
    assert demo.defaults == DEFAULTS


def test_static_page_fits_the_budget(demo):
    # 512 combinations: each control is swept alone, the others at their defaults
    assert demo.n_combinations == 4 * 4 * 4 * 4 * 2
    assert demo.mode == "sweep"
    assert len(demo.frames()) == 1 + 3 + 3 + 3 + 3 + 1 <= DEFAULT_BUDGET


@pytest.mark.parametrize("values", list(settings()), ids=lambda v: "-".join(map(str, v.values())))
def test_every_value_renders_with_the_right_numbers_and_code(demo, values):
    frame = demo.render(**values)
    assert isinstance(frame, Frame)
    c_in, c_out, k, p, s = (values[n] for n in ("c_in", "c_out", "k", "p", "s"))
    cost = ck.conv_cost((c_in, 32, 32), (c_out, c_in, k, k), stride=s, padding=p)
    n = ck.conv_output_size(32, k, s, p)
    assert cost.output_shape == (c_out, n, n)
    assert f"= {c_out} × {n} × {n}." in frame.text
    assert f"= {cost.params:,}." in frame.text
    assert f"MACs {cost.macs:,} " in frame.text and f"{cost.flops:,}" in frame.text
    assert f"Activations {cost.activations:,} values = {4 * cost.activations:,} bytes" in frame.text
    assert frame.code == ck.torch_code("conv2d", (1, c_in, 32, 32), (c_out, c_in, k, k), bias=True,
                                       stride=s, padding=p)
    call = frame.code.splitlines()[-1]
    assert ("stride=2" in call) == (s == 2) and (f"padding={p}" in call) == (p > 0)
    assert call.endswith(f"# y.shape == (1, {c_out}, {n}, {n})")


def test_every_frame_has_the_same_size(demo):
    sizes = {f.size for _, f in demo.frames()}
    assert len(sizes) == 1


def test_static_html_is_deterministic():
    assert explore_channels().static_html() == explore_channels().static_html()


def test_render_is_pure(demo):
    a = plot.fig_to_png(demo.render(k=7, p=3).figure)
    demo.render(c_in=64, s=2)
    assert plot.fig_to_png(demo.render(k=7, p=3).figure) == a


def test_size_argument():
    demo = explore_channels(size=16)
    assert "= 64 × 16 × 16." in demo.render().text
    with pytest.raises(ValueError, match="at least 7"):
        explore_channels(size=5)


# --- the text of a frame ------------------------------------------------------------------------

def test_layer_summary_of_the_worked_example():
    # 32×32 RGB, 64 filters 3×3, padding 1: worked by hand
    text = layer_summary((3, 32, 32), (64, 3, 3, 3), 1, 1)
    assert "64 × 32 × 32" in text
    assert "(3·3·3 + 1)·64 = 1,792" in text                     # 27 weights + 1 bias per filter
    assert "MACs 1,769,472" in text                             # 64·32·32 outputs × 27
    assert "3,538,944" in text                                  # 2 × MACs
    assert "65,536 values = 262,144 bytes (256 KiB)" in text    # × 4 bytes


# --- drawings -----------------------------------------------------------------------------------

def test_channel_sum_shows_the_parts_and_their_sum():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, size=(3, 5, 5)).astype(float)
    w = rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(float)
    fig = plot.channel_sum(x, w, 1.5, names=["R", "G", "B"], out_channel=1)
    axes = np.array(fig.axes).reshape(3, 4)
    for c in range(3):
        assert np.array_equal(axes[0, c].images[0].get_array(), x[c])
        assert np.array_equal(axes[1, c].images[0].get_array(), w[1, c])
        assert np.array_equal(axes[2, c].images[0].get_array(),
                              ck.correlate(x[c], w[1, c], "valid"))
    expected = ck.conv2d(x, w, np.array([0.0, 1.5]))[1]
    assert np.allclose(axes[2, 3].images[0].get_array(), expected)
    titles = [ax.get_title() for ax in axes[2]]
    assert titles == ["R ⋆ kernel", "+ G ⋆ kernel", "+ B ⋆ kernel", "+ b = output"]


def test_channel_sum_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="same C_in"):
        plot.channel_sum(np.zeros((3, 5, 5)), np.zeros((2, 3, 3)))


def _texts(ax):
    """What conv_volumes wrote (as glyph outlines, for speed)."""
    return [t for c in ax.collections for t in getattr(c, "texts", [])]


def test_conv_volumes_labels_the_shapes():
    ax = plot.conv_volumes((3, 32, 32), (64, 3, 3, 3), stride=2, padding=1)
    texts = " | ".join(_texts(ax))
    assert "C_in = 3" in texts and "C_out = 64" in texts
    assert "64 filters,\neach 3 × 3 × 3" in texts
    assert re.search(r"\b16\b", texts)                          # floor((32 + 2 - 3)/2) + 1
    ax3 = plot.conv_volumes((1, 16, 16, 16), (2, 1, 3, 3, 3), padding=0)
    texts3 = " | ".join(_texts(ax3))
    assert "D = 16" in texts3 and "one such volume per filter: 2" in texts3
    assert "1 filter" not in texts3 and "each 3 × 3 × 3" in texts3


def test_conv_volumes_rejects_bad_shapes():
    with pytest.raises(ValueError, match="give"):
        plot.conv_volumes((3, 32, 32), (64, 3, 3, 3, 3))


def test_conv_volumes_extent_fixes_the_limits():
    ax = plot.conv_volumes((1, 32, 32), (1, 1, 3, 3), extent=(300.0, 90.0))
    assert ax.get_xlim()[1] == 300.0 and ax.get_ylim()[1] == 90.0
