"""Demo of the chapter *Transposed convolution*: scatter and gather views, overlap counts.

See Also
--------
convkit.plot._transposed : the drawings.
Book: ``book/transposed.ipynb``.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import conv1d, conv2d, conv3d, conv_transpose2d, conv_transpose_output_size, plot, \
    torch_code
from ._demo import Demo, Frame, Slider

__all__ = ["gather_view", "overlap_count", "interior_overlap", "explore_transposed"]

_CONV = {1: conv1d, 2: conv2d, 3: conv3d}

# Fixed input and kernel of the demo; a setting crops the top-left n x n and k x k. The
# kernel is heavier at its top-left corner, so its flip (heavy bottom-right) is easy to see;
# small values keep every output between 0 and 7 (one colour scale for all frames).
_X = np.array([[1, 2, 1, 2], [2, 1, 0, 1], [1, 0, 2, 1], [2, 1, 1, 0]], dtype=np.float64)
_K = np.array([[2, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=np.float64)


def _kernel(k):
    return _K[:k, :k]


def gather_view(x, k, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution as an ordinary convolution (the "gather" view).

    Insert ``s - 1`` zeros between the input values, pad by ``q = d(k-1) - p`` on each
    side (and ``output_padding`` more at the end; a negative ``q`` crops instead), and
    cross-correlate with the kernel flipped in every dimension (dilation ``d``). The
    result equals ``conv_transpose{1,2,3}d`` with the same settings -- this is the
    explanation, not a fast path (most of the products are with inserted zeros).

    Parameters
    ----------
    x : ndarray, shape S (1, 2 or 3 dimensions)
        One-channel input, no channel axis.
    k : ndarray, same number of dimensions
        Kernel.
    stride, padding, output_padding, dilation : int

    Returns
    -------
    z : ndarray
        The zero-inserted, padded input.
    k_flipped : ndarray
    y : ndarray
        The correlation of `z` with `k_flipped`.
    core_start : int
        Index in `z` of ``x``'s first value (``q``).
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    nd = x.ndim
    if k.ndim != nd or nd not in _CONV:
        raise ValueError(f"x has shape {x.shape} and k has shape {k.shape}: give arrays with "
                         "the same number of dimensions (1, 2 or 3)")
    s, p, op, d = (int(v) for v in (stride, padding, output_padding, dilation))
    conv_transpose_output_size(x.shape, k.shape, s, p, op, d)     # same checks as the op
    z = np.zeros(tuple((n - 1) * s + 1 for n in x.shape))
    z[(slice(None, None, s),) * nd] = x                            # s - 1 zeros in between
    lo = [d * (kk - 1) - p for kk in k.shape]
    hi = [q + op for q in lo]
    z = np.pad(z, [(max(a, 0), max(b, 0)) for a, b in zip(lo, hi)])
    z = z[tuple(slice(max(-a, 0), z.shape[i] - max(-b, 0))
                for i, (a, b) in enumerate(zip(lo, hi)))]
    k_flipped = k[(slice(None, None, -1),) * nd]
    y = _CONV[nd](z[None], k_flipped[None, None], dilation=d)[0]
    return z, k_flipped, y, lo[0]


def overlap_count(n, k, stride=1, padding=0, output_padding=0, dilation=1, ndim=2):
    """How many kernel stamps reach each output cell of a transposed convolution.

    The transposed convolution of an input of ones with a kernel of ones.

    Parameters
    ----------
    n, k : int
        Input and kernel size (the same in every dimension).
    stride, padding, output_padding, dilation : int
    ndim : int
        1, 2 or 3 dimensions.

    Returns
    -------
    count : ndarray of int
    """
    from .. import conv_transpose1d, conv_transpose3d
    op = {1: conv_transpose1d, 2: conv_transpose2d, 3: conv_transpose3d}[ndim]
    y = op(np.ones((1,) + (n,) * ndim), np.ones((1, 1) + (k,) * ndim), stride=stride,
           padding=padding, output_padding=output_padding, dilation=dilation)[0]
    return np.rint(y).astype(np.int64)


def interior_overlap(k, stride=1, dilation=1):
    """Overlap counts far from the border, by position modulo the stride (1-D).

    Output position ``j`` receives the taps ``t`` with ``j = i*s + t*d`` for some input
    ``i``; away from the border that depends only on ``j mod s``: ``c[r]`` is the number
    of taps with ``t*d = r (mod s)``. All equal means an even overlap; unequal means a
    periodic (checkerboard) pattern, zeros mean gaps. In 2-D the counts are products
    ``c[a] * c[b]``.

    Returns
    -------
    c : ndarray of int, shape (stride,)
    """
    t = np.arange(int(k)) * int(dilation)
    return np.bincount(t % int(stride), minlength=int(stride))


def _overlap_text(k, s, d):
    c = interior_overlap(k, s, d)
    levels = sorted({int(a * b) for a in c for b in c})
    if len(levels) == 1:
        return (f"away from the border every output cell gets {levels[0]} stamp"
                f"{'s' if levels[0] != 1 else ''}: an even overlap")
    what = "gaps and " if levels[0] == 0 else ""
    return (f"away from the border output cells get {', '.join(map(str, levels))} stamps: "
            f"{what}a checkerboard pattern")


def _problem(n, k, s, p, op, d):
    """Why a setting is not allowed (text), or None."""
    if op >= max(s, d):
        return (f"output_padding = {op} is not allowed:\nit must be smaller than\n"
                f"max(stride, dilation) = {max(s, d)}")
    size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if size < 1:
        return f"padding = {p} removes the whole output\n(size would be {size})"
    return None


_NS, _KS, _SS, _PS, _OPS, _DS = [2, 3, 4], [1, 2, 3, 4], [1, 2, 3], [0, 1, 2], [0, 1], [1, 2]


def _limits():
    """Upper colour limit of the outputs, the same in every frame: the largest output of
    any setting, but at least 8 so that typical overlap counts (1 to 8) stay distinct."""
    ymax = 8.0
    for n, k, s, p, op, d in itertools.product(_NS, _KS, _SS, _PS, _OPS, _DS):
        if _problem(n, k, s, p, op, d) is None:
            y = conv_transpose2d(_X[None, :n, :n], _kernel(k)[None, None], stride=s, padding=p,
                                 output_padding=op, dilation=d)
            ymax = max(ymax, float(y.max()))
    return ymax


def explore_transposed():
    """Transposed convolution of a small 2-D input, computed both ways, with its overlaps.

    Controls: ``n`` (input size 2-4), ``k`` (kernel size 1-4), ``s`` (stride 1-3),
    ``p`` (padding 0-2), ``op`` (output_padding 0-1), ``d`` (dilation 1-2). Each frame
    shows the scatter result, the gather view (zeros inserted, padded by
    ``d(k-1) - p``, flipped kernel) and its result, the overlap count, and the
    equivalent ``F.conv_transpose2d`` call; settings PyTorch rejects say why.

    Returns
    -------
    Demo
    """
    ymax = _limits()

    def draw(n, k, s, p, op, d):
        x, w = _X[:n, :n], _kernel(k)
        fig = plot.new_figure((5.6, 3.9), layout=None)
        problem = _problem(n, k, s, p, op, d)
        if problem is not None:
            plot.show_transposed(x, w, None, None, None, stride=s, padding=p, dilation=d,
                                 core_start=0, fig=fig, xmax=2, ymax=ymax, error=problem)
            return Frame(fig, text="Not allowed: " + problem.replace("\n", " ") + ".")
        y = conv_transpose2d(x[None], w[None, None], stride=s, padding=p, output_padding=op,
                             dilation=d)[0]
        z, _, y_gather, start = gather_view(x, w, s, p, op, d)
        count = overlap_count(n, k, s, p, op, d)
        plot.show_transposed(x, w, y, z, count, stride=s, padding=p, dilation=d,
                             core_start=start, y_gather=y_gather, fig=fig, xmax=2, ymax=ymax)
        diff = float(np.abs(y - y_gather).max())
        q = d * (k - 1) - p
        pad = f"pads by d(k−1) − p = {q}" if q >= 0 else \
            f"crops {-q} (d(k−1) − p = −{-q})"
        text = (f"Output {y.shape[0]}×{y.shape[1]} = "
                f"({n}−1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1. "
                f"Scatter and gather agree (largest difference {diff:g}). "
                f"Gather {pad}{f' (+{op} at the end)' if op else ''}; "
                f"{_overlap_text(k, s, d)}.")
        code = torch_code("conv_transpose2d", (1, 1, n, n), (1, 1, k, k), stride=s, padding=p,
                          output_padding=op, dilation=d)
        return Frame(fig, text=text, code=code)

    return Demo(draw, [
        Slider("n", _NS, "input size n", default=3),
        Slider("k", _KS, "kernel size k", default=3),
        Slider("s", _SS, "stride s", default=2),
        Slider("p", _PS, "padding p", default=1),
        Slider("op", _OPS, "output_padding", default=1),
        Slider("d", _DS, "dilation d", default=1),
    ], title="Transposed convolution: scatter and gather",
        caption="Top: the gather view's input z, i.e. x with s − 1 zeros between values "
                "(dashed box), padded by d(k−1) − p; the black square is the window that "
                "computes y[0, 0], with the flipped kernel. Bottom: the output by scatter (solid "
                "and dashed boxes: the stamps of x[0, 0] and x[0, 1]; where they overlap, values "
                "add), the same output by gather, and how many stamps reach each output cell.",
        alt="Input, kernel, flipped kernel and overlap count; the output computed by scattering "
            "stamps and by gathering over a zero-inserted padded input")
