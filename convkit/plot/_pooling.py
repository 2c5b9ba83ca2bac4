"""Drawings for the chapter *Pooling*: windows on a padded input, how many windows cover
each pixel, and how outputs change when the input shifts.

Pure functions: they take data (and optionally an Axes), draw, and return the Axes.

See Also
--------
convkit.max_pool2d, convkit.avg_pool2d, convkit.pool_output_size
Book: ``book/pooling.ipynb``.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .. import conv_transpose2d, pool_output_size
from .._args import as_tuple
from ._base import SEQUENTIAL, _text_width, _write_numbers, format_number, new_figure, show_array

__all__ = ["WINDOW_COLORS", "pool_window_starts", "window_counts", "show_pool_windows",
           "show_window_counts", "show_pooling", "outline_cells", "show_blocks",
           "show_maps_row", "show_change_table", "plot_shift_changes"]

WINDOW_COLORS = ("#E69F00", "#0072B2", "#CC79A7")
"""Outline colours of highlighted windows (Okabe-Ito orange, blue, purple: colour-blind safe)."""

_PAD_VALUE = np.nan          # padding cells are drawn pale grey, without a number


def _geometry(shape, kernel_size, stride, padding):
    shape = as_tuple(tuple(shape), 2, "shape", minimum=1)
    k = as_tuple(kernel_size, 2, "kernel_size", minimum=1)
    s = k if stride is None else as_tuple(stride, 2, "stride", minimum=1)
    p = as_tuple(padding, 2, "padding", minimum=0)
    return shape, k, s, p


def pool_window_starts(shape, kernel_size, stride=None, padding=0, ceil_mode=False):
    """Where each pooling window starts, per dimension, in input coordinates.

    Parameters
    ----------
    shape : (int, int)
        Input height and width.
    kernel_size, stride, padding, ceil_mode
        As for :func:`convkit.max_pool2d` (stride defaults to the kernel size).

    Returns
    -------
    rows, cols : ndarray of int
        ``i * s - p`` for every output index ``i``: a window covers input rows
        ``rows[i] .. rows[i] + k - 1`` (negative or past the input = padding, or past
        the padding for a ceil-mode window).

    Examples
    --------
    >>> pool_window_starts((7, 7), 3, 2)
    (array([0, 2, 4]), array([0, 2, 4]))
    """
    shape, k, s, p = _geometry(shape, kernel_size, stride, padding)
    out = pool_output_size(shape, k, s, p, ceil_mode)
    return tuple(np.arange(o) * ss - pp for o, ss, pp in zip(out, s, p))


def window_counts(shape, kernel_size, stride=None, padding=0, ceil_mode=False):
    """How many pooling windows cover each cell, padding included.

    Computed as a transposed convolution of an all-ones output with an all-ones
    kernel (every output scatters a 1 onto its window), so it is the same rule the
    operations use.

    Returns
    -------
    counts : ndarray of int, shape (h, w)
        Window counts on the grid that starts at input cell ``origin`` (``-p`` per
        dimension) and reaches the end of the last window.
    origin : (int, int)
        Input coordinates of ``counts[0, 0]``.

    Examples
    --------
    >>> c, origin = window_counts((5, 5), 3, 2)
    >>> c[2], origin
    (array([2, 2, 4, 2, 2]), (0, 0))
    """
    shape, k, s, p = _geometry(shape, kernel_size, stride, padding)
    out = pool_output_size(shape, k, s, p, ceil_mode)
    counts = conv_transpose2d(np.ones((1, 1) + tuple(out)), np.ones((1, 1) + k), stride=s)
    return np.rint(counts[0, 0]).astype(np.int64), (-p[0], -p[1])


def _canvas_extent(shape, kernel_size, stride, padding, ceil_mode):
    """((r0, r1), (c0, c1)): input coordinates covering the input, padding and windows."""
    shape, k, s, p = _geometry(shape, kernel_size, stride, padding)
    starts = pool_window_starts(shape, k, s, p, ceil_mode)
    return tuple((-pp, max(n + pp, int(st[-1]) + kk)) for n, kk, pp, st in zip(shape, k, p, starts))


def outline_cells(ax, rows, cols, color="black", linewidth=2.0, inset=0.0):
    """Outline the cells ``rows[0]..rows[1]-1`` x ``cols[0]..cols[1]-1`` of an image Axes.

    Drawn with a white halo so it shows on every colour; ``inset`` (in cells) draws the
    box slightly inside, so that outlines of neighbouring windows stay distinguishable.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    (r0, r1), (c0, c1) = rows, cols
    for lw, col, z in ((linewidth + 2.5, "white", 7), (linewidth, color, 8)):
        patch = Rectangle((c0 - 0.5 + inset, r0 - 0.5 + inset), c1 - c0 - 2 * inset,
                          r1 - r0 - 2 * inset, fill=False, edgecolor=col, linewidth=lw,
                          zorder=z, clip_on=False)
        patch.set_in_layout(False)
        ax.add_artist(patch)          # not add_patch: no data-limit update (faster)
    return ax


