"""Drawings for the chapter *Multiple channels* (and the volume sketches of *3D convolution*).

:func:`channel_sum` shows how one filter turns a multi-channel input into one output
plane: each input channel is correlated with its own kernel slice and the results are
added, plus a bias. :func:`conv_volumes` sketches the input, the filters and the
output of a 2D or 3D convolution layer as boxes, with their shapes.

Pure functions: they take data and an optional ``ax``, return the Axes or Figure, and
never use pyplot or read files.

See Also
--------
book/channels.ipynb, book/conv3d.ipynb
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import FancyArrowPatch

from .._signal import correlate
from ._base import DIVERGING, SMALL, _labels, new_figure, show_array, show_image

__all__ = ["channel_sum", "conv_volumes"]


def channel_sum(x, weight, bias=0.0, *, names=None, out_channel=0, panel_size=1.9, dpi=72,
                vmax=None):
    """One filter on a multi-channel input: per-channel correlations, summed, plus a bias.

    Draws a grid with one column per input channel and a last column for the result:
    row 1 the input channel ``x[c]``, row 2 the kernel slice ``weight[o, c]``, row 3 the
    partial map ``x[c] ⋆ weight[o, c]`` (valid cross-correlation, titled with the ``+``
    that adds it to the others); the last column holds
    the bias and the output ``y[o] = sum_c x[c] ⋆ weight[o, c] + bias``, which is
    ``convkit.conv2d(x, weight)[o] + bias``.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W)
    weight : array_like, shape (C_in, kH, kW) or (C_out, C_in, kH, kW)
    bias : float
        The bias of output channel `out_channel`.
    names : sequence of str, optional
        Names of the input channels (default ``"channel 0"``, ...).
    out_channel : int
        Which filter of a 4-D `weight` to draw.
    panel_size : float
        Width of one panel in inches.
    dpi : float
    vmax : float, optional
        Colour limit of the partial maps and the output (default: their largest
        magnitude); signed maps use the diverging colormap centred on 0.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 4:
        w = w[out_channel]
    if x.ndim != 3 or w.ndim != 3 or w.shape[0] != x.shape[0]:
        raise ValueError(f"x.shape={x.shape} and weight.shape={np.shape(weight)}: need x "
                         "(C_in, H, W) "
                         "and weight (C_in, kH, kW) or (C_out, C_in, kH, kW) with the same C_in")
    C = x.shape[0]
    names = [f"channel {c}" for c in range(C)] if names is None else list(names)
    partials = [correlate(x[c], w[c], "valid") for c in range(C)]
    y = sum(partials) + float(bias)
    small = max(x.shape[1:]) <= SMALL
    m = vmax if vmax is not None else max(float(np.abs(a).max()) for a in partials + [y]) or 1.0
    signed = any(float(a.min()) < 0 for a in partials + [y])
    aspect = x.shape[1] / x.shape[2]
    fig = new_figure(figsize=(panel_size * (C + 1), 3 * (panel_size * aspect + 0.35)), dpi=dpi)
    axes = fig.subplots(3, C + 1, squeeze=False)
    kmax = float(np.abs(w).max()) or 1.0
    for c in range(C):
        if small:
            show_array(x[c], axes[0, c], title=names[c])
        else:
            show_image(x[c], axes[0, c], title=names[c], vmin=0, vmax=1, signed=False)
        show_array(w[c], axes[1, c], title=f"kernel for {names[c]}", signed=True, vmin=-kmax,
                   vmax=kmax, cmap=DIVERGING)
        _show_map(partials[c], axes[2, c], small, signed, m,
                  ("" if c == 0 else "+ ") + f"{names[c]} ⋆ kernel")
    axes[0, C].set_axis_off()
    axes[1, C].set_axis_off()
    axes[1, C].text(0.5, 0.5, f"bias\nb = {_short(bias)}", ha="center", va="center",
                    fontsize=10, transform=axes[1, C].transAxes)
    _show_map(y, axes[2, C], small, signed, m, "+ b = output")
    return fig


def _show_map(a, ax, small, signed, m, title):
    if small:
        show_array(a, ax, title=title, signed=signed, vmin=-m if signed else None,
                   vmax=m if signed else None)
    else:
        show_image(a, ax, title=title, signed=signed, vmin=-m if signed else 0, vmax=m)


def _short(v):
    v = float(v)
    return str(int(v)) if v == int(v) else f"{v:g}"


# --- boxes ---------------------------------------------------------------------------------------

_SLANT = (0.5, 0.38)     # screen offset of one unit of depth (oblique projection)
_COLOURS = {"input": "#9ecae1", "pad": "#f0f0f0", "filter": "#fdae6b", "output": "#a1d99b",
            "window": "#e6550d", "column": "#31a354"}


def _depth(n, cap):
    """Drawn depth of `n` channels (compressed so that 1 and 64 channels both fit)."""
    return min(cap, 2.0 + 3.0 * math.sqrt(max(n, 1) - 1 + 0.01)) if n > 1 else 1.0


