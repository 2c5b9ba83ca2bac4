"""Demos and drawings of the chapter *Depthwise-separable convolution*.

convkit.widgets._depthwise (explore_groups, explore_conv_cost and the helpers
separable_costs, separable_code) and convkit.plot._depthwise.
"""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Demo, Frame, explore_conv_cost, explore_groups
from convkit.widgets._depthwise import separable_code, separable_costs

COST_CONTROLS = {"size": [7, 14, 28, 56, 112], "c_in": [16, 32, 64, 128, 256, 512],
                 "c_out": [16, 32, 64, 128, 256, 512], "k": [1, 3, 5, 7],
                 "groups": [1, 2, 4, 8, 16]}
COST_DEFAULTS = {"size": 14, "c_in": 512, "c_out": 512, "k": 3, "groups": 4}


@pytest.fixture(scope="module")
def groups_demo():
    return explore_groups()


@pytest.fixture(scope="module")
def cost_demo():
    return explore_conv_cost()


# --- separable_costs: the NumPy-only helper ----------------------------------------------------

def test_separable_costs_mobilenet_layer_hand_worked():
    # 14x14x512 -> 512, 3x3, same padding: the layer of Table 3 of the MobileNet paper
    c = separable_costs(14, 512, 512, 3)
    assert c["standard"].macs == 14 * 14 * 512 * 512 * 9 == 462_422_016
    assert c["depthwise"].macs == 14 * 14 * 512 * 9 == 903_168
    assert c["pointwise"].macs == 14 * 14 * 512 * 512 == 51_380_224
    assert c["separable"] == (4_608 + 262_144, 52_283_392)
    assert c["standard"].params == 2_359_296
    assert c["memory"] == {"standard": 14 * 14 * 512 * 4, "grouped": 14 * 14 * 512 * 4,
                           "separable": 2 * 14 * 14 * 512 * 4}


@pytest.mark.parametrize("size, c_in, c_out, k, g", [(7, 16, 32, 3, 2), (14, 64, 16, 5, 4),
                                                     (28, 32, 32, 1, 8), (9, 12, 24, 7, 3)])
def test_separable_fraction_is_one_over_c_out_plus_one_over_k_squared(size, c_in, c_out, k, g):
    c = separable_costs(size, c_in, c_out, k, g)
    frac = Fraction(1, c_out) + Fraction(1, k * k)
    assert Fraction(c["separable"][1], c["standard"].macs) == frac
    assert Fraction(c["separable"][0], c["standard"].params) == frac
    assert c["grouped"].macs * g == c["standard"].macs
    assert c["grouped"].params * g == c["standard"].params
    assert c["standard"].output_shape == c["pointwise"].output_shape == (c_out, size, size)


def test_notes_example_with_conv_cost():
    # a source note: 6x6x3, 3x3 valid, 5 outputs: 2160 standard vs 432 + 240 = 672
    std = ck.conv_cost((3, 6, 6), (5, 3, 3, 3), bias=False)
    dw = ck.conv_cost((3, 6, 6), (3, 1, 3, 3), groups=3, bias=False)
    pw = ck.conv_cost(dw.output_shape, (5, 3, 1, 1), bias=False)
    assert (std.macs, dw.macs, pw.macs) == (2160, 432, 240)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(c_in=st.integers(1, 4), c_out=st.integers(1, 4), k=st.sampled_from([1, 3]),
       seed=st.integers(0, 99))
