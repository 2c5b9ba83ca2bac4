"""Canny edge detection step by step: worked synthetic images, each step's defining property,
hysteresis against a breadth-first flood fill, and the gradient against scipy.ndimage."""
from collections import deque

import numpy as np
import pytest
import scipy.ndimage as ndi

import convkit as ck
from convkit import edges as E
from convkit import kernels as K


def square(n=64, lo=20, hi=44, bright=1.0):
    x = np.zeros((n, n))
    x[lo:hi, lo:hi] = bright
    return x


def ring(lo, hi, n):
    """The border pixels of the square [lo, hi) x [lo, hi) in an n x n image."""
    r = np.zeros((n, n), dtype=bool)
    r[lo:hi, lo:hi] = True
    r[lo + 1:hi - 1, lo + 1:hi - 1] = False
    return r


def flood_fill(strong, weak):
    """Breadth-first search from every strong pixel through strong|weak, 8-connectivity."""
    allowed = strong | weak
    H, W = strong.shape
    seen = strong.copy()
    queue = deque(zip(*np.nonzero(strong)))
    while queue:
        r, c = queue.popleft()
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rr, cc = r + dr, c + dc
                if 0 <= rr < H and 0 <= cc < W and allowed[rr, cc] and not seen[rr, cc]:
                    seen[rr, cc] = True
                    queue.append((rr, cc))
    return seen


# --- worked synthetic images ------------------------------------------------------------------

def test_bright_square_gives_its_one_pixel_outline():
    steps = E.canny(square())
    # a closed contour, one pixel wide, exactly on the square's own border pixels
    assert np.array_equal(steps.edges, ring(20, 44, 64))
    # flat regions (inside the square and the background) have no edges
    assert not steps.edges[:19].any() and not steps.edges[22:42, 22:42].any()


def test_square_contour_is_closed():
    """The inside cannot be reached from the outside through non-edge pixels (4-connected)."""
    edges = E.canny(square(40, 12, 28)).edges
    labels, _ = ndi.label(~edges)          # default structure: 4-connectivity
    assert labels[0, 0] != labels[20, 20]
    assert ndi.label(edges, structure=np.ones((3, 3)))[1] == 1   # one 8-connected contour


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_square_outline_does_not_depend_on_dtype_or_scale(dtype):
    x = square(bright=200).astype(dtype)
    assert np.array_equal(E.canny(x).edges, ring(20, 44, 64))


def test_vertical_step():
    x = np.zeros((20, 32))
    x[:, 16:] = 1.0                              # brighter to the right
    steps = E.canny(x)
    assert steps.gx.min() > -1e-12 and steps.gx[:, 15:17].min() > 1   # up to rounding
    assert np.abs(steps.gy).max() < 1e-12                    # rows are identical
    assert np.allclose(steps.angle[steps.magnitude > 1e-6], 0)
    cols = np.flatnonzero(steps.edges.any(axis=0))
    assert cols.tolist() == [16]                 # one column, on the bright side
    assert steps.edges[1:-1, 16].all()           # every row but the suppressed border


def test_horizontal_step_points_down():
    """gy > 0 where brightness increases downwards: the angle is +90 degrees."""
    x = np.zeros((32, 20))
    x[16:] = 1.0
    steps = E.canny(x)
    assert steps.gy.min() > -1e-12 and np.abs(steps.gx).max() < 1e-12
    assert np.allclose(steps.angle[steps.magnitude > 1e-6], np.pi / 2)
    assert np.flatnonzero(steps.edges.any(axis=1)).tolist() == [16]


def test_diagonal_step_uses_the_down_right_neighbours():
    """Brighter towards down-right: gradient at +45 degrees (y down). Comparing with the
    up-right/down-left neighbours instead (the y-up mistake) would keep a thick band."""
    n = 32
    i, j = np.indices((n, n))
    x = (i + j > n).astype(float)
    steps = E.canny(x)
    inner = (slice(4, -4), slice(4, -4))
    strong_grad = steps.magnitude[inner] > 0.5 * steps.magnitude.max()
    assert np.allclose(steps.angle[inner][strong_grad], np.pi / 4, atol=0.01)
    kept = steps.edges[inner]
    diag = (i + j)[inner][kept]
    assert set(diag.tolist()) <= {n, n + 1}      # the two diagonals at the step, no more
    assert kept.sum() <= 2 * (n - 8)


def test_noise_with_high_thresholds_has_no_edges():
    rng = np.random.default_rng(0)
    x = 0.5 + 0.01 * rng.standard_normal((64, 64))
    steps = E.canny(x, low=0.5, high=1.0, relative=False)
    assert steps.magnitude.max() < 0.5
    assert not steps.edges.any() and not steps.strong.any() and not steps.weak.any()


