"""Classic image kernels, and a parser for kernels typed by a reader.

Every function returns a new float64 array. The kernels are meant for
cross-correlation (what :func:`convkit.conv2d` and deep-learning libraries
compute). For the symmetric kernels (box, Gaussian, Laplacian, sharpen) it makes
no difference; for the antisymmetric ones (Sobel, Prewitt, Scharr, emboss) true
convolution flips the kernel, which flips the sign of the response.

Naming pitfalls, found in our source notes and in many tutorials:

- ``[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]`` is often called an "unsharp mask".
  It is :func:`sharpen`, identity minus the discrete Laplacian. A true unsharp
  mask (:func:`unsharp_mask`) subtracts a *Gaussian-blurred* copy.
- ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16`` is often called "the 3x3 Gaussian".
  It is the binomial approximation (:func:`binomial`); :func:`gaussian` samples
  the Gaussian itself. Neither is a box blur: :func:`box` is uniform.
- A "Laplacian" with +4 at the centre is minus the Laplacian. Here
  :func:`laplacian` is the discrete :math:`\\nabla^2` and has a negative centre.

See Also
--------
Book chapter: ``conv2d.ipynb`` (2D convolution and image kernels).
"""
import math
import re

import numpy as np

from ._args import as_int

__all__ = [
    "identity", "box", "binomial", "gaussian", "laplacian", "sharpen", "unsharp_mask",
    "sobel_x", "sobel_y", "prewitt_x", "prewitt_y", "scharr_x", "scharr_y", "emboss",
    "outline", "GALLERY", "parse_kernel",
]


# --- argument checks --------------------------------------------------------------------------

def _positive_int(value, name):
    return as_int(value, name, minimum=1)


def _odd_size(size, name="size"):
    size = _positive_int(size, name)
    if size % 2 == 0:
        raise ValueError(f"{name}={size!r} must be a positive odd int (3, 5, 7, ...) so that "
                         "the kernel has a centre")
    return size


def _positive_float(value, name):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}={value!r} must be a positive number") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name}={value!r} must be a positive finite number")
    return value


# --- smoothing --------------------------------------------------------------------------------

def identity(size=3):
    """Identity kernel: 1 at the centre, 0 elsewhere; leaves an image unchanged.

    Parameters
    ----------
    size : int
        Positive and odd.

    Returns
    -------
    k : ndarray, shape (size, size)
    """
    size = _odd_size(size)
    k = np.zeros((size, size))
    k[size // 2, size // 2] = 1.0
    return k


def box(size=3):
    """Box (mean) blur: every weight ``1 / (h w)``, so the weights sum to 1.

    A box blur is uniform. The kernel ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16`` that some
    notes call a box or Gaussian kernel is :func:`binomial`.

    Parameters
    ----------
    size : int or (int, int)
        ``size`` gives a square kernel, ``(h, w)`` a rectangle; any positive sizes.

    Returns
    -------
    k : ndarray, shape (size, size) or (h, w)
    """
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"size={size!r} must be an int or a pair (h, w)")
        h, w = (_positive_int(v, "size") for v in size)
    else:
        h = w = _positive_int(size, "size")
    return np.full((h, w), 1.0 / (h * w))


def binomial(size=3):
    """Binomial blur: the outer product of a row of Pascal's triangle, normalised to sum 1.

    ``binomial(3)`` is ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]] / 16`` and ``binomial(5)`` the
    familiar ``/ 256`` kernel. Notes often call these "the Gaussian kernel"; they
    approximate a Gaussian with variance ``(size - 1) / 4`` but are not samples of one
    (see :func:`gaussian`).

    Parameters
    ----------
    size : int
        Positive and odd.

    Returns
    -------
    k : ndarray, shape (size, size)
    """
    size = _odd_size(size)
    row = np.array([math.comb(size - 1, i) for i in range(size)], dtype=np.float64)
    return np.outer(row, row) / row.sum() ** 2


