"""Drawings of the chapters *A small CNN, by hand* and *Learning a kernel*.

Pure functions: they take arrays (feature maps, pooled features and scores, a loss
history), draw them with the conventions of :mod:`convkit.plot`, and return the Figure
or Axes. The computing is done by the caller.

- :func:`feature_maps`: the channels of one layer's output side by side, on one fixed
  colour scale (diverging around 0 for signed maps, viridis from 0 after a ReLU), in a
  figure whose size does not depend on the number of channels (demo frames).
- :func:`weight_grid`: the kernels of a convolution layer, one row per output channel
  and one column per input channel, with their numbers.
- :func:`cnn_scores`: the globally pooled features and the scores of the linear layer
  as two bar charts with fixed limits.
- :func:`loss_curve`: a loss history on a log scale, optionally drawn up to one step
  with the rest of the curve faint.
- :func:`place_image`: an image put straight onto a figure at a pixel position, enlarged
  by a whole number, without an Axes (cheap, for demo frames).

See Also
--------
convkit.widgets.explore_cnn, convkit.widgets.explore_learning
Book chapters: ``book/cnn_by_hand.ipynb``, ``book/learning_a_kernel.ipynb``.
"""
from __future__ import annotations

import numpy as np

import math

from matplotlib import colormaps
from matplotlib.colors import Normalize

from ._base import DIVERGING, SEQUENTIAL, new_figure, show_array

__all__ = ["feature_maps", "weight_grid", "cnn_scores", "loss_curve", "place_image"]

_TITLE_IN = 0.28      # height of a panel title, inches
_LABEL_IN = 0.30      # height of the figure label band, inches


def feature_maps(maps, titles=None, *, ncols=None, signed="auto", vmax=None, cmap=None,
                 panel_size=1.4, label=None, dpi=72):
    """The channels of a feature map, one panel each, on one colour scale.

    Drawn as ONE picture (the panels colour-mapped and placed side by side, titles
    above): several times faster than one Axes per panel, which matters for demos.

    Parameters
    ----------
    maps : array_like, shape (C, H, W)
        One layer's output for one image.
    titles : sequence of str, optional
        One title per channel (default ``"channel 0"``, ...).
    ncols : int, optional
        Panel slots in the row (default C). Give the same number for every frame of a
        demo: the figure then has the same size whatever C is (unused slots stay empty).
    signed : {'auto', True, False}
        Signed maps (before a ReLU) use :data:`DIVERGING` from ``-vmax`` to ``vmax``
        (white = 0); others use `cmap` from 0 to `vmax`. 'auto': has a negative value.
    vmax : float, optional
        Colour limit shared by every panel (default: the largest ``|value|``); give the
        same value for every frame of a demo.
    cmap : str, optional
        Colormap of unsigned maps (default :data:`SEQUENTIAL`; ``'gray'`` for images).
    panel_size : float
        Width of one panel, inches.
    label : str, optional
        A line of text above the panels (e.g. the layer and its output shape).
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim == 2:
        maps = maps[None]
    if maps.ndim != 3:
        raise ValueError(f"maps.shape={maps.shape}: expected (C, H, W)")
    C, h, w = maps.shape
    titles = [f"channel {c}" for c in range(C)] if titles is None else list(titles)
    if len(titles) != C:
        raise ValueError(f"{len(titles)} titles for {C} channels")
    ncols = C if ncols is None else int(ncols)
    if ncols < C:
        raise ValueError(f"ncols={ncols} is smaller than the {C} channels")
    is_signed = bool(np.any(maps < 0)) if signed == "auto" else bool(signed)
    m = float(np.abs(maps).max()) if vmax is None else float(vmax)
    m = m or 1.0
    norm = Normalize(-m, m) if is_signed else Normalize(0.0, m)
    cm = colormaps[DIVERGING if is_signed else (cmap or SEQUENTIAL)]
    rgb = cm(norm(maps))[..., :3]                                  # (C, h, w, 3)
    # one picture, one canvas pixel per screen pixel: every map is enlarged by a whole
    # number (crisp pixels) and centred in its panel
    panel = int(round(panel_size * dpi))
    zoom = max(1, panel // max(h, w))
    ph, pw = h * zoom, w * zoom
    gap = max(2, int(round(0.08 * dpi)))
    title_px = int(round(_TITLE_IN * dpi))
    top = title_px + (int(round(_LABEL_IN * dpi)) if label else 2)
    W = ncols * panel + (ncols + 1) * gap
    H = top + panel + gap
    canvas = np.ones((H, W, 3))
    for c in range(C):
        x0 = gap + c * panel + c * gap + (panel - pw) // 2
        y0 = top + (panel - ph) // 2
        canvas[y0 - 1:y0 + ph + 1, x0 - 1:x0 + pw + 1] = 0.33       # thin frame
        canvas[y0:y0 + ph, x0:x0 + pw] = rgb[c].repeat(zoom, 0).repeat(zoom, 1)
    fig = new_figure((W / dpi, H / dpi), dpi=dpi, layout=None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(canvas, interpolation="nearest", aspect="auto")
    ax.set_axis_off()
    for c, title in enumerate(titles):
        ax.text(gap + c * (panel + gap) + panel / 2 - 0.5, top - 4, title, ha="center",
                va="bottom", fontsize=9)
    if label:
        ax.text(gap - 0.5, 3, label, ha="left", va="top", fontsize=10, fontweight="bold")
    return fig


def weight_grid(weight, out_names=None, in_names=None, *, vmax=None, cell_size=0.3, dpi=72):
    """The kernels of a convolution layer: row = output channel, column = input channel.

    Parameters
    ----------
    weight : array_like, shape (C_out, C_in, kH, kW)
    out_names, in_names : sequence of str, optional
        Row labels (left) and column titles (top).
    vmax : float, optional
        One symmetric colour limit for every kernel (default: the largest ``|weight|``).
    cell_size : float
        Inches per kernel cell.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(f"weight.shape={w.shape}: expected (C_out, C_in, kH, kW)")
    C_out, C_in, kh, kw = w.shape
    m = float(np.abs(w).max()) if vmax is None else float(vmax)
    m = m or 1.0
    left = 1.3 if out_names is not None else 0.1
    top = 0.35 if in_names is not None else 0.1
    gap = 0.15
    pw, ph = kw * cell_size, kh * cell_size
    width = left + C_in * (pw + gap)
    height = top + C_out * (ph + gap)
    fig = new_figure((width, height), dpi=dpi, layout=None)
    for o in range(C_out):
        for i in range(C_in):
            x0 = left + i * (pw + gap)
            y0 = height - top - (o + 1) * ph - o * gap
            ax = fig.add_axes((x0 / width, y0 / height, pw / width, ph / height))
            show_array(w[o, i], ax, signed=True, vmin=-m, vmax=m)
            if o == 0 and in_names is not None:
                ax.set_title(in_names[i], fontsize=9)
        if out_names is not None:
            fig.text((left - 0.1) / width, (height - top - o * (ph + gap) - ph / 2) / height,
                     out_names[o], ha="right", va="center", fontsize=9)
    return fig


