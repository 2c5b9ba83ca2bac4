"""Pictures of transposed convolution: stamps (scatter), zero insertion (gather), overlaps.

Pure drawing functions for the chapter *Transposed convolution* and its demo. They take
data (and an optional Axes), compute what they show with convkit's own operations, and
return the Axes or the Figure.

See Also
--------
convkit.conv_transpose1d, convkit.conv_transpose2d, convkit.widgets.explore_transposed
Book: ``book/transposed.ipynb``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection

from .. import conv_transpose1d, conv_transpose2d
from ._base import format_number, new_figure, show_array

__all__ = ["transpose_stamps", "show_stamps", "show_gather", "show_transposed", "side_by_side"]


def transpose_stamps(x, k, stride=1, padding=0, output_padding=0, dilation=1):
    """The stamp of every input value: ``x[i] * k`` placed where the scatter writes it.

    Parameters
    ----------
    x : ndarray, shape (n,) or (n, n')
        One-channel input (1-D or 2-D).
    k : ndarray, shape (k,) or (k, k')
        Kernel.
    stride, padding, output_padding, dilation : int
        As for :func:`convkit.conv_transpose1d` / :func:`convkit.conv_transpose2d`.

    Returns
    -------
    stamps : list of ndarray
        One output-sized array per input value (C order), NaN where that input
        writes nothing. Summing them (NaN as 0) gives the transposed convolution.
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    op = conv_transpose1d if x.ndim == 1 else conv_transpose2d
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    ones = np.ones((1, 1) + k.shape)
    stamps = []
    for index in np.ndindex(x.shape):
        one = np.zeros_like(x)
        one[index] = 1.0
        reached = op(one[None], ones, **kw)[0] > 0
        value = op((one * x)[None], k[None, None], **kw)[0]
        stamps.append(np.where(reached, value, np.nan))
    return stamps


def _row_labels(ax, labels):
    ax.yaxis.set_visible(True)
    ax.set_yticks(range(len(labels)), labels)
    ax.tick_params(axis="y", length=0, labelsize=9)


def show_stamps(x, k, stride=1, padding=0, output_padding=0, dilation=1, ax=None, *,
                decimals=2, title=None):
    """1-D scatter picture: one row per input value with its stamp, and the sum below.

    Parameters
    ----------
    x, k : ndarray, shape (n,) and (k,)
    stride, padding, output_padding, dilation : int
    ax : matplotlib.axes.Axes, optional
    decimals : int
    title : str, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
        Rows ``x[i]·k`` (blank where that input writes nothing) and ``y`` (their sum,
        which is ``conv_transpose1d``); a line separates the sum.
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    stamps = transpose_stamps(x, k, stride, padding, output_padding, dilation)
    y = conv_transpose1d(x[None], k[None, None], stride=stride, padding=padding,
                         output_padding=output_padding, dilation=dilation)[0]
    table = np.vstack(stamps + [y])
    if ax is None:
        fig = new_figure((0.45 * y.size + 1.2, 0.42 * table.shape[0] + 0.5))
        ax = fig.add_subplot()
    m = float(np.nanmax(np.abs(table))) or 1.0
    show_array(table, ax, numbers=True, vmin=0 if table[np.isfinite(table)].min() >= 0 else -m,
               vmax=m, decimals=decimals, title=title)
    _row_labels(ax, [f"x[{i}]·k = {format_number(v, decimals)}·k" for i, v in enumerate(x)]
                + ["y = sum"])
    ax.xaxis.set_visible(True)
    ax.set_xticks(range(y.size))
    ax.tick_params(axis="x", length=0, labelsize=8)
    ax.set_xlabel("output position", fontsize=9)
    ax.axhline(len(stamps) - 0.5, color="black", linewidth=2.0)
    return ax


def _clip_box(r0, r1, c0, c1, shape):
    """(r0, r1, c0, c1) clipped to an array of `shape`, or None if nothing is left."""
    r0, c0 = max(r0, 0), max(c0, 0)
    r1, c1 = min(r1, shape[0]), min(c1, shape[1])
    return None if r1 <= r0 or c1 <= c0 else (r0, r1, c0, c1)


def _outline(ax, r0, r1, c0, c1, shape, color, style="-", width=2.0):
    """Rectangle around rows r0..r1-1 and columns c0..c1-1, clipped to the array."""
    _outlines(ax, [(r0, r1, c0, c1, color, style, width)], shape)


def _outlines(ax, boxes, shape):
    """Several outlined boxes ``(r0, r1, c0, c1, colour, style, width)`` on one array.

    Drawn as two line collections (a white halo under the coloured lines), which is
    much cheaper in a demo frame than two Rectangle patches per box.
    """
    halo, lines, colours, styles, widths = [], [], [], [], []
    for r0, r1, c0, c1, colour, style, width in boxes:
        box = _clip_box(r0, r1, c0, c1, shape)
        if box is None:
            continue
        r0, r1, c0, c1 = box
        ring = [(c0 - 0.5, r0 - 0.5), (c1 - 0.5, r0 - 0.5), (c1 - 0.5, r1 - 0.5),
                (c0 - 0.5, r1 - 0.5), (c0 - 0.5, r0 - 0.5)]
        halo.append(ring)
        lines.append(ring)
        colours.append(colour)
        styles.append(style)
        widths.append(width)
    if not lines:
        return
    for segs, kw in ((halo, dict(colors="white", linewidths=[w + 2.0 for w in widths])),
                     (lines, dict(colors=colours, linewidths=widths, linestyles=styles))):
        collection = LineCollection(segs, zorder=8, clip_on=False, capstyle="projecting",
                                    **kw)
        collection.set_in_layout(False)
        ax.add_collection(collection, autolim=False)


def show_gather(z, k_flipped, y, *, core_start=0, core_size=None, at=0, dilation=1,
                axes=None, zmax=None, ymax=None, kmax=None, decimals=2):
    """The gather view: zero-inserted and padded input, flipped kernel, output.

    Parameters
    ----------
    z : ndarray, shape (m,) or (m, m')
        The input with ``s - 1`` zeros between values, padded by ``d(k-1) - p``
        (and ``output_padding`` more at the end).
    k_flipped : ndarray, same number of dimensions as `z`
        The kernel flipped in every dimension.
    y : ndarray, same number of dimensions as `z`
        The ordinary (cross-)correlation of `z` with `k_flipped` (dilation `dilation`).
    core_start : int
        Position in `z` of the first input value (the padding in front of it; negative
        if padding was cropped instead). Same in every dimension.
    core_size : int, optional
        Size of the zero-inserted input, ``(n-1)s + 1``; if given, that part of `z` is
        outlined with a dashed line.
    at : int
        Output position (first index in every dimension) whose window is outlined.
    dilation : int
    axes : sequence of 3 Axes, optional
        Default: a new figure with three panels side by side (stacked for 1-D).
    zmax, ymax, kmax : float, optional
        Colour limits of `z`, `y` and the kernel (default: each array's largest
        magnitude; signed arrays use the diverging map centred on 0).
    decimals : int

    Returns
    -------
    axes : list of 3 Axes
        Arrays of at most 12 x 12 cells show their numbers.
    """
    one_d = np.ndim(z) == 1
    z = np.atleast_2d(np.asarray(z, dtype=np.float64))
    kf = np.atleast_2d(np.asarray(k_flipped, dtype=np.float64))
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))
    if axes is None:
        if one_d:
            fig = new_figure((0.42 * z.shape[1] + 0.6, 2.6))
            axes = fig.subplots(3, 1)
        else:
            fig = new_figure((9.0, 3.2))
            axes = fig.subplots(1, 3, width_ratios=[z.shape[1], max(kf.shape[1], 3),
                                                     max(y.shape[1], 3)])
    az, ak, ay = axes

    def draw(a, ax, vmax, title):
        m = vmax if vmax is not None else float(np.abs(a).max() or 1.0)
        signed = a.min() < 0
        small = max(a.shape) <= 12
        show_array(a, ax, numbers=small, grid=small, vmin=-m if signed else 0, vmax=m,
                   signed=signed, decimals=decimals, title=title)

    draw(z, az, zmax, "z: zeros inserted, then padded")
    r0 = 0 if one_d else at
    span = [dilation * (n - 1) + 1 for n in kf.shape]
    _outline(az, r0, r0 + span[0], at, at + span[1], z.shape, "black")
    if core_size is not None:
        rows = (0, 1) if one_d else (core_start, core_start + core_size)
        _outline(az, *rows, core_start, core_start + core_size, z.shape, "#d95f02", "--", 1.5)
    draw(kf, ak, kmax, "flipped kernel")
    draw(y, ay, ymax, "y = z ⋆ flipped kernel")
    _outline(ay, r0, r0 + 1, at, at + 1, y.shape, "black")
    return list(axes)


def show_message(ax, text, title=None):
    """An empty panel that says why there is nothing to draw (e.g. a setting not allowed)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#bbbbbb")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, wrap=True,
            transform=ax.transAxes)
    if title:
        ax.set_title(title, fontsize=10)
    return ax




def side_by_side(a, b, gap=1):
    """Two 2-D arrays of the same height in one array, separated by `gap` NaN columns.

    Drawn with :func:`show_array`, the NaN columns come out as a pale grey gap: one
    Axes shows two related arrays (a kernel and its flip; two results to compare).
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    h = max(a.shape[0], b.shape[0])
    out = np.full((h, a.shape[1] + gap + b.shape[1]), np.nan)
    out[:a.shape[0], :a.shape[1]] = a
    out[:b.shape[0], a.shape[1] + gap:] = b
    return out


def show_transposed(x, k, y, z, count, *, stride, padding, dilation, core_start,
                    y_gather=None, fig=None, xmax=2.0, ymax=8.0, error=None):
    """The demo's picture: both views of one transposed convolution, and its overlap count.

    Two panels, each one Axes holding several arrays side by side (two Axes draw much
    faster than six, which matters for a demo's frames):

    - top, on the input's colour scale: the gather view's `z` (the input with zeros
      inserted, padded; the zero-stuffed input dashed, the window of ``y[0, 0]`` in
      black), the kernel `k` and the flipped kernel;
    - bottom, on the output's colour scale: `y` computed by scattering stamps (the
      stamps of ``x[0, 0]`` and ``x[0, 1]`` outlined), `y` computed by gathering
      (``y[0, 0]`` outlined), and the overlap count (stamps per output cell).

    Parameters
    ----------
    x, k : ndarray, 2-D
        Input and kernel (one channel).
    y, z, count : ndarray or None
        Scatter result, gather input and overlap count (None with `error`).
    stride, padding, dilation : int
    core_start : int
        Where the zero-inserted input starts in `z` (see :func:`show_gather`).
    y_gather : ndarray, optional
        The gather view's result (default: `y`).
    fig : Figure, optional
        Default: a new 5.6 x 3.9 inch figure.
    xmax, ymax : float
        Fixed colour limits of the top panel (input, kernel) and of the bottom panel
        (outputs and counts; larger counts share the top colour).
    error : str, optional
        Shown instead of the results when the setting is not allowed (then only `x`
        and `k` are drawn).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    if fig is None:
        fig = new_figure((5.6, 3.9), layout=None)
    ax_top = fig.add_axes([0.01, 0.5, 0.98, 0.44])
    ax_bot = fig.add_axes([0.01, 0.01, 0.98, 0.42])
    kf = k[::-1, ::-1]
    if error is not None:
        show_array(side_by_side(x, side_by_side(k, kf)), ax_top, numbers=True, vmin=0,
                   vmax=xmax, title="input x  |  kernel k  |  flipped k")
        show_message(ax_bot, error)
        return fig
    top = side_by_side(z, side_by_side(k, kf))
    small = max(z.shape) <= 12
    show_array(top, ax_top, numbers=small, grid=small, vmin=0, vmax=xmax,
               title="gather: z = x with zeros, padded  |  k  |  flipped k")
    span = dilation * (k.shape[0] - 1) + 1
    cs = (x.shape[0] - 1) * stride + 1
    _outlines(ax_top, [(0, span, 0, span, "black", "-", 2.0),
                       (core_start, core_start + cs, core_start, core_start + cs, "#d95f02",
                        "--", 1.5)], z.shape)
    yg = y if y_gather is None else y_gather
    bottom = side_by_side(y, side_by_side(yg, count))
    small = max(y.shape) <= 8
    show_array(bottom, ax_bot, numbers=small, grid=small, vmin=0, vmax=ymax,
               title="y by scatter  |  y by gather  |  overlap count")
    # the stamps of x[0, 0] and x[0, 1] in the scatter result, y[0, 0] in the gather result
    boxes = [(-padding, span - padding, -padding, span - padding, "black", "-", 2.0)]
    if x.shape[1] > 1:
        c0 = stride - padding
        boxes.append((-padding, span - padding, c0, c0 + span, "#d95f02", "--", 2.0))
    _outlines(ax_bot, boxes, y.shape)
    off = y.shape[1] + 1
    _outline(ax_bot, 0, 1, off, off + 1, bottom.shape, "black")
    return fig