def test_depthwise_then_pointwise_is_a_conv_with_factored_weights(c_in, c_out, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((c_in, 6, 5))
    D = rng.standard_normal((c_in, k, k))
    P = rng.standard_normal((c_out, c_in))
    y = ck.conv2d(ck.conv2d(x, D[:, None], padding=k // 2, groups=c_in), P[:, :, None, None])
    W = P[:, :, None, None] * D[None]
    np.testing.assert_allclose(ck.conv2d(x, W, padding=k // 2), y, atol=1e-12)


def test_separable_code_matches_the_setting():
    code = separable_code(28, 64, 32, 5, 4)
    lines = code.splitlines()
    assert lines[:3] == ["import torch", "import torch.nn.functional as F",
                         "x = torch.randn(1, 64, 28, 28)"]
    assert "weight = torch.randn(32, 16, 5, 5)" in lines
    assert "y = F.conv2d(x, weight, padding=2, groups=4)  # y.shape == (1, 32, 28, 28)" in lines
    assert "w_dw = torch.randn(64, 1, 5, 5)" in lines
    assert "h = F.conv2d(x, w_dw, padding=2, groups=64)  # h.shape == (1, 64, 28, 28)" in lines
    assert "w_pw = torch.randn(32, 64, 1, 1)" in lines
    assert lines[-1] == "y_sep = F.conv2d(h, w_pw)  # y_sep.shape == (1, 32, 28, 28)"
    assert "# standard" in separable_code(28, 64, 32, 5, 1)
    compile(code, "<torch code>", "exec")


# --- drawings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, unit, text", [(999, "", "999"), (1234, "", "1.23 k"),
                                               (462_422_016, "", "462 M"),
                                               (401_408, "B", "401 kB"),
                                               (2.5e9, "", "2.5 G")])
def test_format_count(value, unit, text):
    assert plot.format_count(value, unit) == text


def test_filter_mosaic_places_every_kernel():
    w = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    m = plot.filter_mosaic(w)
    assert m.shape == (2 * 3 - 1, 3 * 3 - 1)
    for o in range(2):
        for c in range(3):
            assert np.array_equal(m[3 * o:3 * o + 2, 3 * c:3 * c + 2], w[o, c])
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all()
    with pytest.raises(ValueError):
        plot.filter_mosaic(np.ones((3, 3)))


def test_show_groups_rejects_groups_that_do_not_divide():
    with pytest.raises(ValueError, match="divide"):
        plot.show_groups(12, 12, 5)


def test_show_costs_clips_long_bars():
    ax = plot.show_costs({"a": 100, "b": 50, "c": 1000}, xmax=2.0)
    widths = [p.get_width() for p in ax.patches]
    assert widths == [0.5, 0.25, 1.0]            # multiples of "a", scaled to the panel (2.0)
    assert any("10×" in t.get_text() for t in ax.texts)


def test_cost_panels_share_one_axes():
    from convkit.plot._depthwise import show_cost_panels
    ax = show_cost_panels([("p", {"a": 10, "b": 5}, "", 1.0), ("q", {"a": 4, "b": 8}, "B", 2.0)])
    assert len(ax.figure.axes) == 1
    assert [p.get_x() for p in ax.patches] == [0.0, 0.0, 1.85, 1.85]
    assert [p.get_width() for p in ax.patches] == [1.0, 0.5, 0.5, 1.0]
    assert {t.get_text() for t in ax.texts} >= {"p", "q", "8 B  (2×)"}


def test_show_separable_saving_and_filter_bank_return_axes():
    ax = plot.show_separable_saving([1, 4, 16, 64], (3, 5))
    assert len(ax.lines) == 4                   # two curves and two ceilings
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 1 / (1 / np.array([1, 4, 16, 64]) + 1 / 9))
    ax = plot.show_filter_bank(np.ones((2, 3, 3, 3)))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["c=0", "c=1", "c=2"]


# --- explore_groups ----------------------------------------------------------------------------

def test_groups_demo_controls(groups_demo):
    assert isinstance(groups_demo, Demo)
    assert groups_demo.values == {"groups": [1, 2, 3, 4, 6, 12], "c_out": [12, 24]}
    assert groups_demo.defaults == {"groups": 1, "c_out": 12}
    assert groups_demo.controls[0].labels[0] == "1 (standard)"
    assert groups_demo.controls[0].labels[-1] == "12 (depthwise)"


@pytest.mark.parametrize("g", [1, 2, 3, 4, 6, 12])
@pytest.mark.parametrize("c_out", [12, 24])
def test_groups_demo_renders_every_setting(groups_demo, g, c_out):
    frame = groups_demo.render(groups=g, c_out=c_out)
    assert isinstance(frame, Frame)
    cost = ck.conv_cost((12, 32, 32), (c_out, 12 // g, 3, 3), padding=1, groups=g, bias=False)
    assert f"Weight shape ({c_out}, {12 // g}, 3, 3): {cost.params:,} weights" in frame.text
    assert f"{cost.macs:,} MACs" in frame.text
    assert frame.code == ck.torch_code("conv2d", (1, 12, 32, 32), (c_out, 12 // g, 3, 3),
                                       padding=1, groups=g)
    assert tuple(frame.figure.get_size_inches()) == (6.4, 3.2)


def test_groups_demo_is_fully_precomputed_and_deterministic(groups_demo):
    assert groups_demo.mode == "full" and len(groups_demo.frames()) == 12 <= DEFAULT_BUDGET
    assert len({f.size for _, f in groups_demo.frames()}) == 1
    assert explore_groups().static_html() == explore_groups().static_html()


def test_groups_table_is_block_diagonal():
    fig = plot.show_groups(6, 12, 3)
    table = fig.axes[1].images[0].get_array()
    coloured = ~np.all(np.asarray(table) == 1.0, axis=2)      # white = not read
    expected = np.kron(np.eye(3, dtype=bool), np.ones((4, 2), dtype=bool))
    assert np.array_equal(coloured, expected)


# --- explore_conv_cost -------------------------------------------------------------------------

def test_cost_demo_controls(cost_demo):
    assert cost_demo.values == COST_CONTROLS
    assert cost_demo.defaults == COST_DEFAULTS


@pytest.mark.parametrize("name, value", [(n, v) for n, vs in COST_CONTROLS.items() for v in vs])
def test_cost_demo_renders_every_value_at_the_defaults(cost_demo, name, value):
    values = {**COST_DEFAULTS, name: value}
    frame = cost_demo.render(**values)
    assert isinstance(frame, Frame)
    assert tuple(frame.figure.get_size_inches()) == (8.4, 2.2)
    c = separable_costs(*(values[n] for n in ("size", "c_in", "c_out", "k", "groups")))
    std = c["standard"]
    assert f"Standard: {std.params:,} parameters, {std.macs:,} MACs" in frame.text
    assert f"= {c['separable'][1]:,} MACs" in frame.text
    assert frame.code == separable_code(*(values[n] for n in ("size", "c_in", "c_out", "k",
                                                                "groups")))


def test_cost_demo_frames_fit_the_budget_and_are_deterministic(cost_demo):
    frames = cost_demo.frames()
    assert cost_demo.mode == "sweep"
    assert len(frames) == 1 + sum(len(v) - 1 for v in COST_CONTROLS.values()) <= DEFAULT_BUDGET
    assert len({f.size for _, f in frames}) == 1
    assert explore_conv_cost().static_html() == explore_conv_cost().static_html()