def _bars(ax, values, names, lim, colour, title):
    """Horizontal bars with their values written beside them; names left of the axes."""
    values = np.asarray(values, dtype=np.float64)
    pos = np.arange(values.size)
    span = lim[1] - lim[0]
    ax.barh(pos, values, color=[colour if v >= 0 else "#0072B2" for v in values], height=0.6)
    for p, v, name in zip(pos, values, names):
        ax.text(v + (0.02 if v >= 0 else -0.02) * span, p, f"{v:.2f}", va="center",
                ha="left" if v >= 0 else "right", fontsize=9)
        ax.text(lim[0] - 0.03 * span, p, name, va="center", ha="right", fontsize=9,
                clip_on=False)
    ax.set_ylim(values.size - 0.5, -0.5)
    ax.set_xlim(*lim)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_visible(False)          # values are written on the bars; no tick layout
    ax.yaxis.set_visible(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10)
    return ax


def cnn_scores(features, scores, *, feature_names, score_names, feature_lim=None,
               score_lim=None, figsize=(7.4, 2.0), label=None, dpi=72):
    """Globally pooled features and the linear layer's scores, as two bar charts.

    Parameters
    ----------
    features : array_like, shape (C,)
        One number per channel of the last convolution (after global average pooling).
    scores : array_like, shape (K,)
        The outputs of the linear layer.
    feature_names, score_names : sequence of str
    feature_lim, score_lim : (float, float), optional
        Fixed x-limits (give the same to every frame of a demo); default: from the data.
    figsize : (float, float)
        Inches; match the size of the demo's other frames.
    label : str, optional
        A line of text above the charts.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    features = np.asarray(features, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)

    def default(v):
        lo, hi = min(0.0, float(v.min())), max(0.0, float(v.max()))
        span = (hi - lo) or 1.0
        return lo - 0.05 * span, hi + 0.25 * span

    feature_lim = default(features) if feature_lim is None else feature_lim
    score_lim = default(scores) if score_lim is None else score_lim
    fig = new_figure(figsize, dpi=dpi, layout=None)
    top = 1 - (_LABEL_IN + 0.35) / figsize[1] if label else 1 - 0.35 / figsize[1]
    bottom = 0.28 / figsize[1]
    left_ax = fig.add_axes((0.2, bottom, 0.27, top - bottom))
    right_ax = fig.add_axes((0.7, bottom, 0.27, top - bottom))
    _bars(left_ax, features, feature_names, feature_lim, "#E69F00", "global average pool")
    _bars(right_ax, scores, score_names, score_lim, "#009E73", "linear layer: scores")
    if label:
        fig.text(0.08 / figsize[0], 1 - 0.05 / figsize[1], label, ha="left", va="top",
                 fontsize=10, fontweight="bold")
    return fig


def _decade_label(value, _pos=None):
    """1e-03 -> '1e\u22123', 100 -> '100', 1 -> '1' (plain text, true minus sign)."""
    e = round(math.log10(value))
    text = str(int(value)) if 0 <= e <= 3 else f"1e{e}"
    return text.replace("-", "\u2212")


def loss_curve(losses, ax=None, *, upto=None, log=True, color="C0", title="loss",
               xlabel="iteration", ylim=None):
    """A loss history: the whole curve faint, drawn up to `upto`, with a dot at `upto`.

    Axis labels are written as plain text at a few round values (decades on a log
    scale) instead of through matplotlib's tick machinery, which is several times
    slower to draw -- this is drawn in every frame of a step-through demo.

    Parameters
    ----------
    losses : array_like, shape (T,)
        Loss at iterations 0 .. T-1 (positive if `log`).
    ax : matplotlib.axes.Axes, optional
    upto : int, optional
        Last iteration drawn in full colour (default: all). The limits always cover the
        whole history, so frames of a step-through demo do not jump.
    log : bool
        Logarithmic y-axis (losses that fall by orders of magnitude).
    color : color
    title, xlabel : str
    ylim : (float, float), optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"losses.shape={losses.shape}: expected a non-empty 1-D history")
    if log and not np.all(losses > 0):
        raise ValueError("a log scale needs positive losses; use log=False")
    if ax is None:
        ax = new_figure((3.2, 2.2)).add_subplot()
    t = np.arange(losses.size)
    upto = losses.size - 1 if upto is None else int(upto)
    if not 0 <= upto < losses.size:
        raise ValueError(f"upto={upto} must be between 0 and {losses.size - 1}")
    shown = np.log10(losses) if log else losses
    if ylim is None:
        lo, hi = float(shown.min()), float(shown.max())
        pad = 0.05 * ((hi - lo) or 1.0)
        lo, hi = lo - pad, hi + pad
    else:
        lo, hi = (math.log10(v) for v in ylim) if log else ylim
    last = max(1, losses.size - 1)
    ax.plot(t, shown, color="#bbbbbb", linewidth=1.0)
    ax.plot(t[:upto + 1], shown[:upto + 1], color=color, linewidth=1.6)
    ax.plot([upto], [shown[upto]], "o", color=color, markersize=5)
    ax.set_xlim(0, last)
    ax.set_ylim(lo, hi)
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if log:
        first, end = math.ceil(lo), math.floor(hi)
        every = max(1, math.ceil((end - first + 1) / 4))
        yticks = [(e, _decade_label(10.0 ** e)) for e in range(first, end + 1)
                  if (e - first) % every == 0]
    else:
        yticks = [(v, f"{v:g}") for v in np.linspace(lo, hi, 3)]
    for v, text in yticks:
        ax.text(-0.02 * last, v, text, ha="right", va="center", fontsize=8, clip_on=False)
    ax.text(last / 2, lo - 0.03 * (hi - lo), f"{xlabel} 0 to {last}", ha="center", va="top",
            fontsize=9, clip_on=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def place_image(fig, img, left, bottom, *, zoom=1, signed=False, cmap=None, vmin=None,
                vmax=None, title=None, fontsize=10):
    """Put a colour-mapped image onto `fig` at a pixel position, without an Axes.

    The image is enlarged by the whole number `zoom` (crisp pixels) and framed by a thin
    grey line. No Axes means no axis machinery to build and draw: much cheaper than
    :func:`convkit.plot.show_image` in frames of a demo.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    img : array_like, shape (H, W)
    left, bottom : int
        Position of the lower-left corner in figure pixels (from the lower left).
    zoom : int
        Screen pixels per image pixel.
    signed : bool
        Use :data:`DIVERGING` with limits symmetric around 0, else `cmap` (default grey).
    cmap : str, optional
    vmin, vmax : float, optional
        Colour limits (default: the data range, or ``max |img|`` if signed).
    title : str, optional
        Written centred above the image.
    fontsize : float

    Returns
    -------
    matplotlib.image.FigureImage
    """
    a = np.asarray(img, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"img.shape={a.shape}: expected (H, W)")
    zoom = int(zoom)
    if signed:
        m = max(abs(v) for v in (vmin, vmax) if v is not None) if (vmin, vmax) != (None, None) \
            else float(np.abs(a).max())
        norm = Normalize(-(m or 1.0), m or 1.0)
        cm = colormaps[DIVERGING]
    else:
        lo = float(a.min()) if vmin is None else float(vmin)
        hi = float(a.max()) if vmax is None else float(vmax)
        norm = Normalize(lo, hi if hi > lo else lo + 1.0)
        cm = colormaps[cmap or "gray"]
    rgb = cm(norm(a))[..., :3].repeat(zoom, 0).repeat(zoom, 1)
    framed = np.full((rgb.shape[0] + 2, rgb.shape[1] + 2, 3), 0.33)
    framed[1:-1, 1:-1] = rgb
    # figimage puts row 0 at the bottom unless told otherwise
    image = fig.figimage(framed, xo=int(left), yo=int(bottom), origin="upper")
    if title:
        fig.text((left + framed.shape[1] / 2) / (fig.get_figwidth() * fig.dpi),
                 (bottom + framed.shape[0] + 4) / (fig.get_figheight() * fig.dpi), title,
                 ha="center", va="bottom", fontsize=fontsize)
    return image
