"""convkit: convolution, correlation, transposed convolution and pooling with NumPy.

The computational core of the book *Convolution, Visually*. Names and semantics
follow ``torch.nn.functional`` (``conv2d``, ``max_pool2d``, ...) and
``scipy.signal`` (``correlate``, ``convolve``). ``import convkit`` imports NumPy
only; ``convkit.plot`` (matplotlib) and ``convkit.widgets`` (ipywidgets) are
imported on first use.
"""
from importlib import import_module as _import_module

from ._conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d
from ._pool import (
    avg_pool1d, avg_pool2d, avg_pool3d, global_avg_pool, global_max_pool,
    max_pool1d, max_pool2d, max_pool3d,
)
from ._signal import convolve, correlate
from ._sizes import (
    ConvCost, conv_cost, conv_output_size, conv_transpose_output_size, pool_cost,
    pool_output_size,
)
from ._matrix import conv_matrix
from ._code import torch_code
from ._grad import conv2d_grad_input, conv2d_grad_weight
from ._receptive import receptive_field, receptive_field_empirical
from . import data, kernels, reference

__version__ = "0.1.0"

_LAZY = ("plot", "widgets", "edges", "quiz")


def __getattr__(name):
    if name in _LAZY:
        module = _import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'convkit' has no attribute {name!r}")


__all__ = [
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "global_avg_pool", "global_max_pool", "correlate", "convolve", "conv_output_size",
    "conv_transpose_output_size", "pool_output_size", "conv_cost", "pool_cost", "ConvCost",
    "conv_matrix", "torch_code", "conv2d_grad_input", "conv2d_grad_weight",
    "receptive_field", "receptive_field_empirical", "kernels", "reference", "data",
]