def gaussian(size=5, sigma=1.0):
    r"""Sampled Gaussian blur, normalised so the weights sum to 1.

    .. math:: k[i, j] \propto \exp\!\left(-\frac{i^2 + j^2}{2 \sigma^2}\right),
              \quad i, j = -\tfrac{size-1}{2}, \dots, \tfrac{size-1}{2}

    Parameters
    ----------
    size : int
        Positive and odd; about ``6 sigma`` keeps the tails.
    sigma : float
        Standard deviation in pixels, > 0.

    Returns
    -------
    k : ndarray, shape (size, size)

    See Also
    --------
    binomial : the integer approximation notes often call "the Gaussian kernel".
    """
    size = _odd_size(size)
    sigma = _positive_float(sigma, "sigma")
    r = np.arange(size) - size // 2
    k = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2 * sigma ** 2))
    return k / k.sum()


# --- sharpening and second derivatives --------------------------------------------------------

def laplacian(neighbours=4):
    r"""Discrete Laplacian :math:`\nabla^2 = \partial_x^2 + \partial_y^2`; the centre is negative.

    ``neighbours=4``: ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``;
    ``neighbours=8`` (diagonals too): ``[[1, 1, 1], [1, -8, 1], [1, 1, 1]]``.
    The weights sum to 0, so flat regions give 0. The versions with +4 or +8 at the centre
    that many notes print are :math:`-\nabla^2` (``outline()`` is ``-laplacian(8)``).

    Parameters
    ----------
    neighbours : {4, 8}

    Returns
    -------
    k : ndarray, shape (3, 3)
    """
    if neighbours == 4 and not isinstance(neighbours, bool):
        return np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
    if neighbours == 8 and not isinstance(neighbours, bool):
        return np.array([[1, 1, 1], [1, -8, 1], [1, 1, 1]], dtype=np.float64)
    raise ValueError(f"neighbours={neighbours!r} must be 4 or 8")


def sharpen():
    r"""Sharpen: identity minus the Laplacian, ``[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]``.

    .. math:: y = x - \nabla^2 x

    Notes often call this kernel an "unsharp mask"; a true unsharp mask subtracts a
    Gaussian blur instead (:func:`unsharp_mask`). Weights sum to 1, so flat regions and
    linear ramps are unchanged.

    Returns
    -------
    k : ndarray, shape (3, 3)
    """
    return identity(3) - laplacian(4)


def unsharp_mask(amount=1.0, size=5, sigma=1.0):
    r"""Unsharp mask: add back the detail that a Gaussian blur removes.

    .. math:: k = \delta + \text{amount} \, (\delta - G_\sigma)

    where :math:`\delta` is :func:`identity` and :math:`G_\sigma` is :func:`gaussian`.
    ``amount=0`` gives the identity. Weights sum to 1.

    Parameters
    ----------
    amount : float
        Strength of the sharpening (any real number; negative values blur).
    size : int
        Positive and odd.
    sigma : float
        > 0.

    Returns
    -------
    k : ndarray, shape (size, size)
    """
    try:
        amount = float(amount)
    except (TypeError, ValueError):
        raise TypeError(f"amount={amount!r} must be a real number") from None
    if not math.isfinite(amount):
        raise ValueError(f"amount={amount!r} must be finite")
    delta = identity(size)
    return delta + amount * (delta - gaussian(size, sigma))


# --- first derivatives (edges) ----------------------------------------------------------------

def sobel_x():
    """Sobel x-derivative ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]``: responds to vertical edges.

    With cross-correlation the response is positive where brightness increases to the
    right; with true (flipped) convolution it is negative there.

    Returns
    -------
    k : ndarray, shape (3, 3)
    """
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)


def sobel_y():
    """Sobel y-derivative, the transpose of :func:`sobel_x`: responds to horizontal edges.

    Positive (under cross-correlation) where brightness increases downwards (rows grow).
    """
    return sobel_x().T


def prewitt_x():
    """Prewitt x-derivative ``[[-1, 0, 1]] * 3``: like Sobel without the centre-row weight."""
    return np.array([[-1, 0, 1]] * 3, dtype=np.float64)


