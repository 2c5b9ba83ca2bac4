"""The convolution as a matrix: ``conv(x).ravel() == C @ x.ravel()``."""
from __future__ import annotations

import numpy as np

from ._args import as_array, as_int
from ._conv import _conv

_MAX_INPUTS = 4096


def conv_matrix(input_shape, weight, stride=1, padding=0, dilation=1):
    """The dense matrix of a (zero-padded) convolution, for small inputs.

    Parameters
    ----------
    input_shape : tuple
        ``S`` (spatial size only) when ``weight`` is a bare kernel of the same
        number of dimensions, or ``(C_in, *S)`` when ``weight`` has shape
        ``(C_out, C_in, *k)``.
    weight : ndarray
        A kernel ``k`` (shape ``(kH, kW)`` etc.) or ``(C_out, C_in, *k)``.
    stride, padding, dilation
        As for :func:`convkit.conv2d` (zero padding; ``'same'``/``'valid'`` allowed).

    Returns
    -------
    C : ndarray, shape (output size, input size)
        ``conv(x).ravel() == C @ x.ravel()``; each row holds the kernel's weights
        at the input positions one output reads. ``C.T`` is the matrix of the
        transposed convolution with the same settings.

    See Also
    --------
    conv2d, conv_transpose2d, book/transposed.ipynb
    """
    w = as_array(weight, "weight")
    shape = tuple(as_int(v, "input_shape", minimum=1) for v in input_shape)
    if len(shape) == w.ndim:  # bare kernel: one input and one output channel
        w = w[None, None]
        shape = (1,) + shape
    nd = w.ndim - 2
    if nd < 1 or len(shape) != nd + 1:
        raise ValueError(f"input_shape={input_shape!r} does not match weight of shape {w.shape}: give "
                         "S with a bare kernel, or (C_in, *S) with weight (C_out, C_in, *k)")
    n_in = int(np.prod(shape))
    if n_in > _MAX_INPUTS:
        raise ValueError(f"input_shape={input_shape!r} has {n_in} values; conv_matrix builds a dense "
                         f"matrix and allows at most {_MAX_INPUTS} inputs")
    basis = np.eye(n_in, dtype=w.dtype).reshape((n_in,) + shape)  # one unit impulse per input
    y = _conv(basis, w, None, stride, padding, dilation, 1, "zeros", nd, "conv_matrix")
    return y.reshape(n_in, -1).T.copy()