def _input_canvas(x, extent):
    """`x` placed on the grid `extent`, NaN (drawn pale grey) outside it."""
    (r0, r1), (c0, c1) = extent
    canvas = np.full((r1 - r0, c1 - c0), _PAD_VALUE)
    canvas[-r0:-r0 + x.shape[0], -c0:-c0 + x.shape[1]] = x
    return canvas


def _count_canvas(shape, k, s, p, ceil_mode, extent):
    """:func:`window_counts` placed on the grid `extent` (0 outside every window)."""
    counts, (o0, o1) = window_counts(shape, k, s, p, ceil_mode)
    (r0, r1), (c0, c1) = extent
    grid = np.zeros((r1 - r0, c1 - c0), dtype=np.int64)
    h, w = counts.shape
    grid[o0 - r0:o0 - r0 + h, o1 - c0:o1 - c0 + w] = counts
    return grid


def _window_boxes(shape, k, s, p, ceil_mode, windows, extent):
    """Grid rows and columns ((r0, r1), (c0, c1)) of the windows of output indices `windows`."""
    rows, cols = pool_window_starts(shape, k, s, p, ceil_mode)
    (r0, _), (c0, _) = extent
    return [((rows[i] - r0, rows[i] - r0 + k[0]), (cols[j] - c0, cols[j] - c0 + k[1]))
            for i, j in windows]


def show_pool_windows(x, kernel_size, stride=None, padding=0, ceil_mode=False, ax=None, *,
                      windows=((0, 0),), colors=WINDOW_COLORS, extent=None, vmin=None,
                      vmax=None, title=None, decimals=2):
    """Draw a 2-D input with its padding and outline some pooling windows.

    Parameters
    ----------
    x : array_like, shape (H, W)
    kernel_size, stride, padding, ceil_mode
        As for :func:`convkit.max_pool2d`.
    ax : matplotlib.axes.Axes, optional
    windows : sequence of (int, int)
        Output indices ``(i, j)`` whose windows are outlined, one colour each.
    colors : sequence of colors
    extent : ((int, int), (int, int)), optional
        Input-coordinate ranges ``((r0, r1), (c0, c1))`` of the drawn grid; give the
        same to every frame of a demo so that cells keep their size. Default: the input,
        its padding and every window of this setting.
    vmin, vmax : float, optional
    title : str, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
        Padding (and the part of a ceil-mode window past it) is drawn pale grey.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x.shape={x.shape}: show_pool_windows draws a 2-D input")
    shape, k, s, p = _geometry(x.shape, kernel_size, stride, padding)
    if extent is None:
        extent = _canvas_extent(shape, k, s, p, ceil_mode)
    (r0, _), (c0, _) = extent
    ax = show_array(_input_canvas(x, extent), ax, vmin=vmin, vmax=vmax, title=title,
                    decimals=decimals, numbers=True, grid=True)
    outline_cells(ax, (-r0, -r0 + shape[0]), (-c0, -c0 + shape[1]), color="#555555",
                  linewidth=0.8)
    for n, box in enumerate(_window_boxes(shape, k, s, p, ceil_mode, windows, extent)):
        outline_cells(ax, *box, colors[n % len(colors)], inset=0.06 * (n + 1))
    return ax


def show_window_counts(shape, kernel_size, stride=None, padding=0, ceil_mode=False, ax=None, *,
                       extent=None, vmax=None, title=None):
    """Heat map of how many windows cover each cell (see :func:`window_counts`).

    Cells that no window covers show 0; the input's border is drawn as a thin grey box,
    so padding cells are the ones outside it.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    shape, k, s, p = _geometry(shape, kernel_size, stride, padding)
    if extent is None:
        extent = _canvas_extent(shape, k, s, p, ceil_mode)
    (r0, _), (c0, _) = extent
    grid = _count_canvas(shape, k, s, p, ceil_mode, extent)
    ax = show_array(grid, ax, cmap=SEQUENTIAL, vmin=0, vmax=vmax if vmax is not None else
                    max(1, int(grid.max())), title=title, numbers=True, grid=True)
    outline_cells(ax, (-r0, -r0 + shape[0]), (-c0, -c0 + shape[1]), color="#555555",
                  linewidth=0.8)
    return ax


