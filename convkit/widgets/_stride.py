"""Demos of the chapter *Stride and dilation*: the output-size explorer and downsampling.

See Also
--------
convkit.plot.show_positions, book/stride_dilation.ipynb
"""
from __future__ import annotations

import numpy as np

from .. import data, kernels, plot
from .._code import torch_code
from .._conv import conv2d
from .._sizes import conv_output_size
from ._demo import Demo, Frame, Slider

__all__ = ["explore_output_size", "explore_downsampling", "output_size_text"]

_N = [5, 7, 8]
_K = [2, 3]
_P = [0, 1]
_S = [1, 2]
_D = [1, 2]


def output_size_text(n, k, p=0, s=1, d=1):
    """The output-size formula with the numbers substituted, step by step (plain text).

    For ``n=7, k=3, p=1, s=2`` the text ends with ``= ⌊6/2⌋ + 1 = 3 + 1 = 4``; the last
    number is :func:`convkit.conv_output_size` (the tests check that for every setting).
    """
    top = n + 2 * p - d * (k - 1) - 1
    out = conv_output_size(n, k, s, p, d)
    return (f"⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 = "
            f"⌊({n} + 2·{p} − {d}·({k} − 1) − 1)/{s}⌋ + 1"
            f" = ⌊{top}/{s}⌋ + 1 = {top // s} + 1 = {out}")


def explore_output_size():
    """Output-size explorer: n, k, p, s, d -> the positions the kernel visits, and the size.

    One axis of the input (a row of ``n`` cells, padding grey), one row per output
    showing the cells its kernel reads (``d`` apart) and the cells no output reads
    (hatched). Under the picture: the formula with the numbers substituted, and the
    equivalent PyTorch call. A 2-D input applies the same to each axis.

    Returns
    -------
    Demo
        Controls ``n`` (5, 7, 8), ``k`` (2, 3), ``p`` (0, 1), ``s`` (1, 2) and ``d``
        (1, 2): all 48 combinations are precomputed for the static page.
    """
    frame = (max(_N), max(_P), max(conv_output_size(n, k, 1, max(_P), 1) for n in _N
                                   for k in _K))

    def draw(n, k, p, s, d):
        fig = plot.new_figure((4.8, 4.2), layout=None)
        ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
        plot.show_positions(n, k, s, p, d, ax, frame=frame)
        out = conv_output_size(n, k, s, p, d)
        fig.suptitle(f"n={n}, k={k}, p={p}, s={s}, d={d}:  {out} outputs "
                     f"(kernel spans {d * (k - 1) + 1} cells)", fontsize=10, y=0.985)
        unread = np.flatnonzero(plot.read_counts(n, k, s, p, d) == 0)
        text = output_size_text(n, k, p, s, d)
        if unread.size:
            text += (". Never read: input cell" + ("s " if unread.size > 1 else " ")
                     + ", ".join(map(str, unread)))
        code = torch_code("conv1d", (1, 1, n), (1, 1, k), stride=s, padding=p, dilation=d)
        return Frame(fig, text=text + ".", code=code)

    return Demo(draw, [Slider("n", _N, "Input size n", default=7),
                       Slider("k", _K, "Kernel size k", default=3),
                       Slider("p", _P, "Padding p"), Slider("s", _S, "Stride s"),
                       Slider("d", _D, "Dilation d")],
                title="Output size: where the kernel goes",
                alt="A row of input cells and, below it, the cells each output reads")


_STRIDES = [1, 2, 3, 4, 6]
_WINDOW = (156, 168, 144, 144)      # row, col, height, width of the detail shown (full photo)


def explore_downsampling(image=None, window=_WINDOW):
    """Stride as downsampling: keep every s-th pixel, with or without a blur first.

    Left: a strided 1 x 1 convolution (every s-th pixel of every s-th row). Right:
    a Gaussian blur (sigma = s/2, reflect padding) computed at the same stride --
    one strided convolution that blurs before it subsamples. Both show the same
    detail of the photo, each output pixel drawn as an s x s block.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        Grey image in [0, 1]; default the full ``data.photo()`` (600 x 512).
    window : (int, int, int, int)
        ``(row, col, height, width)`` of the detail shown, in input pixels; height
        and width divisible by every stride (1, 2, 3, 4, 6).

    Returns
    -------
    Demo
        Control ``s`` (stride: 1, 2, 3, 4, 6); 5 frames.
    """
    image = data.photo() if image is None else np.asarray(image, dtype=np.float64)
    r0, c0, h, w = window
    if image.ndim != 2 or r0 + h > image.shape[0] or c0 + w > image.shape[1] or any(
            h % s or w % s or r0 % s or c0 % s for s in _STRIDES):
        raise ValueError(f"window={window!r} must lie inside image.shape={image.shape} with "
                         f"offsets and sizes divisible by each stride in {_STRIDES}")

    def gaussian_for(s):
        sigma = s / 2
        size = 2 * int(np.ceil(2 * sigma)) + 1
        return kernels.gaussian(size, sigma)

    def draw(s):
        g = gaussian_for(s)
        m = g.shape[0] // 2
        # crop with a margin so the blur sees real pixels, then stride from the window's corner
        lo_r, lo_c = max(r0 - m, 0), max(c0 - m, 0)
        patch = image[lo_r:r0 + h + m, lo_c:c0 + w + m]
        sub = image[r0:r0 + h:s, c0:c0 + w:s]
        blur = conv2d(patch[None], g[None, None], stride=s, padding=m,
                      padding_mode="reflect")[0]
        off_r, off_c = (r0 - lo_r) // s, (c0 - lo_c) // s
        blur = blur[off_r:off_r + h // s, off_c:off_c + w // s]
        fig = plot.new_figure((5.6, 3.1), layout=None)
        ax = [fig.add_axes(r) for r in ((0.01, 0.01, 0.48, 0.86), (0.51, 0.01, 0.48, 0.86))]
        plot.show_image(sub, ax[0], vmin=0.0, vmax=1.0, title=f"stride {s} only")
        plot.show_image(blur, ax[1], vmin=0.0, vmax=1.0,
                        title=f"Gaussian blur (σ = {s / 2:g}), stride {s}")
        H, W = image.shape
        oh, ow = conv_output_size((H, W), g.shape, s, m)
        text = (f"Output {oh}×{ow} from {H}×{W} (about 1/{s * s} of the pixels). "
                f"Shown: the same {h}×{w}-pixel detail, each output pixel as a {s}×{s} block.")
        code = torch_code("conv2d", (1, 1, H, W), (1, 1) + g.shape, stride=s, padding=m,
                          padding_mode="reflect")
        return Frame(fig, text=text, code=code)

    return Demo(draw, [Slider("s", _STRIDES, "Stride s", default=4)],
                title="Stride as downsampling: with and without a blur first",
                alt="A detail of a photo subsampled with and without a Gaussian blur")

