"""Convolution and transposed convolution with ``torch.nn.functional`` semantics."""
from __future__ import annotations

import numpy as np

from . import _engine
from ._args import (
    as_array, as_int, as_tuple, check_padding_mode, check_spatial_input, check_window_fits,
    out_size, pad, resolve_padding,
)


def _prepare(x, weight, bias, nd, op, groups, *, transposed=False):
    """Shared checks of x / weight / bias / groups; returns batched arrays and the dtype."""
    x = as_array(x, "x")
    dtype = x.dtype
    weight = as_array(weight, "weight")
    if weight.ndim != nd + 2:
        layout = "(C_in, C_out/groups, *k)" if transposed else "(C_out, C_in/groups, *k)"
        raise ValueError(f"weight has shape {weight.shape}; {op} expects {nd + 2} dimensions "
                         f"{layout} with {nd} kernel dimension(s)")
    xb, unbatched = check_spatial_input(x, nd, "x", op)
    groups = as_int(groups, "groups", minimum=1)
    C_in = xb.shape[1]
    if transposed:
        if weight.shape[0] != C_in:
            raise ValueError(f"x has {C_in} channels but weight.shape[0] = {weight.shape[0]}; "
                             f"{op} needs weight of shape (C_in, C_out/groups, *k) with C_in = {C_in}")
        if C_in % groups:
            raise ValueError(f"groups={groups} does not divide the {C_in} input channels; "
                             f"allowed: a divisor of {C_in}")
        C_out = weight.shape[1] * groups
    else:
        C_out = weight.shape[0]
        if C_in % groups or C_out % groups:
            raise ValueError(f"groups={groups} must divide both the input channels ({C_in}) and "
                             f"the output channels ({C_out})")
        if weight.shape[1] * groups != C_in:
            raise ValueError(f"x has {C_in} channels but weight.shape[1] * groups = "
                             f"{weight.shape[1]} * {groups} = {weight.shape[1] * groups}; "
                             f"weight must be (C_out, C_in/groups, *k) = (C_out, {C_in // groups}, ...)")
    if bias is not None:
        bias = as_array(bias, "bias")
        if bias.shape != (C_out,):
            raise ValueError(f"bias has shape {bias.shape}; expected ({C_out},), one value per "
                             "output channel")
        bias = bias.astype(dtype, copy=False)
    return xb, weight.astype(dtype, copy=False), bias, unbatched, groups, dtype


def _finish(y, bias, unbatched, nd):
    if bias is not None:
        y += bias.reshape((1, -1) + (1,) * nd)
    return y[0] if unbatched else y


def _conv(x, weight, bias, stride, padding, dilation, groups, padding_mode, nd, op):
    xb, w, bias, unbatched, groups, dtype = _prepare(x, weight, bias, nd, op, groups)
    k = w.shape[2:]
    stride = as_tuple(stride, nd, "stride", minimum=1)
    dilation = as_tuple(dilation, nd, "dilation", minimum=1)
    check_padding_mode(padding_mode)
    pairs = resolve_padding(padding, k, stride, dilation)
    spatial = xb.shape[2:]
    check_window_fits(spatial, k, dilation, pairs)
    xp = pad(xb, pairs, padding_mode, temporary=True)
    out = tuple(out_size(n, kk, s, d, lo, hi)
                for n, kk, s, d, (lo, hi) in zip(spatial, k, stride, dilation, pairs))
    y = _engine.correlate(xp, w, stride, dilation, groups, out, dtype)
    return _finish(y, bias, unbatched, nd)


_CONV_DOC = """{nd}D convolution (cross-correlation, as in deep learning), like ``torch.nn.functional.conv{nd}d``.

    ``y[n, co, o] = bias[co] + sum_{{ci, t}} weight[co, ci, t] * x_padded[n, g*C_in/groups + ci, o*s + t*d]``
    -- the kernel is not flipped (use :func:`convkit.convolve` for the flipped,
    signal-processing convolution).

    Parameters
    ----------
    x : ndarray, shape (N, C_in, {dims}) or (C_in, {dims})
        Input. float32 stays float32, float64 stays float64; integer and bool
        input is computed in float64.
    weight : ndarray, shape (C_out, C_in/groups, {kdims})
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or tuple of {nd} ints, >= 1
    padding : int, tuple of {nd} ints, 'valid' or 'same'
        Padding added to both sides. 'same' (stride 1 only) pads ``d*(k-1)`` in
        total per dimension; when that is odd the extra row/column goes at the
        end, as in PyTorch.
    groups : int
        Must divide C_in and C_out. ``groups=C_in`` is depthwise convolution.
    padding_mode : {{'zeros', 'reflect', 'replicate', 'circular'}}
        PyTorch's names (``nn.Conv{nd}d(padding_mode=...)``); also with 'same'.

    Returns
    -------
    y : ndarray, shape (N, C_out, {odims}) or (C_out, {odims})
        Output size per dimension ``floor((n + 2p - d*(k-1) - 1)/s) + 1``
        (see :func:`convkit.conv_output_size`).

    See Also
    --------
    conv_transpose{nd}d, conv_output_size, conv_cost, convkit.reference.conv
    book/{chapter}
    """


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    return _conv(x, weight, bias, stride, padding, dilation, groups, padding_mode, 1, "conv1d")


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    return _conv(x, weight, bias, stride, padding, dilation, groups, padding_mode, 2, "conv2d")


