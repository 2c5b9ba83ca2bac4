"""Drawings for the chapter *1×1 convolution*: the matrix multiply at one pixel, and the
cost of a layer with and without a 1×1 bottleneck.

Pure functions: they take data (and optionally a Figure or Axes), draw, and return it.

See Also
--------
convkit.conv2d, convkit.conv_cost
Book: ``book/pointwise.ipynb``.
"""
from __future__ import annotations

import numpy as np

from ._base import DIVERGING, SEQUENTIAL, format_number, new_figure
from ._pooling import outline_cells, show_blocks

__all__ = ["show_pixel_matmul", "plot_cost_bars"]


def show_pixel_matmul(x, weight, pixel=(0, 0), fig=None, *, cell=0.32, xlim=None, ylim=None):
    """A 1×1 convolution as a matrix multiply at one pixel.

    Draws the input channels and the output channels side by side with `pixel` outlined,
    and under them the weight matrix ``W`` (``C_out x C_in``) times the pixel's channel
    vector, equal to the pixel's output vector ``W @ x[:, i, j]``.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
        Small (H, W at most 8) so that every number shows.
    weight : array_like, shape (C_out, C_in, 1, 1) or (C_out, C_in)
    pixel : (int, int)
    fig : matplotlib.figure.Figure, optional
        A figure made by :func:`convkit.plot.new_figure` with ``layout=None``; default:
        a new one of the right size.
    cell : float
        Size of one cell in inches.
    xlim, ylim : float, optional
        Colour limits: ``(0, xlim)`` for the input (default: its maximum), ``±ylim`` for
        the weights and outputs (default: their largest magnitude). Give the same to every
        frame of a demo.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 4:
        if w.shape[2:] != (1, 1):
            raise ValueError(f"weight.shape={w.shape}: a 1x1 convolution needs (C_out, C_in, 1, 1)")
        w = w[:, :, 0, 0]
    if x.ndim != 3 or w.ndim != 2 or w.shape[1] != x.shape[0]:
        raise ValueError(f"x.shape={x.shape} and weight {w.shape}: need x (C_in, H, W) and "
                         "weight (C_out, C_in)")
    c_in, h, wd = x.shape
    c_out = w.shape[0]
    i, j = pixel
    y = np.tensordot(w, x, axes=1)                  # (C_out, H, W): W @ x at every pixel
    v, u = x[:, i, j], y[:, i, j]
    xlim = float(x.max()) if xlim is None else xlim
    ylim = float(max(np.abs(w).max(), np.abs(y).max())) if ylim is None else ylim
    # one Axes, coordinates in cells. Top row: inputs | outputs; below: W . v = u
    blocks, in_cols, out_cols = [], [], []
    signed = dict(cmap=DIVERGING, vmin=-ylim, vmax=ylim)
    col = 0
    for k in range(c_in):
        blocks.append(dict(a=x[k], at=(0, col), cmap=SEQUENTIAL, vmin=0, vmax=xlim,
                           title=f"in {k}"))
        in_cols.append(col)
        col += wd + 1
    col += 2
    for k in range(c_out):
        blocks.append(dict(a=y[k], at=(0, col), title=f"out {k}", **signed))
        out_cols.append(col)
        col += wd + 1
    cols = col - 1
    row = h + 2
    start = max(0, (cols - (c_in + 6)) // 2)
    dot, eq = start + c_in + 1, start + c_in + 4
    blocks += [dict(a=w, at=(row, start), title="W", **signed),
               dict(a=v[:, None], at=(row, dot + 1), cmap=SEQUENTIAL, vmin=0, vmax=xlim,
                    title=f"x[:, {i}, {j}]"),
               dict(a=u[:, None], at=(row, eq + 1), title=f"y[:, {i}, {j}]", **signed)]
    rows = row + max(c_in, c_out)
    top, margin = 0.35, 0.1
    if fig is None:
        fig = new_figure((max(cols, c_in + 6) * cell + 2 * margin, rows * cell + top + margin),
                         layout=None)
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes([margin / fw, margin / fh, max(cols, c_in + 6) * cell / fw,
                       rows * cell / fh])
    show_blocks(blocks, ax, cell=72 * cell)
    for c0 in in_cols + out_cols:
        outline_cells(ax, (i, i + 1), (c0 + j, c0 + j + 1))
    centre = row + (min(c_in, c_out) - 1) / 2
    for c, sym in ((dot, "\u00b7"), (eq, "=")):
        ax.text(c, centre, sym, ha="center", va="center", fontsize=16)
    return fig


def plot_cost_bars(rows, ax=None, *, xmax=None, unit=1.0, unit_name="", title=None,
                   colors=("#0072B2", "#E69F00", "#009E73"), labels=True, fontsize=9):
    """Horizontal stacked bars: the cost of each variant of a layer, split into its parts.

    Each bar is labelled with its total; no axis ticks are drawn (the numbers are on the
    bars), which keeps the drawing light enough for demo frames.

    Parameters
    ----------
    rows : Mapping[str, Mapping[str, float]]
        Bar label -> (part label -> value), e.g. ``{"5x5": {"5x5": 1.2e8}, "1x1 + 5x5":
        {"1x1": 2.4e6, "5x5": 1.0e7}}``; parts with the same label share a colour.
    ax : matplotlib.axes.Axes, optional
    xmax : float, optional
        Fixed axis length (in raw units); give the same to every frame of a demo.
    unit : float
        Values are divided by this for the labels (e.g. 1e6).
    unit_name : str
        Written under the bars, e.g. "million MACs".
    title : str, optional
    colors : sequence of colors
    labels : bool
        Write the bar labels to the left of the bars.
    fontsize : float

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    if ax is None:
        fig = new_figure((4.0, 0.6 + 0.35 * len(rows)), layout=None)
        ax = fig.add_axes([0.35, 0.25, 0.55, 0.6])
    parts = list(dict.fromkeys(p for r in rows.values() for p in r))
    names = list(rows)
    ys = np.arange(len(names))[::-1]
    totals = [sum(r.values()) / unit for r in rows.values()]
    top = (max(totals) if xmax is None else xmax / unit) or 1.0
    for y, name, total in zip(ys, names, totals):
        left = 0.0
        for part, value in rows[name].items():
            ax.barh(y, value / unit, left=left, height=0.6,
                    color=colors[parts.index(part) % len(colors)], edgecolor="white",
                    linewidth=0.5)
            left += value / unit
        ax.text(left + 0.01 * top, y, format_number(total, 1), va="center", ha="left",
                fontsize=fontsize)
        if labels:
            ax.text(-0.02 * top, y, name, va="center", ha="right", fontsize=fontsize)
    ax.set_xlim(0, 1.15 * top)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_axis_off()
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.text(0.5 * top, -0.75, unit_name, ha="center", va="top", fontsize=fontsize)
    if title:
        ax.set_title(title, fontsize=9)
    return ax
