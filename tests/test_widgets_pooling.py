"""Demos and drawings of the chapter *Pooling*: explore_pooling, explore_shift and their helpers."""
import itertools
import re

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.plot import pool_window_starts, window_counts
from convkit.widgets import Frame, explore_pooling, explore_shift
from convkit.widgets._pooling import SAMPLE, shift_measures, shifted_pattern


@pytest.fixture(scope="module")
def pooling():
    return explore_pooling()


@pytest.fixture(scope="module")
def shift():
    return explore_shift()


def each_value(demo):
    """Every allowed value of every control, the others at their defaults."""
    for name, values in demo.values.items():
        for value in values:
            yield {name: value}


def brute_counts(shape, k, s, p, ceil_mode):
    """Count windows per cell by listing every window (no transposed convolution)."""
    out = [ck.pool_output_size(n, k, s, p, ceil_mode) for n in shape]
    ends = [(o - 1) * s - p + k for o in out]
    h, w = (max(n + p, e) + p for n, e in zip(shape, ends))
    counts = np.zeros((h, w), dtype=int)
    for i, j in itertools.product(range(out[0]), range(out[1])):
        counts[i * s:i * s + k, j * s:j * s + k] += 1
    return counts


# --- helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("k,s,p,c", list(itertools.product([1, 2, 3], [1, 2, 3], [0, 1],
                                                           [False, True])))
def test_window_counts_match_listing_every_window(k, s, p, c):
    if p > k // 2:
        return
    counts, origin = window_counts((7, 6), k, s, p, c)
    assert origin == (-p, -p)
    expected = brute_counts((7, 6), k, s, p, c)
    assert np.array_equal(counts, expected[:counts.shape[0], :counts.shape[1]])
    assert not expected[counts.shape[0]:].any() and not expected[:, counts.shape[1]:].any()


def test_window_counts_worked_examples():
    tiled, _ = window_counts((4, 4), 2, 2)
    assert np.array_equal(tiled, np.ones((4, 4)))                 # stride = window: no overlap
    overlap, _ = window_counts((45, 25), 3, 2)                      # the notes' example
    assert overlap.shape == (45, 25) and overlap.max() == 4 and overlap.min() == 1
    assert overlap[2, 2] == 4 and overlap[1, 1] == 1 and overlap[2, 1] == 2
    gaps, _ = window_counts((7, 7), 2, 3)
    assert gaps[2].tolist() == [0, 0, 0, 0, 0, 0, 0, 0][:gaps.shape[1]]   # row 2: in no window


def test_pool_window_starts_agree_with_output_size():
    for k, s, p, c in itertools.product([2, 3], [1, 2, 3], [0, 1], [False, True]):
        rows, cols = pool_window_starts((7, 5), k, s, p, c)
        assert len(rows) == ck.pool_output_size(7, k, s, p, c)
        assert len(cols) == ck.pool_output_size(5, k, s, p, c)
        assert rows[0] == -p and np.all(np.diff(rows) == s)
        assert rows[-1] < 7 + p                    # no window starts in the right padding
    assert pool_window_starts((7, 7), 2, 2, 1, True)[0].tolist() == [-1, 1, 3, 5]


def test_shifted_pattern_is_a_roll():
    x0 = shifted_pattern(0)
    for r in range(8):
        assert np.array_equal(shifted_pattern(r), np.roll(x0, r, axis=1))
    assert x0.sum() == 5 and x0[4, 4] == 1


def test_shift_measures_equivariance_and_invariance():
    m = shift_measures(range(8), 4)
    assert m["equivariance"] == [0.0] * 8                          # exact
    assert m["conv"][0] == 0 and all(v > 1 for v in m["conv"][1:])
    assert m["max pool"][:4] == [0.0] * 4                           # peak stays in its window
    assert all(v > 0 for v in m["max pool"][4:])                    # ... until it crosses over
    assert m["global max"] == [0.0] * 8
    assert m["strided conv"][1:4] == [1.0] * 3                      # pattern missed: all zero
    m2 = shift_measures(range(8), 2)
    assert m2["max pool"][:2] == [0.0, 0.0] and m2["max pool"][2] > 0


# --- explore_pooling ----------------------------------------------------------------------------

def test_pooling_controls(pooling):
    assert pooling.values == {"kind": ["max", "avg"], "kernel_size": [2, 3],
                              "stride": [1, 2, 3], "padding": [0, 1],
                              "ceil_mode": [False, True]}
    assert pooling.defaults == {"kind": "max", "kernel_size": 3, "stride": 2, "padding": 0,
                                "ceil_mode": False}
    assert pooling.mode == "full" and len(pooling.frame_keys()) == 48


