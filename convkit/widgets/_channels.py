"""Demo of the chapter *Multiple channels*: shapes and costs of a convolution layer.

See Also
--------
book/channels.ipynb, convkit.conv_cost, convkit.plot.conv_volumes
"""
from __future__ import annotations

import functools

from .. import plot
from .._code import torch_code
from .._sizes import conv_cost
from ._demo import Demo, Frame, Slider

__all__ = ["explore_channels", "layer_summary"]

C_IN = [1, 3, 16, 64]
C_OUT = [1, 4, 16, 64]
KERNEL_SIZES = [1, 3, 5, 7]
PADDINGS = [0, 1, 2, 3]
STRIDES = [1, 2]


def _bytes(n):
    """``262,144 bytes (256 KiB)``: a byte count with a binary-prefixed approximation."""
    for unit, size in (("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n:,} bytes ({n / size:,.4g} {unit})"
    return f"{n:,} bytes"


def layer_summary(input_shape, weight_shape, stride=1, padding=0):
    """One line of text: output shape, parameters, MACs, FLOPs and activation memory.

    Every number comes from :func:`convkit.conv_cost` (with a bias per filter); the
    activation memory is the number of output values times 4 bytes (float32).

    Parameters
    ----------
    input_shape : tuple, (C_in, H, W)
    weight_shape : tuple, (C_out, C_in, kH, kW)
    stride, padding : int

    Returns
    -------
    str
    """
    cost = conv_cost(input_shape, weight_shape, stride=stride, padding=padding)
    C_out, C_in, kh, kw = weight_shape
    shape = " × ".join(str(v) for v in cost.output_shape)
    return (f"Output (C_out, H_out, W_out) = {shape}. "
            f"Parameters ({kh}·{kw}·{C_in} + 1)·{C_out} = {cost.params:,}. "
            f"MACs {cost.macs:,} (FLOPs = 2 × MACs = {cost.flops:,}). "
            f"Activations {cost.activations:,} values = {_bytes(4 * cost.activations)} "
            f"in float32.")


@functools.lru_cache(maxsize=8)
def _extent(size):
    """Drawing limits that fit every setting of the demo (the widest and tallest), so that
    boxes keep their scale from frame to frame."""
    extents = []
    for k in KERNEL_SIZES:
        ax = plot.conv_volumes((max(C_IN), size, size), (max(C_OUT), max(C_IN), k, k),
                               stride=min(STRIDES), padding=max(PADDINGS))
        extents.append((ax.get_xlim()[1], ax.get_ylim()[1]))
    return tuple(max(e[i] for e in extents) for i in (0, 1))


def explore_channels(size=32):
    """Shapes, parameters, MACs and activation memory of one conv layer, as you change it.

    The input is a ``C_in × size × size`` stack; the layer has ``C_out`` filters of
    ``k × k × C_in`` with a bias each, padding ``p`` and stride ``s``. The picture
    sketches input, filters and output to scale (channel depths compressed); the text
    gives the numbers from :func:`convkit.conv_cost`, and the code the equivalent
    ``torch.nn.functional.conv2d`` call.

    Parameters
    ----------
    size : int
        Height and width of the input (default 32, as in the chapter's example).

    Returns
    -------
    Demo
        Controls: ``c_in`` (1, 3, 16, 64), ``c_out`` (1, 4, 16, 64), ``k`` (1, 3, 5, 7),
        ``p`` (0-3), ``s`` (1, 2); defaults 3, 64, 3, 1, 1 (a 32 × 32 RGB image, 64
        filters 3 × 3, padding 1). The 512 combinations exceed the static page's budget,
        so the page varies one control at a time.
    """
    size = int(size)
    if size < max(KERNEL_SIZES):
        raise ValueError(f"size={size} must be at least {max(KERNEL_SIZES)} (the largest kernel)")

    def draw(c_in, c_out, k, p, s):
        x_shape, w_shape = (c_in, size, size), (c_out, c_in, k, k)
        fig = plot.new_figure((8.0, 3.2), layout=None)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        plot.conv_volumes(x_shape, w_shape, stride=s, padding=p, ax=ax, extent=extent)
        code = torch_code("conv2d", (1,) + x_shape, w_shape, bias=True, stride=s, padding=p)
        return Frame(fig, text=layer_summary(x_shape, w_shape, s, p), code=code)

    extent = _extent(size)
    return Demo(draw, [
        Slider("c_in", C_IN, "Input channels C_in", default=3),
        Slider("c_out", C_OUT, "Filters C_out", default=64),
        Slider("k", KERNEL_SIZES, "Kernel k", default=3),
        Slider("p", PADDINGS, "Padding p", default=1),
        Slider("s", STRIDES, "Stride s", default=1),
    ], title="A convolution layer: shapes and costs",
        alt="Input box, filters and output box of a convolution layer, with their shapes")