def show_pooling(x, y, kernel_size, stride=None, padding=0, ceil_mode=False, ax=None, *,
                 windows=((0, 0),), colors=WINDOW_COLORS, extent=None, vmin=None, vmax=None,
                 max_count=None, titles=("input (grey: padding)", "windows per cell", "output"),
                 gap=2):
    """Input with windows, windows per cell, and the pooled output, in one Axes.

    The three panels of :func:`show_pool_windows`, :func:`show_window_counts` and the
    output `y` (with the cells of the outlined windows outlined in the same colours),
    drawn with :func:`show_blocks` so that a demo frame needs a single Axes.

    Parameters
    ----------
    x : array_like, shape (H, W)
    y : array_like, shape (H_out, W_out)
        The pooled output (max or average) of this setting.
    kernel_size, stride, padding, ceil_mode, windows, colors, extent, vmin, vmax
        As for :func:`show_pool_windows`.
    max_count : int, optional
        Top of the count colour scale.
    titles : (str, str, str)
    gap : int
        Blank cells between panels.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    shape, k, s, p = _geometry(x.shape, kernel_size, stride, padding)
    if extent is None:
        extent = _canvas_extent(shape, k, s, p, ceil_mode)
    (r0, r1), (c0, c1) = extent
    h, w = r1 - r0, c1 - c0
    lo = float(np.nanmin(x)) if vmin is None else vmin
    hi = float(np.nanmax(x)) if vmax is None else vmax
    counts = _count_canvas(shape, k, s, p, ceil_mode, extent)
    top = max(1, int(counts.max())) if max_count is None else max_count
    if ax is None:
        cols = 2 * (w + gap) + y.shape[1]
        ax = new_figure((0.3 * cols + 0.2, 0.3 * max(h, y.shape[0]) + 0.5),
                        layout=None).add_axes([0.02, 0.02, 0.96, 0.8])
    out_at = 2 * (w + gap)
    show_blocks([dict(a=_input_canvas(x, extent), at=(0, 0), vmin=lo, vmax=hi, title=titles[0]),
                 dict(a=counts, at=(0, w + gap), vmin=0, vmax=top, title=titles[1]),
                 dict(a=y, at=(0, out_at), vmin=lo, vmax=hi, title=titles[2])], ax)
    for c in (0, w + gap):
        outline_cells(ax, (-r0, -r0 + shape[0]), (c - c0, c - c0 + shape[1]), color="#555555",
                      linewidth=0.8)
    for n, (box, (i, j)) in enumerate(zip(_window_boxes(shape, k, s, p, ceil_mode, windows,
                                                        extent), windows)):
        colour = colors[n % len(colors)]
        outline_cells(ax, *box, colour, inset=0.06 * (n + 1))
        outline_cells(ax, (i, i + 1), (out_at + j, out_at + j + 1), colour)
    return ax


def _nice_ticks(lo, hi):
    """At most 5 ticks at multiples of 0.25, 0.5 or 1 within [lo, hi] (no locator search)."""
    for step in (0.25, 0.5, 1.0, 2.0, 5.0):
        ticks = np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step
        if len(ticks) <= 5:
            return ticks
    return np.array([lo, hi])


def plot_shift_changes(shifts, curves, current=None, ax=None, *, ylim=None, title=None,
                       ylabel="change vs. shift 0"):
    """Line chart of how much each output changed, per shift of the input.

    Parameters
    ----------
    shifts : sequence of int
    curves : Mapping[str, sequence of float]
        Label -> one value per shift (e.g. relative change of an output).
    current : int, optional
        Shift marked with a vertical line and dots.
    ax : matplotlib.axes.Axes, optional
    ylim : (float, float), optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    shifts = np.asarray(shifts)
    if ax is None:
        ax = new_figure((3.2, 2.4)).add_subplot()
    styles = ("o-", "s--", "^-.", "d:")
    for n, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=np.float64)
        ax.plot(shifts, values, styles[n % len(styles)], color=f"C{n}", label=label,
                markersize=4, linewidth=1.4)
        if current is not None:
            ax.plot([current], [values[list(shifts).index(current)]], "o", color=f"C{n}",
                    markersize=8, markerfacecolor="none", markeredgewidth=1.5)
    if current is not None:
        ax.axvline(current, color="#999999", linewidth=1, zorder=0)
    if ylim is not None:
        ax.set_ylim(*ylim)
        ax.set_yticks(_nice_ticks(*ylim))
    ax.set_xticks(shifts)
    ax.set_xlabel("shift (pixels)", fontsize=9)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def show_maps_row(maps, titles=None, ax=None, *, gap=2, vmin=0.0, vmax=1.0, cmap=SEQUENTIAL):
    """Several maps side by side in one Axes, coarse ones enlarged to the same height.

    A map whose height divides the largest height by an integer ``f`` is drawn with every
    cell as an ``f x f`` block with thin grey lines between cells, so that a pooled map sits
    at the same scale as the map it was pooled from. One image and one Axes for all maps
    (much faster than one Axes each).

    Parameters
    ----------
    maps : sequence of array_like, each (h, w)
    titles : sequence of str, optional
    ax : matplotlib.axes.Axes, optional
    gap : int
        Blank columns between maps.
    vmin, vmax : float
        One colour scale for all maps.
    cmap : str

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    maps = [np.asarray(m, dtype=np.float64) for m in maps]
    H = max(m.shape[0] for m in maps)
    blocks, factors = [], []
    for m in maps:
        f, rest = divmod(H, m.shape[0])
        if rest:
            raise ValueError(f"map of height {m.shape[0]} does not divide the largest height {H}")
        factors.append(f)
        blocks.append(np.kron(m, np.ones((f, f))))
    width = sum(b.shape[1] for b in blocks) + gap * (len(blocks) - 1)
    canvas = np.full((H, width), np.nan)
    if ax is None:
        ax = new_figure((0.18 * width + 0.2, 0.18 * H + 0.5)).add_subplot()
    starts, c = [], 0
    for b in blocks:
        canvas[:b.shape[0], c:c + b.shape[1]] = b
        starts.append(c)
        c += b.shape[1] + gap
    cm = colormaps[cmap].with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(canvas), cmap=cm, norm=Normalize(vmin, vmax),
              interpolation="nearest", aspect="equal")
    ax.set_axis_off()
    segs = []
    for c0, b, f in zip(starts, blocks, factors):
        h, w = b.shape
        if f > 1:
            segs += [((c0 + x - 0.5, -0.5), (c0 + x - 0.5, h - 0.5)) for x in range(f, w, f)]
            segs += [((c0 - 0.5, y - 0.5), (c0 + w - 0.5, y - 0.5)) for y in range(f, h, f)]
        corners = [(c0 - 0.5, -0.5), (c0 + w - 0.5, -0.5), (c0 + w - 0.5, h - 0.5),
                   (c0 - 0.5, h - 0.5)]
        segs += [(corners[n], corners[(n + 1) % 4]) for n in range(4)]      # the border
    ax.add_collection(LineCollection(segs, colors="#888888", linewidths=0.6), autolim=False)
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(H - 0.5, -0.5)
    for c0, b, title in zip(starts, blocks, titles or []):
        ax.text(c0 + (b.shape[1] - 1) / 2, -1.0, title, ha="center", va="bottom", fontsize=10)
    return ax


def show_blocks(blocks, ax, *, cell=None, fontsize=None):
    """Several small arrays in ONE Axes, each with its own colours, numbers and title.

    Much faster than one Axes per array (creating an Axes costs more than drawing a small
    array). Coordinates are cells: block ``b`` occupies rows ``at[0] .. at[0]+h-1`` and
    columns ``at[1] .. at[1]+w-1``; draw outlines on top with :func:`outline_cells` in the
    same coordinates.

    Parameters
    ----------
    blocks : sequence of dict
        Keys: ``a`` (2-D array; NaN cells get the ``bad`` colour and no number), ``at``
        ((row, col) of the top-left cell), and optionally ``cmap``, ``vmin``, ``vmax``,
        ``title``, ``decimals`` (default 2), ``numbers`` (default True), ``bad`` (colour
        of NaN cells, default pale grey), ``frame`` (default True: a thin grey border).
    ax : matplotlib.axes.Axes
        Its limits are set to the union of the blocks; the Axes itself is hidden.
    cell : float, optional
        Size of a cell in points, to fit the numbers; default: from the Axes size.
    fontsize : float, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    rows = max(b["at"][0] + np.shape(b["a"])[0] for b in blocks)
    cols = max(b["at"][1] + np.shape(b["a"])[1] for b in blocks)
    r_min = min(b["at"][0] for b in blocks)
    c_min = min(b["at"][1] for b in blocks)
    if cell is None:
        box, fig = ax.get_position(), ax.figure
        cell = 72 * min(box.width * fig.get_figwidth() / (cols - c_min),
                        box.height * fig.get_figheight() / (rows - r_min))
    segs, frames = [], []
    for b in blocks:
        a = np.asarray(b["a"])
        data = a.astype(np.float64)
        h, w = data.shape
        r0, c0 = b["at"]
        cm = colormaps[b.get("cmap", SEQUENTIAL)].with_extremes(bad=b.get("bad", "#f2f2f2"))
        finite = data[np.isfinite(data)]
        lo = b.get("vmin", float(finite.min()) if finite.size else 0.0)
        hi = b.get("vmax", float(finite.max()) if finite.size else 1.0)
        im = ax.imshow(np.ma.masked_invalid(data), cmap=cm,
                       norm=Normalize(lo, hi if hi > lo else lo + 1), interpolation="nearest",
                       extent=(c0 - 0.5, c0 + w - 0.5, r0 + h - 0.5, r0 - 0.5))
        segs += [((c0 + x - 0.5, r0 - 0.5), (c0 + x - 0.5, r0 + h - 0.5)) for x in range(1, w)]
        segs += [((c0 - 0.5, r0 + y - 0.5), (c0 + w - 0.5, r0 + y - 0.5)) for y in range(1, h)]
        if b.get("numbers", True):
            size = fontsize
            if size is None:
                places = 0 if np.issubdtype(a.dtype, np.integer) else b.get("decimals", 2)
                texts = [format_number(v, places) for v in finite.ravel().tolist()]
                widest = max((_text_width(t) for t in texts), default=0.6)
                size = max(5.0, min(12.0, 0.42 * cell, 0.82 * cell / max(widest, 0.6)))
            before = len(ax.collections)
            _write_numbers(ax, a, data, im, b.get("decimals", 2), size)
            for coll in ax.collections[before:]:
                coll.set_offsets(np.asarray(coll.get_offsets()) + (c0, r0))
        if b.get("frame", True):
            frames.append(((c0 - 0.5, r0 - 0.5), (c0 + w - 0.5, r0 - 0.5),
                           (c0 + w - 0.5, r0 + h - 0.5), (c0 - 0.5, r0 + h - 0.5),
                           (c0 - 0.5, r0 - 0.5)))
        if b.get("title"):
            ax.text(c0 + (w - 1) / 2, r0 - 0.75, b["title"], ha="center", va="bottom",
                    fontsize=10)
    grid = LineCollection(segs, colors="white", linewidths=1.0, zorder=3)
    ax.add_collection(grid, autolim=False)
    border = LineCollection(frames, colors="#555555", linewidths=0.8, zorder=4)
    border.set_clip_on(False)                  # frames lie on the Axes' edge: draw them whole
    ax.add_collection(border, autolim=False)
    ax.set_xlim(c_min - 0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, r_min - 0.5)
    ax.set_axis_off()
    return ax


