"""Demos and drawings of the chapter *Stride and dilation* (widgets._stride, plot._stride)."""
import itertools
import re

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_downsampling, explore_output_size
from convkit.widgets._stride import output_size_text

SETTINGS = [(n, k, s, p, d) for n, k, s, p, d in itertools.product(
    range(1, 11), range(1, 5), range(1, 4), range(0, 3), range(1, 4))
    if d * (k - 1) + 1 <= n + 2 * p]


@pytest.fixture(scope="module")
def explorer():
    return explore_output_size()


@pytest.fixture(scope="module")
def downsampling():
    return explore_downsampling()


# --- kernel_taps / read_counts: the NumPy-only helpers -------------------------------------------

def test_taps_by_hand():
    # 7 inputs, k=3, stride 2, padding 1: windows start at -1, 1, 3, 5
    np.testing.assert_array_equal(plot.kernel_taps(7, 3, 2, 1),
                                  [[-1, 0, 1], [1, 2, 3], [3, 4, 5], [5, 6, 7]])
    # dilation 2 on 8 inputs with stride 2: only the even cells are read
    np.testing.assert_array_equal(plot.kernel_taps(8, 3, 2, 0, 2), [[0, 2, 4], [2, 4, 6]])
    np.testing.assert_array_equal(plot.read_counts(8, 3, 2, 0, 2), [1, 0, 2, 0, 2, 0, 1, 0])
    # the source notes' Keras example: n=8, k=3, s=2 never reads the last row
    np.testing.assert_array_equal(plot.read_counts(8, 3, 2), [1, 1, 2, 1, 2, 1, 1, 0])


@pytest.mark.parametrize("n, k, s, p, d", SETTINGS[::7])
def test_taps_are_the_columns_of_the_convolution_matrix(n, k, s, p, d):
    """Row j of conv_matrix (an all-ones kernel) is 1 exactly at the in-range taps of output j."""
    C = ck.conv_matrix((n,), np.ones(k), stride=s, padding=p, dilation=d)
    taps = plot.kernel_taps(n, k, s, p, d)
    assert taps.shape == (ck.conv_output_size(n, k, s, p, d), k) == (C.shape[0], k)
    expected = np.zeros_like(C)
    for j, row in enumerate(taps):
        inside = row[(row >= 0) & (row < n)]
        expected[j, inside] = 1
    np.testing.assert_array_equal(C, expected)
    np.testing.assert_array_equal(plot.read_counts(n, k, s, p, d), C.sum(axis=0))


def test_output_size_text_ends_with_convkit_size():
    for n, k, s, p, d in SETTINGS:
        text = output_size_text(n, k, p, s, d)
        assert text.endswith(f"= {ck.conv_output_size(n, k, s, p, d)}")
        top = n + 2 * p - d * (k - 1) - 1
        assert f"⌊{top}/{s}⌋" in text


def test_show_positions_returns_axes():
    ax = plot.show_positions(8, 3, 2, 1, 2, title="t")
    assert ax.get_title() == "t"
    with pytest.raises(ValueError):
        plot.show_positions(3, 3, 1, 0, 2)            # spans 5 > 3: no output


# --- explore_output_size -------------------------------------------------------------------------

def test_explorer_controls(explorer):
    assert explorer.values == {"n": [5, 7, 8], "k": [2, 3], "p": [0, 1], "s": [1, 2], "d": [1, 2]}
    assert explorer.defaults == {"n": 7, "k": 3, "p": 0, "s": 1, "d": 1}
    assert explorer.mode == "full" and len(explorer.frame_keys()) == 48 <= DEFAULT_BUDGET


def test_every_setting_renders_with_its_size_unread_cells_and_code(explorer):
    for n, k, p, s, d in itertools.product(*explorer.values.values()):
        frame = explorer.render(n=n, k=k, p=p, s=s, d=d)
        assert isinstance(frame, Frame)
        out = ck.conv_output_size(n, k, s, p, d)
        assert frame.text.startswith(output_size_text(n, k, p, s, d))
        unread = np.flatnonzero(plot.read_counts(n, k, s, p, d) == 0)
        match = re.search(r"Never read: input cells? ([\d, ]+)\.", frame.text)
        listed = [] if match is None else [int(v) for v in match.group(1).split(", ")]
        assert listed == unread.tolist()
        assert frame.code == ck.torch_code("conv1d", (1, 1, n), (1, 1, k), stride=s, padding=p,
                                           dilation=d)
        assert frame.code.endswith(f"y.shape == (1, 1, {out})")
        y = ck.conv1d(np.ones((1, 1, n)), np.ones((1, 1, k)), stride=s, padding=p, dilation=d)
        assert y.shape[-1] == out


def test_source_note_examples(explorer):
    assert "= 3." in explorer.render(n=5, k=3).text               # 5x5, 3x3 valid -> 3x3
    assert "= 5." in explorer.render(n=5, k=3, p=1).text          # same -> 5x5
    assert "= 3." in explorer.render(n=7, k=3, s=2).text          # 7x7, 3x3, stride 2 -> 3x3
    assert "= 4." in explorer.render(n=7, k=3, s=2, p=1).text     # with P=1 -> 4x4
    assert "Never read: input cell 7." in explorer.render(n=8, k=3, s=2).text


def test_explorer_frames_one_size_and_deterministic(explorer):
    assert len({f.size for _, f in explorer.frames()}) == 1
    assert explore_output_size().static_html() == explorer.static_html()


# --- explore_downsampling ------------------------------------------------------------------------

def test_downsampling_controls_and_code(downsampling):
    assert downsampling.values == {"s": [1, 2, 3, 4, 6]}
    assert downsampling.defaults == {"s": 4}
    for s in downsampling.values["s"]:
        frame = downsampling.render(s=s)
        oh, ow = -(-600 // s), -(-512 // s)       # 'same'-style padding at stride s: ceil(n/s)
        assert f"Output {oh}×{ow} from 600×512" in frame.text
        assert frame.code.endswith(f"y.shape == (1, 1, {oh}, {ow})")
        assert 'mode="reflect"' in frame.code
        assert (f"stride={s}" in frame.code) == (s > 1)


def test_downsampling_blur_is_one_strided_convolution():
    """What the right panel shows: a strided Gaussian = the stride-1 blur, subsampled."""
    x = ck.data.photo(48)[None]
    g = ck.kernels.gaussian(5, 1.0)[None, None]
    strided = ck.conv2d(x, g, stride=2, padding=2, padding_mode="reflect")
    full = ck.conv2d(x, g, padding=2, padding_mode="reflect")
    np.testing.assert_allclose(strided, full[:, ::2, ::2])


def test_downsampling_frames_one_size_and_deterministic(downsampling):
    assert len({f.size for _, f in downsampling.frames()}) == 1
    assert explore_downsampling().static_html() == downsampling.static_html()


def test_downsampling_rejects_a_bad_window():
    with pytest.raises(ValueError, match="window"):
        explore_downsampling(window=(0, 0, 100, 100))