def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    return _conv(x, weight, bias, stride, padding, dilation, groups, padding_mode, 3, "conv3d")


def _conv_transpose(x, weight, bias, stride, padding, output_padding, groups, dilation, nd, op):
    xb, w, bias, unbatched, groups, dtype = _prepare(x, weight, bias, nd, op, groups, transposed=True)
    k = w.shape[2:]
    stride = as_tuple(stride, nd, "stride", minimum=1)
    dilation = as_tuple(dilation, nd, "dilation", minimum=1)
    if isinstance(padding, str):
        raise ValueError(f"padding={padding!r} is not supported by {op}; allowed: an int >= 0 or a "
                         f"tuple of {nd} ints >= 0 (PyTorch has no 'same' for transposed convolution)")
    pads = as_tuple(padding, nd, "padding", minimum=0)
    opad = as_tuple(output_padding, nd, "output_padding", minimum=0)
    for op_, s, d in zip(opad, stride, dilation):
        if op_ >= max(s, d):
            raise ValueError(f"output_padding={output_padding!r} is not allowed with stride={stride} "
                             f"and dilation={dilation}; each entry must be < max(stride, dilation) "
                             f"of its dimension")
    S = xb.shape[2:]
    full = tuple((n - 1) * s + d * (kk - 1) + 1 for n, s, d, kk in zip(S, stride, dilation, k))
    out = tuple(f - 2 * p + o for f, p, o in zip(full, pads, opad))
    for axis, (o, p) in enumerate(zip(out, pads)):
        if o < 1:
            raise ValueError(f"padding={padding!r} leaves no output in spatial dimension {axis} "
                             f"(output size {o}); allowed: padding <= {(full[axis] - 1) // 2} there")
    y = _engine.transpose_scatter(xb, w, stride, dilation, groups, pads, out, dtype)
    return _finish(y, bias, unbatched, nd)


_CONVT_DOC = """{nd}D transposed convolution, like ``torch.nn.functional.conv_transpose{nd}d``.

    Each input value stamps a scaled copy of the kernel onto the output
    (position ``i*s + t*d - p``) and overlapping stamps add up: the adjoint
    (matrix transpose) of :func:`conv{nd}d` with the same stride, padding and
    dilation -- not its inverse. Computed as a matrix product and a scatter
    (col2im), never as a convolution over zero-inserted input.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, {dims}) or (C_in, {dims})
    weight : ndarray, shape (C_in, C_out/groups, {kdims})
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or tuple of {nd} ints, >= 1
    padding : int or tuple of {nd} ints, >= 0
        Removed from both sides of the output.
    output_padding : int or tuple of {nd} ints
        Extra size added at the end of each dimension (< max(stride, dilation));
        picks one of the input sizes that a strided convolution maps to the same size.
    groups : int

    Returns
    -------
    y : ndarray, shape (N, C_out, {odims}) or (C_out, {odims})
        Size per dimension ``(n-1)*s - 2p + d*(k-1) + output_padding + 1``
        (see :func:`convkit.conv_transpose_output_size`).

    See Also
    --------
    conv{nd}d, conv_matrix, conv_transpose_output_size, convkit.reference.conv_transpose
    book/transposed.ipynb
    """


def conv_transpose1d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(x, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                           "conv_transpose1d")


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(x, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                           "conv_transpose2d")


def conv_transpose3d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(x, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                           "conv_transpose3d")


_DIMS = {1: ("L", "k", "L_out", "conv1d.ipynb"), 2: ("H, W", "kH, kW", "H_out, W_out", "conv2d.ipynb"),
         3: ("D, H, W", "kD, kH, kW", "D_out, H_out, W_out", "conv3d.ipynb")}
for _nd, (_d, _k, _o, _ch) in _DIMS.items():
    globals()[f"conv{_nd}d"].__doc__ = _CONV_DOC.format(nd=_nd, dims=_d, kdims=_k, odims=_o, chapter=_ch)
    globals()[f"conv_transpose{_nd}d"].__doc__ = _CONVT_DOC.format(nd=_nd, dims=_d, kdims=_k, odims=_o)
del _nd, _d, _k, _o, _ch
