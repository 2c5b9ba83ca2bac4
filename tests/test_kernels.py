"""Classic kernels: their defining identities, and the parser for typed kernels."""
import numpy as np
import pytest

from convkit import kernels as K


def test_all_kernels_are_float64_arrays():
    for name, make in K.GALLERY.items():
        k = make()
        assert isinstance(k, np.ndarray) and k.dtype == np.float64 and k.ndim == 2, name
        assert k.shape[0] % 2 == 1 and k.shape[1] % 2 == 1, name


@pytest.mark.parametrize("make, total", [
    (K.identity, 1), (K.box, 1), (K.binomial, 1), (K.gaussian, 1), (K.sharpen, 1),
    (K.unsharp_mask, 1), (K.emboss, 1), (K.laplacian, 0), (K.outline, 0),
    (K.sobel_x, 0), (K.sobel_y, 0), (K.prewitt_x, 0), (K.prewitt_y, 0),
    (K.scharr_x, 0), (K.scharr_y, 0),
])
def test_weights_sum(make, total):
    """Blurs and sharpeners keep flat regions (sum 1); edge detectors zero them (sum 0)."""
    assert np.isclose(make().sum(), total)


def test_identity_and_box():
    assert np.array_equal(K.identity(), [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert K.identity(5)[2, 2] == 1 and K.identity(5).sum() == 1
    assert np.allclose(K.box(3), np.full((3, 3), 1 / 9))
    assert K.box((2, 4)).shape == (2, 4) and np.allclose(K.box((2, 4)), 1 / 8)


def test_binomial_is_the_kernel_notes_call_gaussian():
    assert np.array_equal(K.binomial(3) * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert np.array_equal(K.binomial(5)[2] * 256, [6, 24, 36, 24, 6])
    assert not np.allclose(K.binomial(3), K.box(3))


def test_gaussian_is_sampled_and_symmetric():
    g = K.gaussian(5, 1.0)
    assert g.shape == (5, 5)
    assert np.allclose(g, g.T) and np.allclose(g, g[::-1, ::-1])
    assert g.argmax() == 12                            # the centre
    assert np.isclose(g[2, 3] / g[2, 2], np.exp(-0.5))  # one sigma from the centre
    assert np.isclose(g[3, 3] / g[2, 2], np.exp(-1.0))  # (1, 1) is sqrt(2) sigma away


def test_laplacian_has_negative_centre():
    assert np.array_equal(K.laplacian(4), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    assert np.array_equal(K.laplacian(8), [[1, 1, 1], [1, -8, 1], [1, 1, 1]])
    assert np.array_equal(K.outline(), -K.laplacian(8))


def test_sharpen_is_identity_minus_laplacian():
    assert np.array_equal(K.sharpen(), K.identity() - K.laplacian(4))
    assert np.array_equal(K.sharpen(), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


def test_unsharp_mask():
    assert np.array_equal(K.unsharp_mask(amount=0), K.identity(5))
    k = K.unsharp_mask(amount=2.0, size=3, sigma=0.8)
    assert np.allclose(k, K.identity(3) + 2.0 * (K.identity(3) - K.gaussian(3, 0.8)))
    assert not np.allclose(K.unsharp_mask(size=3), K.sharpen())


def test_derivative_kernels():
    assert np.array_equal(K.sobel_x(), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert np.array_equal(K.sobel_y(), K.sobel_x().T)
    assert np.array_equal(K.prewitt_x(), [[-1, 0, 1]] * 3)
    assert np.array_equal(K.prewitt_y(), K.prewitt_x().T)
    assert np.array_equal(K.scharr_x(), [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]])
    assert np.array_equal(K.scharr_y(), K.scharr_x().T)
    assert np.array_equal(K.emboss(), [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])


def test_kernels_are_fresh_copies():
    k = K.sobel_x()
    k[0, 0] = 99
    assert K.sobel_x()[0, 0] == -1


@pytest.mark.parametrize("call, exc, words", [
    (lambda: K.identity(4), ValueError, "size=4"),
    (lambda: K.identity(0), ValueError, "size=0"),
    (lambda: K.identity(3.0), TypeError, "size=3.0"),
    (lambda: K.gaussian(3, 0), ValueError, "sigma=0"),
    (lambda: K.gaussian(3, "wide"), TypeError, "sigma='wide'"),
    (lambda: K.gaussian(6, 1.0), ValueError, "odd"),
    (lambda: K.unsharp_mask(size=2), ValueError, "size=2"),
    (lambda: K.laplacian(6), ValueError, "neighbours=6"),
    (lambda: K.box((3, 0)), ValueError, "size"),
    (lambda: K.box(True), TypeError, "size=True"),
])
def test_argument_errors_name_the_parameter(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


# --- parse_kernel -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 2 1; 2 4 2; 1 2 1", [[1, 2, 1], [2, 4, 2], [1, 2, 1]]),
    ("0,-1,0\n-1,5,-1\n0,-1,0\n", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    ("1/16, 2/16\n -2/8 , 0.5", [[1 / 16, 2 / 16], [-0.25, 0.5]]),
    ("  1e-1  +2.5 .5  \n\n 3. -0 7 ", [[0.1, 2.5, 0.5], [3, 0, 7]]),
    ("42", [[42]]),
])
def test_parse_kernel_good(text, expected):
    k = K.parse_kernel(text)
    assert k.dtype == np.float64 and k.ndim == 2
    assert np.allclose(k, expected)


def test_parse_kernel_round_trips_the_sharpen_kernel():
    assert np.array_equal(K.parse_kernel("0 -1 0; -1 5 -1; 0 -1 0"), K.sharpen())


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    (" ;\n ; ", "empty"),
    ("1 2; 3", "row '3'"),
    ("__import__('os')", "__import__"),
    ("1 2 x", "'x'"),
    ("1/0", "divides by zero"),
    ("1e999", "finite"),
    ("nan 1", "'nan'"),
    ("inf", "'inf'"),
    ("2**3", r"'2\*\*3'"),
    ("1/-2", "'1/-2'"),
    ("[1, 2]", r"'\[1'"),
])
def test_parse_kernel_bad(text, words):
    with pytest.raises(ValueError, match=words) as info:
        K.parse_kernel(text)
    assert "text" in str(info.value)


def test_parse_kernel_needs_a_string():
    with pytest.raises(TypeError, match="text"):
        K.parse_kernel([[1, 2]])
