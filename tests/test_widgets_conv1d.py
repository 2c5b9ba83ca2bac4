"""Demos and drawings of the chapter *1D convolution* (convkit.widgets._conv1d, convkit.plot._conv1d)."""
import itertools
import math

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_sliding, explore_smoothing
from convkit.plot._conv1d import flip_panels, new_host
from convkit.widgets._conv1d import SMOOTHING_KINDS, smoothing_kernel

MODES = ["full", "same", "valid"]


@pytest.fixture(scope="module")
def sliding():
    return explore_sliding()


@pytest.fixture(scope="module")
def smoothing():
    return explore_smoothing()


def texts_of(ax):
    """Everything written on an Axes by the glyph writer of plot._conv1d."""
    return [t for c in ax.collections for t in getattr(c, "texts", [])]


# --- mode_slice: which part of 'full' each mode keeps ----------------------------------------

@pytest.mark.parametrize("n, k", list(itertools.product(range(1, 8), range(1, 8))))
def test_mode_slice_matches_convolve_and_correlate(n, k):
    rng = np.random.default_rng(10 * n + k)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    for op in (ck.convolve, ck.correlate):
        full = op(x, w, "full")
        for mode in MODES:
            np.testing.assert_allclose(full[plot.mode_slice(n, k, mode)], op(x, w, mode),
                                       atol=1e-12)


def test_mode_slice_lengths_and_errors():
    assert plot.mode_slice(3, 3, "full") == slice(0, 5)
    assert plot.mode_slice(3, 3, "same") == slice(1, 4)
    assert plot.mode_slice(3, 3, "valid") == slice(2, 3)
    assert plot.mode_slice(10, 4, "valid") == slice(3, 10)       # n - k + 1 = 7 values
    with pytest.raises(ValueError, match="mode"):
        plot.mode_slice(3, 3, "circular")
    with pytest.raises(ValueError):
        plot.mode_slice(0, 3)


# --- magnitude_response: the gain of a kernel at each frequency ------------------------------

def test_magnitude_response_is_the_dtft_magnitude():
    k = np.array([0.2, -0.5, 1.0, 0.3])
    f, H = plot.magnitude_response(k, fs=80.0, n_fft=64)
    assert f[0] == 0 and f[-1] == 40.0 and f.size == H.size == 33
    m = np.arange(k.size)
    direct = np.abs(np.exp(-2j * np.pi * np.outer(f / 80.0, m)) @ k)
    np.testing.assert_allclose(H, direct, atol=1e-12)


@pytest.mark.parametrize("w", [2, 4, 5, 8])
def test_moving_average_has_zeros_at_multiples_of_fs_over_width(w):
    fs, n_fft = 80.0, 80 * w                 # the zeros fall exactly on DFT bins
    f, H = plot.magnitude_response(np.ones(w) / w, fs, n_fft)
    assert H[0] == pytest.approx(1.0)
    for j in range(1, w // 2 + 1):
        assert H[np.argmin(np.abs(f - j * fs / w))] == pytest.approx(0, abs=1e-12)


def test_difference_gain_rises_to_two_at_nyquist():
    f, H = plot.magnitude_response([1.0, -1.0], fs=80.0, n_fft=256)
    assert H[0] == pytest.approx(0, abs=1e-12) and H[-1] == pytest.approx(2.0)
    assert np.all(np.diff(H) > 0)
    np.testing.assert_allclose(H, 2 * np.sin(np.pi * f / 80.0), atol=1e-12)


def test_convolution_theorem_for_a_sinusoid():
    """A sinusoid at a DFT frequency comes out of a circular convolution scaled by |H|."""
    n, fs, k = 64, 64.0, np.array([1.0, 2.0, 1.0]) / 4
    x = np.cos(2 * np.pi * 5 * np.arange(n) / n)
    y = np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(k, n)))
    f, H = plot.magnitude_response(k, fs, n)
    assert np.abs(y).max() == pytest.approx(H[5])


def test_magnitude_response_rejects_bad_input():
    with pytest.raises(ValueError):
        plot.magnitude_response(np.ones((2, 2)))
    with pytest.raises(ValueError):
        plot.magnitude_response(np.ones(10), n_fft=4)


# --- smoothing_kernel --------------------------------------------------------------------------

@pytest.mark.parametrize("w", [1, 3, 9, 25])
def test_smoothing_kernels_sum_and_causality(w):
    ma, causal = smoothing_kernel("moving average", w)
    assert not causal and ma.size == w and ma.sum() == pytest.approx(1)
    g, causal = smoothing_kernel("Gaussian", w)
    assert not causal and g.size % 2 == 1 and g.sum() == pytest.approx(1)
    np.testing.assert_allclose(g, g[::-1])                       # centred, symmetric
    d, causal = smoothing_kernel("difference", w)
    assert causal and d.sum() == pytest.approx(0, abs=1e-15) and d.size == w + 1
    e, causal = smoothing_kernel("causal exponential", w)
    assert causal and e.sum() == pytest.approx(1) and np.all(np.diff(e) <= 0)


