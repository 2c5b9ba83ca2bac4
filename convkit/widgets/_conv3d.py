"""Demo of the chapter *3D convolution*: a slice viewer through a volume and its convolution.

See Also
--------
book/conv3d.ipynb, convkit.conv3d, convkit.plot.volume_slices
"""
from __future__ import annotations

import numpy as np

from .. import plot
from .._code import torch_code
from .._conv import conv3d
from ..data import phantom3d
from ._demo import Choice, Demo, Frame, Slider

__all__ = ["explore_conv3d", "KERNELS_3D"]


def _kernels():
    smooth, diff = np.array([1.0, 2.0, 1.0]), np.array([-1.0, 0.0, 1.0])
    laplacian = np.zeros((3, 3, 3))
    laplacian[1, 1, 1] = -6.0
    for axis in range(3):
        for side in (0, 2):
            index = [1, 1, 1]
            index[axis] = side
            laplacian[tuple(index)] = 1.0
    return {
        "blur (box 3×3×3)": (np.ones((3, 3, 3)), 27, "kernel ÷ 27"),
        "edges along depth (3D Sobel z)": (np.einsum("i,j,k->ijk", diff, smooth, smooth), 1,
                                           "3D Sobel z"),
        "edges in all directions (3D Laplacian)": (laplacian, 1, "3D Laplacian"),
    }


KERNELS_3D = _kernels()
"""Display name -> (integer kernel (3, 3, 3), divisor, label) of the demo's kernels.

The kernel is ``integers / divisor``: a 3×3×3 box blur (mean of 27 voxels); a 3D Sobel
kernel along depth, the outer product of the derivative ``[-1, 0, 1]`` along depth and
the smoothing ``[1, 2, 1]`` along height and width; the 6-neighbour 3D Laplacian.
"""


def explore_conv3d(volume=None, size=64, n_slices=9):
    """Slide a 3×3×3 kernel through a volume; look at any slice of input and output.

    Parameters
    ----------
    volume : ndarray, shape (D, H, W), optional
        Values in [0, 1] (shown with the grey window 0-0.5, so faint structures show).
        Default: the 3-D Shepp-Logan phantom ``convkit.data.phantom3d(size)``.
    size : int
        Side of the default phantom (64 keeps a frame fast).
    n_slices : int
        Number of slice positions offered (evenly spaced, even indices so that both
        strides have an output slice centred on them).

    Returns
    -------
    Demo
        Controls: ``z`` (input slice), ``kernel`` (three 3D kernels, see
        :data:`KERNELS_3D`), ``stride`` (1 or 2). Padding is 1 on every side. With the
        defaults the 9 × 3 × 2 = 54 combinations are all precomputed for the static page.
    """
    x = phantom3d(size) if volume is None else np.asarray(volume, dtype=np.float64)
    if x.ndim != 3 or min(x.shape) < 3:
        raise ValueError(f"volume.shape={x.shape}: need a volume (D, H, W), each side >= 3")
    D = x.shape[0]
    slices = sorted({int(2 * round(v / 2)) for v in np.linspace(D / 8, D - 1 - D / 8, n_slices)})
    slices = [z for z in slices if 0 <= z < D]
    window = (0.0, 0.5)
    cache = {}      # (kernel name, stride) -> output volume; draw stays a function of its inputs

    def output(name, stride):
        if (name, stride) not in cache:
            k, div, _ = KERNELS_3D[name]
            cache[name, stride] = conv3d(x[None], (k / div)[None, None], stride=stride,
                                         padding=1)[0]
        return cache[name, stride]

    lo, hi = float(x.min()), float(x.max())

    def y_range(name):
        """Fixed colour limits per kernel: the input's window for the blur; for the signed
        kernels a quarter of the largest response they can give on data in [lo, hi]
        (half the sum of |weights| times the data range), so that the faint inner
        structures show and the bright rim saturates."""
        k, div, _ = KERNELS_3D[name]
        if k.min() >= 0:
            return window
        m = float(np.abs(k).sum() / div / 2 * (hi - lo)) / 4 or 1.0
        return (-m, m)

    def draw(z, kernel, stride):
        y = output(kernel, stride)
        k, div, label = KERNELS_3D[kernel]
        fig = plot.volume_slices(x, y, z, stride=stride, kernel=k, kernel_label=label,
                                 x_range=window, y_range=y_range(kernel))
        text = (f"conv3d: input 1 × {' × '.join(map(str, x.shape))} → output "
                f"1 × {' × '.join(map(str, y.shape))} "
                f"(3×3×3 kernel, stride {stride}, padding 1). "
                f"Input slice {z} ↔ output slice {z // stride}.")
        code = torch_code("conv3d", (1, 1) + x.shape, (1, 1, 3, 3, 3), stride=stride, padding=1)
        return Frame(fig, text=text, code=code)

    return Demo(draw, [
        Slider("z", slices, "Slice z", default=slices[len(slices) // 2 - 1]),
        Choice("kernel", list(KERNELS_3D), "Kernel", buttons=False),
        Slider("stride", [1, 2], "Stride"),
    ], title="3D convolution: slices through input and output",
        alt="Input slice and side view of a 3-D phantom, and the same views of its 3-D "
            "convolution")
