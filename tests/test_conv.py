"""convkit's convolution and transposed convolution against SciPy, the reference loops and hand-worked cases."""
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss

import convkit as ck
from convkit import reference

rng = np.random.default_rng(20261123)


def randn(*shape):
    return rng.standard_normal(shape)


# --- hand-worked -------------------------------------------------------------------------

def test_conv2d_hand_worked_sharpen():
    # the book's 4x4 example: every output is 5*centre - 4 neighbours = centre here
    x = np.arange(1, 17, dtype=float).reshape(1, 4, 4) * 10 / 10
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float)
    y = ck.conv2d(x, sharpen[None, None])
    # centre 6: 5*6 - (2 + 5 + 7 + 10) = 6; a linear ramp is unchanged by identity - laplacian
    np.testing.assert_array_equal(y, [[[6, 7], [10, 11]]])


def test_conv1d_hand_worked_stride_dilation_padding():
    x = np.array([[1.0, 2, 3, 4, 5]])
    w = np.array([[[1.0, 0, -1]]])
    # zero padding 1: [0,1,2,3,4,5,0]; correlation with [1,0,-1]: 0-2, 1-3, 2-4, 3-5, 4-0
    np.testing.assert_array_equal(ck.conv1d(x, w, padding=1), [[-2, -2, -2, -2, 4]])
    np.testing.assert_array_equal(ck.conv1d(x, w, padding=1, stride=2), [[-2, -2, 4]])
    # dilation 2 spans 5: 1 - 5
    np.testing.assert_array_equal(ck.conv1d(x, w, dilation=2), [[-4]])


def test_same_even_kernel_extra_goes_at_the_end():
    # torch's rule: total padding d*(k-1) = 1, left 0, right 1
    x = np.array([[1.0, 2, 3, 4]])
    w = np.array([[[1.0, 10]]])
    np.testing.assert_array_equal(ck.conv1d(x, w, padding="same"), [[21, 32, 43, 4]])


def test_padding_modes_hand_worked():
    x = np.array([[1.0, 2, 3]])
    w = np.array([[[1.0, 0, 0]]])  # picks the left neighbour
    assert ck.conv1d(x, w, padding=1, padding_mode="zeros").tolist() == [[0, 1, 2]]
    assert ck.conv1d(x, w, padding=1, padding_mode="reflect").tolist() == [[2, 1, 2]]
    assert ck.conv1d(x, w, padding=1, padding_mode="replicate").tolist() == [[1, 1, 2]]
    assert ck.conv1d(x, w, padding=1, padding_mode="circular").tolist() == [[3, 1, 2]]


def test_conv_transpose1d_hand_worked_scatter():
    # each input stamps the kernel at i*s: [1,1,1] at 0 and 2*[1,1,1] at 2
    y = ck.conv_transpose1d(np.array([[1.0, 2]]), np.ones((1, 1, 3)), stride=2)
    np.testing.assert_array_equal(y, [[1, 1, 3, 2, 2]])
    y = ck.conv_transpose1d(np.array([[1.0, 2]]), np.ones((1, 1, 3)), stride=2, padding=1,
                            output_padding=1)
    np.testing.assert_array_equal(y, [[1, 3, 2, 2]])


def test_bias_and_groups_hand_worked():
    x = np.ones((4, 2, 2))
    w = np.stack([np.full((2, 1, 1), v) for v in (1.0, 2.0)])  # (2 out, 2 in/groups... )
    y = ck.conv2d(x, w, bias=np.array([0.5, -1.0]), groups=2)
    np.testing.assert_array_equal(y[0], np.full((2, 2), 2 * 1 + 0.5))
    np.testing.assert_array_equal(y[1], np.full((2, 2), 2 * 2 - 1.0))


# --- SciPy -----------------------------------------------------------------------------

@pytest.mark.parametrize("k", [(3, 3), (2, 4), (5, 1), (15, 15)])
def test_conv2d_single_channel_matches_scipy_correlate(k):
    x = randn(40, 33)
    w = randn(*k)
    y = ck.conv2d(x[None, None], w[None, None])[0, 0]
    np.testing.assert_allclose(y, ss.correlate(x, w, mode="valid"), atol=1e-10)