def test_flat_image_has_no_edges():
    steps = E.canny(np.full((16, 16), 0.7))
    assert np.allclose(steps.smoothed, 0.7)
    for mask in (steps.strong, steps.weak, steps.edges):
        assert not mask.any()


# --- 1. smoothing -----------------------------------------------------------------------------

def test_smooth_of_an_impulse_is_the_gaussian_kernel():
    x = np.zeros((21, 21))
    x[10, 10] = 1.0
    y = E.smooth(x)                                   # default size 2*ceil(3*1.4)+1 = 11
    assert y.shape == x.shape
    assert np.allclose(y[5:16, 5:16], K.gaussian(11, 1.4))
    assert np.allclose(E.smooth(x, sigma=1.0)[7:14, 7:14], K.gaussian(7, 1.0))
    assert np.allclose(E.smooth(x, sigma=1.0, size=3)[9:12, 9:12], K.gaussian(3, 1.0))


def test_smooth_keeps_borders_bright():
    """Reflect padding: a constant image stays constant, borders included."""
    x = np.full((12, 17), 0.8)
    np.testing.assert_allclose(E.smooth(x, sigma=2.0), x, atol=1e-12)
    # zero padding would darken the corner to about a quarter
    zeros = ck.conv2d(x[None], K.gaussian(13, 2.0)[None, None], padding="same")[0]
    assert zeros[0, 0] < 0.4


def test_smooth_matches_reflect_padded_correlation():
    rng = np.random.default_rng(1)
    x = rng.random((15, 18))
    k = K.gaussian(7, 1.0)
    padded = np.pad(x, 3, mode="reflect")
    expect = ndi.correlate(padded, k, mode="constant")[3:-3, 3:-3]
    np.testing.assert_allclose(E.smooth(x, 1.0), expect, atol=1e-12)


# --- 2. gradient ------------------------------------------------------------------------------

