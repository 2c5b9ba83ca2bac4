"""Pooling against the reference loops, SciPy and hand-worked cases."""
import numpy as np
import pytest
import scipy.ndimage as ndi

import convkit as ck
from convkit import reference

rng = np.random.default_rng(7)


def test_max_pool_hand_worked_default_stride_is_kernel():
    x = np.array([[[1.0, 2, 5, 6], [3, 4, 7, 8], [9, 10, 13, 14], [11, 12, 15, 16]]])
    np.testing.assert_array_equal(ck.max_pool2d(x, 2), [[[4, 8], [12, 16]]])
    np.testing.assert_array_equal(ck.avg_pool2d(x, 2), [[[2.5, 6.5], [10.5, 14.5]]])


def test_ceil_mode_keeps_partial_window_and_drops_one_starting_in_right_padding():
    x = np.array([[1.0, 2, 3, 4, 5]])
    # floor: windows [1,2],[3,4]; ceil: also [5]
    np.testing.assert_array_equal(ck.max_pool1d(x, 2), [[2, 4]])
    np.testing.assert_array_equal(ck.max_pool1d(x, 2, ceil_mode=True), [[2, 4, 5]])
    # n=4, k=2, s=2, p=1: padded [-inf,1,2,3,4,-inf]; ceil would give a 4th window starting at
    # padded index 6 = right padding, which PyTorch drops: 3 windows
    x4 = np.array([[1.0, 2, 3, 4]])
    assert ck.max_pool1d(x4, 2, padding=1, ceil_mode=True).tolist() == [[1, 3, 4]]
    assert ck.pool_output_size(4, 2, padding=1, ceil_mode=True) == 3


def test_avg_pool_count_include_pad_divisors():
    x = np.array([[3.0, 3, 3]])
    # k=3, p=1: first window [0,3,3]
    assert ck.avg_pool1d(x, 3, stride=1, padding=1).tolist() == [[2, 3, 2]]
    assert ck.avg_pool1d(x, 3, stride=1, padding=1, count_include_pad=False).tolist() == [[3, 3, 3]]
    # ceil window past the padding: n=4, k=3, s=2, p=1, ceil -> windows at -1, 1, 3;
    # the last spans [3, 6) but only [3, 5) is input+padding: divisor 2 (PyTorch's rule)
    x4 = np.array([[2.0, 2, 2, 2]])
    np.testing.assert_allclose(ck.avg_pool1d(x4, 3, 2, 1, ceil_mode=True), [[4 / 3, 2, 1]])


@pytest.mark.parametrize("kw", [
    dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True),
    dict(kernel_size=3, stride=2, ceil_mode=True), dict(kernel_size=(4, 3), stride=3, padding=(2, 1),
                                                      ceil_mode=True)], ids=str)
def test_pool2d_matches_reference(kw):
    x = rng.standard_normal((2, 3, 11, 9))
    np.testing.assert_allclose(ck.max_pool2d(x, **kw), reference.max_pool(x, **kw))
    for cip in (True, False):
        np.testing.assert_allclose(ck.avg_pool2d(x, **kw, count_include_pad=cip),
                                   reference.avg_pool(x, **kw, count_include_pad=cip), atol=1e-12)


@pytest.mark.parametrize("nd", [1, 3])
def test_pool_1d_3d_match_reference(nd):
    x = rng.standard_normal((2, 2) + (7,) * nd)
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)
    np.testing.assert_allclose(getattr(ck, f"max_pool{nd}d")(x, **kw), reference.max_pool(x, ndim=nd, **kw))
    np.testing.assert_allclose(getattr(ck, f"avg_pool{nd}d")(x, **kw),
                               reference.avg_pool(x, ndim=nd, **kw), atol=1e-12)


def test_max_pool_matches_scipy_maximum_filter():
    x = rng.standard_normal((20, 21))
    full = ndi.maximum_filter(x, size=3, mode="constant", cval=-np.inf, origin=-1)
    np.testing.assert_array_equal(ck.max_pool2d(x[None], 3, stride=1)[0], full[:18, :19])


def test_global_pools():
    x = rng.standard_normal((2, 3, 4, 5))
    np.testing.assert_allclose(ck.global_avg_pool(x), x.mean(axis=(2, 3)))
    np.testing.assert_array_equal(ck.global_max_pool(x), x.max(axis=(2, 3)))
    assert ck.global_avg_pool(rng.standard_normal((2, 3, 4, 4, 4))).shape == (2, 3)


def test_pool_float32_and_unbatched():
    x = rng.standard_normal((3, 8, 8)).astype(np.float32)
    y = ck.avg_pool2d(x, 3, 2, 1)
    assert y.dtype == np.float32 and y.shape == (3, 4, 4)
    assert ck.max_pool2d(x, 2).dtype == np.float32


def test_large_input_tiled_over_threads_matches_scipy():
    # big enough to be split into tiles and run on several threads
    x = rng.standard_normal((2, 8, 130, 140)).astype(np.float32)
    y = ck.max_pool2d(x, 3, stride=1)
    expect = ndi.maximum_filter(x, size=(1, 1, 3, 3), mode="nearest", origin=(0, 0, -1, -1))
    np.testing.assert_array_equal(y, expect[:, :, :128, :138])
    ya = ck.avg_pool2d(x.astype(np.float64), 3, stride=1)
    expect_a = ndi.uniform_filter(x.astype(np.float64), size=(1, 1, 3, 3), origin=(0, 0, -1, -1))
    np.testing.assert_allclose(ya, expect_a[:, :, :128, :138], atol=1e-12)
