"""Gradients of a 2-D convolution: with respect to the input and to the kernel (NumPy only).

For ``y = conv2d(x, weight, stride, padding, dilation, groups)`` and a loss ``L`` whose
gradient with respect to the output is ``grad_y = dL/dy``:

- ``dL/dx = conv2d_grad_input(grad_y, weight, x.shape, ...)`` is the **transposed
  convolution** of ``grad_y`` with the same kernel, stride, padding, dilation and groups
  (``conv_transpose2d``, with the ``output_padding`` that gives back ``x``'s size). This
  is why transposed convolution exists: it is the backward pass of convolution.
- ``dL/dweight = conv2d_grad_weight(x, grad_y, weight.shape, ...)`` is the
  **cross-correlation** of the (padded) input with ``grad_y``: each kernel tap is the
  sum, over every output position, of the error there times the input value that tap
  saw. It is computed with :func:`convkit.conv2d` itself, taking ``grad_y`` as the
  kernel; the stride of the forward pass becomes the dilation of that correlation and
  the forward dilation becomes its stride.

No automatic differentiation: both are ordinary convkit convolutions. Zero padding only
(``padding_mode='zeros'``), as in the gradients PyTorch computes for ``F.conv2d``.

See Also
--------
convkit.conv2d, convkit.conv_transpose2d
Book: ``book/learning_a_kernel.ipynb``.
"""
from __future__ import annotations

import numpy as np

from ._args import (
    as_array, as_int, as_tuple, check_spatial_input, check_window_fits, out_size, resolve_padding,
)
from ._conv import conv2d, conv_transpose2d

__all__ = ["conv2d_grad_input", "conv2d_grad_weight"]

_ND = 2


def _geometry(spatial, k, stride, padding, dilation):
    """Checked stride, dilation, (before, after) padding pairs and output size."""
    stride = as_tuple(stride, _ND, "stride", minimum=1)
    dilation = as_tuple(dilation, _ND, "dilation", minimum=1)
    pairs = resolve_padding(padding, k, stride, dilation)
    check_window_fits(spatial, k, dilation, pairs)
    out = tuple(out_size(n, kk, s, d, lo, hi)
                for n, kk, s, d, (lo, hi) in zip(spatial, k, stride, dilation, pairs))
    return stride, dilation, pairs, out


def _check_weight_shape(weight_shape, C_in, groups):
    """(C_out, C_in/groups, kH, kW) that fits C_in channels and `groups`."""
    if len(weight_shape) != _ND + 2:
        raise ValueError(f"weight_shape={tuple(weight_shape)!r} must have 4 entries "
                         "(C_out, C_in/groups, kH, kW)")
    weight_shape = tuple(as_int(v, "weight_shape", minimum=1) for v in weight_shape)
    C_out = weight_shape[0]
    if C_in % groups or C_out % groups:
        raise ValueError(f"groups={groups} must divide both the input channels ({C_in}) and "
                         f"the output channels ({C_out})")
    if weight_shape[1] * groups != C_in:
        raise ValueError(f"x has {C_in} channels but weight_shape[1] * groups = "
                         f"{weight_shape[1]} * {groups} = {weight_shape[1] * groups}; the weight "
                         f"must be (C_out, C_in/groups, kH, kW) = (C_out, {C_in // groups}, ...)")
    return weight_shape


def _check_grad_y(gb, N, C_out, out, input_name):
    expected = (N, C_out) + out
    if gb.shape != expected:
        raise ValueError(f"grad_y has shape {gb.shape} (batched); the "
                         f"convolution of {input_name} gives an output of shape {expected} "
                         "(N, C_out, H_out, W_out): grad_y must have that shape")


def conv2d_grad_weight(x, grad_y, weight_shape, stride=1, padding=0, dilation=1, groups=1):
    """Gradient of a loss with respect to the kernel of ``conv2d(x, weight, ...)``.

    ``dL/dweight[co, ci, i, j] = sum_{n, u, v} grad_y[n, co, u, v] *
    x_padded[n, g*C_in/groups + ci, u*s + i*d, v*s + j*d]`` -- the cross-correlation
    of the padded input with the output gradient (for stride 1, dilation 1 and one
    channel: ``correlate(x_padded, grad_y, 'valid')``). It is computed as one
    :func:`convkit.conv2d` in which the input's channels play the batch, the batch plays
    the channels and ``grad_y`` is the kernel; the forward stride becomes its dilation
    and the forward dilation its stride. Summed over the batch.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W) or (C_in, H, W)
        The input of the forward convolution.
    grad_y : ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        ``dL/dy``, batched like `x`.
    weight_shape : tuple of 4 ints
        ``(C_out, C_in/groups, kH, kW)``, the shape of the kernel.
    stride, padding, dilation, groups
        As in :func:`convkit.conv2d` (zero padding; ``padding`` may be ``'same'`` or
        ``'valid'``).

    Returns
    -------
    grad_weight : ndarray, shape weight_shape
        In x's floating dtype.

    See Also
    --------
    conv2d_grad_input, convkit.conv2d, convkit.correlate
    Book: ``book/learning_a_kernel.ipynb``.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 4, 4)
    >>> conv2d_grad_weight(x, np.ones((1, 2, 2)), (1, 1, 3, 3))[0, 0]  # sums of 2x2 windows
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    """
    x = as_array(x, "x")
    grad_y = as_array(grad_y, "grad_y")
    xb, unbatched = check_spatial_input(x, _ND, "x", "conv2d_grad_weight")
    gb, g_unbatched = check_spatial_input(grad_y, _ND, "grad_y", "conv2d_grad_weight")
    if unbatched != g_unbatched:
        raise ValueError(f"x has shape {x.shape} and grad_y has shape {grad_y.shape}: give both "
                         "batched (N, C, H, W) or both unbatched (C, H, W)")
    groups = as_int(groups, "groups", minimum=1)
    N, C_in = xb.shape[:2]
    weight_shape = _check_weight_shape(weight_shape, C_in, groups)
    C_out, cg_in, *k = weight_shape
    k = tuple(k)
    stride, dilation, pairs, out = _geometry(xb.shape[2:], k, stride, padding, dilation)
    _check_grad_y(gb, N, C_out, out, "x")
    dtype = xb.dtype
    xp = np.pad(xb, ((0, 0), (0, 0)) + pairs)
    H, W = xp.shape[2:]
    # input channels -> batch, (group, sample) -> channels: x_t[ci, g*N + n] = xp[n, g*cg_in + ci]
    x_t = xp.reshape(N, groups, cg_in, H, W).transpose(2, 1, 0, 3, 4)
    x_t = x_t.reshape(cg_in, groups * N, H, W)
    g_t = gb.astype(dtype, copy=False).transpose(1, 0, 2, 3)           # (C_out, N, Ho, Wo)
    # (cg_in, C_out, >= kH, >= kW): the forward dilation is the stride here, and vice versa
    gw = conv2d(x_t, g_t, stride=dilation, dilation=stride, groups=groups)
    # a floor-mode forward pass may never reach the last rows of x: the result can be larger
    gw = gw[:, :, :k[0], :k[1]].transpose(1, 0, 2, 3)
    return np.ascontiguousarray(gw, dtype=dtype)


