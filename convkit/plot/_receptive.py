"""Drawings for the chapter *Receptive field*: the field of one unit on an image, and the
units of every layer that feed it.

Pure functions in the style of :mod:`convkit.plot._base`: they take data and an optional
Axes, draw, and return the Axes; nothing is shown or saved.

See Also
--------
convkit.receptive_field, convkit.receptive_field_empirical,
convkit.widgets.explore_receptive_field, book/receptive_field.ipynb
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Bbox

from .._receptive import _as_layers, layer_gradients, receptive_field
from ._base import _labels, new_figure

__all__ = ["FIELD_COLOR", "BOUNDS_COLOR", "field_rgb", "show_field", "show_field_pixels",
           "show_field_layers", "layer_label"]

FIELD_COLOR = "#E69F00"
"""Tint of the pixels an output unit can see (Okabe-Ito orange)."""
BOUNDS_COLOR = "#0072B2"
"""Outline of the field given by the recurrence (Okabe-Ito blue)."""
_DIM = 0.4       # brightness kept outside the field


def field_rgb(image, mask):
    """The picture :func:`show_field` draws, as an RGB array (pure NumPy).

    Pixels in ``mask`` keep their brightness and get an orange tint; the others are
    dimmed to 40 %, so holes in a field show as dark pixels inside it.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grey levels in [0, 1].
    mask : array_like of bool, shape (H, W)

    Returns
    -------
    rgb : ndarray of float64, shape (H, W, 3), values in [0, 1]
    """
    image = np.clip(np.asarray(image, dtype=np.float64), 0.0, 1.0)
    mask = np.asarray(mask, dtype=bool)
    if image.ndim != 2 or mask.shape != image.shape:
        raise ValueError(f"image.shape={image.shape} and mask.shape={mask.shape} must be the "
                         "same (H, W)")
    tint = np.array([int(FIELD_COLOR[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    rgb = np.repeat((image * _DIM)[..., None], 3, axis=2)
    inside = image[mask][:, None]
    rgb[mask] = 0.55 * inside + 0.45 * tint * (0.35 + 0.65 * inside)
    return rgb


def _outline(bounds, to_display, clip=None):
    """Halo and dashed outline of a field ((r0, r1), (c0, c1)) in image coordinates."""
    (r0, r1), (c0, c1) = bounds
    patches = []
    for lw, colour in ((3.2, "white"), (1.6, BOUNDS_COLOR)):
        patch = Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0 + 1, r1 - r0 + 1, fill=False,
                          edgecolor=colour, linewidth=lw, antialiased=False,
                          linestyle="-" if colour == "white" else (0, (4, 2)),
                          transform=to_display)
        if clip is not None:
            patch.set_clip_box(clip)
        patches.append(patch)
    return patches


def show_field(image, mask, ax=None, *, bounds=None, centre=None, title=None):
    """A grey image with the receptive field of one unit highlighted.

    Pixels in ``mask`` keep their brightness and get an orange tint; the others are
    dimmed, so holes in a field (dilated or strided stacks) show as dark pixels inside it.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grey levels in [0, 1].
    mask : array_like of bool, shape (H, W)
        The pixels the unit can see (``receptive_field_empirical(..., result='mask')``).
    ax : matplotlib.axes.Axes, optional
    bounds : ((int, int), (int, int)), optional
        ``((first_row, last_row), (first_col, last_col))`` of the field given by the
        recurrence, drawn as a dashed blue outline (clipped to the image).
    centre : (float, float), optional
        (row, col) of the field's centre, marked with a small cross.
    title : str, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    rgb = field_rgb(image, mask)
    h, w = rgb.shape[:2]
    if ax is None:
        ax = new_figure((3.0 * w / max(h, w), 3.0 * h / max(h, w) + (0.3 if title else 0))
                        ).add_subplot()
    ax.imshow(rgb, interpolation="nearest")
    if bounds is not None:
        for patch in _outline(bounds, ax.transData):
            ax.add_patch(patch)
    if centre is not None:
        ax.plot([centre[1]], [centre[0]], marker="+", markersize=9, markeredgewidth=1.6,
                color=BOUNDS_COLOR)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def show_field_pixels(fig, image, mask, origin, scale=2, *, bounds=None, centre=None):
    """Like :func:`show_field`, drawn pixel-exact into a figure without an Axes.

    Each image pixel becomes ``scale`` x ``scale`` screen pixels (no resampling, so a
    grid of holes stays sharp), and no Axes is created: demos that redraw this for every
    frame save most of the cost.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    image, mask, bounds, centre
        As for :func:`show_field`.
    origin : (int, int)
        Screen pixel of the image's lower-left corner, from the figure's lower left.
    scale : int

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    rgb = field_rgb(image, mask)
    h, w = rgb.shape[:2]
    x0, y0 = origin
    big = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
    fig.figimage(big, xo=x0, yo=y0, origin="upper")
    # image coordinates (col, row) -> screen pixels; the centre of pixel (0, 0) is 0
    to_display = Affine2D().translate(0.5, 0.5).scale(scale, -scale).translate(x0, y0 + h * scale)
    clip = Bbox.from_extents(x0, y0, x0 + w * scale, y0 + h * scale)
    if bounds is not None:
        for patch in _outline(bounds, to_display, clip):
            fig.add_artist(patch)
    if centre is not None:
        fig.add_artist(Line2D([centre[1]], [centre[0]], marker="+", markersize=9,
                              markeredgewidth=1.6, color=BOUNDS_COLOR, transform=to_display))
    return fig


def layer_label(layer):
    """Short text for a layer: ``'conv 3×3 s2'``, ``'pool 2×2'``, ``'conv 3×3 d4'``."""
    L = _as_layers([layer])[0]
    text = f"{L.kind} {L.k}×{L.k}"
    if L.s != (L.k if L.kind == "pool" else 1):
        text += f" s{L.s}"
    if L.d != 1:
        text += f" d{L.d}"
    return text


def show_field_layers(layers, n, position, ax=None, *, xlim=None, ylim_top=None, title=None):
    """Every layer's units, in input coordinates, with those that feed one output unit.

    Row 0 is the input; row ``l`` shows the units of layer ``l`` at the centres of their
    fields (``start_l + i*j_l``), so their spacing is the jump ``j_l``. Units whose
    backpropagated gradient is non-zero (the ones that feed unit ``position`` of the last
    layer) are orange ticks; the rest are small grey dots.

    Parameters
    ----------
    layers : sequence of Layer, dict or tuple
        As for :func:`convkit.receptive_field`.
    n : int
        Input size (one dimension).
    position : int
        Output unit of the last layer.
    ax : matplotlib.axes.Axes, optional
    xlim : (float, float), optional
        Fixed horizontal limits (give the same to every frame of a demo); default: the input.
    ylim_top : float, optional
        Upper vertical limit (rows are 0, 1, ...); give the same to every frame of a demo
        so that rows stay in place as layers are added. Default: just above the last row.
    title : str, optional
        Written above the axes, at the left.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    stack = _as_layers(layers)
    table = receptive_field(stack, n=n)
    grads = layer_gradients(stack, n, position)
    if ax is None:
        ax = new_figure((4.0, 0.45 * len(stack) + 1.0)).add_subplot()
    starts = [0.0] + [f.start for f in table]
    jumps = [1] + [f.j for f in table]
    xs_all, ys_all, xs_hit, ys_hit, spans = [], [], [], [], []
    for row, (g, start, j) in enumerate(zip(grads, starts, jumps)):
        x = start + j * np.arange(g.size)
        hit = g != 0
        xs_all.append(x[~hit])
        ys_all.append(np.full((~hit).sum(), row))
        xs_hit.append(x[hit])
        ys_hit.append(np.full(hit.sum(), row))
        if hit.any():
            spans.append(((x[hit][0], row), (x[hit][-1], row)))
    ax.add_collection(LineCollection(spans, colors=FIELD_COLOR, linewidths=1.0, alpha=0.5,
                                     capstyle="butt"), autolim=False)
    ax.scatter(np.concatenate(xs_all), np.concatenate(ys_all), s=2, color="#9a9a9a",
               linewidths=0)
    ax.scatter(np.concatenate(xs_hit), np.concatenate(ys_hit), s=40, marker="|",
               color=FIELD_COLOR, linewidths=1.4)
    top = len(stack)
    q_x = table[-1].centre(position)
    ax.scatter([q_x], [top], s=38, marker="o", color=FIELD_COLOR, edgecolors="black",
               linewidths=0.8, zorder=3)
    lo, hi = xlim if xlim is not None else (-0.5, n - 0.5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-1.1, top + 0.6 if ylim_top is None else ylim_top)
    # labels and a ruler drawn directly: the axis machinery (tick layout) costs more than
    # the whole drawing, and this function is drawn for every frame of a demo
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    for side in ax.spines.values():
        side.set_visible(False)
    names = ["input"] + [f"{i}: {layer_label(L)}" for i, L in enumerate(stack, 1)]
    ticks = _nice_ticks(lo, hi)
    ruler = [((lo, -0.55), (hi, -0.55))] + [((t, -0.55), (t, -0.7)) for t in ticks]
    ax.add_collection(LineCollection(ruler, colors="black", linewidths=0.8, clip_on=False),
                      autolim=False)
    _labels(ax, [(lo - 0.02 * (hi - lo), row, name, 0.0, "right") for row, name in enumerate(names)], 9)
    _labels(ax, [(t, -0.95, f"{t:g}") for t in ticks], 9)
    _labels(ax, [((lo + hi) / 2, -1.45, "input position (pixels)")], 9)
    if title:
        _labels(ax, [(lo, ax.get_ylim()[1] + 0.35, title, 0.0, "left")], 10)
    return ax


def _nice_ticks(lo, hi, most=7):
    """Round tick positions (steps of 1, 2, 5 x 10^k) between lo and hi."""
    span = hi - lo
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if span / step <= most:
            break
    first = np.ceil(lo / step) * step
    return [float(t) + 0.0 for t in np.arange(first, hi + 1e-9, step)]    # + 0.0: no "-0"