def prewitt_y():
    """Prewitt y-derivative, the transpose of :func:`prewitt_x`."""
    return prewitt_x().T


def scharr_x():
    """Scharr x-derivative ``[[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]``: better rotation symmetry."""
    return np.array([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]], dtype=np.float64)


def scharr_y():
    """Scharr y-derivative, the transpose of :func:`scharr_x`."""
    return scharr_x().T


def emboss():
    """Emboss ``[[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]``: a diagonal derivative plus the image.

    Weights sum to 1, so flat regions keep their value and diagonal edges turn light or dark.
    """
    return np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=np.float64)


def outline():
    r"""Outline ``[[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]``, which is ``-laplacian(8)``.

    Weights sum to 0: flat regions go to 0 and edges stand out.
    """
    return -laplacian(8)


GALLERY = {
    "identity": identity,
    "box blur": box,
    "Gaussian": gaussian,
    "sharpen": sharpen,
    "unsharp mask": unsharp_mask,
    "Sobel x": sobel_x,
    "Sobel y": sobel_y,
    "Laplacian": laplacian,
    "emboss": emboss,
    "outline": outline,
}
"""Display name -> zero-argument function giving the kernel with its default size."""


# --- parsing a kernel typed by a reader --------------------------------------------------------

_UNSIGNED = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_TOKEN = re.compile(rf"([+-]?{_UNSIGNED})(?:/({_UNSIGNED}))?")   # a number, or number/number
_ALLOWED = ("numbers like 2, -0.5, 1e-3 or fractions like 1/16, separated by commas or "
            "spaces, with rows separated by newlines or ';'")


def parse_kernel(text):
    """Parse a kernel typed as text into a 2-D float64 array, without ``eval``.

    Rows are separated by newlines or ``;``, numbers by commas and/or whitespace. Each
    number is a plain decimal (``2``, ``-0.5``, ``1e-3``) or a simple fraction
    (``1/16``, ``-2/8``). Blank rows are ignored.

    Parameters
    ----------
    text : str

    Returns
    -------
    k : ndarray, shape (rows, cols)

    Raises
    ------
    ValueError
        For empty input, a token that is not a number or fraction, a zero denominator, a
        non-finite value, or rows of different lengths; the message quotes the culprit.

    Examples
    --------
    >>> parse_kernel("1 2 1; 2 4 2; 1 2 1") / 16
    array([[0.0625, 0.125 , 0.0625],
           [0.125 , 0.25  , 0.125 ],
           [0.0625, 0.125 , 0.0625]])
    >>> parse_kernel("1/16, 2/16\\n2/16, 1/16").shape
    (2, 2)
    """
    if not isinstance(text, str):
        raise TypeError(f"text={text!r} must be a str; allowed: {_ALLOWED}")
    rows = [r.strip() for r in re.split(r"[;\n\r]", text)]
    rows = [r for r in rows if r.strip(", \t")]
    if not rows:
        raise ValueError(f"text={text!r} is empty; allowed: {_ALLOWED}")
    values = []
    for row in rows:
        numbers = []
        for token in re.split(r"[,\s]+", row.strip(", \t")):
            match = _TOKEN.fullmatch(token)
            if match is None:
                raise ValueError(f"text: token {token!r} in row {row!r} is not a number; "
                                 f"allowed: {_ALLOWED}")
            num, den = match.groups()
            value = float(num)
            if den is not None:
                if float(den) == 0:
                    raise ValueError(f"text: token {token!r} in row {row!r} divides by zero")
                value = value / float(den)
            if not math.isfinite(value):
                raise ValueError(f"text: token {token!r} in row {row!r} is not a finite number")
            numbers.append(value)
        values.append(numbers)
    for row, numbers in zip(rows, values):
        if len(numbers) != len(values[0]):
            raise ValueError(f"text: row {row!r} has {len(numbers)} numbers but row "
                             f"{rows[0]!r} has {len(values[0])}; every row needs the same "
                             "number of entries")
    return np.array(values, dtype=np.float64)
