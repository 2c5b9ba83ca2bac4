"""Demos and drawings of the chapter *1×1 convolution*: explore_pointwise, explore_bottleneck."""
import itertools

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import Frame, explore_bottleneck, explore_pointwise
from convkit.widgets._pointwise import SAMPLE, WEIGHTS, bottleneck_costs, break_even_width


@pytest.fixture(scope="module")
def pointwise():
    return explore_pointwise()


@pytest.fixture(scope="module")
def bottleneck():
    return explore_bottleneck()


# --- helpers ------------------------------------------------------------------------------------

def test_bottleneck_costs_inception_example():
    c = bottleneck_costs(192, 32, 16)
    assert c["direct"].macs == 28 * 28 * 32 * 192 * 25 == 120_422_400
    assert c["reduce"].macs == 28 * 28 * 16 * 192 == 2_408_448
    assert c["conv"].macs == 28 * 28 * 32 * 16 * 25 == 10_035_200
    assert c["reduce"].macs + c["conv"].macs == 12_443_648
    assert c["direct"].macs - 12_443_648 == 107_978_752          # not "100.6 million"
    assert c["direct"].params == 153_600 and c["reduce"].params + c["conv"].params == 15_872
    assert c["direct"].output_shape == c["conv"].output_shape == (32, 28, 28)


@pytest.mark.parametrize("c_in,c_out,k", [(192, 32, 5), (64, 16, 5), (256, 64, 3), (10, 4, 1)])
def test_break_even_width_is_where_the_costs_meet(c_in, c_out, k):
    w = break_even_width(c_in, c_out, k)
    kk = k * k
    assert w * (c_in + kk * c_out) == pytest.approx(kk * c_in * c_out)
    for width in range(1, 2 * int(w) + 2):
        c = bottleneck_costs(c_in, c_out, width, size=7, kernel_size=k)
        cheaper = c["reduce"].macs + c["conv"].macs < c["direct"].macs
        assert cheaper == (width < w)


def test_pointwise_is_a_matrix_multiply_per_pixel():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5, 4))
    w = rng.standard_normal((6, 3, 1, 1))
    y = ck.conv2d(x, w)
    assert np.allclose(y, (w[:, :, 0, 0] @ x.reshape(3, -1)).reshape(6, 5, 4))


# --- explore_pointwise --------------------------------------------------------------------------

def test_pointwise_controls(pointwise):
    assert pointwise.values == {"pixel": list(range(16)), "weights": list(WEIGHTS)}
    assert pointwise.mode == "full" and len(pointwise.frame_keys()) == 48


def test_pointwise_every_setting_states_the_same_numbers(pointwise):
    for pixel, name in itertools.product(range(16), WEIGHTS):
        frame = pointwise.render(pixel=pixel, weights=name)
        assert isinstance(frame, Frame)
        i, j = divmod(pixel, 4)
        y = WEIGHTS[name] @ SAMPLE[:, i, j]
        assert f"Pixel ({i}, {j})" in frame.text and "(the same numbers)" in frame.text
        shown = "[" + ", ".join(plot.format_number(v) for v in y) + "]"
        assert shown in frame.text
        assert "weight = torch.randn(2, 3, 1, 1)" in frame.code
        assert "y.shape == (1, 2, 4, 4)" in frame.code


def test_pointwise_frames_fit_the_budget(pointwise):
    frames = [f for _, f in pointwise.frames()]
    assert len({f.size for f in frames}) == 1
    assert max(len(f.png) for f in frames) < 25_000
    assert explore_pointwise().static_html() == pointwise.static_html()


def test_pointwise_checks_shapes():
    with pytest.raises(ValueError, match="C_out, C_in"):
        explore_pointwise(weights={"bad": np.ones((2, 4))})
    with pytest.raises(ValueError, match="1x1"):
        plot.show_pixel_matmul(SAMPLE, np.ones((2, 3, 3, 3)))
    fig = plot.show_pixel_matmul(SAMPLE, np.ones((1, 3)), (2, 1))
    (ax,) = fig.axes                          # everything in one Axes (fast)
    written = [c.cell_texts for c in ax.collections if c.get_gid() == plot.NUMBERS_GID]
    # blocks: 3 input channels, 1 output channel, W, the pixel's vector, the product
    assert len(written) == 3 + 1 + 1 + 1 + 1
    assert written[3] == [str(int(v)) for v in SAMPLE.sum(axis=0).ravel()]
    assert written[5] == [str(int(v)) for v in SAMPLE[:, 2, 1]]
    assert written[6] == [str(int(SAMPLE[:, 2, 1].sum()))]   # W @ x[:, 2, 1]


# --- explore_bottleneck -------------------------------------------------------------------------

def test_bottleneck_controls(bottleneck):
    assert bottleneck.values == {"c_in": [64, 128, 192, 256], "c_out": [16, 32, 64],
                                 "width": [4, 8, 16, 32, 64]}
    assert bottleneck.defaults == {"c_in": 192, "c_out": 32, "width": 16}
    assert bottleneck.mode == "full" and len(bottleneck.frame_keys()) == 60


def test_bottleneck_default_frame_has_the_inception_numbers(bottleneck):
    frame = bottleneck.render()
    for number in ("120,422,400", "2,408,448 + 10,035,200 = 12,443,648", "107,978,752",
                   "153,600", "15,872", "9.68"):
        assert number in frame.text
    assert "weight1 = torch.randn(16, 192, 1, 1)" in frame.code
    assert "weight2 = torch.randn(32, 16, 5, 5)" in frame.code
    assert "y2 = F.conv2d(h, weight2, padding=2)  # y2.shape == (1, 32, 28, 28)" in frame.code


def test_bottleneck_renders_every_value_with_consistent_numbers(bottleneck):
    for c_in, c_out, width in itertools.product(*bottleneck.values.values()):
        frame = bottleneck.render(c_in=c_in, c_out=c_out, width=width)
        c = bottleneck_costs(c_in, c_out, width)
        total = c["reduce"].macs + c["conv"].macs
        assert f"{c['direct'].macs:,} MACs" in frame.text and f"= {total:,} MACs" in frame.text
        assert ("MORE" in frame.text) == (total >= c["direct"].macs)
        assert f"h.shape == (1, {width}, 28, 28)" in frame.code


def test_bottleneck_frames_fit_the_budget(bottleneck):
    frames = [f for _, f in bottleneck.frames()]
    assert len(frames) <= 60 and len({f.size for f in frames}) == 1
    assert max(len(f.png) for f in frames) < 25_000
    assert explore_bottleneck().static_html() == bottleneck.static_html()
