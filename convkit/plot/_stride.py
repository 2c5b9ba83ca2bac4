"""Drawings for the chapter *Stride and dilation*: where the kernel goes along one axis.

:func:`kernel_taps` lists the input positions each output reads (NumPy only);
:func:`show_positions` draws them over a row of cells, padding and never-read cells
marked. Pure functions: nothing is shown or saved.

See Also
--------
convkit.widgets.explore_output_size, book/stride_dilation.ipynb
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .._args import as_int
from .._sizes import conv_output_size
from ._base import new_figure

__all__ = ["kernel_taps", "read_counts", "show_positions"]

_PAD_FACE = "#d9d9d9"
_READ_FACE = "#ffffff"
_UNREAD_FACE = "#f4b183"       # light orange, also hatched and labelled (not colour alone)
_TAP = "#1f5fa8"


def kernel_taps(n, kernel_size, stride=1, padding=0, dilation=1):
    """Input positions read by each output of a 1-D convolution.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation : int
        As for :func:`convkit.conv1d` (``padding`` per side, ``dilation`` 1 = no
        holes).

    Returns
    -------
    taps : ndarray of int, shape (n_out, kernel_size)
        ``taps[j, i] = j*stride - padding + i*dilation``: the input index under
        kernel tap ``i`` for output ``j``. Indices below 0 or from ``n`` on fall in
        the padding. ``n_out`` is :func:`convkit.conv_output_size`.
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(kernel_size, "kernel_size", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    p = as_int(padding, "padding", minimum=0)
    d = as_int(dilation, "dilation", minimum=1)
    n_out = conv_output_size(n, k, s, p, d)
    return np.arange(n_out)[:, None] * s - p + np.arange(k)[None, :] * d


def read_counts(n, kernel_size, stride=1, padding=0, dilation=1):
    """How many times each of the ``n`` input positions is read (0 = never).

    Returns
    -------
    counts : ndarray of int, shape (n,)
    """
    taps = kernel_taps(n, kernel_size, stride, padding, dilation).ravel()
    taps = taps[(taps >= 0) & (taps < n)]
    return np.bincount(taps, minlength=n)


def show_positions(n, kernel_size, stride=1, padding=0, dilation=1, ax=None, *, frame=None,
                   title=None, fontsize=9):
    """Draw the positions a kernel visits along a row of ``n`` cells.

    Top row: the input (cells numbered 0 .. n-1), padding cells grey, cells that
    no output reads hatched and marked "never read". Below, one row per output
    ``y[j]``: a dot on each cell the kernel reads (taps ``dilation`` apart) and a
    line over its span.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation : int
    ax : matplotlib.axes.Axes, optional
    frame : (int, int, int), optional
        ``(max_n, max_padding, max_outputs)`` over all frames of a demo: the view
        keeps room for them, so cells keep their size and place from frame to frame.
    title : str, optional
    fontsize : float

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    taps = kernel_taps(n, kernel_size, stride, padding, dilation)
    counts = read_counts(n, kernel_size, stride, padding, dilation)
    p = padding
    n_out = taps.shape[0]
    max_n, max_p, max_rows = frame if frame is not None else (n, p, n_out)
    if ax is None:
        width = 0.42 * (max_n + 2 * max_p) + 0.9
        ax = new_figure(figsize=(width, 0.32 * (max_rows + 2) + 0.4)).add_subplot()
    for c in range(-p, n + p):
        inside = 0 <= c < n
        unread = inside and counts[c] == 0
        face = _PAD_FACE if not inside else _UNREAD_FACE if unread else _READ_FACE
        ax.add_patch(Rectangle((c - 0.5, -0.5), 1, 1, facecolor=face, edgecolor="#555555",
                               linewidth=0.8, hatch="///" if unread else None, zorder=1))
        ax.text(c, 0, str(c) if inside else "0", ha="center", va="center",
                fontsize=fontsize, color="black" if inside else "#666666", zorder=3)
    if (counts == 0).any():
        first = int(np.flatnonzero(counts == 0)[0])
        ax.text(first - 0.5, -0.6, "never read", ha="left", va="bottom", fontsize=fontsize - 1,
                color="#a0400b", zorder=3)
    # one row per output: span line and tap dots
    rows = 1 + np.arange(n_out)
    segs = [((t[0], r), (t[-1], r)) for t, r in zip(taps, rows)]
    ax.add_collection(LineCollection(segs, colors=_TAP, linewidths=1.5, zorder=2))
    xs = taps.ravel()
    ys = np.repeat(rows, taps.shape[1])
    ax.scatter(xs, ys, s=28, c=_TAP, marker="s", zorder=3, linewidths=0)
    for r in rows:
        ax.text(-max_p - 0.7, r, f"y[{r - 1}]", ha="right", va="center", fontsize=fontsize - 1,
                color="#333333")
    ax.text(-max_p - 0.7, 0, "x", ha="right", va="center", fontsize=fontsize, style="italic")
    # faint column guides under the dots
    guides = [((c, 0.5), (c, n_out + 0.5)) for c in range(-p, n + p)]
    ax.add_collection(LineCollection(guides, colors="#e6e6e6", linewidths=0.6, zorder=0))
    ax.set_xlim(-max_p - 2.6, max_n + max_p - 0.4)
    ax.set_ylim(max_rows + 0.6, -1.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=fontsize + 1)
    return ax

