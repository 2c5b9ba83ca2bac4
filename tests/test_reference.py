"""The oracle loops in convkit.reference, checked against SciPy and against worked examples."""
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as sps
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from convkit import reference as ref

RNG = np.random.default_rng(0)
SLOW = settings(max_examples=25, deadline=None)


def small_arrays(min_len=1, max_len=8):
    return hnp.arrays(np.float64, st.integers(min_len, max_len),
                      elements=st.floats(-10, 10, allow_nan=False, width=32))


def dilate(w, d, nd):
    """Insert d - 1 zeros between the taps of the last nd (spatial) axes of a kernel."""
    shape = w.shape[:-nd] + tuple(d * (k - 1) + 1 for k in w.shape[-nd:])
    out = np.zeros(shape)
    out[(Ellipsis,) + (slice(None, None, d),) * nd] = w
    return out


# --- 1-D textbook sums ------------------------------------------------------------------------

def test_convolve_full_worked_example():
    assert np.allclose(ref.convolve_full([1, 2, 3], [0, 1, 0.5]), [0, 1, 2.5, 4, 1.5])


def test_correlate_full_zero_lag_is_dot_product():
    f, g = [1.0, 2.0, 3.0], [4.0, 5.0]
    y = ref.correlate_full(f, g)
    # y[len(g) - 1] = f[0] g[0] + f[1] g[1]
    assert y[len(g) - 1] == 1 * 4 + 2 * 5
    assert np.allclose(y, [5, 14, 23, 12])


@SLOW
@given(small_arrays(), small_arrays())
def test_convolve_and_correlate_full_match_scipy(f, g):
    assert np.allclose(ref.convolve_full(f, g), sps.convolve(f, g, "full"))
    assert np.allclose(ref.correlate_full(f, g), sps.correlate(f, g, "full"))


@SLOW
@given(small_arrays(), small_arrays())
def test_correlation_is_convolution_with_flipped_kernel(f, g):
    assert np.allclose(ref.correlate_full(f, g), ref.convolve_full(f, g[::-1]))


# --- conv: worked examples --------------------------------------------------------------------

X44 = np.arange(1.0, 17.0).reshape(4, 4)
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)


def test_sharpen_on_ramp_valid():
    # sharpen = identity - Laplacian; the Laplacian of a linear ramp is 0, so inside the
    # image the ramp comes back unchanged
    y = ref.conv(X44[None, None], SHARPEN[None, None])[0, 0]
    assert np.array_equal(y, [[6, 7], [10, 11]])


def test_sharpen_on_ramp_zero_padding():
    # y[i, j] = 5 x[i, j] - (up + down + left + right), zeros outside; worked by hand
    y = ref.conv(X44[None], SHARPEN[None, None], padding=1)[0]
    expected = [[-2, 0, 2, 9],
                [9, 6, 7, 17],
                [17, 10, 11, 25],
                [42, 32, 34, 53]]
    assert np.array_equal(y, expected)
    assert np.array_equal(y, ref.conv(X44[None], SHARPEN[None, None], padding="same")[0])


def test_same_padding_with_even_kernel_puts_extra_at_the_end():
    # k = 2: total padding 1, all of it at the end -> y[i] = x[i] + x[i + 1], last x[3] + 0
    y = ref.conv(np.array([[1.0, 2, 3, 4]]), np.ones((1, 1, 2)), padding="same")
    assert np.array_equal(y, [[3, 5, 7, 4]])


def test_stride_dilation_bias_worked_example():
    x = np.array([[0.0, 1, 2, 3, 4, 5, 6]])
    w = np.array([[[1.0, 10.0]]])
    # taps 2 apart, windows every 3: y[o] = x[3o] + 10 x[3o + 2] + 0.5
    y = ref.conv(x, w, bias=np.array([0.5]), stride=3, dilation=2)
    assert np.array_equal(y, [[20.5, 53.5]])


# --- conv: against SciPy ----------------------------------------------------------------------

def test_single_channel_valid_is_scipy_correlate2d():
    x = RNG.normal(size=(7, 6))
    w = RNG.normal(size=(3, 2))
    y = ref.conv(x[None, None], w[None, None])[0, 0]
    assert np.allclose(y, sps.correlate2d(x, w, "valid"))


@pytest.mark.parametrize("nd, size, k", [(1, (9,), (3,)), (2, (6, 5), (3, 2)),
                                         (3, (5, 4, 4), (2, 3, 2))])
