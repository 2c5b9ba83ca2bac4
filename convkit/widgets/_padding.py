"""Demos of the chapter *Padding*: padding amount x mode x kernel size.

See Also
--------
convkit.plot.show_padding, book/padding.ipynb
"""
from __future__ import annotations

import numpy as np

from .. import data, kernels, plot
from .._code import torch_code
from .._conv import conv2d
from ._demo import Choice, Demo, Frame, Slider

__all__ = ["explore_padding", "explore_padding_photo", "PADDING_MODE_NOTES"]

#: One line per padding mode (PyTorch's names), shown under the demo's picture.
PADDING_MODE_NOTES = {
    "zeros": "zeros: the border is a ring of 0s, so sums near the edge lose weight.",
    "reflect": "reflect: a mirror image that does not repeat the edge value (numpy 'reflect').",
    "replicate": "replicate: the edge value is copied outwards (numpy 'edge').",
    "circular": "circular: the opposite side wraps around, as if the array tiled the plane.",
}

_PADDINGS = [0, 1, 2]
_KERNELS = [2, 3, 4, 5]
_PHOTO_PADDINGS = [0, 2, 4]
_PHOTO_KERNELS = [3, 5, 9]


def _size_text(n, p, k):
    return f"n + 2p − k + 1 = {n} + 2·{p} − {k} + 1 = {n + 2 * p - k + 1}"


def _mode_choice():
    return Choice("mode", list(PADDING_MODE_NOTES), "Mode")


def explore_padding(x=None):
    """Padding amount x padding mode x kernel size, on a small array of numbers.

    Left: the array, padded, with the kernel (the k x k mean: each output is the
    average of its window) at its first position. Right: the output, each value
    drawn at the centre of its window, on the input's colour scale (so an even
    kernel's half-cell shift shows). Under the picture: the output size with the
    numbers substituted and the equivalent PyTorch code.

    Parameters
    ----------
    x : array_like, shape (H, W), optional
        Between 3 x 3 and 6 x 6; default ``1..25`` as 5 x 5.

    Returns
    -------
    Demo
        Controls ``p`` (padding per side: 0, 1, 2), ``mode`` ('zeros', 'reflect',
        'replicate', 'circular') and ``k`` (kernel size: 2, 3, 4, 5); all 48
        combinations are precomputed for the static page.

    See Also
    --------
    explore_padding_photo : the same on a photo's border.
    """
    x = np.arange(1.0, 26.0).reshape(5, 5) if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or max(x.shape) > 6 or min(x.shape) <= max(_PADDINGS):
        raise ValueError(f"x.shape={x.shape}: give a 2-D array between 3 x 3 and 6 x 6")
    lo, hi = min(0.0, float(x.min())), float(x.max())     # fixed colour limits
    P = max(_PADDINGS)

    def draw(p, mode, k):
        fig = plot.new_figure((5.8, 3.0), layout=None)
        ax = [fig.add_axes(r) for r in ((0.01, 0.02, 0.48, 0.88), (0.51, 0.02, 0.48, 0.88))]
        plot.show_padding(x, kernels.box(k), p, mode, ax, frame=P, numbers=True, vmin=lo,
                          vmax=hi, out_vmin=lo, out_vmax=hi, decimals=1, titles=False)
        h, w = x.shape
        ax[0].set_title(f"padded input {h + 2 * p}×{w + 2 * p}, {k}×{k} kernel", fontsize=10)
        ax[1].set_title(f"output {h + 2 * p - k + 1}×{w + 2 * p - k + 1}: mean of each window",
                        fontsize=10)
        text = f"Output width = {_size_text(w, p, k)}. {PADDING_MODE_NOTES[mode]}"
        code = torch_code("conv2d", (1, 1) + x.shape, (1, 1, k, k), padding=p,
                          padding_mode=mode)
        return Frame(fig, text=text, code=code)

    return Demo(draw, [Slider("p", _PADDINGS, "Padding p (per side)", default=1),
                       _mode_choice(), Slider("k", _KERNELS, "Kernel size k", default=3)],
                title="Padding: amount, mode and kernel size",
                alt="A 5 by 5 array of numbers, padded, and the output of a mean kernel")


def explore_padding_photo(image=None):
    """Padding amount x padding mode x kernel size, on a photo's border.

    Left: the photo, padded (its own border outlined). Right: the k x k mean of
    the padded photo, drawn where each window is centred, with the photo's
    outline dashed: zero padding darkens a band of about k/2 pixels along the
    border; the other modes do not.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        Grey image in [0, 1], between 24 x 24 and 96 x 96; default
        ``data.photo(64)``.

    Returns
    -------
    Demo
        Controls ``p`` (0, 2, 4), ``mode`` and ``k`` (3, 5, 9); all 36
        combinations are precomputed.
    """
    image = data.photo(64) if image is None else np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or not 24 <= min(image.shape) <= max(image.shape) <= 96:
        raise ValueError(f"image.shape={image.shape}: give a 2-D grey image between "
                         "24 x 24 and 96 x 96")
    P = max(_PHOTO_PADDINGS)

    def draw(p, mode, k):
        fig = plot.new_figure((6.4, 3.5), layout=None)
        ax = [fig.add_axes(r) for r in ((0.01, 0.02, 0.48, 0.88), (0.51, 0.02, 0.48, 0.88))]
        plot.show_padding(image, kernels.box(k), p, mode, ax, frame=P, vmin=0.0, vmax=1.0,
                          out_vmin=0.0, out_vmax=1.0, titles=False)
        h, w = image.shape
        ax[0].set_title(f"photo padded by {p}: {h + 2 * p}×{w + 2 * p}", fontsize=10)
        ax[1].set_title(f"{k}×{k} mean: {h + 2 * p - k + 1}×{w + 2 * p - k + 1}", fontsize=10)
        text = f"Output width = {_size_text(w, p, k)}. {PADDING_MODE_NOTES[mode]}"
        code = torch_code("conv2d", (1, 1) + image.shape, (1, 1, k, k), padding=p,
                          padding_mode=mode)
        return Frame(fig, text=text, code=code)

    return Demo(draw, [Slider("p", _PHOTO_PADDINGS, "Padding p (per side)", default=2),
                       _mode_choice(), Slider("k", _PHOTO_KERNELS, "Kernel size k", default=5)],
                title="Padding a photo: amount, mode and kernel size",
                alt="A photo, padded, and its blur by a mean kernel")
