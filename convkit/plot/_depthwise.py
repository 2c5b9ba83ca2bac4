"""Pictures of grouped and depthwise-separable convolution: who sees what, and what it costs.

Pure drawing functions for the chapter *Depthwise-separable convolution* and its demos:
:func:`show_groups` (which input channels each filter reads), :func:`show_costs` (costs
of layer variants on a log scale), :func:`show_separable_saving` (the speed-up
``1 / (1/C_out + 1/k²)`` against the channel count) and :func:`show_filter_bank` (a
layer's kernels as a grid).

See Also
--------
convkit.conv_cost, convkit.widgets.explore_groups, convkit.widgets.explore_conv_cost
Book: ``book/depthwise.ipynb``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgb

from ._base import DIVERGING, new_figure, show_array

__all__ = ["GROUP_COLOURS", "show_groups", "show_costs", "show_cost_panels", "format_count",
           "show_separable_saving", "filter_mosaic", "show_filter_bank"]

GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#000000")
"""Okabe-Ito colours (colour-blind safe), cycled over the groups."""


def show_groups(c_in, c_out, groups, fig=None):
    """Which input channels each filter of a grouped convolution reads.

    Left: input channels (left column) joined to the filters (right column) that read
    them, one colour per group. Right: the same as a filters x input-channels table,
    filled where a filter reads a channel -- block diagonal, with ``groups`` blocks.
    ``groups=1`` is a standard convolution (every filter reads every channel),
    ``groups=c_in`` a depthwise one (each filter reads one channel).

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels; `groups` must divide both.
    groups : int
    fig : Figure, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    c_in, c_out, groups = int(c_in), int(c_out), int(groups)
    if c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide c_in={c_in} and c_out={c_out}")
    if fig is None:
        fig = new_figure((6.4, 3.2), layout=None)
    per_in, per_out = c_in // groups, c_out // groups
    colour = [GROUP_COLOURS[g % len(GROUP_COLOURS)] for g in range(groups)]

    ax = fig.add_axes([0.01, 0.02, 0.5, 0.86])
    rows = max(c_in, c_out)
    y_in = (np.arange(c_in) + 0.5) * rows / c_in
    y_out = (np.arange(c_out) + 0.5) * rows / c_out
    segs, cols = [], []
    for o in range(c_out):
        g = o // per_out
        for c in range(g * per_in, (g + 1) * per_in):
            segs.append(((0.12, y_in[c]), (0.88, y_out[o])))
            cols.append(colour[g])
    ax.add_collection(LineCollection(segs, colors=cols, linewidths=0.8, alpha=0.8))
    h_in, h_out = 0.8 * rows / c_in, 0.8 * rows / c_out
    boxes = [_box(0.0, y - h_in / 2, 0.12, h_in) for y in y_in]
    boxes += [_box(0.88, y - h_out / 2, 0.12, h_out) for y in y_out]
    faces = [colour[c // per_in] for c in range(c_in)]
    faces += [colour[o // per_out] for o in range(c_out)]
    ax.add_collection(PolyCollection(boxes, facecolors=faces, edgecolors="white", linewidths=0.5))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(rows, 0)
    ax.set_axis_off()
    ax.text(0.06, -0.02 * rows, "input\nchannels", ha="center", va="bottom", fontsize=9)
    ax.text(0.94, -0.02 * rows, "filters\n(output channels)", ha="center", va="bottom",
            fontsize=9)

    ax = fig.add_axes([0.6, 0.08, 0.38, 0.78])
    table = np.ones((c_out, c_in, 3))
    for o in range(c_out):
        g = o // per_out
        table[o, g * per_in:(g + 1) * per_in] = to_rgb(colour[g])
    ax.imshow(table, interpolation="nearest", aspect="auto")
    grid = [((x, -0.5), (x, c_out - 0.5)) for x in np.arange(0.5, c_in - 1)]
    grid += [((-0.5, y), (c_in - 0.5, y)) for y in np.arange(0.5, c_out - 1)]
    ax.add_collection(LineCollection(grid, colors="#dddddd", linewidths=0.5), autolim=False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("input channel", fontsize=9)
    ax.set_ylabel("filter", fontsize=9)
    ax.set_title(f"each filter reads {per_in} of {c_in} channels", fontsize=10)
    return fig


def _box(x, y, w, h):
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def format_count(value, unit=""):
    """``1234567`` -> ``'1.23 M'``: three significant digits and k/M/G/T (and a unit)."""
    v = float(value)
    for scale, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale:
            return f"{v / scale:.3g} {prefix}{unit}"
    return f"{v:.3g} {unit}".rstrip()


def show_costs(values, ax=None, *, xmax=1.2, title=None, unit="", colours=None):
    """Horizontal bars: each layer variant's cost as a multiple of the first one.

    Parameters
    ----------
    values : Mapping[str, float]
        Variant name -> cost (parameters, MACs, bytes, ...), top to bottom; the first
        is the reference (its bar has length 1).
    ax : Axes, optional
    xmax : float
        Fixed axis length in multiples of the reference (the same in every frame of a
        demo); a longer bar is cut at `xmax` and marked with an arrow head.
    title : str, optional
    unit : str
        Appended to the value labels (e.g. ``"B"`` for bytes).
    colours : sequence of colours, optional

    Returns
    -------
    ax : Axes
        Each bar is labelled with its value (k/M/G) and its multiple of the reference; a
        dotted line marks 1 (the reference).
    """
    return show_cost_panels([(title, values, unit, xmax)], ax, colours=colours)


def show_cost_panels(panels, ax=None, *, gap=0.85, colours=None):
    """Several :func:`show_costs` panels side by side in ONE Axes (cheaper to draw).

    Parameters
    ----------
    panels : sequence of (title, values, unit, xmax)
        One panel each: a title (or None), a mapping variant -> cost (the first is the
        reference), a unit for the labels and the panel's fixed length in multiples of
        the reference. Every panel lists the same variants.
    ax : Axes, optional
    gap : float
        Room for the value labels after each panel, as a fraction of a panel's width.
    colours : sequence of colours, optional

    Returns
    -------
    ax : Axes
        Variant names as y tick labels; each panel is scaled to the same width.
    """
    names = list(panels[0][1])
    if ax is None:
        ax = new_figure((3.2 * len(panels), 0.6 + 0.4 * len(names))).add_subplot()
    colours = colours or GROUP_COLOURS
    ys = np.arange(len(names))[::-1]
    lefts, widths, bar_colours, bar_ys = [], [], [], []
    for j, (title, values, unit, xmax) in enumerate(panels):
        x0 = j * (1.0 + gap)
        ref = float(values[names[0]]) or 1.0
        for y, name, c in zip(ys, names, colours):
            v = float(values[name])
            r = v / ref
            shown = min(r, xmax) / xmax
            lefts.append(x0)
            widths.append(shown)
            bar_colours.append(c)
            bar_ys.append(y)
            label = f"{format_count(v, unit)}  ({_times(r)})"
            if r > xmax:
                ax.plot([x0 + 1.0], [y], marker=">", color=c, markersize=7, clip_on=False)
                ax.text(x0 + 0.97, y, label, va="center", ha="right", fontsize=8.5,
                        color="white", fontweight="bold")
            else:
                ax.text(x0 + shown + 0.02, y, label, va="center", ha="left", fontsize=8.5)
        ax.plot([x0 + 1.0 / xmax] * 2, [-0.45, len(names) - 0.55], color="#777777",
                linewidth=0.8, linestyle=":", zorder=0)
        ax.plot([x0, x0], [-0.5, len(names) - 0.5], color="black", linewidth=0.8)
        if title:
            ax.text(x0 + 0.5, len(names) - 0.3, title, ha="center", va="bottom", fontsize=10)
    ax.barh(bar_ys, widths, left=lefts, height=0.62, color=bar_colours)
    ax.set_xlim(-0.02, len(panels) * (1.0 + gap) - gap * 0.05)
    ax.set_ylim(-0.5, len(names) - 0.5)
    ax.xaxis.set_visible(False)          # the labels carry the numbers; no tick texts to draw
    ax.set_yticks(ys, names, fontsize=9)
    ax.tick_params(axis="y", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return ax


def _times(r):
    """0.113 -> '0.113×', 2 -> '2×', 33.1 -> '33.1×'."""
    return f"{r:.3g}×"


def show_separable_saving(channels, kernel_sizes=(3, 5, 7), ax=None):
    """Speed-up of depthwise-separable over standard convolution against the channel count.

    Plots ``std / sep = 1 / (1/C_out + 1/k²)`` for each kernel size (MACs, stride 1,
    same padding), with the ceiling ``k²`` it approaches as a dashed line. The ratio
    does not depend on the input size or ``C_in``.

    Parameters
    ----------
    channels : array_like of int
        Output-channel counts (x axis, log scale).
    kernel_sizes : sequence of int
    ax : Axes, optional

    Returns
    -------
    ax : Axes
    """
    c = np.asarray(channels, dtype=np.float64)
    if ax is None:
        ax = new_figure((5.0, 3.0)).add_subplot()
    for i, k in enumerate(kernel_sizes):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.plot(c, 1.0 / (1.0 / c + 1.0 / k ** 2), color=colour, linewidth=2,
                label=f"{k}×{k} kernel")
        ax.axhline(k ** 2, color=colour, linestyle="--", linewidth=1)
        ax.text(c[0], k ** 2, f" ceiling k² = {k * k}", color=colour, va="bottom", fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("output channels C_out", fontsize=9)
    ax.set_ylabel("MACs standard / separable", fontsize=9)
    ax.set_ylim(0, max(kernel_sizes) ** 2 * 1.12)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.86), frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def filter_mosaic(weight, gap=1):
    """A layer's kernels ``(C_out, C_in, k, k)`` as one 2-D array: row o, column c holds
    ``weight[o, c]``, separated by `gap` rows/columns of NaN."""
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(f"weight has shape {w.shape}; expected (C_out, C_in, kH, kW)")
    o, c, kh, kw = w.shape
    out = np.full((o * (kh + gap) - gap, c * (kw + gap) - gap), np.nan)
    for i in range(o):
        for j in range(c):
            out[i * (kh + gap):i * (kh + gap) + kh, j * (kw + gap):j * (kw + gap) + kw] = w[i, j]
    return out


def show_filter_bank(weight, ax=None, *, vmax=None, title=None):
    """Draw every kernel of a layer in a grid: one row per filter, one column per input channel.

    Parameters
    ----------
    weight : ndarray, shape (C_out, C_in, k, k)
    ax : Axes, optional
    vmax : float, optional
        Colour limit (diverging scale, centred on 0).
    title : str, optional

    Returns
    -------
    ax : Axes
    """
    w = np.asarray(weight, dtype=np.float64)
    m = filter_mosaic(w)
    if ax is None:
        ax = new_figure((0.25 * m.shape[1] + 0.4, 0.25 * m.shape[0] + 0.6)).add_subplot()
    vmax = vmax if vmax is not None else float(np.abs(w).max() or 1.0)
    show_array(m, ax, numbers=False, grid=False, cmap=DIVERGING, signed=True, vmin=-vmax,
               vmax=vmax, title=title)
    kh, kw = w.shape[2:]
    ax.xaxis.set_visible(True)
    ax.yaxis.set_visible(True)
    ax.set_xticks([j * (kw + 1) + (kw - 1) / 2 for j in range(w.shape[1])],
                  [f"c={j}" for j in range(w.shape[1])])
    ax.set_yticks([i * (kh + 1) + (kh - 1) / 2 for i in range(w.shape[0])],
                  [f"o={i}" for i in range(w.shape[0])])
    ax.tick_params(length=0, labelsize=8)
    return ax