def conv2d_grad_input(grad_y, weight, input_shape, stride=1, padding=0, dilation=1, groups=1):
    """Gradient of a loss with respect to the input of ``conv2d(x, weight, ...)``.

    ``dL/dx`` is the transposed convolution of ``grad_y`` with the same weight:
    ``conv_transpose2d(grad_y, weight, stride=s, padding=p, output_padding=r,
    groups=g, dilation=d)``, where ``r = (H + 2p - d(kH-1) - 1) mod s`` (per dimension)
    gives back the input's size (the rows a floor-mode forward pass never reached get
    gradient 0). Each output gradient stamps a copy of the kernel, scaled by it, where its
    window was: the adjoint of the convolution, not its inverse. Asymmetric ``'same'``
    padding (even kernels) is handled by cropping the unpadded transposed convolution.

    Parameters
    ----------
    grad_y : ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        ``dL/dy``.
    weight : ndarray, shape (C_out, C_in/groups, kH, kW)
        The kernel of the forward convolution (also the right layout for
        ``conv_transpose2d``).
    input_shape : tuple
        ``(N, C_in, H, W)`` or ``(C_in, H, W)``, batched like `grad_y`.
    stride, padding, dilation, groups
        As in :func:`convkit.conv2d` (zero padding).

    Returns
    -------
    grad_x : ndarray, shape input_shape
        In grad_y's floating dtype.

    See Also
    --------
    conv2d_grad_weight, convkit.conv_transpose2d, convkit.conv_matrix
    Book: ``book/learning_a_kernel.ipynb``.

    Examples
    --------
    >>> k = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> conv2d_grad_input(np.ones((1, 2, 2)), k, (1, 3, 3))[0]  # overlapping stamps add up
    array([[ 1.,  3.,  2.],
           [ 4., 10.,  6.],
           [ 3.,  7.,  4.]])
    """
    grad_y = as_array(grad_y, "grad_y")
    weight = as_array(weight, "weight")
    gb, unbatched = check_spatial_input(grad_y, _ND, "grad_y", "conv2d_grad_input")
    input_shape = tuple(as_int(v, "input_shape", minimum=1) for v in input_shape)
    if len(input_shape) != (_ND + 1 if unbatched else _ND + 2):
        want = "(C_in, H, W)" if unbatched else "(N, C_in, H, W)"
        raise ValueError(f"input_shape={input_shape!r} does not match grad_y of shape "
                         f"{grad_y.shape}: expected {want}, batched like grad_y")
    full_shape = ((1,) if unbatched else ()) + input_shape
    N, C_in = full_shape[:2]
    if weight.ndim != _ND + 2:
        raise ValueError(f"weight has shape {weight.shape}; expected 4 dimensions "
                         "(C_out, C_in/groups, kH, kW)")
    groups = as_int(groups, "groups", minimum=1)
    C_out = _check_weight_shape(weight.shape, C_in, groups)[0]
    k = weight.shape[2:]
    stride, dilation, pairs, out = _geometry(full_shape[2:], k, stride, padding, dilation)
    _check_grad_y(gb, N, C_out, out, f"an input of shape {full_shape}")
    dtype = gb.dtype
    w = weight.astype(dtype, copy=False)
    kw = dict(stride=stride, groups=groups, dilation=dilation)
    if all(lo == hi for lo, hi in pairs):
        p = tuple(lo for lo, _ in pairs)
        r = tuple((n + 2 * pp - d * (kk - 1) - 1) % s
                  for n, pp, d, kk, s in zip(full_shape[2:], p, dilation, k, stride))
        gx = conv_transpose2d(gb, w, padding=p, output_padding=r, **kw)
    else:   # 'same' with an odd total padding: one more row/column after than before
        full = conv_transpose2d(gb, w, **kw)                      # gradient w.r.t. x_padded
        padded = tuple(n + lo + hi for n, (lo, hi) in zip(full_shape[2:], pairs))
        gxp = np.zeros(full.shape[:2] + padded, dtype=dtype)
        gxp[:, :, :full.shape[2], :full.shape[3]] = full
        gx = np.ascontiguousarray(gxp[(Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, _)
                                                          in zip(full_shape[2:], pairs))])
    return gx[0] if unbatched else gx