def test_width_one_is_identity_or_first_difference():
    assert smoothing_kernel("moving average", 1)[0].tolist() == [1.0]
    assert smoothing_kernel("causal exponential", 1)[0].tolist() == [1.0]
    assert smoothing_kernel("difference", 1)[0].tolist() == [1.0, -1.0]


def test_gaussian_has_the_spread_of_the_moving_average():
    for w in (9, 25):
        g, _ = smoothing_kernel("Gaussian", w)
        r = np.arange(g.size) - g.size // 2
        assert math.sqrt((g * r ** 2).sum()) == pytest.approx(w / math.sqrt(12), rel=0.02)


def test_exponential_has_the_mean_delay_of_a_causal_average():
    for w in (3, 9, 25):
        e, _ = smoothing_kernel("causal exponential", w)
        assert (e * np.arange(e.size)).sum() == pytest.approx((w - 1) / 2, rel=0.02)


def test_difference_is_the_difference_of_the_average():
    d, _ = smoothing_kernel("difference", 5)
    np.testing.assert_allclose(d, ck.convolve(np.ones(5) / 5, [1.0, -1.0]))


def test_smoothing_kernel_rejects_unknown_kind_and_width():
    with pytest.raises(ValueError, match="kind"):
        smoothing_kernel("median", 3)
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="width"):
            smoothing_kernel("Gaussian", bad)


# --- drawings ----------------------------------------------------------------------------------

def test_sliding_step_writes_every_number():
    ax = plot.sliding_step([1, 2, 3], [0, 1, 0.5], 2, mode="same")
    written = texts_of(ax)
    for t in ["1", "2", "3", "0.5", "2.5", "k[2]", "k[1]", "k[0]", "y[4]", "x, zero-padded",
              "k, flipped", "products"]:
        assert t in written, t
    later = texts_of(plot.sliding_step([1, 2, 3], [0, 1, 0.5], 3, mode="same"))
    assert later.count("4") == written.count("4") + 1     # y[3] = 4 appears at step 3
    ax = plot.sliding_step([1, 2, 3], [0, 1, 0.5], 2, flip=False)
    assert "3.5" in texts_of(ax) and "k, not flipped" in texts_of(ax)


def test_sliding_step_figure_size_does_not_depend_on_the_step():
    sizes = {tuple(plot.sliding_step([1, 2, 3, 4], [1, -1], j, mode=m).figure.get_size_inches())
             for j in range(5) for m in MODES}
    assert len(sizes) == 1


def test_sliding_step_rejects_positions_outside_full():
    with pytest.raises(ValueError, match="position"):
        plot.sliding_step([1, 2, 3], [0, 1, 0.5], 5)
    with pytest.raises(ValueError):
        plot.sliding_step(np.ones((2, 2)), [1], 0)


def test_kernel_stamps_rows_add_up_to_the_convolution():
    x, k = np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])
    ax = plot.kernel_stamps(x, k)
    table = ax.images[0].get_array()
    np.testing.assert_allclose(np.nansum(table[:-1], axis=0), table[-1])
    np.testing.assert_allclose(table[-1], ck.convolve(x, k))
    np.testing.assert_allclose(table[1, 1:4], 2 * k)


def test_frequency_response_draws_the_gain():
    k = np.ones(5) / 5
    ax = plot.frequency_response({"average": k}, fs=80.0, ylim=(0, 1.2), zeros=[16, 32])
    panel = ax.panels[-1]
    f, H = plot.magnitude_response(k, 80.0)
    np.testing.assert_allclose(panel.curves["average"][1], H)
    assert panel.xlim == (0, 40.0) and panel.ylim == (0, 1.2)
    assert {"frequency (Hz)", "gain |H(f)|", "average", "0", "40"} <= set(texts_of(ax))


def test_signal_traces_and_kernel_stems():
    x = np.sin(np.arange(100) / 5)
    ax = plot.signal_traces({"in": x, "out": -x}, fs=10.0, start=2, stop=8)
    panel = ax.panels[-1]
    assert set(panel.curves) == {"in", "out"} and panel.xlim == (2, 8)
    t, y = panel.curves["out"]
    assert t[0] == 2 and t[-1] == 8 and np.allclose(y, -x[20:81])
    assert {"in", "out", "time (s)"} <= set(texts_of(ax))
    ax = plot.kernel_stems([0.25, 0.5, 0.25], start=-1)
    assert {"0.25", "0.5"} <= set(texts_of(ax))
    assert ax.panels[-1].curves["k"][0].tolist() == [-1, 0, 1]


def test_panels_share_one_host():
    host = new_host((6.0, 3.0))
    plot.kernel_stems([1.0, -1.0], host, rect=(0.5, 0.5, 2.0, 2.0))
    plot.frequency_response({"d": [1.0, -1.0]}, 80.0, host, rect=(3.5, 0.5, 2.0, 2.0))
    assert len(host.figure.axes) == 1 and len(host.panels) == 2
    assert tuple(host.figure.get_size_inches()) == (6.0, 3.0)


def test_filtered_signals_draws_one_panel_per_output():
    x = np.cos(np.arange(200) / 7)
    fig = plot.filtered_signals(x, {"a": x / 2, "b": -x}, fs=20.0, start=1, stop=9)
    assert len(fig.axes) == 1 and len(fig.axes[0].panels) == 2


