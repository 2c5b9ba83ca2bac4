"""Drawings for the chapter *3D convolution*: slices through a volume and its filtered output.

Pure functions: they take arrays and return a Figure; no pyplot, no files.

See Also
--------
book/conv3d.ipynb, convkit.conv3d, convkit.widgets.explore_conv3d
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import Normalize

from ._base import DIVERGING, GREY, SEQUENTIAL, _contrast_text_colour, format_number, new_figure
from ._base import _labels

__all__ = ["volume_slices"]

_LINE = "#e6550d"
_GAP = 6          # pixels of white between panels of the mosaic
_TITLE = 9        # pixels above each panel kept for its title


def _rgb(a, cmap, lo, hi):
    """Colour an array with a colormap and fixed limits -> (H, W, 3) floats."""
    return colormaps[cmap](Normalize(lo, hi, clip=True)(a))[..., :3]


def _upsample(a, s):
    """Each value repeated s x s times (an output shown at the input's scale)."""
    return np.repeat(np.repeat(a, s, axis=0), s, axis=1) if s > 1 else a


def _rect(r0, c0, h, w):
    """Corners of the outline of the pixels [r0, r0 + h) x [c0, c0 + w)."""
    return [(c0 - 0.5, r0 - 0.5), (c0 + w - 0.5, r0 - 0.5), (c0 + w - 0.5, r0 + h - 0.5),
            (c0 - 0.5, r0 + h - 0.5)]


def volume_slices(x, y, z, *, stride=1, row=None, kernel=None, kernel_label="kernel",
                  x_range=(0.0, 1.0), y_range=None, height_in=4.8, figsize=None, dpi=72):
    """A slice viewer: the same slice through an input volume and its convolution.

    Top row: the input's slice ``x[z]`` and its side view ``x[:, row, :]`` (depth runs
    down); bottom row: the output's slice ``y[z // stride]`` and side view
    ``y[:, row // stride, :]``, drawn at the input's scale (a strided output's voxels
    look bigger). Dashed lines show where the slice cuts the side view and where the
    side view cuts the slice. With padding ``k // 2`` output index ``i`` is centred on
    input index ``i * stride``, so both rows show the same place. The kernel's depth
    slices are drawn on the right, with their numbers.

    Parameters
    ----------
    x : ndarray, shape (D, H, W)
    y : ndarray, shape (D_out, H_out, W_out)
        ``conv3d`` of `x` with padding ``k // 2`` and stride `stride`.
    z : int
        Input slice (a multiple of `stride`, so that an output slice is centred on it).
    stride : int
    row : int, optional
        Input row of the side view (default: the middle row, rounded down to a multiple
        of `stride`).
    kernel : ndarray, shape (kD, kH, kW), optional
    kernel_label : str
        Title above the kernel (e.g. ``"kernel ÷ 27"``).
    x_range : (float, float)
        Grey-level window of the input.
    y_range : (float, float), optional
        Colour limits of the output: a pair ``(lo, hi)`` with ``lo >= 0`` is drawn in grey,
        one with ``lo < 0`` in the diverging colormap (give ``(-m, m)``). Default: the
        input's window. Give the same limits to every frame of a demo.
    height_in : float
        Height of the figure in inches; the width follows from the picture.
    figsize : (float, float), optional
        Overrides `height_in`.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 3 or y.ndim != 3:
        raise ValueError(f"x.shape={x.shape}, y.shape={y.shape}: both must be volumes (D, H, W)")
    s = int(stride)
    if not 0 <= z < x.shape[0] or z % s:
        raise ValueError(f"z={z} must be a slice of x (0..{x.shape[0] - 1}) and a multiple of "
                         f"stride={s}")
    if row is None:
        row = (x.shape[1] // 2) // s * s
    zo, ro = z // s, row // s
    if zo >= y.shape[0] or ro >= y.shape[1]:
        raise ValueError(f"y.shape={y.shape} does not have the slice {zo} / row {ro} that input "
                         f"slice {z} / row {row} maps to with stride {s}")
    y_range = x_range if y_range is None else y_range
    y_cmap = DIVERGING if y_range[0] < 0 else GREY
    panels = [  # (image, title, row of the dashed line), drawn in a 2 x 2 mosaic
        (_rgb(x[z], GREY, *x_range), f"input, slice z = {z}", row),
        (_rgb(x[:, row, :], GREY, *x_range), "input, side view", z),
        (_rgb(_upsample(y[zo], s), y_cmap, *y_range), f"output, slice {zo}",
         ro * s),
        (_rgb(_upsample(y[:, ro, :], s), y_cmap, *y_range), "output, side view",
         zo * s),
    ]
    ph = max(p[0].shape[0] for p in panels)
    pw = max(p[0].shape[1] for p in panels)
    height = 2 * (ph + _TITLE) + _GAP
    width = 2 * pw + _GAP
    if kernel is not None:        # the kernel's depth slices, stacked, in a column on the right
        k = np.asarray(kernel, dtype=np.float64)
        kd, kh, kw = k.shape
        rows = kd * (kh + 1) - 1                        # a blank row between depth slices
        cell = max(1, (height - _TITLE) // rows)
        k0 = width + 2 * _GAP + _TITLE                  # room for the "depth i" labels
        width = k0 + kw * cell
    mosaic = np.ones((height, width, 3))
    frames, lines, titles, numbers = [], [], [], []
    for i, (img, title, line) in enumerate(panels):
        r0 = (i // 2) * (ph + _TITLE + _GAP) + _TITLE
        c0 = (i % 2) * (pw + _GAP)
        h, w = img.shape[:2]
        mosaic[r0:r0 + h, c0:c0 + w] = img
        frames.append(_rect(r0, c0, h, w))
        lines.append([(c0 - 0.5, r0 + line), (c0 + w - 0.5, r0 + line)])
        titles.append((c0 + w / 2, r0 - _TITLE / 2 - 0.5, title, 0))
    if kernel is not None:
        m = float(np.abs(k).max()) or 1.0
        signed = bool(k.min() < 0)
        colours = _rgb(k, DIVERGING if signed else SEQUENTIAL, -m if signed else 0.0, m)
        text_colours = _contrast_text_colour(colours)
        for d in range(kd):
            top = _TITLE + d * (kh + 1) * cell
            for r in range(kh):
                for c in range(kw):
                    y0, x0 = top + r * cell, k0 + c * cell
                    mosaic[y0:y0 + cell - 1, x0:x0 + cell - 1] = colours[d, r, c]
                    numbers.append((x0 + (cell - 2) / 2, y0 + (cell - 2) / 2,
                                    format_number(k[d, r, c]), text_colours[d, r, c]))
            frames.append(_rect(top, k0, kh * cell - 1, kw * cell - 1))
            titles.append((k0 - _TITLE / 2 - 1, top + (kh * cell - 1) / 2, f"depth {d}", 90))
        titles.append((k0 + (kw * cell - 1) / 2, _TITLE / 2 - 0.5, kernel_label, 0))
    if figsize is None:                                  # fit the mosaic, 2 pixels of margin
        figsize = (height_in * (width + 4) / (height + 4), height_in)
    fig = new_figure(figsize, dpi=dpi, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.imshow(mosaic, interpolation="nearest")
    ax.set_xlim(-2.5, width + 1.5)
    ax.set_ylim(height + 1.5, -2.5)
    ax.set_axis_off()
    ax.add_collection(PolyCollection(frames, facecolors="none", edgecolors="#555555",
                                     linewidths=0.8))
    ax.add_collection(LineCollection(lines, colors=_LINE, linewidths=1.2,
                                     linestyles=[(0, (4, 2))]))
    _labels(ax, titles, 8.5)
    if numbers:
        _labels(ax, [(x0, y0, t, 0) for x0, y0, t, _ in numbers], 8.5,
                colours=[c for *_, c in numbers])
    return fig