def test_pooling_renders_every_value(pooling):
    for values in each_value(pooling):
        frame = pooling.render(**values)
        assert isinstance(frame, Frame) and frame.text and frame.code


def test_pooling_text_and_code_match_the_setting(pooling):
    for kind, k, s, p, c in itertools.product(*pooling.values.values()):
        frame = pooling.render(kind=kind, kernel_size=k, stride=s, padding=p, ceil_mode=c)
        op = ck.max_pool2d if kind == "max" else ck.avg_pool2d
        y = op(SAMPLE[None, None].astype(float), k, s, p, c)
        code = frame.code
        assert f"F.{kind}_pool2d(x, kernel_size={k}" in code
        assert ("stride=" in code) == (s != k)                 # stride defaults to the window
        if s != k:
            assert f"stride={s}" in code
        assert (f"padding={p}" in code) == (p > 0)
        assert ("ceil_mode=True" in code) == c
        assert code.endswith(f"# y.shape == {tuple(y.shape)}")
        assert re.search(rf"(= |dropped: ){y.shape[-1]}[. ]", frame.text)
        assert ("windows overlap" in frame.text) == (s < k)


def test_pooling_text_states_the_right_padding_rule(pooling):
    text = pooling.render(kernel_size=2, stride=2, padding=1, ceil_mode=True).text
    assert "in the right padding, so it is dropped: 4" in text
    assert ck.pool_output_size(7, 2, 2, 1, True) == 4


def test_pooling_frames_fit_the_budget(pooling):
    frames = [f for _, f in pooling.frames()]
    assert len(frames) <= 60
    assert len({f.size for f in frames}) == 1                       # same size for every frame
    assert max(len(f.png) for f in frames) < 25_000
    assert pooling.static_nbytes() < 1_000_000


def test_pooling_static_html_is_deterministic():
    assert explore_pooling().static_html() == explore_pooling().static_html()


def test_pooling_takes_another_input():
    demo = explore_pooling(np.arange(30).reshape(5, 6))
    frame = demo.render(kernel_size=2, stride=2)
    assert "x = torch.randn(1, 1, 5, 6)" in frame.code
    with pytest.raises(ValueError, match="2-D"):
        explore_pooling(np.zeros((2, 3, 3)))


def test_pooling_live_widget_changes_picture():
    widget = explore_pooling().widget()
    before = widget.image.value
    widget.set(stride=1)
    assert widget.image.value != before and "stride=1" in widget.code.value


# --- explore_shift ------------------------------------------------------------------------------

def test_shift_controls(shift):
    assert shift.values == {"shift": list(range(8)), "window": [2, 4]}
    assert shift.mode == "full" and len(shift.frame_keys()) == 16


def test_shift_renders_every_setting_with_numbers(shift):
    for r, w in itertools.product(range(8), [2, 4]):
        frame = shift.render(shift=r, window=w)
        assert isinstance(frame, Frame)
        assert "largest difference after moving back: 0)" in frame.text
        m = shift_measures(range(8), w)
        assert f"max pool {100 * m['max pool'][r]:.0f}%" in frame.text
        assert f"F.max_pool2d(y, kernel_size={w})" in frame.code
        assert f"stride={w}" in frame.code and 'mode="circular"' in frame.code
        assert f"pooled.shape == (1, 1, {16 // w}, {16 // w})" in frame.code


def test_shift_frames_fit_the_budget(shift):
    frames = [f for _, f in shift.frames()]
    assert len({f.size for f in frames}) == 1
    assert max(len(f.png) for f in frames) < 25_000
    assert explore_shift().static_html() == shift.static_html()


def test_shift_rejects_too_many_shifts():
    with pytest.raises(ValueError, match="off the"):
        explore_shift(shifts=12)


def test_plot_functions_return_axes():
    ax = plot.show_pool_windows(SAMPLE, 3, 2, windows=[(0, 0), (1, 1)])
    assert len(ax.patches) == 2 * (1 + 2)                 # input border + two windows, haloed
    ax = plot.show_window_counts((5, 5), 3, 2)
    assert ax.images[0].get_array().max() == 4
    ax = plot.plot_shift_changes(range(3), {"a": [0, 1, 1]}, current=1)
    assert len(ax.lines) >= 2
    with pytest.raises(ValueError, match="2-D"):
        plot.show_pool_windows(np.zeros(3), 2)
