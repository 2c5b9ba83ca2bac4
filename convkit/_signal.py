"""``scipy.signal.correlate`` / ``convolve`` for real arrays of any dimension."""
from __future__ import annotations

import numpy as np

from . import _engine
from ._args import as_array, pad

_MODES = ("full", "same", "valid")


def _check(in1, in2, mode, name):
    a = as_array(in1, "in1")
    b = as_array(in2, "in2")
    if a.ndim != b.ndim:
        raise ValueError(f"in1 has {a.ndim} dimensions (shape {a.shape}) but in2 has {b.ndim} "
                         f"(shape {b.shape}); {name} needs the same number")
    if mode not in _MODES:
        raise ValueError(f"mode={mode!r} is not supported; allowed: 'full', 'same' or 'valid'")
    if a.ndim == 0:
        a, b = a.reshape(1), b.reshape(1)
    dtype = np.result_type(a.dtype, b.dtype)
    return a.astype(dtype, copy=False), b.astype(dtype, copy=False)


def _correlate(a, b, mode):
    """Correlation of real arrays with SciPy's output shapes and alignment."""
    nd = a.ndim
    flip = False
    if mode == "valid":
        a_big = all(m >= n for m, n in zip(a.shape, b.shape))
        b_big = all(n >= m for m, n in zip(a.shape, b.shape))
        if not (a_big or b_big):
            raise ValueError(f"mode='valid' needs one input at least as large as the other in every "
                             f"dimension; got in1 {a.shape} and in2 {b.shape}")
        if not a_big:  # SciPy swaps, correlates and reverses
            a, b, flip = b, a, True
        pairs = ((0, 0),) * nd
    elif mode == "full":
        pairs = tuple((k - 1, k - 1) for k in b.shape)
    else:  # same: the full result's centre, size of in1
        pairs = tuple((k - 1 - (k - 1) // 2, (k - 1) // 2) for k in b.shape)
    xp = pad(a[None, None], pairs, "zeros", temporary=True)
    out = tuple(n + lo + hi - k + 1 for n, k, (lo, hi) in zip(a.shape, b.shape, pairs))
    y = _engine.correlate(xp, b[None, None], (1,) * nd, (1,) * nd, 1, out, a.dtype)[0, 0]
    return y[(slice(None, None, -1),) * nd].copy() if flip else y


def correlate(in1, in2, mode="full"):
    """Cross-correlate two N-dimensional real arrays, like ``scipy.signal.correlate``.

    ``z[k] = sum_n in1[n + k - (len(in2) - 1)] * in2[n]`` (per dimension, for
    ``mode='full'``). Output shapes and alignment are SciPy's: 'full' has size
    ``n1 + n2 - 1``, 'same' the size of ``in1`` (the centre of 'full'), 'valid'
    ``|n1 - n2| + 1`` where one input covers the other completely (if ``in1`` is
    the smaller one the inputs are swapped and the result reversed, as SciPy
    does).

    Parameters
    ----------
    in1, in2 : array_like, real, same number of dimensions
    mode : {'full', 'same', 'valid'}

    Returns
    -------
    ndarray
        float64, or float32 when both inputs are float32. Unlike SciPy, integer
        input (e.g. uint8 images) is computed in float64, so the result never
        wraps around. Complex input is rejected with a TypeError.

    See Also
    --------
    convolve, conv2d, book/flipping.ipynb
    """
    a, b = _check(in1, in2, mode, "correlate")
    return _correlate(a, b, mode)


def convolve(in1, in2, mode="full"):
    """Convolve two N-dimensional real arrays, like ``scipy.signal.convolve``.

    ``z[n] = sum_m in1[m] * in2[n - m]``: the kernel is flipped, which makes
    convolution commutative (for 'full') and associative. Shapes are SciPy's
    (see :func:`correlate`); integer input is computed in float64 and never
    wraps around; complex input is rejected.

    See Also
    --------
    correlate, convkit.reference.convolve_full, book/conv1d.ipynb
    """
    a, b = _check(in1, in2, mode, "convolve")
    flipped = b[(slice(None, None, -1),) * b.ndim]
    return _correlate(a, flipped, mode)
