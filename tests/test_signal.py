"""convkit.correlate / convolve against scipy.signal: shapes, alignment, swaps."""
import numpy as np
import pytest
import scipy.signal as ss

import convkit as ck

rng = np.random.default_rng(3)
SHAPES = [((7,), (3,)), ((6,), (4,)), ((3,), (5,)), ((8,), (8,)), ((6, 5), (3, 2)),
          ((4, 4), (5, 6)), ((5, 6, 4), (2, 3, 3)), ((9, 3), (2, 4))]


@pytest.mark.parametrize("s1,s2", SHAPES, ids=str)
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["correlate", "convolve"])
def test_matches_scipy(s1, s2, mode, name):
    a, b = rng.standard_normal(s1), rng.standard_normal(s2)
    try:
        expect = getattr(ss, name)(a, b, mode=mode, method="direct")
    except ValueError:
        with pytest.raises(ValueError, match="valid"):
            getattr(ck, name)(a, b, mode)
        return
    got = getattr(ck, name)(a, b, mode)
    assert got.shape == expect.shape
    np.testing.assert_allclose(got, expect, atol=1e-10)
    np.testing.assert_allclose(got, getattr(ss, name)(a, b, mode=mode, method="fft"), atol=1e-9)


def test_worked_example_convolution_vs_correlation():
    f, g = [1, 2, 3], [0, 1, 0.5]
    np.testing.assert_allclose(ck.convolve(f, g), [0, 1, 2.5, 4, 1.5])
    # the "3.5 at 0" of a source note is the correlation at lag 0
    corr = ck.correlate(f, g)
    assert corr[len(g) - 1] == 3.5


def test_uint8_does_not_wrap():
    img = np.full((5, 5), 250, np.uint8)
    out = ck.correlate(img, np.ones((3, 3), np.uint8), "valid")
    assert out.dtype == np.float64 and out.max() == 2250


def test_float32_stays_float32():
    a = rng.standard_normal((20, 20)).astype(np.float32)
    assert ck.convolve(a, a[:3, :3], "same").dtype == np.float32


def test_commutative_full_convolution():
    a, b = rng.standard_normal(9), rng.standard_normal(4)
    np.testing.assert_allclose(ck.convolve(a, b), ck.convolve(b, a), atol=1e-12)
