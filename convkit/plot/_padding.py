"""Drawings for the chapter *Padding*: a padded input and the output it gives.

Pure functions in the style of :mod:`convkit.plot._base`: they take data and optional
Axes, draw, and return the Axes; nothing is shown or saved.

See Also
--------
convkit.widgets.explore_padding, book/padding.ipynb
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._args import PADDING_MODES, as_tuple, pad, resolve_padding
from .._conv import conv2d
from ._base import SMALL, _text_width, format_number, new_figure, show_array, show_image

__all__ = ["padding_pairs", "show_padded", "show_padding"]

_VEIL = "#ffffff"


def padding_pairs(padding, kernel_size=(1, 1)):
    """Padding of a 2-D array as ``((top, bottom), (left, right))``.

    Parameters
    ----------
    padding : int, (int, int), ((int, int), (int, int)), 'valid' or 'same'
        An int or a pair pads both sides of each dimension alike (as in
        :func:`convkit.conv2d`); a pair of pairs gives (before, after) per
        dimension; 'same' follows PyTorch (the extra row/column of an odd total
        goes after: bottom, right).
    kernel_size : int or (int, int)
        Only used for 'same'.

    Returns
    -------
    ((int, int), (int, int))
    """
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(
            isinstance(p, (tuple, list)) for p in padding):
        pairs = tuple(tuple(as_tuple(p, 2, "padding", minimum=0)) for p in padding)
        return pairs
    ks = as_tuple(kernel_size, 2, "kernel_size", minimum=1)
    return resolve_padding(padding, ks, (1, 1), (1, 1))


def _veil(ax, shape, pairs, alpha):
    """Whiten the padding ring of a padded array drawn with cell centres at integers."""
    (top, bottom), (left, right) = pairs
    h, w = shape
    strips = [(-0.5, -0.5, w, top), (-0.5, h - bottom - 0.5, w, bottom),
              (-0.5, top - 0.5, left, h - top - bottom), (w - right - 0.5, top - 0.5, right,
                                                          h - top - bottom)]
    for x0, y0, dx, dy in strips:
        if dx > 0 and dy > 0:
            patch = Rectangle((x0, y0), dx, dy, facecolor=_VEIL, alpha=alpha, edgecolor="none",
                              zorder=5)
            patch.set_in_layout(False)
            ax.add_patch(patch)


def _fontsize(ax, view_h, view_w, values, decimals):
    """Size of the numbers so that the widest fits a cell of a view_h x view_w view."""
    fig = ax.figure
    box = ax.get_position()
    cell_pt = 72 * min(box.width * fig.get_figwidth() / view_w,
                       box.height * fig.get_figheight() / view_h)
    widest = max((_text_width(format_number(v, decimals)) for v in np.ravel(values)), default=0.6)
    return max(5.0, min(12.0, 0.42 * cell_pt, 0.82 * cell_pt / max(widest, 0.6)))


def _outline(ax, r0, c0, h, w, color="black", linestyle="-", linewidth=1.8, zorder=9):
    patch = Rectangle((c0 - 0.5, r0 - 0.5), w, h, fill=False, edgecolor=color,
                      linewidth=linewidth, linestyle=linestyle, zorder=zorder)
    patch.set_in_layout(False)
    ax.add_patch(patch)


def show_padded(x, padding, mode="zeros", ax=None, *, kernel_size=(1, 1), frame=None,
                numbers="auto", vmin=None, vmax=None, title=None, highlight=None, veil="auto",
                decimals=2, fontsize=None):
    """Draw a 2-D array after padding: padding cells veiled, the original outlined.

    Parameters
    ----------
    x : array_like, shape (H, W)
    padding : int, pair, pair of pairs, 'valid' or 'same'
        See :func:`padding_pairs`.
    mode : {'zeros', 'reflect', 'replicate', 'circular'}
        PyTorch's names (as in :func:`convkit.conv2d`'s ``padding_mode``).
    ax : matplotlib.axes.Axes, optional
    kernel_size : int or (int, int)
        Used to resolve ``padding='same'``.
    frame : int, optional
        The largest padding the caller will ever draw in this Axes: the view keeps
        room for it, so the original stays in the same place (and cells keep their
        size) from one frame of a demo to the next.
    numbers : {'auto', True, False}
        Numbers in the cells ('auto': padded array at most 8 x 8). Arrays larger
        than 16 x 16 are drawn as images (grey).
    vmin, vmax : float, optional
        Fixed colour limits.
    title : str, optional
    highlight : window or list of windows, optional
        In padded coordinates, as in :func:`show_array` (e.g. the kernel's first
        position ``(slice(0, k), slice(0, k))``).
    veil : float or 'auto'
        Opacity of the white veil over the padding cells (0: none); 'auto': 0.45
        for arrays drawn as cells, 0 for images (where the veil would change the
        padded values' look, e.g. make zeros grey).
    decimals : int
    fontsize : float, optional
        Size of the numbers; default: fitted to the cells of the view.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x.shape={x.shape}: show_padded draws a 2-D array")
    if mode not in PADDING_MODES:
        raise ValueError(f"mode={mode!r} is not one of {PADDING_MODES}")
    pairs = padding_pairs(padding, kernel_size)
    xp = pad(x, pairs, mode)
    h, w = x.shape
    (top, bottom), (left, right) = pairs
    if ax is None:
        size = 0.42 * (max(xp.shape) + 2 * (frame or 0)) + 0.4
        ax = new_figure(figsize=(size, size + (0.3 if title else 0))).add_subplot()
    as_cells = max(xp.shape) <= 2 * SMALL
    if veil == "auto":
        veil = 0.45 if as_cells else 0.0
    if as_cells:
        if numbers == "auto":
            numbers = max(xp.shape) <= SMALL
        if numbers and fontsize is None:
            f = frame or 0
            fontsize = _fontsize(ax, h + 2 * f if frame is not None else xp.shape[0],
                                 w + 2 * f if frame is not None else xp.shape[1], xp, decimals)
        show_array(xp, ax, numbers=numbers, vmin=vmin, vmax=vmax, title=title,
                   highlight=highlight, decimals=decimals, signed=False, fontsize=fontsize)
    else:
        show_image(xp, ax, vmin=vmin, vmax=vmax, title=title, highlight=highlight,
                   signed=False)
    if veil:
        _veil(ax, xp.shape, pairs, veil)
    _outline(ax, top, left, h, w)
    if frame is not None:
        ax.set_xlim(left - frame - 0.5, left + w + frame - 0.5)
        ax.set_ylim(top + h + frame - 0.5, top - frame - 0.5)
    return ax


def show_padding(x, weight, padding, mode="zeros", axes=None, *, frame=None, numbers="auto",
                 vmin=None, vmax=None, out_vmin=None, out_vmax=None, window=None,
                 titles=True, decimals=2):
    """The padded input (kernel at its first position) and the output, aligned.

    The output is drawn in the input's coordinates: each output value sits at the
    centre of the window it was computed from. With 'same' padding and an odd
    kernel the output covers the input exactly; an even kernel shifts it by half
    a cell; 'valid' leaves a ring of (k-1)/2 cells uncovered.

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
        The kernel (cross-correlation, as :func:`convkit.conv2d`).
    padding : int, pair, pair of pairs, 'valid' or 'same'
    mode : {'zeros', 'reflect', 'replicate', 'circular'}
    axes : (Axes, Axes), optional
        Where to draw the padded input and the output; default: a new figure.
    frame : int, optional
        Largest padding of all the frames of a demo (keeps the view fixed);
        default: this padding.
    numbers : {'auto', True, False}
    vmin, vmax, out_vmin, out_vmax : float, optional
        Colour limits of the input and of the output.
    window : (int, int, int, int), optional
        ``(row, col, height, width)``: show only these cells of the input (and the
        padding beyond the sides of the input the window touches, and the output
        there), e.g. ``(0, 0, 16, 16)`` for the top-left corner of a large image.
    titles : bool
        Title each panel with its size.
    decimals : int

    Returns
    -------
    (ax_in, ax_out) : tuple of Axes
    """
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    if x.ndim != 2 or weight.ndim != 2:
        raise ValueError(f"x.shape={x.shape}, weight.shape={weight.shape}: both must be 2-D")
    kh, kw = weight.shape
    pairs = padding_pairs(padding, (kh, kw))
    (top, bottom), (left, right) = pairs
    h, w = x.shape
    # padding then a valid convolution: what conv2d(..., padding, padding_mode) does
    y = conv2d(pad(x[None], pairs, mode), weight[None, None])[0]
    frame = max(top, bottom, left, right) if frame is None else frame
    if axes is None:
        fig = new_figure(figsize=(7.6, 3.8))
        axes = fig.subplots(1, 2)
    ax_in, ax_out = axes
    big = max(h + top + bottom, w + left + right) > 2 * SMALL    # drawn as an image
    if numbers == "auto":
        numbers = max(h, w) <= SMALL
    r0, c0, vh, vw = (0, 0, h, w) if window is None else window
    rows = (r0 - (frame if r0 == 0 else 0), r0 + vh + (frame if r0 + vh >= h else 0))
    cols = (c0 - (frame if c0 == 0 else 0), c0 + vw + (frame if c0 + vw >= w else 0))
    fontsize = None
    if numbers and not big:
        fontsize = _fontsize(ax_in, rows[1] - rows[0], cols[1] - cols[0],
                             np.concatenate([np.ravel(x), np.ravel(y)]), decimals)
    title_in = f"padded input {h + top + bottom}×{w + left + right}" if titles else None
    show_padded(x, pairs, mode, ax_in, frame=frame, numbers=numbers, vmin=vmin, vmax=vmax,
                title=title_in, highlight=None if big else (slice(0, kh), slice(0, kw)),
                decimals=decimals, fontsize=fontsize)
    # output cell (i, j) is centred on input coordinate (i - top + (kh-1)/2, j - left + (kw-1)/2)
    oy, ox = (kh - 1) / 2 - top, (kw - 1) / 2 - left
    title_out = f"output {y.shape[0]}×{y.shape[1]}" if titles else None
    if big:
        show_image(y, ax_out, vmin=out_vmin, vmax=out_vmax, title=title_out, signed=False)
    else:
        show_array(y, ax_out, numbers=numbers, vmin=out_vmin, vmax=out_vmax, title=title_out,
                   decimals=decimals, signed=False, fontsize=fontsize)
    # the input's outline, in output-index coordinates
    _outline(ax_out, -oy, -ox, h, w, color="#555555", linestyle=(0, (3, 2)), linewidth=1.2,
             zorder=2.5)
    for ax, (dy, dx) in ((ax_in, (top, left)), (ax_out, (-oy, -ox))):
        ax.set_xlim(dx + cols[0] - 0.5, dx + cols[1] - 0.5)
        ax.set_ylim(dy + rows[1] - 0.5, dy + rows[0] - 0.5)
    return ax_in, ax_out