def test_gradient_matches_scipy_sobel():
    """scipy.ndimage.sobel(axis=1) is d/dx (columns), axis=0 is d/dy (rows), same signs.
    Its default mode='reflect' repeats the edge pixel, which is our replicate padding, so
    they agree everywhere; the interior agrees whatever the padding."""
    rng = np.random.default_rng(2)
    x = rng.random((23, 31))
    gx, gy, mag, angle = E.gradient(x)
    sx, sy = ndi.sobel(x, axis=1), ndi.sobel(x, axis=0)
    np.testing.assert_allclose(gx[1:-1, 1:-1], sx[1:-1, 1:-1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gy[1:-1, 1:-1], sy[1:-1, 1:-1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, sx, atol=1e-12)
    np.testing.assert_allclose(gy, sy, atol=1e-12)
    np.testing.assert_allclose(mag, np.hypot(sx, sy), atol=1e-12)
    np.testing.assert_allclose(angle, np.arctan2(sy, sx), atol=1e-12)


def test_gradient_of_a_ramp():
    """x = 2*col + 3*row: Sobel gives 8 * slope (weights 1+2+1, difference over 2 pixels)."""
    i, j = np.indices((9, 11))
    gx, gy, mag, angle = E.gradient(2.0 * j + 3.0 * i)
    assert np.allclose(gx[1:-1, 1:-1], 16) and np.allclose(gy[1:-1, 1:-1], 24)
    assert np.allclose(angle[1:-1, 1:-1], np.arctan2(3, 2))


def test_gradient_is_correlation_not_convolution():
    """True convolution with the Sobel kernel flips the sign of gx."""
    x = np.tile(np.arange(8.0), (8, 1))
    gx = E.gradient(x)[0]
    conv = ck.convolve(x, K.sobel_x(), "valid")
    assert np.allclose(gx[1:-1, 1:-1], 8) and np.allclose(conv, -8)


# --- 3. non-maximum suppression ---------------------------------------------------------------

def _neighbours_along(mag, angle, r, c):
    """Reference, one pixel at a time: the two neighbours across the edge."""
    deg = np.degrees(angle[r, c]) % 180
    if deg < 22.5 or deg >= 157.5:
        steps = (0, 1)
    elif deg < 67.5:
        steps = (1, 1)          # +45 degrees points down-right: rows grow downwards
    elif deg < 112.5:
        steps = (1, 0)
    else:
        steps = (1, -1)
    dr, dc = steps
    return mag[r + dr, c + dc], mag[r - dr, c - dc]


@pytest.mark.parametrize("seed", range(3))
def test_nms_keeps_only_local_maxima(seed):
    rng = np.random.default_rng(seed)
    x = E.smooth(rng.random((40, 48)), sigma=1.5)
    gx, gy, mag, angle = E.gradient(x)
    thin = E.non_max_suppression(mag, angle)
    assert thin.shape == mag.shape
    kept = thin > 0
    assert np.array_equal(thin[kept], mag[kept])            # kept pixels keep their value
    border = np.ones_like(kept)
    border[1:-1, 1:-1] = False
    assert not kept[border].any()
    assert kept.sum() < 0.5 * (mag > 0).sum()               # thinner than the magnitude
    tol = 1e-12 * mag.max()
    for r, c in zip(*np.nonzero(kept)):
        a, b = _neighbours_along(mag, angle, r, c)
        assert mag[r, c] >= a - tol and mag[r, c] >= b - tol, (r, c)
    # and every strict local maximum in the interior is kept
    H, W = mag.shape
    for r in range(1, H - 1):
        for c in range(1, W - 1):
            a, b = _neighbours_along(mag, angle, r, c)
            if mag[r, c] > max(a, b) + tol:
                assert kept[r, c], (r, c)


def test_nms_tie_goes_to_the_brighter_side():
    """Unsmoothed step between columns 3 and 4: gx = [0, 0, 4, 4, 0, 0] is a two-pixel
    plateau; only the pixel on the bright side survives."""
    for bright_right in (True, False):
        x = np.zeros((6, 8))
        if bright_right:
            x[:, 4:] = 1
        else:
            x[:, :4] = 1
        gx, gy, mag, angle = E.gradient(x)
        assert mag[2, 3] == mag[2, 4] == 4
        thin = E.non_max_suppression(mag, angle)
        expect_col = 4 if bright_right else 3
        assert np.flatnonzero(thin.any(axis=0)).tolist() == [expect_col]


def test_nms_small_images_are_all_border():
    assert not E.non_max_suppression(np.ones((2, 5)), np.zeros((2, 5))).any()


# --- 4. double threshold ----------------------------------------------------------------------

def test_double_threshold_absolute_and_relative():
    thin = np.array([[0.0, 0.1, 0.2, 0.3], [0.4, 0.5, 0.6, 1.0]])
    strong, weak = E.double_threshold(thin, 0.2, 0.5)
    assert strong.tolist() == [[False, False, False, False], [False, True, True, True]]
    assert weak.tolist() == [[False, False, True, True], [True, False, False, False]]
    assert not (strong & weak).any()
    s2, w2 = E.double_threshold(2 * thin, 0.2, 0.5, relative=True)    # max 2: 0.4 and 1.0
    assert np.array_equal(s2, strong) and np.array_equal(w2, weak)


def test_suppressed_pixels_are_never_candidates():
    thin = np.array([[0.0, 0.0], [0.0, 1.0]])
    strong, weak = E.double_threshold(thin, 0, 0)
    assert strong.tolist() == [[False, False], [False, True]] and not weak.any()


@pytest.mark.parametrize("low, high, relative, match", [
    (-0.1, 0.3, False, r"low=-0\.1"),
    (0.1, -0.3, False, r"high=-0\.3"),
    (0.5, 0.3, False, r"low=0\.5 is greater than high=0\.3"),
    (0.1, 1.5, True, r"high=1\.5.*fraction"),
    (float("nan"), 0.3, False, r"low=nan"),
    (0.1, float("inf"), False, r"high=inf"),
])
def test_threshold_validation(low, high, relative, match):
    with pytest.raises(ValueError, match=match):
        E.double_threshold(np.ones((4, 4)), low, high, relative=relative)


def test_threshold_types():
    with pytest.raises(TypeError, match="low"):
        E.double_threshold(np.ones((4, 4)), "0.1", 0.3)
    with pytest.raises(TypeError, match="high"):
        E.double_threshold(np.ones((4, 4)), 0.1, True)
    with pytest.raises(ValueError, match="low=0.4 is greater than high=0.2"):
        E.canny(square(), low=0.4, high=0.2)


# --- 5. hysteresis ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("density", [0.3, 0.45, 0.6])
def test_hysteresis_equals_flood_fill(seed, density):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(5, 60)), int(rng.integers(5, 60)))
    weak = rng.random(shape) < density
    strong = rng.random(shape) < 0.02
    if seed % 2:                                    # disjoint, as from double_threshold;
        weak &= ~strong                             # overlapping masks are allowed too
    assert np.array_equal(E.hysteresis(strong, weak), flood_fill(strong, weak))


