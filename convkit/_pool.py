"""Max, average and global pooling with ``torch.nn.functional`` semantics."""
from __future__ import annotations

import numpy as np

from . import _engine
from ._args import as_array, as_tuple, check_spatial_input, pad


def pool_geometry(n, k, s, p, ceil_mode):
    """Output length of one pooling dimension, with PyTorch's ceil_mode rule.

    With ``ceil_mode`` a last, partial window is kept only if it starts inside
    the input or its left padding (a window may not start in the right padding).
    """
    span = n + 2 * p - k
    if span < 0:
        return 0
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _prepare(x, kernel_size, stride, padding, ceil_mode, nd, op):
    x = as_array(x, "x")
    xb, unbatched = check_spatial_input(x, nd, "x", op)
    k = as_tuple(kernel_size, nd, "kernel_size", minimum=1)
    s = k if stride is None else as_tuple(stride, nd, "stride", minimum=1)
    p = as_tuple(padding, nd, "padding", minimum=0)
    for pp, kk in zip(p, k):
        if pp > kk // 2:
            raise ValueError(f"padding={padding!r} is too large for kernel_size={kernel_size!r}: "
                             f"padding must be at most half the kernel size (<= {kk // 2} for a "
                             f"kernel of {kk}), as in PyTorch")
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise TypeError(f"ceil_mode must be True or False; got {ceil_mode!r}")
    spatial = xb.shape[2:]
    out = tuple(pool_geometry(n, kk, ss, pp, ceil_mode) for n, kk, ss, pp in zip(spatial, k, s, p))
    for axis, (o, n, kk, pp) in enumerate(zip(out, spatial, k, p)):
        if o < 1:
            raise ValueError(f"kernel_size={kernel_size!r} is larger than the padded input in "
                             f"spatial dimension {axis} ({n} + 2*{pp}); x must be at least "
                             f"{kk - 2 * pp} there")
    # pad left by p, and right far enough that every (ceil-mode) window fits
    pairs = tuple((pp, max(pp, (o - 1) * ss + kk - n - pp))
                  for n, kk, ss, pp, o in zip(spatial, k, s, p, out))
    return xb, unbatched, k, s, p, pairs, out


def _max_pool(x, kernel_size, stride, padding, ceil_mode, nd, op):
    xb, unbatched, k, s, p, pairs, out = _prepare(x, kernel_size, stride, padding, ceil_mode, nd, op)
    xp = pad(xb, pairs, "zeros", fill=-np.inf, temporary=True)
    y = _engine.tap_reduce(xp, k, s, out, np.maximum, xb.dtype)
    return y[0] if unbatched else y


def _avg_divisor(n, k, s, p, out, count_include_pad, dtype):
    """PyTorch's divisor per output position of one dimension."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, n + p)
    size = end - start
    if not count_include_pad:
        size = np.minimum(end, n) - np.maximum(start, 0)
    return size.astype(dtype)


def _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, nd, op):
    xb, unbatched, k, s, p, pairs, out = _prepare(x, kernel_size, stride, padding, ceil_mode, nd, op)
    xp = pad(xb, pairs, "zeros", temporary=True)
    y = _engine.tap_reduce(xp, k, s, out, np.add, xb.dtype)
    divisors = [_avg_divisor(n, kk, ss, pp, o, count_include_pad, xb.dtype)
                for n, kk, ss, pp, o in zip(xb.shape[2:], k, s, p, out)]
    if all((dv == dv[0]).all() for dv in divisors):
        y *= xb.dtype.type(1.0 / np.prod([dv[0] for dv in divisors], dtype=np.float64))
    else:
        div = divisors[0]
        for dv in divisors[1:]:
            div = np.multiply.outer(div, dv)
        y /= div
    return y[0] if unbatched else y


_POOL_DOC = """{nd}D {kind} pooling, like ``torch.nn.functional.{kind}_pool{nd}d``.

    Parameters
    ----------
    x : ndarray, shape (N, C, {dims}) or (C, {dims})
    kernel_size : int or tuple of {nd} ints
    stride : int or tuple of {nd} ints, optional
        Defaults to ``kernel_size`` (non-overlapping windows); windows overlap
        whenever the stride is smaller than the window.
    padding : int or tuple of {nd} ints
        At most half the kernel size. {padnote}
    ceil_mode : bool
        Round the output size up instead of down; a last window is kept only if
        it starts inside the input or its left padding.{extra}

    Returns
    -------
    y : ndarray, shape (N, C, {odims}) or (C, {odims})
        Size per dimension ``floor_or_ceil((n + 2p - k)/s) + 1`` (see
        :func:`convkit.pool_output_size`).

    See Also
    --------
    pool_output_size, pool_cost, global_{kind}_pool, convkit.reference.{kind}_pool
    book/pooling.ipynb
    """

_AVG_EXTRA = """
    count_include_pad : bool
        If True (default) the zeros of the padding count in the divisor; if
        False only input elements do. Windows that reach past the padding in
        ceil mode never count the part beyond it (PyTorch's rule)."""


def max_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _max_pool(x, kernel_size, stride, padding, ceil_mode, 1, "max_pool1d")


def max_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _max_pool(x, kernel_size, stride, padding, ceil_mode, 2, "max_pool2d")


def max_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _max_pool(x, kernel_size, stride, padding, ceil_mode, 3, "max_pool3d")


def avg_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, 1, "avg_pool1d")


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, 2, "avg_pool2d")


def avg_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, 3, "avg_pool3d")


_PDIMS = {1: ("L", "L_out"), 2: ("H, W", "H_out, W_out"), 3: ("D, H, W", "D_out, H_out, W_out")}
for _nd, (_d, _o) in _PDIMS.items():
    globals()[f"max_pool{_nd}d"].__doc__ = _POOL_DOC.format(
        nd=_nd, kind="max", dims=_d, odims=_o, extra="", padnote="Padding is -inf, so it never wins.")
    globals()[f"avg_pool{_nd}d"].__doc__ = _POOL_DOC.format(
        nd=_nd, kind="avg", dims=_d, odims=_o, extra=_AVG_EXTRA, padnote="Padding is zeros.")
del _nd, _d, _o


def _global(x, reduce, name):
    x = as_array(x, "x")
    if x.ndim < 3:
        raise ValueError(f"x has shape {x.shape}; {name} expects (N, C, *S) with at least one "
                         "spatial dimension")
    return reduce(x.reshape(x.shape[0], x.shape[1], -1), axis=-1)


def global_avg_pool(x):
    """Average over all spatial positions: ``(N, C, *S) -> (N, C)``.

    ``x`` must have a batch axis: a single image ``(C, H, W)`` would be read as
    ``N = C`` one-dimensional signals; pass ``x[None]`` and take ``[0]``.

    See Also
    --------
    avg_pool2d, book/pooling.ipynb
    """
    return _global(x, np.mean, "global_avg_pool")


def global_max_pool(x):
    """Maximum over all spatial positions: ``(N, C, *S) -> (N, C)``.

    ``x`` must have a batch axis: a single image ``(C, H, W)`` would be read as
    ``N = C`` one-dimensional signals; pass ``x[None]`` and take ``[0]``.

    See Also
    --------
    max_pool2d, book/pooling.ipynb
    """
    return _global(x, np.max, "global_max_pool")
