"""Demo of the chapter *Flipping*: convolution against cross-correlation, in 1D and 2D.

See Also
--------
convkit.convolve, convkit.correlate, convkit.conv2d
Book: ``book/flipping.ipynb``.
"""
from __future__ import annotations

import numpy as np

from .. import data, kernels
from .._signal import convolve, correlate
from ..plot._conv1d import flip_panels
from ._demo import Choice, Demo, Frame, Toggle

__all__ = ["explore_flip", "FLIP_KERNELS", "flip_square"]


def _echo(size=7, gain=0.5):
    k1 = np.zeros(size)
    k1[size // 2], k1[-1] = 1.0, gain
    k2 = np.zeros((size, size))
    k2[size // 2, size // 2], k2[-1, -1] = 1.0, gain
    return k1, k2


FLIP_KERNELS = {
    "derivative (Sobel x)": (np.array([-1.0, 0.0, 1.0]), kernels.sobel_x()),
    "echo (one-sided)": _echo(),
    "blur (symmetric)": (np.array([1.0, 2.0, 1.0]) / 4, kernels.binomial(3)),
}
"""Name -> (1-D kernel, 2-D kernel) pairs of :func:`explore_flip`: an antisymmetric pair,
a one-sided pair (1 at the centre, 0.5 three taps to the right / down-right) and a
symmetric pair."""

_EFFECT = {
    ("derivative (Sobel x)", True): "rising edges give negative values, falling edges positive",
    ("derivative (Sobel x)", False): "rising edges give positive values, falling edges negative",
    ("echo (one-sided)", True): "the echo comes after the spike; the ghost sits down-right",
    ("echo (one-sided)", False): "the echo comes before the spike; the ghost sits up-left",
    ("blur (symmetric)", True): "a symmetric kernel: the same result either way",
    ("blur (symmetric)", False): "a symmetric kernel: the same result either way",
}


def flip_square(size=32):
    """A bright square on a dark background, off-centre: edges in every direction.

    Returns
    -------
    image : ndarray, shape (size, size), values 0 and 1
    """
    img = np.zeros((size, size))
    a, b = size * 9 // 32, size * 21 // 32
    img[a:b, a:b] = 1.0
    return img


def explore_flip(x=None, image=None):
    """Toggle the flip: convolution against cross-correlation on a signal and an image.

    Top row: a short signal, the weights the sliding window applies, and the output
    (mode 'same'). Bottom row: the same for an image with the matching 2-D kernel.
    Convolution applies the kernel reversed (in 2-D rotated by 180 degrees),
    correlation applies it as stored. Antisymmetric and one-sided kernels change
    (sign, direction); a symmetric kernel does not.

    Parameters
    ----------
    x : array_like, shape (n,), optional
        Default: 14 samples, a spike at 3 and a plateau from 7 to 10.
    image : array_like, shape (H, W), optional
        Replaces the two built-in images (a square, the photo at 64 x 64) with one.

    Returns
    -------
    Demo
        Controls: ``flip`` (True: convolution, False: cross-correlation), ``kernel``
        (a key of :data:`FLIP_KERNELS`) and ``picture`` ('square', 'photo' or
        'yours').
    """
    if x is None:
        x = np.zeros(14)
        x[3] = 1.0
        x[7:11] = 1.0
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"x.shape={x.shape}: expected a 1-D signal of at least 3 samples")
    if image is None:
        pictures = {"square": flip_square(32), "photo": data.photo(size=64)}
    else:
        image = np.asarray(image, dtype=np.float64)
        if image.ndim != 2:
            raise ValueError(f"image.shape={image.shape}: expected a grey (H, W) image")
        pictures = {"yours": image}
    # fixed limits per kernel (both flips) and picture, so frames compare
    lim1, lim2 = {}, {}
    for name, (k1, k2) in FLIP_KERNELS.items():
        ys = [convolve(x, k1, "same"), correlate(x, k1, "same")]
        lim1[name] = (min(0.0, min(y.min() for y in ys)) * 1.2,
                      max(1.0, max(y.max() for y in ys)) * 1.2)
        for pname, img in pictures.items():
            y2 = convolve(img, k2, "same")
            lim2[name, pname] = (float(np.abs(y2).max()), bool(y2.min() < -1e-12))

    def draw(flip, kernel, picture):
        k1, k2 = FLIP_KERNELS[kernel]
        img = pictures[picture]
        w1 = k1[::-1] if flip else k1
        w2 = k2[::-1, ::-1] if flip else k2
        op = convolve if flip else correlate
        y1, y2 = op(x, k1, "same"), op(img, k2, "same")
        fig = flip_panels(x, w1, y1, img, w2, y2, flip=flip, ylim_y=lim1[kernel],
                          image_lim=lim2[kernel, picture])
        name = "Convolution" if flip else "Cross-correlation"
        text = f"{name}: {_EFFECT[kernel, flip]}."
        if flip:
            code = ("y = ck.convolve(x, k, mode='same')\n"
                    "Y = ck.convolve(image, K, mode='same')")
        else:
            code = ("y = ck.correlate(x, k, mode='same')\n"
                    "Y = ck.conv2d(image[None], K[None, None], padding='same')[0]"
                    "   # deep learning's 'convolution'")
        return Frame(fig, text=text, code=code)

    controls = [Toggle("flip", "Flip the kernel (convolution)", default=True),
                Choice("kernel", list(FLIP_KERNELS), "Kernel"),
                Choice("picture", list(pictures), "Image")]
    return Demo(draw, controls, title="Convolution or cross-correlation?",
                alt="A signal and an image filtered with and without flipping the kernel.")