def test_flip_panels_draws_both_rows():
    x = ck.data.impulse(9, at=4)
    k = np.array([1.0, 0.0, 0.5])
    img = np.eye(8)
    fig = flip_panels(x, k[::-1], ck.convolve(x, k, "same"), img, np.eye(3),
                           ck.convolve(img, np.eye(3), "same"), flip=True)
    host = fig.axes[0]
    assert len(host.panels) == 3 and len(host.images) == 3
    written = texts_of(host)
    assert "convolve(x, k)" in written and "convolve(image, k)" in written
    assert "weights: k rotated 180°" in written


# --- explore_sliding ---------------------------------------------------------------------------

def test_sliding_controls(sliding):
    assert sliding.values == {"position": [0, 1, 2, 3, 4], "mode": MODES, "flip": [False, True]}
    assert sliding.defaults == {"position": 0, "mode": "full", "flip": True}
    assert sliding.mode == "full" and len(sliding.frames()) == 30 <= DEFAULT_BUDGET


def test_sliding_renders_every_setting_with_the_right_equation(sliding):
    full = {True: ck.convolve([1, 2, 3], [0, 1, 0.5]), False: ck.correlate([1, 2, 3], [0, 1, 0.5])}
    for position, mode, flip in itertools.product(range(5), MODES, (False, True)):
        frame = sliding.render(position=position, mode=mode, flip=flip)
        assert isinstance(frame, Frame)
        value = plot.format_number(full[flip][position])
        assert frame.text.startswith(f"y[{position}] = ") and f"= {value}   (" in frame.text
        expected = ck.convolve if flip else ck.correlate
        assert f"ck.{expected.__name__}(x, k, mode='{mode}')" in frame.code


def test_sliding_worked_example_texts(sliding):
    assert sliding.render(position=2, flip=True).text.startswith("y[2] = 1·0.5 + 2·1 + 3·0 = 2.5")
    assert sliding.render(position=2, flip=False).text.startswith("y[2] = 1·0 + 2·1 + 3·0.5 = 3.5")
    assert "not part of 'valid'" in sliding.render(position=0, mode="valid").text
    assert "value 0 of the 3 in 'same'" in sliding.render(position=1, mode="same").text
    assert sliding.render(mode="same").code.endswith("# [1, 2.5, 4]")
    assert sliding.render(mode="valid", flip=False).code.endswith("# [3.5]")


def test_sliding_frames_are_small_and_one_size(sliding):
    frames = [f for _, f in sliding.frames()]
    assert len({f.size for f in frames}) == 1
    assert max(len(f.png) for f in frames) < 15_000
    assert sliding.static_nbytes() < 500_000


def test_sliding_accepts_other_inputs():
    demo = explore_sliding(x=[1, -1, 2, 0, 1], k=[1, 2])
    assert demo.values["position"] == list(range(6))
    assert "= " in demo.render(position=5, mode="valid", flip=True).text
    with pytest.raises(ValueError):
        explore_sliding(x=[], k=[1])


def test_sliding_static_html_is_deterministic():
    assert explore_sliding().static_html() == explore_sliding().static_html()


# --- explore_smoothing -------------------------------------------------------------------------

def test_smoothing_controls(smoothing):
    assert smoothing.values == {"kind": list(SMOOTHING_KINDS), "width": [1, 3, 5, 9, 15, 25]}
    assert smoothing.defaults == {"kind": "moving average", "width": 9}
    assert smoothing.mode == "full" and len(smoothing.frames()) == 24 <= DEFAULT_BUDGET


def test_smoothing_renders_every_setting(smoothing):
    for kind, width in itertools.product(SMOOTHING_KINDS, smoothing.values["width"]):
        frame = smoothing.render(kind=kind, width=width)
        assert isinstance(frame, Frame) and frame.text
        causal = smoothing_kernel(kind, width)[1]
        assert ("[:len(x)]" in frame.code) == causal
        assert ("mode='same'" in frame.code) == (not causal)


def test_smoothing_texts_state_the_zeros(smoothing):
    assert "multiples of fs/9 = 8.9 Hz" in smoothing.render(kind="moving average", width=9).text
    assert "high-pass" in smoothing.render(kind="difference", width=1).text
    assert "lags" in smoothing.render(kind="causal exponential", width=9).text


def test_smoothing_frames_are_one_size_and_small(smoothing):
    frames = [f for _, f in smoothing.frames()]
    assert len({f.size for f in frames}) == 1
    assert smoothing.static_nbytes() < 800_000


def test_smoothing_custom_signal_needs_a_rate():
    with pytest.raises(ValueError, match="fs"):
        explore_smoothing(np.zeros(100))
    demo = explore_smoothing(np.sin(np.arange(400) / 3), fs=40, widths=(1, 3), start=0, stop=5)
    assert demo.values["width"] == [1, 3]
    assert isinstance(demo.render(kind="Gaussian", width=3), Frame)


def test_smoothing_static_html_is_deterministic():
    assert explore_smoothing().static_html() == explore_smoothing().static_html()
