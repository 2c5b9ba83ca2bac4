"""Canny edge detection, one public function per step, so every intermediate can be shown.

=========================  ===================================================  ==============
step                       function                                             output
=========================  ===================================================  ==============
1. smooth                  :func:`smooth` (Gaussian, ``conv2d``, reflect pad)   float (H, W)
2. gradient                :func:`gradient` (Sobel, ``conv2d``, replicate pad)  4 x float (H, W)
3. thin                    :func:`non_max_suppression`                          float (H, W)
4. two thresholds          :func:`double_threshold`                             2 x bool (H, W)
5. connect                 :func:`hysteresis`                                   bool (H, W)
all of them                :func:`canny`                                        :class:`CannySteps`
=========================  ===================================================  ==============

Conventions: ``image[row, col]`` with rows growing *downwards* and columns to the right.
``gx`` is positive where brightness increases to the right, ``gy`` where it increases
downwards (the Sobel kernels of :mod:`convkit.kernels` applied by cross-correlation, which is
what :func:`convkit.conv2d` computes). The angle ``arctan2(gy, gx)`` is therefore measured
clockwise on screen: 90 degrees points *down*.

NumPy only: every convolution is :func:`convkit.conv2d`; the other steps are vectorised
array operations (no Python loop over pixels).

See Also
--------
Book chapter: ``book/conv2d.ipynb``.
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from . import kernels
from ._args import as_array
from ._conv import conv2d

__all__ = ["smooth", "gradient", "non_max_suppression", "double_threshold", "hysteresis",
           "canny", "CannySteps"]


class CannySteps(NamedTuple):
    """Every intermediate of :func:`canny`, each an array of shape (H, W).

    Attributes
    ----------
    smoothed : ndarray of float
        The Gaussian-smoothed image (:func:`smooth`).
    gx, gy : ndarray of float
        Sobel derivatives; ``gx > 0`` where brightness increases to the right, ``gy > 0``
        where it increases downwards (:func:`gradient`).
    magnitude : ndarray of float
        ``hypot(gx, gy)``.
    angle : ndarray of float
        ``arctan2(gy, gx)`` in radians, in (-pi, pi].
    thin : ndarray of float
        The magnitude after non-maximum suppression (0 where suppressed).
    strong, weak : ndarray of bool
        Pixels above the high threshold, and between the low and the high one.
    edges : ndarray of bool
        The result: strong pixels and the weak pixels connected to them.
    """

    smoothed: np.ndarray
    gx: np.ndarray
    gy: np.ndarray
    magnitude: np.ndarray
    angle: np.ndarray
    thin: np.ndarray
    strong: np.ndarray
    weak: np.ndarray
    edges: np.ndarray


# --- argument checks --------------------------------------------------------------------------

def _image(x, name="image"):
    """A 2-D real floating array with finite values (int and bool input become float64)."""
    a = as_array(x, name)
    if a.ndim != 2:
        raise ValueError(f"{name} has shape {a.shape} ({a.ndim} dimensions); Canny needs a 2-D "
                         "greyscale image (H, W). For a colour photo use "
                         "convkit.data.photo(grey=True) or average the channels")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} (shape {a.shape}) contains NaN or inf; all values must be "
                         "finite")
    return a


def _mask(x, name, shape=None):
    a = np.asarray(x)
    if a.dtype != np.bool_:
        raise TypeError(f"{name} must be a boolean array (H, W), as returned by "
                        f"double_threshold; got dtype {a.dtype}")
    if a.ndim != 2:
        raise ValueError(f"{name} has shape {a.shape}; it must be 2-D (H, W)")
    if shape is not None and a.shape != shape:
        raise ValueError(f"{name} has shape {a.shape} but the first mask has shape {shape}; "
                         "both must have the same shape")
    return a


def _threshold(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={value!r} must be a real number >= 0")
    value = float(value)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name}={value!r} is not allowed; {name} must be a finite number >= 0")
    return value


# --- 1. smoothing -----------------------------------------------------------------------------

def smooth(image, sigma=1.4, size=None):
    """Gaussian smoothing with :func:`convkit.conv2d`; borders padded by reflection.

    Reflect padding (PyTorch's ``'reflect'``: ``d c b | a b c d | c b a``) keeps the
    borders at their brightness; zero padding would darken them and create false edges
    along the frame.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Greyscale image, real and finite. float32 stays float32; integers and bool are
        computed in float64.
    sigma : float
        Standard deviation of the Gaussian in pixels, > 0.
    size : int, optional
        Kernel size, positive and odd. Default ``2 * ceil(3 * sigma) + 1``, which keeps
        the Gaussian out to three standard deviations. Reflection needs
        ``size // 2 < min(H, W)``.

    Returns
    -------
    smoothed : ndarray, shape (H, W)

    See Also
    --------
    convkit.kernels.gaussian, convkit.conv2d
    book/conv2d.ipynb
    """
    x = _image(image)
    sigma = kernels._positive_float(sigma, "sigma")
    if size is None:
        size = 2 * math.ceil(3 * sigma) + 1
    size = kernels._odd_size(size)
    if size // 2 >= min(x.shape):
        raise ValueError(f"image has shape {x.shape}, too small for a {size}x{size} Gaussian "
                         f"(sigma={sigma}) with reflect padding, which needs size // 2 = "
                         f"{size // 2} < {min(x.shape)}; pass a smaller sigma or size")
    k = kernels.gaussian(size, sigma)
    return conv2d(x[None], k[None, None], padding="same", padding_mode="reflect")[0]


# --- 2. gradient ------------------------------------------------------------------------------

def gradient(image):
    """Sobel gradient: derivatives, magnitude and direction, all the size of the image.

    One :func:`convkit.conv2d` call with two output channels, the kernels
    :func:`convkit.kernels.sobel_x` ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]`` and its
    transpose :func:`convkit.kernels.sobel_y`. ``conv2d`` is cross-correlation (the kernel
    is not flipped), so

    - ``gx > 0`` where brightness increases to the right (columns grow),
    - ``gy > 0`` where brightness increases downwards (rows grow).

    True convolution (:func:`convkit.convolve`) flips the kernels and both signs. Borders
    are padded by replication, so a border pixel has no derivative across the frame; with
    this padding ``gx`` and ``gy`` equal ``scipy.ndimage.sobel(image, axis=1)`` and
    ``axis=0`` (its default ``mode='reflect'`` repeats the edge pixel).

    Parameters
    ----------
    image : array_like, shape (H, W)
        Usually the output of :func:`smooth`.

    Returns
    -------
    gx, gy : ndarray, shape (H, W)
        Derivatives along columns (x, right) and rows (y, down).
    magnitude : ndarray, shape (H, W)
        ``hypot(gx, gy)``, >= 0.
    angle : ndarray, shape (H, W)
        ``arctan2(gy, gx)`` in radians, in (-pi, pi]; 0 points right and +pi/2 points down
        (y grows downwards), so angles turn clockwise on screen.

    See Also
    --------
    convkit.kernels.sobel_x, convkit.kernels.sobel_y, non_max_suppression
    book/conv2d.ipynb
    """
    x = _image(image)
    bank = np.stack([kernels.sobel_x(), kernels.sobel_y()])[:, None]   # (2, 1, 3, 3)
    gx, gy = conv2d(x[None], bank, padding="same", padding_mode="replicate")
    return gx, gy, np.hypot(gx, gy), np.arctan2(gy, gx)


# --- 3. non-maximum suppression ---------------------------------------------------------------

#: (row, col) step towards the neighbour "ahead" for the quantised directions 0, 45, 90 and
#: 135 degrees. Rows grow downwards, so 45 degrees (gx > 0, gy > 0) points down-right:
#: (+1, +1). Taking (-1, +1) there, as if y grew upwards, is the classic mistake.
_STEPS = ((0, 1), (1, 1), (1, 0), (1, -1))

#: Magnitudes closer than this many float epsilons (relative to the largest magnitude)
#: count as equal in non_max_suppression: rounding noise must not decide a tie.
_TIE_ULPS = 1024


def non_max_suppression(magnitude, angle):
    """Thin the edges: keep a pixel only where the magnitude peaks across the edge.

    The gradient direction is quantised to 0, 45, 90 or 135 degrees (``angle`` modulo
    180 degrees, to the nearest multiple of 45). A pixel is kept if its magnitude is
    >= both neighbours along that direction: left and right for 0 degrees, up and down
    for 90, down-right and up-left for 45, down-left and up-right for 135 (rows grow
    downwards, so 45 degrees points down-right).

    Ties decide the width of the line. A step that falls exactly between two pixels
    gives them equal magnitudes, and keeping both would draw a line two pixels wide. So
    the pixel must be strictly greater than its neighbour *up* the gradient (towards
    the brighter side) and >= the one down it: of two equal pixels the brighter-side
    one wins, and the outline of a bright shape lies on the shape's own border pixels.
    Magnitudes that differ by only rounding noise (``1024 * eps * magnitude.max()``)
    count as equal.

    Parameters
    ----------
    magnitude : array_like, shape (H, W)
        Gradient magnitude, >= 0 (:func:`gradient`).
    angle : array_like, shape (H, W)
        Gradient direction ``arctan2(gy, gx)`` in radians, pointing to brighter pixels.

    Returns
    -------
    thin : ndarray, shape (H, W)
        ``magnitude`` where kept, 0 elsewhere. The one-pixel border is 0 (its
        neighbours are not all known).

    Notes
    -----
    With only four directions, a 45-degree step edge keeps two neighbouring diagonals
    (a staircase): their pixels are compared with the diagonals two steps away, not
    with each other. Interpolating the magnitude between neighbours (as scikit-image
    does) avoids this at some cost in simplicity.

    See Also
    --------
    gradient, double_threshold
    book/conv2d.ipynb
    """
    m = _image(magnitude, "magnitude")
    a = _image(angle, "angle")
    if a.shape != m.shape:
        raise ValueError(f"angle has shape {a.shape} but magnitude has shape {m.shape}; "
                         "they must have the same shape")
    H, W = m.shape
    thin = np.zeros_like(m)
    if H < 3 or W < 3:
        return thin
    tol = _TIE_ULPS * np.finfo(m.dtype).eps * float(m.max())
    centre = m[1:-1, 1:-1]
    # k: angle rounded to a multiple of 45 degrees, -4..4. sector k % 4 picks the step;
    # the gradient points along +step for k in 0..3 and along -step otherwise.
    k = np.rint(a[1:-1, 1:-1] * (4 / np.pi)).astype(np.intp)
    sector = k % 4
    along = (k >= 0) & (k <= 3)
    keep = np.zeros(centre.shape, dtype=bool)
    for s, (dr, dc) in enumerate(_STEPS):
        ahead = m[1 + dr:H - 1 + dr, 1 + dc:W - 1 + dc]
        behind = m[1 - dr:H - 1 - dr, 1 - dc:W - 1 - dc]
        uphill = np.where(along, ahead, behind)
        downhill = np.where(along, behind, ahead)
        keep |= (sector == s) & (centre > uphill + tol) & (centre >= downhill - tol)
    thin[1:-1, 1:-1] = np.where(keep, centre, 0)
    return thin


# --- 4. double threshold ----------------------------------------------------------------------

def double_threshold(thin, low, high, relative=False):
    """Split the thinned magnitude into strong and weak edge pixels.

    ``strong = thin >= high`` and ``weak = low <= thin < high``; pixels suppressed to 0
    are never candidates, whatever the thresholds.

    Parameters
    ----------
    thin : array_like, shape (H, W)
        Output of :func:`non_max_suppression`.
    low, high : float
        Thresholds with ``0 <= low <= high``, in the units of ``thin`` (absolute values)
        unless ``relative``.
    relative : bool
        If True, ``low`` and ``high`` are fractions of ``thin.max()`` and must also be
        <= 1 (a common mistake is passing absolute values or percentages here).

    Returns
    -------
    strong, weak : ndarray of bool, shape (H, W)
        Disjoint masks.

    Raises
    ------
    ValueError
        If a threshold is negative or not finite, ``low > high``, or, with
        ``relative``, ``high > 1``. The message names the parameter and its value.

    See Also
    --------
    hysteresis
    book/conv2d.ipynb
    """
    t = _image(thin, "thin")
    low = _threshold(low, "low")
    high = _threshold(high, "high")
    if low > high:
        raise ValueError(f"low={low!r} is greater than high={high!r}; need 0 <= low <= high")
    if relative:
        if high > 1:
            raise ValueError(f"high={high!r} is a fraction of thin.max() (relative=True) and "
                             "must be <= 1; pass relative=False for absolute thresholds")
        peak = float(t.max())
        low, high = low * peak, high * peak
    candidate = t > 0
    strong = candidate & (t >= high)
    weak = candidate & (t >= low) & ~strong
    return strong, weak


# --- 5. hysteresis ----------------------------------------------------------------------------

def _dilate(mask):
    """3x3 binary dilation (8-connectivity), the same as
    ``max_pool2d(mask[None], 3, stride=1, padding=1)[0] > 0``, with shifted slices."""
    rows = mask.copy()
    rows[1:] |= mask[:-1]
    rows[:-1] |= mask[1:]
    out = rows.copy()
    out[:, 1:] |= rows[:, :-1]
    out[:, :-1] |= rows[:, 1:]
    return out


def hysteresis(strong, weak):
    """Edges: the strong pixels plus every weak pixel 8-connected to one through weak pixels.

    Computed by geodesic dilation: start from ``strong`` and repeatedly dilate by a 3x3
    square (a 3x3 max pool with stride 1, as :func:`convkit.max_pool2d` computes it),
    keeping only pixels of ``strong | weak``, until nothing changes. Each round adds the
    pixels one step further along a chain, so it stops after at most as many rounds as
    the longest chain of weak pixels, and the result is exactly a flood fill from the
    strong pixels. Natural images need a few tens of rounds; a maze-like mask (one long
    winding chain) needs as many rounds as the chain has pixels.

    Parameters
    ----------
    strong, weak : ndarray of bool, shape (H, W)
        From :func:`double_threshold`. They may overlap.

    Returns
    -------
    edges : ndarray of bool, shape (H, W)

    See Also
    --------
    double_threshold, convkit.max_pool2d
    book/conv2d.ipynb
    """
    strong = _mask(strong, "strong")
    weak = _mask(weak, "weak", strong.shape)
    allowed = strong | weak
    edges = strong.copy()
    count = int(edges.sum())
    while True:
        edges = _dilate(edges)
        edges &= allowed
        new = int(edges.sum())
        if new == count:        # edges only grow, so an unchanged count means no change
            return edges
        count = new


# --- all steps --------------------------------------------------------------------------------

def canny(image, sigma=1.4, low=0.1, high=0.3, relative=True):
    """Canny edge detection, returning every intermediate step.

    ``smooth -> gradient -> non_max_suppression -> double_threshold -> hysteresis``.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Greyscale image, real and finite (e.g. ``convkit.data.photo(grey=True)``).
    sigma : float
        Standard deviation of the Gaussian smoothing in pixels, > 0.
    low, high : float
        Hysteresis thresholds, ``0 <= low <= high``; fractions of the largest thinned
        magnitude if ``relative`` (the default), else absolute magnitudes.
    relative : bool
        Whether ``low`` and ``high`` are fractions of ``thin.max()`` (see
        :func:`double_threshold`).

    Returns
    -------
    steps : CannySteps
        ``(smoothed, gx, gy, magnitude, angle, thin, strong, weak, edges)``, each of
        shape (H, W); ``steps.edges`` is the edge map.

    See Also
    --------
    smooth, gradient, non_max_suppression, double_threshold, hysteresis
    book/conv2d.ipynb

    Examples
    --------
    >>> import numpy as np
    >>> from convkit.edges import canny
    >>> square = np.zeros((16, 16)); square[4:12, 4:12] = 1
    >>> steps = canny(square, sigma=1.0)
    >>> steps.edges[8].nonzero()[0].tolist()   # one pixel per side in a middle row
    [4, 11]
    """
    smoothed = smooth(image, sigma)
    gx, gy, magnitude, angle = gradient(smoothed)
    thin = non_max_suppression(magnitude, angle)
    strong, weak = double_threshold(thin, low, high, relative=relative)
    edges = hysteresis(strong, weak)
    return CannySteps(smoothed, gx, gy, magnitude, angle, thin, strong, weak, edges)