def _box(ax, x0, y0, w, h, d, colour, *, alpha=0.9, lw=0.8, ls="-", z=1, fill=True):
    """A box whose front face is the rectangle (x0, y0, w, h); depth d goes up-right."""
    dx, dy = _SLANT[0] * d, _SLANT[1] * d
    faces = [
        [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)],                      # front
        [(x0, y0 + h), (x0 + w, y0 + h), (x0 + w + dx, y0 + h + dy), (x0 + dx, y0 + h + dy)],  # top
        [(x0 + w, y0), (x0 + w + dx, y0 + dy), (x0 + w + dx, y0 + h + dy),
         (x0 + w, y0 + h)],                                                             # side
    ]
    rgb = np.array(_rgb(colour))
    colours = [tuple(rgb * shade) for shade in (1.0, 0.85, 0.7)] if fill else "none"
    faces_pc = PolyCollection(faces, closed=True, facecolors=colours, edgecolors="#333333",
                              linewidths=lw, linestyles=ls, alpha=alpha, zorder=z)
    ax.add_collection(faces_pc, autolim=False)


def _rgb(colour):
    from matplotlib.colors import to_rgb
    return to_rgb(colour)


def _dims(shape):
    return " × ".join(str(int(v)) for v in shape)


def conv_volumes(input_shape, weight_shape, stride=1, padding=0, ax=None, *, depth_cap=24.0,
                 extent=None, title=None, fontsize=9):
    """Sketch a convolution layer: input box, filters, output box, with their shapes.

    A 2-D layer (``weight_shape = (C_out, C_in, kH, kW)``) draws the input as a box
    ``H × W`` deep ``C_in``, one filter as a box ``kH × kW`` as deep as the input (it
    spans every channel), and the output as ``H_out × W_out`` deep ``C_out``: each filter
    gives one output plane. A 3-D layer (``weight_shape = (C_out, 1, kD, kH, kW)``, one
    input channel) draws the input volume ``D × H × W``, the kernel as a small
    ``kD × kH × kW`` box (it slides in depth too) and one output volume per filter.
    Arrows show the directions in which the kernel slides. The kernel's first position
    is outlined on the input (including its padding, drawn dashed) and the output
    values it produces are outlined on the output.

    Parameters
    ----------
    input_shape : tuple
        ``(C_in, H, W)`` for a 2-D layer, ``(1, D, H, W)`` for a 3-D one.
    weight_shape : tuple
        ``(C_out, C_in, kH, kW)`` or ``(C_out, 1, kD, kH, kW)``.
    stride, padding : int
        Same value along every spatial axis.
    ax : matplotlib.axes.Axes, optional
    depth_cap : float
        Largest drawn depth. Channel counts are drawn compressed (1 and 64 channels both
        fit); a 3-D layer's depth axis is drawn to scale, shrunk if the input is deeper
        than the cap.
    extent : (float, float), optional
        Fixed data width and height of the drawing (give the same to every frame of a
        demo so that boxes keep their scale); default: fitted.
    title : str, optional
    fontsize : float
        Size of the labels.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    from .._sizes import conv_output_size

    input_shape = tuple(int(v) for v in input_shape)
    weight_shape = tuple(int(v) for v in weight_shape)
    nd = len(weight_shape) - 2
    if nd not in (2, 3) or len(input_shape) != nd + 1:
        raise ValueError(f"input_shape={input_shape} and weight_shape={weight_shape}: give "
                         "(C_in, H, W) with (C_out, C_in, kH, kW), or (1, D, H, W) with "
                         "(C_out, 1, kD, kH, kW)")
    C_out, C_in, k = weight_shape[0], weight_shape[1], weight_shape[2:]
    spatial = input_shape[1:]
    out = conv_output_size(spatial, k, stride, padding)
    p = int(padding)
    fs = fontsize
    if ax is None:
        fig = new_figure(figsize=(6.4, 2.6))
        ax = fig.add_subplot()
    u = max(spatial[-2:]) / 32                     # drawing unit: gaps and labels scale with it
    if nd == 2:
        (H, W), (kh, kw), (Ho, Wo) = spatial, k, out
        d_in, d_k, d_out = (u * _depth(c, depth_cap) for c in (C_in, C_in, C_out))
        labels_in = (f"C_in = {C_in}", f"H = {H}", f"W = {W}")
        labels_out = (f"C_out = {C_out}", f"{Ho}", f"{Wo}")
    else:
        (D, H, W), (kd, kh, kw), (Do, Ho, Wo) = spatial, k, out
        f = min(1.0, u * depth_cap / D)            # depth to scale, shrunk to fit the cap
        d_in, d_k, d_out = D * f, max(1.0, kd * f), Do * f
        labels_in = (f"D = {D}", f"H = {H}", f"W = {W}")
        labels_out = (f"{Do}", f"{Ho}", f"{Wo}")
    gap = 12.0 * u
    P = H + 2 * p                                  # padded height (and width: square drawings)
    # input, with its padding drawn dashed around it
    pd = 2 * p if nd == 3 else 0                   # 3-D: padding in depth too
    if p:
        _box(ax, 0.0, 0.0, W + 2 * p, H + 2 * p, d_in + pd, _COLOURS["pad"], alpha=0.6, ls="--",
             lw=0.7)
    fx, fy = (_SLANT[0] * p, _SLANT[1] * p) if nd == 3 else (0.0, 0.0)
    _box(ax, p + fx, p + fy, W, H, d_in, _COLOURS["input"])
    # the kernel's first position on the (padded) input: top-left corner, front
    _box(ax, 0.0, P - kh, kw, kh, d_k, _COLOURS["window"], alpha=0.45, lw=1.2, z=3)
    texts = _edge_labels((p + fx, p + fy, W, H, d_in), (-0.8 * u, -0.8 * u), labels_in, u)
    _slide_arrows(ax, P, kw, kh, d_k, nd, u)
    # filters
    right_in = W + 2 * p + _SLANT[0] * (d_in + pd)
    x_f = right_in + gap
    shown = min(C_out, 3)
    step = 3.0 * u
    y_f = P / 2 - kh / 2
    for i in reversed(range(shown)):
        _box(ax, x_f + step * i, y_f - step * i, kw, kh, d_k, _COLOURS["filter"], z=2 + shown - i)
    ftxt = (f"{C_out} filter{'s' if C_out != 1 else ''},\neach {_dims(k)}"
            + (f" × {C_in}" if nd == 2 else ""))
    right_f = x_f + kw + step * (shown - 1) + _SLANT[0] * d_k
    texts.append(((x_f + right_f) / 2, y_f - step * (shown - 1) - 1.5 * u, ftxt, 0, "center",
                  "top"))
    # output: one plane per filter (2-D) or one volume per filter (3-D)
    x_o = right_f + gap
    y_o = (P - Ho) / 2
    _box(ax, x_o, y_o, Wo, Ho, d_out, _COLOURS["output"])
    _box(ax, x_o, y_o + Ho - 1, 1, 1, d_out if nd == 2 else 1, _COLOURS["column"], alpha=0.7,
         lw=1.0, z=3)
    texts += _edge_labels((x_o, y_o, Wo, Ho, d_out), (x_o - 0.8 * u, y_o - 0.8 * u), labels_out, u)
    right = x_o + Wo + _SLANT[0] * d_out
    if nd == 3 and C_out > 1:
        texts.append((x_o + Wo / 2, y_o - 5.5 * u, f"one such volume per filter: {C_out}", 0,
                      "center", "top"))
    # arrows between the parts
    yy = 0.7 * P
    for a, b in ((right_in + 1.5 * u, x_f - 1.5 * u), (right_f + 1.5 * u, x_o - 2.5 * u)):
        ax.add_patch(FancyArrowPatch((a, yy), (b, yy), arrowstyle="-|>", mutation_scale=10,
                                     color="#555555", lw=1.0))
    top = max(P + _SLANT[1] * (d_in + pd), y_o + Ho + _SLANT[1] * d_out) + 4 * u
    right += 16 * u                                # room for the slanted depth label
    if extent is not None:
        right, top = max(right, extent[0]), max(top, extent[1])
    ax.set_xlim(-5 * u, right)
    ax.set_ylim(-10 * u, top)
    _labels(ax, texts, fs)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _edge_labels(box, at, labels, u=1.0):
    """Labels of a box's depth (along its slanted top-right edge), height (left) and width
    (below), as items for :func:`_labels`.

    `box` is (x0, y0, w, h, d) of the front face and depth; `at` is the x of the height
    label and the y of the width label (outside any padding).
    """
    (x0, y0, w, h, d), (lx, ly) = box, at
    depth, height, width = labels
    dx, dy = _SLANT[0] * d, _SLANT[1] * d
    angle = math.degrees(math.atan2(_SLANT[1], _SLANT[0]))
    return [(x0 + w + dx / 2 + 1.6 * u, y0 + h + dy / 2 - 1.4 * u, depth, angle, "left", "top"),
            (lx, y0 + h / 2, height, 90, "center", "bottom"),
            (x0 + w / 2, ly, width, 0, "center", "top")]


def _slide_arrows(ax, top, kw, kh, d, nd, u=1.0):
    """Small arrows from the kernel's first position: right, down (and into depth in 3D)."""
    style = dict(arrowstyle="-|>", mutation_scale=8, color=_COLOURS["window"], lw=1.3, zorder=9)
    cx, cy = kw + 0.5 * u, top - kh / 2
    ax.add_patch(FancyArrowPatch((cx, cy), (cx + 6 * u, cy), **style))
    bx, by = kw / 2, top - kh - 0.5 * u
    ax.add_patch(FancyArrowPatch((bx, by), (bx, by - 6 * u), **style))
    if nd == 3:
        sx, sy = kw + _SLANT[0] * d + 0.3 * u, top + _SLANT[1] * d + 0.3 * u
        ax.add_patch(FancyArrowPatch((sx, sy), (sx + _SLANT[0] * 10 * u, sy + _SLANT[1] * 10 * u),
                                     **style))
