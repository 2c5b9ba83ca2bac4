"""Reference loops: the oracle for every operation in convkit.

Each function here is written to read like the formula it implements: explicit
loops over output positions, kernel taps and channels, and nothing clever. The
book shows these loops next to the formulas, and the tests compare the fast
implementations against them.

They are slow on purpose. Use them on small arrays (a few thousand output
values); use the functions in :mod:`convkit` for anything real.

This module shares no code with the rest of convkit (it imports only NumPy and
the standard library), so a bug elsewhere cannot hide in the oracle as well.

Semantics follow ``torch.nn.functional`` (``conv2d``, ``conv_transpose2d``,
``max_pool2d``, ``avg_pool2d``, ...) and ``scipy.signal`` (``convolve``,
``correlate``). Inputs are batched, shape ``(N, C, *S)``, or unbatched,
shape ``(C, *S)``, with 1, 2 or 3 spatial dimensions; an unbatched input gives
an unbatched output.
"""
import itertools
import math

import numpy as np

__all__ = ["conv", "conv_transpose", "max_pool", "avg_pool", "convolve_full", "correlate_full"]

_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


# --- argument helpers (private to this module on purpose) -------------------------------------

def _per_dim(value, nd, name, minimum):
    """Turn an int or a tuple of length ``nd`` into a tuple of ints >= minimum."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        values = (int(value),) * nd
    elif isinstance(value, (tuple, list)) and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        values = tuple(int(v) for v in value)
        if len(values) != nd:
            raise ValueError(f"{name}={value!r} has {len(values)} entries; expected an int or "
                             f"a tuple of {nd} ints, one per spatial dimension")
    else:
        raise TypeError(f"{name}={value!r} must be an int or a tuple of {nd} ints")
    if any(v < minimum for v in values):
        raise ValueError(f"{name}={value!r} must be >= {minimum} in every dimension")
    return values


def _spatial_dims_from_weight(weight):
    nd = weight.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(f"weight has shape {weight.shape}; expected (C_out, C_in/groups, *k) "
                         "with 1, 2 or 3 kernel dimensions")
    return nd


def _batch(x, nd, name="x"):
    """Return (x with a batch axis, whether the input was unbatched)."""
    x = np.asarray(x)
    if x.ndim == nd + 2:
        return x, False
    if x.ndim == nd + 1:
        return x[np.newaxis], True
    raise ValueError(f"{name} has shape {x.shape}; expected (N, C, *S) or (C, *S) "
                     f"with {nd} spatial dimension(s)")


def _out_dtype(*arrays):
    return np.result_type(*(a.dtype for a in arrays), np.float64)


def _positions(shape):
    """All index tuples of an array of the given shape, in C order."""
    return itertools.product(*(range(n) for n in shape))


# --- convolution ------------------------------------------------------------------------------

def conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    r"""Cross-correlation as in ``torch.nn.functional.conv1d/2d/3d``, as plain loops.

    .. math::

        y[n, c_o, \mathbf{o}] = b[c_o] + \sum_{c_i \in \text{group}(c_o)} \sum_{\mathbf{t}}
            x_p[n, c_i, \mathbf{o} s + \mathbf{t} d] \; w[c_o, c_i - g_0, \mathbf{t}]

    where :math:`x_p` is the padded input and :math:`g_0` the first input channel of the group.
    The kernel is not flipped (that is what deep learning calls "convolution").

    Parameters
    ----------
    x : ndarray, shape (N, C_in, *S) or (C_in, *S)
        Input; the number of spatial dimensions is ``weight.ndim - 2`` (1, 2 or 3).
    weight : ndarray, shape (C_out, C_in / groups, *k)
        Kernels.
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or tuple of int
        Per spatial dimension, >= 1.
    padding : int, tuple of int, "valid" or "same"
        Symmetric padding per dimension. ``"valid"`` is 0. ``"same"`` (stride 1 only) pads
        ``d (k - 1)`` in total, ``total // 2`` at the start and the rest at the end.
    groups : int
        Channels are split into ``groups`` independent groups.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        Values used for padding, as ``np.pad`` modes ``constant``, ``reflect`` (edge not
        repeated), ``edge`` and ``wrap``.

    Returns
    -------
    y : ndarray, shape (N, C_out, *O) or (C_out, *O)
        ``O = floor((S + p_start + p_end - d (k - 1) - 1) / s) + 1`` per dimension.

    See Also
    --------
    convkit.conv2d : the fast version. Book chapters: ``conv1d.ipynb``, ``conv2d.ipynb``.
    """
    weight = np.asarray(weight)
    nd = _spatial_dims_from_weight(weight)
    x, unbatched = _batch(x, nd)
    s = _per_dim(stride, nd, "stride", 1)
    d = _per_dim(dilation, nd, "dilation", 1)
    k = weight.shape[2:]
    N, C_in = x.shape[:2]
    C_out, C_in_g = weight.shape[:2]

    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups={groups!r} must be a positive int")
    if C_in % groups or C_out % groups:
        raise ValueError(f"groups={groups} must divide both C_in={C_in} and C_out={C_out}")
    if C_in_g != C_in // groups:
        raise ValueError(f"weight has shape {weight.shape}; with C_in={C_in} and groups={groups} "
                         f"its second axis must be C_in/groups={C_in // groups}")
    if bias is not None:
        bias = np.asarray(bias)
        if bias.shape != (C_out,):
            raise ValueError(f"bias has shape {bias.shape}; expected ({C_out},)")

    # padding -> (start, end) per dimension
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0)] * nd
        elif padding == "same":
            if any(si != 1 for si in s):
                raise ValueError(f"padding='same' needs stride=1, got stride={stride!r}")
            pads = []
            for a in range(nd):
                total = d[a] * (k[a] - 1)
                pads.append((total // 2, total - total // 2))
        else:
            raise ValueError(f"padding={padding!r} must be an int, a tuple, 'valid' or 'same'")
    else:
        pads = [(p, p) for p in _per_dim(padding, nd, "padding", 0)]

    if padding_mode not in _PAD_MODES:
        raise ValueError(f"padding_mode={padding_mode!r} must be one of {sorted(_PAD_MODES)}")
    for a in range(nd):
        n = x.shape[2 + a]
        if padding_mode == "reflect" and max(pads[a]) >= n:
            raise ValueError(f"padding_mode='reflect' needs padding < input size; "
                             f"got padding {pads[a]} for size {n}")
        if padding_mode == "circular" and max(pads[a]) > n:
            raise ValueError(f"padding_mode='circular' needs padding <= input size; "
                             f"got padding {pads[a]} for size {n}")

    xp = np.pad(x, [(0, 0), (0, 0)] + pads, mode=_PAD_MODES[padding_mode])

    out_shape = []
    for a in range(nd):
        n_padded = xp.shape[2 + a]
        o = (n_padded - d[a] * (k[a] - 1) - 1) // s[a] + 1
        if o < 1:
            raise ValueError(f"the (dilated) kernel {d[a] * (k[a] - 1) + 1} is larger than the "
                             f"padded input {n_padded} in spatial dimension {a}")
        out_shape.append(o)

    C_out_g = C_out // groups
    y = np.zeros((N, C_out, *out_shape), dtype=_out_dtype(x, weight))
    for b in range(N):
        for co in range(C_out):
            g = co // C_out_g                      # the group this output channel belongs to
            for o in _positions(out_shape):
                total = 0
                for ci_local in range(C_in_g):
                    ci = g * C_in_g + ci_local
                    for t in _positions(k):
                        i = tuple(o[a] * s[a] + t[a] * d[a] for a in range(nd))
                        total += xp[(b, ci) + i] * weight[(co, ci_local) + t]
                if bias is not None:
                    total += bias[co]
                y[(b, co) + o] = total
    return y[0] if unbatched else y


def conv_transpose(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                   dilation=1):
    r"""Transposed convolution as in ``torch.nn.functional.conv_transpose1d/2d/3d``, as a scatter.

    Every input value spreads a scaled copy of the kernel into the output:

    .. math::

        y[n, c_o, \mathbf{i} s + \mathbf{t} d - p] \mathrel{+}= x[n, c_i, \mathbf{i}] \;
            w[c_i, c_o - g_0, \mathbf{t}]

    for every input position :math:`\mathbf{i}`, tap :math:`\mathbf{t}` and output channel
    :math:`c_o` in the group of :math:`c_i`; positions that fall outside the output are skipped.
    It is the adjoint (transpose) of :func:`conv` with the same stride, padding and dilation.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, *S) or (C_in, *S)
    weight : ndarray, shape (C_in, C_out / groups, *k)
        Note the order: input channels first (the weight of the matching :func:`conv`).
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or tuple of int, >= 1
    padding : int or tuple of int, >= 0
        Removes ``p`` positions from each end of the full output.
    output_padding : int or tuple of int
        Extra positions at the end, each smaller than stride or dilation.
    groups : int

    Returns
    -------
    y : ndarray, shape (N, C_out, *O) or (C_out, *O)
        ``O = (S - 1) s - 2 p + d (k - 1) + output_padding + 1`` per dimension.

    See Also
    --------
    convkit.conv_transpose2d : the fast version. Book chapter: ``transposed.ipynb``.
    """
    weight = np.asarray(weight)
    nd = _spatial_dims_from_weight(weight)
    x, unbatched = _batch(x, nd)
    s = _per_dim(stride, nd, "stride", 1)
    d = _per_dim(dilation, nd, "dilation", 1)
    p = _per_dim(padding, nd, "padding", 0)
    op = _per_dim(output_padding, nd, "output_padding", 0)
    k = weight.shape[2:]
    N, C_in = x.shape[:2]

    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups={groups!r} must be a positive int")
    if weight.shape[0] != C_in:
        raise ValueError(f"weight has shape {weight.shape}; its first axis must be C_in={C_in}")
    if C_in % groups:
        raise ValueError(f"groups={groups} must divide C_in={C_in}")
    C_in_g = C_in // groups
    C_out_g = weight.shape[1]
    C_out = C_out_g * groups
    if bias is not None:
        bias = np.asarray(bias)
        if bias.shape != (C_out,):
            raise ValueError(f"bias has shape {bias.shape}; expected ({C_out},)")
    for a in range(nd):
        if op[a] >= max(s[a], d[a]):
            raise ValueError(f"output_padding={output_padding!r} must be smaller than stride "
                             f"or dilation in every dimension (dimension {a}: "
                             f"stride {s[a]}, dilation {d[a]})")

    out_shape = []
    for a in range(nd):
        o = (x.shape[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1
        if o < 1:
            raise ValueError(f"padding={padding!r} removes the whole output in spatial "
                             f"dimension {a} (size would be {o})")
        out_shape.append(o)

    y = np.zeros((N, C_out, *out_shape), dtype=_out_dtype(x, weight))
    for b in range(N):
        for ci in range(C_in):
            g = ci // C_in_g                       # the group this input channel belongs to
            for i in _positions(x.shape[2:]):
                for co_local in range(C_out_g):
                    co = g * C_out_g + co_local
                    for t in _positions(k):
                        j = tuple(i[a] * s[a] + t[a] * d[a] - p[a] for a in range(nd))
                        if all(0 <= j[a] < out_shape[a] for a in range(nd)):
                            y[(b, co) + j] += x[(b, ci) + i] * weight[(ci, co_local) + t]
    if bias is not None:
        for b in range(N):
            for co in range(C_out):
                y[b, co] += bias[co]
    return y[0] if unbatched else y


# --- pooling ----------------------------------------------------------------------------------

def _pool_setup(x, kernel_size, stride, padding, ceil_mode, ndim):
    if ndim is None:
        ndim = len(kernel_size) if isinstance(kernel_size, (tuple, list)) else np.ndim(x) - 2
    if ndim not in (1, 2, 3):
        raise ValueError(f"ndim={ndim!r} must be 1, 2 or 3 (for an unbatched input with an int "
                         "kernel_size, pass ndim)")
    x, unbatched = _batch(x, ndim)
    k = _per_dim(kernel_size, ndim, "kernel_size", 1)
    s = k if stride is None else _per_dim(stride, ndim, "stride", 1)
    p = _per_dim(padding, ndim, "padding", 0)
    for a in range(ndim):
        if 2 * p[a] > k[a]:
            raise ValueError(f"padding={padding!r} must be at most half of kernel_size="
                             f"{kernel_size!r} in every dimension")
    out_shape = []
    for a in range(ndim):
        n = x.shape[2 + a]
        span = n + 2 * p[a] - k[a]
        if span < 0:
            raise ValueError(f"kernel_size {k[a]} is larger than the padded input "
                             f"{n + 2 * p[a]} in spatial dimension {a}")
        o = (math.ceil(span / s[a]) if ceil_mode else span // s[a]) + 1
        if ceil_mode and (o - 1) * s[a] >= n + p[a]:
            o -= 1                                 # last window would start in the right padding
        out_shape.append(o)
    return x, unbatched, ndim, k, s, p, out_shape


def max_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False, ndim=None):
    r"""Max pooling as in ``torch.nn.functional.max_pool1d/2d/3d``, as plain loops.

    .. math:: y[n, c, \mathbf{o}] = \max_{\mathbf{t}} x_p[n, c, \mathbf{o} s + \mathbf{t}]

    where :math:`x_p` is the input padded with :math:`-\infty`.

    Parameters
    ----------
    x : ndarray, shape (N, C, *S) or (C, *S)
    kernel_size : int or tuple of int
    stride : int or tuple of int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of int
        At most half the kernel size.
    ceil_mode : bool
        Round the output size up instead of down; a window that would start in the right
        padding is still dropped.
    ndim : int, optional
        Number of spatial dimensions. Defaults to ``len(kernel_size)`` if it is a tuple,
        else ``x.ndim - 2`` (so pass it for an unbatched input with an int kernel_size).

    Returns
    -------
    y : ndarray, shape (N, C, *O) or (C, *O)
        ``O = floor_or_ceil((S + 2 p - k) / s) + 1``.

    See Also
    --------
    convkit.max_pool2d : the fast version. Book chapter: ``pooling.ipynb``.
    """
    x, unbatched, nd, k, s, p, out_shape = _pool_setup(x, kernel_size, stride, padding,
                                                       ceil_mode, ndim)
    # pad generously on the right so that ceil_mode windows never index past the array
    pads = [(0, 0), (0, 0)] + [(p[a], p[a] + k[a]) for a in range(nd)]
    xp = np.pad(x.astype(_out_dtype(x)), pads, mode="constant", constant_values=-np.inf)
    N, C = x.shape[:2]
    y = np.empty((N, C, *out_shape), dtype=_out_dtype(x))
    for b in range(N):
        for c in range(C):
            for o in _positions(out_shape):
                best = -np.inf
                for t in _positions(k):
                    i = tuple(o[a] * s[a] + t[a] for a in range(nd))
                    v = xp[(b, c) + i]
                    if v > best or np.isnan(v):    # NaN propagates, as in torch
                        best = v
                y[(b, c) + o] = best
    return y[0] if unbatched else y


def avg_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             ndim=None):
    r"""Average pooling as in ``torch.nn.functional.avg_pool1d/2d/3d``, as plain loops.

    For each output position and dimension the window is ``start = o s - p``,
    ``end = min(start + k, S + p)``; the window then loses the parts outside the input,
    ``[max(start, 0), min(end, S))``, and

    .. math:: y[n, c, \mathbf{o}] = \frac{1}{D} \sum_{\mathbf{i} \in \text{clipped window}}
              x[n, c, \mathbf{i}]

    with divisor :math:`D = \prod (\text{end} - \text{start})` (padding counted, but not the
    part of a ``ceil_mode`` window beyond the right padding) if ``count_include_pad``, else
    the number of input elements in the window.

    Parameters
    ----------
    x : ndarray, shape (N, C, *S) or (C, *S)
    kernel_size, stride, padding, ceil_mode, ndim
        As in :func:`max_pool`.
    count_include_pad : bool
        Count the zero padding in the divisor.

    Returns
    -------
    y : ndarray, shape (N, C, *O) or (C, *O)

    See Also
    --------
    convkit.avg_pool2d : the fast version. Book chapter: ``pooling.ipynb``.
    """
    x, unbatched, nd, k, s, p, out_shape = _pool_setup(x, kernel_size, stride, padding,
                                                       ceil_mode, ndim)
    N, C = x.shape[:2]
    S = x.shape[2:]
    y = np.empty((N, C, *out_shape), dtype=_out_dtype(x))
    for b in range(N):
        for c in range(C):
            for o in _positions(out_shape):
                starts, ends, pool_size = [], [], 1
                for a in range(nd):
                    start = o[a] * s[a] - p[a]
                    end = min(start + k[a], S[a] + p[a])
                    pool_size *= end - start
                    starts.append(max(start, 0))
                    ends.append(min(end, S[a]))
                total, count = 0, 0
                for i in itertools.product(*(range(lo, hi) for lo, hi in zip(starts, ends))):
                    total += x[(b, c) + i]
                    count += 1
                divisor = pool_size if count_include_pad else count
                y[(b, c) + o] = total / divisor
    return y[0] if unbatched else y


# --- 1-D textbook sums ------------------------------------------------------------------------

def convolve_full(f, g):
    r"""Full 1-D convolution, the textbook sum (``scipy.signal.convolve(f, g, 'full')``).

    .. math:: y[n] = \sum_m f[m] \, g[n - m], \qquad n = 0, \dots, |f| + |g| - 2

    Parameters
    ----------
    f, g : array_like, shape (M,) and (K,)

    Returns
    -------
    y : ndarray, shape (M + K - 1,)

    See Also
    --------
    convkit.convolve : the fast version. Book chapter: ``conv1d.ipynb``.
    """
    f, g = np.asarray(f), np.asarray(g)
    if f.ndim != 1 or g.ndim != 1 or f.size == 0 or g.size == 0:
        raise ValueError(f"f and g must be non-empty 1-D arrays; got shapes {f.shape}, {g.shape}")
    y = np.zeros(len(f) + len(g) - 1, dtype=_out_dtype(f, g))
    for n in range(len(y)):
        for m in range(len(f)):
            if 0 <= n - m < len(g):
                y[n] += f[m] * g[n - m]
    return y


def correlate_full(f, g):
    r"""Full 1-D cross-correlation (``scipy.signal.correlate(f, g, 'full')``).

    .. math:: y[k] = \sum_n f[n + k - (|g| - 1)] \, \overline{g[n]}, \qquad
              k = 0, \dots, |f| + |g| - 2

    so ``y[|g| - 1]`` is the zero-lag value :math:`\sum_n f[n] \overline{g[n]}`. For real
    input the conjugate does nothing. Equals ``convolve_full(f, g[::-1])`` for real ``g``.

    Parameters
    ----------
    f, g : array_like, shape (M,) and (K,)

    Returns
    -------
    y : ndarray, shape (M + K - 1,)

    See Also
    --------
    convkit.correlate : the fast version. Book chapter: ``conv1d.ipynb``.
    """
    f, g = np.asarray(f), np.asarray(g)
    if f.ndim != 1 or g.ndim != 1 or f.size == 0 or g.size == 0:
        raise ValueError(f"f and g must be non-empty 1-D arrays; got shapes {f.shape}, {g.shape}")
    y = np.zeros(len(f) + len(g) - 1, dtype=_out_dtype(f, g))
    for k in range(len(y)):
        for n in range(len(g)):
            m = n + k - (len(g) - 1)
            if 0 <= m < len(f):
                y[k] += f[m] * np.conj(g[n])
    return y