def test_hysteresis_follows_a_long_serpentine():
    """A one-pixel zigzag of weak pixels with one strong end: hundreds of rounds, exact."""
    n = 41
    path = np.zeros((n, n), dtype=bool)
    path[::2] = True                                # every other row ...
    path[1::4, -1] = True                           # ... joined at the right end
    path[3::4, 0] = True                            # ... and at the left end
    strong = np.zeros_like(path)
    strong[0, 0] = True
    assert np.array_equal(flood_fill(strong, path), path)
    assert np.array_equal(E.hysteresis(strong, path), path)
    cut = path.copy()
    cut[20, 5] = False                              # break the chain: the rest is lost
    edges = E.hysteresis(strong, cut)
    assert np.array_equal(edges, flood_fill(strong, cut)) and not edges[21:].any()


def test_hysteresis_diagonal_connectivity_and_isolated_weak():
    strong = np.zeros((5, 5), dtype=bool)
    weak = np.zeros((5, 5), dtype=bool)
    strong[0, 0] = True
    weak[1, 1] = weak[2, 2] = True    # diagonal chain: 8-connected
    weak[4, 0] = True                 # isolated: dropped
    edges = E.hysteresis(strong, weak)
    assert np.flatnonzero(edges).tolist() == [0, 6, 12]


def test_dilation_is_a_3x3_max_pool():
    rng = np.random.default_rng(5)
    mask = rng.random((17, 23)) < 0.1
    pooled = ck.max_pool2d(mask.astype(float)[None], 3, stride=1, padding=1)[0] > 0
    assert np.array_equal(E._dilate(mask), pooled)


def test_hysteresis_validation():
    with pytest.raises(TypeError, match="strong must be a boolean"):
        E.hysteresis(np.ones((3, 3)), np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"weak has shape \(3, 4\)"):
        E.hysteresis(np.ones((3, 3), dtype=bool), np.ones((3, 4), dtype=bool))


# --- input validation, determinism, real photo ------------------------------------------------

@pytest.mark.parametrize("image, exc, match", [
    (np.zeros((3, 8, 8)), ValueError, r"image has shape \(3, 8, 8\).*2-D"),
    (np.zeros(8), ValueError, r"image has shape \(8,\).*2-D"),
    (np.zeros((8, 8), complex), TypeError, "image is complex"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "image must be a real numeric array"),
    (np.full((8, 8), np.nan), ValueError, "image .* contains NaN"),
])
def test_image_validation(image, exc, match):
    with pytest.raises(exc, match=match):
        E.canny(image)


@pytest.mark.parametrize("sigma, exc", [(0, ValueError), (-1.0, ValueError),
                                        (float("nan"), ValueError), ("big", TypeError)])
def test_sigma_must_be_positive(sigma, exc):
    with pytest.raises(exc, match="sigma"):
        E.canny(square(), sigma=sigma)


def test_image_too_small_for_reflect_padding():
    with pytest.raises(ValueError, match=r"image has shape \(5, 5\).*smaller sigma or size"):
        E.smooth(np.zeros((5, 5)))                   # 11x11 kernel, needs 6 pixels
    assert E.smooth(np.zeros((6, 6))).shape == (6, 6)


def test_canny_is_deterministic_and_leaves_input_alone():
    x = ck.data.photo(size=64)
    before = x.copy()
    a, b = E.canny(x), E.canny(x)
    assert np.array_equal(x, before)
    assert a._fields == ("smoothed", "gx", "gy", "magnitude", "angle", "thin", "strong",
                         "weak", "edges")
    for name, u, v in zip(a._fields, a, b):
        assert u.shape == x.shape, name
        assert np.array_equal(u, v), name
    assert a.edges.dtype == a.strong.dtype == a.weak.dtype == bool


def test_canny_steps_compose():
    x = ck.data.photo(size=48)
    steps = E.canny(x, sigma=2.0, low=0.05, high=0.2)
    assert np.array_equal(steps.smoothed, E.smooth(x, 2.0))
    assert np.array_equal(steps.thin, E.non_max_suppression(steps.magnitude, steps.angle))
    assert np.array_equal(steps.edges, E.hysteresis(steps.strong, steps.weak))
    assert (steps.edges >= steps.strong).all() and (steps.edges <= steps.strong | steps.weak).all()


def test_photo_edge_fraction():
    steps = E.canny(ck.data.photo(size=128))
    fraction = steps.edges.mean()
    assert 0.01 < fraction < 0.30
    assert steps.edges.sum() < (steps.magnitude > 0.05 * steps.magnitude.max()).sum()