def show_change_table(shifts, curves, current=None, ax=None, *, vmax=None,
                      title="change vs. shift 0 (%)"):
    """A table of numbers: one row per output, one column per shift, current shift outlined.

    The same information as :func:`plot_shift_changes`, drawn as coloured cells with their
    values (percent, rounded) -- cheaper to draw, and exact to read.

    Parameters
    ----------
    shifts : sequence of int
    curves : Mapping[str, sequence of float]
        Row label -> relative change per shift (1.0 = 100 %).
    current : int, optional
        Shift whose column is outlined.
    ax : matplotlib.axes.Axes, optional
    vmax : float, optional
        Top of the colour scale, in percent (default: the largest value).

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    shifts = list(shifts)
    table = np.rint(100 * np.array([list(v) for v in curves.values()], dtype=np.float64))
    table = table.astype(np.int64)
    if ax is None:
        ax = new_figure((0.3 * len(shifts) + 1.4, 0.3 * len(curves) + 0.8),
                        layout=None).add_axes([0.3, 0.15, 0.68, 0.6])
    top = float(table.max()) if vmax is None else vmax
    header = np.array([shifts], dtype=np.int64)      # written like cell numbers: cheap
    show_blocks([dict(a=table, at=(0, 0), vmin=0, vmax=max(top, 1.0), title=title),
                 dict(a=header, at=(len(curves), 0), cmap="Greys", vmin=0, vmax=1e9,
                      frame=False)], ax)
    for r, label in enumerate(curves):
        ax.text(-0.8, r, label, ha="right", va="center", fontsize=8)
    ax.text(-0.8, len(curves), "shift", ha="right", va="center", fontsize=8)
    if current is not None:
        c = shifts.index(current)
        outline_cells(ax, (0, len(curves)), (c, c + 1))
    return ax