@pytest.mark.parametrize("mode,nd_mode", [("reflect", "mirror"), ("replicate", "nearest"),
                                          ("circular", "wrap"), ("zeros", "constant")])
def test_padding_modes_match_scipy_ndimage(mode, nd_mode):
    x = randn(12, 13)
    w = randn(3, 3)
    y = ck.conv2d(x[None], w[None, None], padding="same", padding_mode=mode)[0]
    np.testing.assert_allclose(y, ndi.correlate(x, w, mode=nd_mode), atol=1e-10)


def test_conv3d_matches_scipy():
    x = randn(9, 8, 7)
    w = randn(3, 2, 4)
    y = ck.conv3d(x[None, None], w[None, None])[0, 0]
    np.testing.assert_allclose(y, ss.correlate(x, w, mode="valid"), atol=1e-10)


def test_multichannel_is_sum_of_channel_correlations():
    x = randn(3, 10, 10)
    w = randn(2, 3, 3, 3)
    y = ck.conv2d(x, w)
    for co in range(2):
        expect = sum(ss.correlate(x[c], w[co, c], mode="valid") for c in range(3))
        np.testing.assert_allclose(y[co], expect, atol=1e-10)


# --- the reference loops ----------------------------------------------------------------

CONV_SETTINGS = [
    dict(),
    dict(stride=2, padding=1),
    dict(stride=(1, 3), padding=(2, 0), dilation=(2, 1)),
    dict(padding="same", dilation=2),
    dict(padding="same", padding_mode="reflect"),
    dict(padding=2, padding_mode="circular", stride=2),
    dict(padding=(1, 3), padding_mode="replicate"),
    dict(groups=2, padding=1),
    dict(groups=4, padding="same"),  # depthwise with channel multiplier 2
]


@pytest.mark.parametrize("kw", CONV_SETTINGS, ids=str)
@pytest.mark.parametrize("k", [(3, 3), (2, 4)])
def test_conv2d_matches_reference(kw, k):
    x = randn(2, 4, 9, 10)
    g = kw.get("groups", 1)
    w = randn(8, 4 // g, *k)
    b = randn(8)
    np.testing.assert_allclose(ck.conv2d(x, w, b, **kw), reference.conv(x, w, b, **kw), atol=1e-10)


@pytest.mark.parametrize("nd", [1, 3])
def test_conv_1d_3d_match_reference(nd):
    x = randn(2, 4, *(7,) * nd)
    w = randn(6, 2, *(3,) * nd)
    f = getattr(ck, f"conv{nd}d")
    for kw in (dict(groups=2, stride=2, padding=1), dict(groups=2, padding="same", dilation=2,
                                                          padding_mode="circular")):
        np.testing.assert_allclose(f(x, w, **kw), reference.conv(x, w, **kw), atol=1e-10)


@pytest.mark.parametrize("kw", [dict(), dict(stride=2), dict(stride=3, padding=1, output_padding=2),
                                dict(stride=(2, 1), dilation=(1, 3), output_padding=(1, 2)),
                                dict(groups=2, stride=2, padding=2, output_padding=1)], ids=str)
def test_conv_transpose2d_matches_reference(kw):
    x = randn(2, 4, 5, 6)
    w = randn(4, 3, 3, 4)
    b = randn(3 * kw.get("groups", 1))
    np.testing.assert_allclose(ck.conv_transpose2d(x, w, b, **kw),
                               reference.conv_transpose(x, w, b, **kw), atol=1e-10)


@pytest.mark.parametrize("nd", [1, 3])
def test_conv_transpose_1d_3d_match_reference(nd):
    x = randn(1, 2, *(4,) * nd)
    w = randn(2, 3, *(3,) * nd)
    f = getattr(ck, f"conv_transpose{nd}d")
    kw = dict(stride=2, padding=1, output_padding=1, dilation=1)
    np.testing.assert_allclose(f(x, w, **kw), reference.conv_transpose(x, w, **kw), atol=1e-10)


# --- strategies, dtypes, batching ----------------------------------------------------

def test_fft_path_matches_direct():
    from convkit import _engine
    x = randn(2, 4, 30, 28)
    w = randn(6, 2, 9, 9)
    xp = np.pad(x, ((0, 0), (0, 0), (3, 3), (3, 3)))
    out = ck.conv_output_size((30, 28), (9, 9), padding=3, dilation=(1, 2))
    y = _engine.fft_correlate(xp, w, (1, 2), out, 2, np.float64)
    np.testing.assert_allclose(y, reference.conv(x, w, padding=3, dilation=(1, 2), groups=2), atol=1e-9)


def test_large_kernel_on_an_image_takes_the_fft_path(monkeypatch):
    from convkit import _engine
    used = []
    real = _engine.fft_correlate
    monkeypatch.setattr(_engine, "fft_correlate", lambda *a: used.append(1) or real(*a))
    x = randn(1, 1, 200, 190).astype(np.float32)
    w = randn(1, 1, 15, 15).astype(np.float32)
    y = ck.conv2d(x, w)
    assert used and y.dtype == np.float32
    np.testing.assert_allclose(y[0, 0], ss.correlate(x[0, 0].astype(float), w[0, 0].astype(float), "valid"),
                               rtol=1e-4, atol=1e-4)


def test_large_1d_kernel_fft_matches_scipy():
    x = randn(5000)
    w = randn(301)
    np.testing.assert_allclose(ck.correlate(x, w, "valid"), ss.correlate(x, w, "valid", method="direct"),
                               atol=1e-9)


def test_pointwise_1x1_is_matrix_product():
    x = randn(2, 6, 5, 4)
    w = randn(3, 6, 1, 1)
    y = ck.conv2d(x, w)
    expect = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x)
    np.testing.assert_allclose(y, expect, atol=1e-12)