def test_multichannel_groups_stride_dilation_match_scipy(nd, size, k):
    N, C_in, C_out, groups = 2, 4, 6, 2
    s, d = 2, 2 if nd < 3 else 1
    x = RNG.normal(size=(N, C_in, *size))
    w = RNG.normal(size=(C_out, C_in // groups, *k))
    b = RNG.normal(size=C_out)
    y = ref.conv(x, w, bias=b, stride=s, dilation=d, groups=groups)

    wd = dilate(w, d, nd)
    expected = []
    for n in range(N):
        outs = []
        for co in range(C_out):
            g = co // (C_out // groups)
            acc = sum(sps.correlate(x[n, g * (C_in // groups) + ci], wd[co, ci], "valid")
                      for ci in range(C_in // groups))
            outs.append(acc[(slice(None, None, s),) * nd] + b[co])
        expected.append(outs)
    assert np.allclose(y, np.array(expected))


@pytest.mark.parametrize("mode, ndi_mode", [("zeros", "constant"), ("reflect", "mirror"),
                                            ("replicate", "nearest"), ("circular", "wrap")])
def test_padding_modes_match_scipy_ndimage(mode, ndi_mode):
    x = RNG.normal(size=(6, 5))
    w = RNG.normal(size=(3, 3))
    y = ref.conv(x[None], w[None, None], padding=1, padding_mode=mode)[0]
    assert np.allclose(y, ndi.correlate(x, w, mode=ndi_mode, cval=0.0))


@pytest.mark.parametrize("mode, np_mode", [("reflect", "reflect"), ("replicate", "edge"),
                                           ("circular", "wrap")])
def test_padding_modes_are_np_pad_then_valid(mode, np_mode):
    x = RNG.normal(size=(1, 1, 5))
    w = RNG.normal(size=(1, 1, 4))
    y = ref.conv(x, w, padding=2, padding_mode=mode)
    xp = np.pad(x[0, 0], 2, mode=np_mode)
    assert np.allclose(y[0, 0], sps.correlate(xp, w[0, 0], "valid"))


def test_unbatched_input_gives_unbatched_output():
    x = RNG.normal(size=(2, 3, 5, 5))
    w = RNG.normal(size=(4, 3, 3, 3))
    assert np.allclose(ref.conv(x[1], w, padding=1), ref.conv(x, w, padding=1)[1])


def test_conv_errors():
    x = np.zeros((1, 2, 5))
    with pytest.raises(ValueError, match="same"):
        ref.conv(x, np.zeros((1, 2, 3)), padding="same", stride=2)
    with pytest.raises(ValueError, match="groups"):
        ref.conv(x, np.zeros((3, 1, 3)), groups=2)
    with pytest.raises(ValueError, match="reflect"):
        ref.conv(x, np.zeros((1, 2, 3)), padding=5, padding_mode="reflect")
    with pytest.raises(ValueError, match="larger"):
        ref.conv(x, np.zeros((1, 2, 7)))


# --- conv_transpose ---------------------------------------------------------------------------

def test_conv_transpose_worked_example():
    # x[0] places [1, 1, 1] at 0..2, x[1] places [2, 2, 2] at 2..4; they overlap at 2
    y = ref.conv_transpose(np.array([[[1.0, 2.0]]]), np.ones((1, 1, 3)), stride=2)
    assert np.array_equal(y, [[[1, 1, 3, 2, 2]]])


def test_conv_transpose_padding_and_output_padding_crop_and_extend():
    x = np.array([[[1.0, 2.0]]])
    w = np.ones((1, 1, 3))
    # full output [1, 1, 3, 2, 2]; padding 1 removes one position from each end, and
    # output_padding 1 gives one of them back at the end
    assert np.array_equal(ref.conv_transpose(x, w, stride=2, padding=1), [[[1, 3, 2]]])
    assert np.array_equal(ref.conv_transpose(x, w, stride=2, padding=1, output_padding=1),
                          [[[1, 3, 2, 2]]])


@SLOW
@given(small_arrays(), small_arrays(max_len=4))
def test_conv_transpose_stride1_is_full_convolution(x, w):
    y = ref.conv_transpose(x[None, None], w[None, None])[0, 0]
    assert np.allclose(y, np.convolve(x, w))


@SLOW
@given(n=st.integers(3, 7), k=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2), groups=st.sampled_from([1, 2]), nd=st.integers(1, 2),
       seed=st.integers(0, 2**32 - 1))
def test_conv_transpose_is_adjoint_of_conv(n, k, s, p, d, groups, nd, seed):
    """<conv(x, w), y> == <x, conv_transpose(y, w)> for the same stride, padding, dilation."""
    span = n + 2 * p - d * (k - 1) - 1
    if span < 0:
        return
    rng = np.random.default_rng(seed)
    C_in, C_out = 2, 4
    x = rng.normal(size=(C_in,) + (n,) * nd)
    w = rng.normal(size=(C_out, C_in // groups) + (k,) * nd)
    y = ref.conv(x, w, stride=s, padding=p, dilation=d, groups=groups)
    v = rng.normal(size=y.shape)
    xt = ref.conv_transpose(v, w, stride=s, padding=p, dilation=d, groups=groups,
                            output_padding=span % s)
    assert xt.shape == x.shape
    assert np.isclose(np.sum(y * v), np.sum(x * xt))


def test_conv_transpose_output_size_formula():
    x = np.zeros((1, 2, 4, 3))
    w = np.zeros((2, 3, 3, 2))
    y = ref.conv_transpose(x, w, stride=(2, 3), padding=(1, 0), output_padding=(1, 2),
                           dilation=(2, 1), groups=1)
    # (n - 1) s - 2 p + d (k - 1) + output_padding + 1
    assert y.shape == (1, 3, 3 * 2 - 2 + 2 * 2 + 1 + 1, 2 * 3 - 0 + 1 + 2 + 1)


def test_conv_transpose_rejects_large_output_padding():
    with pytest.raises(ValueError, match="output_padding"):
        ref.conv_transpose(np.zeros((1, 1, 3)), np.zeros((1, 1, 3)), stride=2, output_padding=2)


# --- pooling ----------------------------------------------------------------------------------

def test_max_pool_2d_blocks():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    assert np.array_equal(ref.max_pool(x, 2), [[[[5, 7], [13, 15]]]])
    assert np.array_equal(ref.avg_pool(x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]])


def test_pool_matches_block_reshape():
    x = RNG.normal(size=(2, 3, 6, 4))
    blocks = x.reshape(2, 3, 3, 2, 2, 2)
    assert np.allclose(ref.max_pool(x, (2, 2)), blocks.max(axis=(3, 5)))
    assert np.allclose(ref.avg_pool(x, (2, 2)), blocks.mean(axis=(3, 5)))


def test_ceil_mode_keeps_a_partial_window_inside_the_input():
    x = np.array([[1.0, 2, 3, 4, 5]])
    # floor: windows [1 2] [3 4]; ceil adds [5], whose divisor is 1 (nothing padded)
    assert np.array_equal(ref.avg_pool(x, 2, ndim=1), [[1.5, 3.5]])
    assert np.array_equal(ref.avg_pool(x, 2, ceil_mode=True, ndim=1), [[1.5, 3.5, 5]])
    assert np.array_equal(ref.max_pool(x, 2, ceil_mode=True, ndim=1), [[2, 4, 5]])


def test_ceil_mode_drops_a_window_that_starts_in_the_right_padding():
    x = np.array([[[1.0, 2, 3, 4, 5]]])
    # n=5, k=2, s=2, p=1: ceil((5 + 2 - 2) / 2) + 1 = 4 windows, but the 4th would start at
    # index 5 = n, in the right padding, so it is dropped -> 3 windows: [pad 1] [2 3] [4 5]
    y = ref.avg_pool(x, 2, padding=1, ceil_mode=True)
    assert np.array_equal(y, [[[0.5, 2.5, 4.5]]])
    y = ref.avg_pool(x, 2, padding=1, ceil_mode=True, count_include_pad=False)
    assert np.array_equal(y, [[[1, 2.5, 4.5]]])
    assert np.array_equal(ref.max_pool(x, 2, padding=1, ceil_mode=True), [[[1, 3, 5]]])


def test_count_include_pad_divisors():
    x = np.array([[[1.0, 2, 3, 4, 5, 6]]])
    # n=6, k=3, s=2, p=1, ceil_mode: 4 windows, starting at -1, 1, 3, 5.
    # The last one is [5, 8) but is cut at n + p = 7, so its divisor is 2, not 3.
    y = ref.avg_pool(x, 3, stride=2, padding=1, ceil_mode=True)
    assert np.allclose(y, [[[(0 + 1 + 2) / 3, (2 + 3 + 4) / 3, (4 + 5 + 6) / 3, (6 + 0) / 2]]])
    y = ref.avg_pool(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
    assert np.allclose(y, [[[(1 + 2) / 2, 3, 5, 6]]])
    y = ref.max_pool(x, 3, stride=2, padding=1, ceil_mode=True)
    assert np.array_equal(y, [[[2, 4, 6, 6]]])


def test_max_pool_pads_with_minus_infinity():
    x = -np.ones((1, 1, 2, 2))
    assert np.array_equal(ref.max_pool(x, 2, stride=1, padding=1), -np.ones((1, 1, 3, 3)))


def test_pool_unbatched_and_ndim():
    x = RNG.normal(size=(3, 4, 6))
    assert np.allclose(ref.max_pool(x, 2, ndim=2), ref.max_pool(x[None], 2)[0])
    assert np.allclose(ref.avg_pool(x, (2, 3)), ref.avg_pool(x[None], (2, 3))[0])


def test_pool_rejects_too_much_padding():
    with pytest.raises(ValueError, match="half"):
        ref.max_pool(np.zeros((1, 1, 5)), 2, padding=2)
