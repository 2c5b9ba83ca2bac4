"""Interactive demos of the book, live in Jupyter and working on the static website.

Every demo is made by one ``explore_<topic>(...)`` function that returns a
:class:`Demo`; a chapter cell is just that call. All demos share one mechanism
(:mod:`convkit.widgets._demo`): a pure drawing function built on :mod:`convkit.plot`,
controls described by :class:`Slider`, :class:`Choice`, :class:`Toggle`, :class:`Step`
and :class:`KernelText`, and a display that gives Jupyter the live ipywidgets version
and the website a static version with precomputed frames (see :class:`Demo`).

This is the top layer of convkit: it imports matplotlib (through :mod:`convkit.plot`)
and ipywidgets, and nothing in convkit imports it.
"""
from ._demo import (
    DEFAULT_BUDGET, Choice, Control, Demo, DemoWidget, Frame, KernelText, RenderedFrame, Slider,
    Step, Toggle, format_kernel,
)

# Demos of the chapters: add ``from ._<topic> import explore_<topic>`` here.

__all__ = [
    "Demo", "DemoWidget", "Frame", "RenderedFrame", "Control", "Slider", "Choice", "Toggle",
    "Step", "KernelText", "DEFAULT_BUDGET", "format_kernel",
]
from ._conv2d import explore_canny, explore_conv2d_steps, explore_kernels  # noqa: E402,F401
from ._padding import explore_padding, explore_padding_photo  # noqa: E402,F401
from ._transposed import explore_transposed  # noqa: E402,F401
from ._pooling import explore_pooling, explore_shift  # noqa: E402,F401
from ._pointwise import explore_pointwise, explore_bottleneck  # noqa: E402,F401
from ._stride import explore_downsampling, explore_output_size  # noqa: E402,F401
from ._conv1d import explore_sliding, explore_smoothing  # noqa: E402,F401
from ._flipping import explore_flip  # noqa: E402,F401
from ._receptive import explore_receptive_field  # noqa: E402,F401
from ._depthwise import explore_groups, explore_conv_cost  # noqa: E402,F401
from ._cnn import explore_cnn  # noqa: E402,F401
from ._channels import explore_channels  # noqa: E402,F401
from ._conv3d import explore_conv3d  # noqa: E402,F401
from ._learn import explore_learning  # noqa: E402,F401