@pytest.mark.parametrize("dtype,out", [(np.float32, np.float32), (np.float64, np.float64),
                                       (np.uint8, np.float64), (np.int64, np.float64),
                                       (np.bool_, np.float64), (np.float16, np.float32)])
def test_dtypes(dtype, out):
    x = (rng.random((1, 6, 6)) * 200).astype(dtype)
    w = np.ones((1, 1, 3, 3))
    y = ck.conv2d(x, w)
    assert y.dtype == out
    np.testing.assert_allclose(y, reference.conv(x.astype(np.float64), w), rtol=1e-3)


def test_uint8_never_wraps_around():
    x = np.full((1, 4, 4), 200, np.uint8)
    y = ck.conv2d(x, np.ones((1, 1, 3, 3)))
    assert y.max() == 1800


def test_unbatched_matches_batched():
    x = randn(3, 8, 8)
    w = randn(2, 3, 3, 3)
    np.testing.assert_allclose(ck.conv2d(x, w, padding=1), ck.conv2d(x[None], w, padding=1)[0])
    xt = randn(2, 4, 4)
    wt = randn(2, 3, 3, 3)
    np.testing.assert_allclose(ck.conv_transpose2d(xt, wt, stride=2),
                               ck.conv_transpose2d(xt[None], wt, stride=2)[0])


def test_input_not_modified_and_noncontiguous_input():
    x = randn(2, 3, 9, 9)
    x_copy = x.copy()
    w = randn(4, 3, 3, 3)
    xt = np.asfortranarray(x)[..., ::-1]
    ck.conv2d(x, w, padding=1, padding_mode="reflect")
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_allclose(ck.conv2d(xt, w), reference.conv(np.ascontiguousarray(xt), w), atol=1e-10)


def test_conv_matrix_reproduces_conv_and_transpose():
    k = randn(3, 3)
    C = ck.conv_matrix((4, 4), k)
    assert C.shape == (4, 16)
    x = randn(4, 4)
    np.testing.assert_allclose(C @ x.ravel(), ck.conv2d(x[None], k[None, None]).ravel(), atol=1e-12)
    y = randn(2, 2)
    np.testing.assert_allclose(C.T @ y.ravel(),
                               ck.conv_transpose2d(y[None], k[None, None]).ravel(), atol=1e-12)
    w = randn(2, 3, 2, 2)
    C2 = ck.conv_matrix((3, 5, 5), w, stride=2, padding=1)
    x2 = randn(3, 5, 5)
    np.testing.assert_allclose(C2 @ x2.ravel(), ck.conv2d(x2, w, stride=2, padding=1).ravel(),
                               atol=1e-12)
