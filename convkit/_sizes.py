"""Output sizes and costs (parameters, multiply-accumulates) of convolution and pooling."""
from __future__ import annotations

from math import prod
from typing import NamedTuple

from ._args import as_int, as_tuple, out_size, resolve_padding
from ._pool import pool_geometry


def _spatial_args(n, kernel_size):
    """Length of the tuple form, and whether the caller passed scalars."""
    seqs = [v for v in (n, kernel_size) if isinstance(v, (tuple, list))]
    if not seqs:
        return 1, True
    lengths = {len(v) for v in seqs}
    if len(lengths) != 1:
        raise ValueError(f"n={n!r} and kernel_size={kernel_size!r} have different lengths; "
                         "give one entry per spatial dimension")
    return lengths.pop(), False


def _result(values, scalar):
    return values[0] if scalar else tuple(values)


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Output size of a convolution: ``floor((n + 2p - d*(k-1) - 1)/s) + 1``.

    ``padding`` may be an int, a tuple, ``'valid'`` or ``'same'``, as for the ops.
    Ints give an int; tuples give a tuple, elementwise. The result is the shape
    :func:`convkit.conv2d` returns (tested for every setting).

    See Also
    --------
    conv2d, conv_transpose_output_size, book/stride_dilation.ipynb
    """
    nd, scalar = _spatial_args(n, kernel_size)
    ns = as_tuple(n, nd, "n", minimum=1)
    ks = as_tuple(kernel_size, nd, "kernel_size", minimum=1)
    ss = as_tuple(stride, nd, "stride", minimum=1)
    ds = as_tuple(dilation, nd, "dilation", minimum=1)
    pairs = resolve_padding(padding, ks, ss, ds)
    sizes = [out_size(*a, lo, hi) for *a, (lo, hi) in zip(ns, ks, ss, ds, pairs)]
    for axis, (o, nn, kk, dd, (lo, hi)) in enumerate(zip(sizes, ns, ks, ds, pairs)):
        if o < 1:
            raise ValueError(f"kernel_size={kernel_size!r} with dilation={dilation!r} spans "
                             f"{dd * (kk - 1) + 1} > the padded input {nn + lo + hi} in dimension "
                             f"{axis}: no output")
    return _result(sizes, scalar)


def conv_transpose_output_size(n, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Output size of a transposed convolution: ``(n-1)*s - 2p + d*(k-1) + output_padding + 1``.

    See Also
    --------
    conv_transpose2d, conv_output_size, book/transposed.ipynb
    """
    nd, scalar = _spatial_args(n, kernel_size)
    ns = as_tuple(n, nd, "n", minimum=1)
    ks = as_tuple(kernel_size, nd, "kernel_size", minimum=1)
    ss = as_tuple(stride, nd, "stride", minimum=1)
    ps = as_tuple(padding, nd, "padding", minimum=0)
    ops = as_tuple(output_padding, nd, "output_padding", minimum=0)
    ds = as_tuple(dilation, nd, "dilation", minimum=1)
    sizes = []
    for nn, kk, s, p, o, d in zip(ns, ks, ss, ps, ops, ds):
        if o >= max(s, d):
            raise ValueError(f"output_padding={output_padding!r} must be < max(stride, dilation) "
                             f"= {max(s, d)} in every dimension")
        size = (nn - 1) * s - 2 * p + d * (kk - 1) + o + 1
        if size < 1:
            raise ValueError(f"padding={padding!r} leaves no output (size {size})")
        sizes.append(size)
    return _result(sizes, scalar)


def pool_output_size(n, kernel_size, stride=None, padding=0, ceil_mode=False):
    """Output size of pooling: ``floor((n + 2p - k)/s) + 1``, or ceil with ``ceil_mode``.

    ``stride`` defaults to ``kernel_size``. With ``ceil_mode`` a last window that
    would start in the right padding is dropped (PyTorch's rule).

    See Also
    --------
    max_pool2d, avg_pool2d, book/pooling.ipynb
    """
    nd, scalar = _spatial_args(n, kernel_size)
    ns = as_tuple(n, nd, "n", minimum=1)
    ks = as_tuple(kernel_size, nd, "kernel_size", minimum=1)
    ss = ks if stride is None else as_tuple(stride, nd, "stride", minimum=1)
    ps = as_tuple(padding, nd, "padding", minimum=0)
    sizes = []
    for nn, kk, s, p in zip(ns, ks, ss, ps):
        if p > kk // 2:
            raise ValueError(f"padding={padding!r} must be at most half of kernel_size={kernel_size!r}")
        o = pool_geometry(nn, kk, s, p, ceil_mode)
        if o < 1:
            raise ValueError(f"kernel_size={kernel_size!r} is larger than the padded input {nn + 2 * p}")
        sizes.append(o)
    return _result(sizes, scalar)


class ConvCost(NamedTuple):
    """Shape and cost of one convolution layer.

    ``macs`` counts multiply-accumulates of the kernel only (bias additions are
    not counted); ``flops = 2 * macs`` (one multiply and one add per MAC) --
    papers disagree on which they quote, so both are given.
    """

    output_shape: tuple
    params: int
    macs: int
    flops: int

    @property
    def activations(self) -> int:
        """Number of output values (multiply by 4 for float32 bytes)."""
        return prod(self.output_shape)


def _shapes(input_shape, weight_shape):
    input_shape = tuple(as_int(v, "input_shape", minimum=1) for v in input_shape)
    weight_shape = tuple(as_int(v, "weight_shape", minimum=1) for v in weight_shape)
    nd = len(weight_shape) - 2
    if nd < 1:
        raise ValueError(f"weight_shape={weight_shape!r} needs at least 3 entries (C_out, C_in/groups, *k)")
    if len(input_shape) not in (nd + 1, nd + 2):
        raise ValueError(f"input_shape={input_shape!r} must be (C, *S) or (N, C, *S) with {nd} "
                         f"spatial dimensions to match weight_shape={weight_shape!r}")
    batched = len(input_shape) == nd + 2
    N = input_shape[0] if batched else 1
    return input_shape[-nd - 1], input_shape[-nd:], weight_shape, nd, batched, N


def conv_cost(input_shape, weight_shape, stride=1, padding=0, dilation=1, groups=1, bias=True,
              transposed=False, output_padding=0):
    """Output shape, parameters, MACs and FLOPs of a convolution layer.

    Parameters
    ----------
    input_shape : tuple, (C, *S) or (N, C, *S)
    weight_shape : tuple
        ``(C_out, C_in/groups, *k)``, or for ``transposed=True`` PyTorch's
        ``(C_in, C_out/groups, *k)``.
    stride, padding, dilation, groups, output_padding
        As for the ops; ``padding`` may be ``'same'`` or ``'valid'``.
    bias : bool
        Whether the layer has one bias per output channel (counted in params).
    transposed : bool
        Count a transposed convolution as its scatter: every input position x
        C_in x C_out/groups x kernel size, not as a convolution over a
        zero-inserted input.

    Returns
    -------
    ConvCost
        ``output_shape`` (with N if the input had it), ``params``
        (``k_h*k_w*C_in/groups*C_out`` + ``C_out`` biases), ``macs`` (kernel
        multiply-accumulates only; bias additions are not counted), ``flops`` (=
        2 * macs).

    See Also
    --------
    conv_output_size, pool_cost, book/channels.ipynb
    """
    C_in, S, w, nd, batched, N = _shapes(input_shape, weight_shape)
    groups = as_int(groups, "groups", minimum=1)
    k = w[2:]
    K = prod(k)
    if transposed:
        if w[0] != C_in or C_in % groups:
            raise ValueError(f"weight_shape={weight_shape!r} must be (C_in, C_out/groups, *k) with "
                             f"C_in={C_in} divisible by groups={groups}")
        C_out = w[1] * groups
        if isinstance(padding, str):
            raise ValueError(f"padding={padding!r}: transposed convolution takes integer padding")
        out = conv_transpose_output_size(tuple(S), tuple(k), stride, padding, output_padding, dilation)
        macs = N * prod(S) * C_in * w[1] * K
    else:
        C_out = w[0]
        if C_in % groups or C_out % groups or w[1] * groups != C_in:
            raise ValueError(f"weight_shape={weight_shape!r} does not fit input with C_in={C_in} and "
                             f"groups={groups}: need (C_out, C_in/groups, *k) with groups dividing both")
        out = conv_output_size(tuple(S), tuple(k), stride, padding, dilation)
        macs = N * prod(out) * C_out * w[1] * K
    params = prod(w) + (C_out if bias else 0)
    output_shape = ((N,) if batched else ()) + (C_out,) + tuple(out)
    return ConvCost(output_shape, int(params), int(macs), int(2 * macs))


class PoolCost(NamedTuple):
    """Shape and cost of a pooling layer: no parameters; comparisons or additions.

    Max pooling takes ``K - 1`` comparisons per output value; average pooling
    ``K - 1`` additions and one division (``K`` = window size).
    """

    output_shape: tuple
    params: int
    comparisons: int
    additions: int
    divisions: int


def pool_cost(input_shape, kernel_size, stride=None, padding=0, ceil_mode=False, kind="max"):
    """Output shape and operation counts of max or average pooling.

    ``input_shape`` is ``(C, *S)`` or ``(N, C, *S)``; with an int
    ``kernel_size`` it is read as ``(C, L)``, ``(C, H, W)`` or ``(N, C, H, W)``
    (give a tuple kernel for 3D pooling).

    See Also
    --------
    pool_output_size, conv_cost, book/pooling.ipynb
    """
    if kind not in ("max", "avg"):
        raise ValueError(f"kind={kind!r} is not supported; allowed: 'max' or 'avg'")
    input_shape = tuple(as_int(v, "input_shape", minimum=1) for v in input_shape)
    if len(input_shape) < 2:
        raise ValueError(f"input_shape={input_shape!r} must be (C, *S) or (N, C, *S)")
    if isinstance(kernel_size, (tuple, list)):
        nd = len(kernel_size)
    else:  # an int window: (C, L), (C, H, W) or (N, C, H, W) -- give a tuple for 3D
        nd = {2: 1, 3: 2}.get(len(input_shape), len(input_shape) - 2)
    if len(input_shape) not in (nd + 1, nd + 2):
        raise ValueError(f"input_shape={input_shape!r} does not match kernel_size={kernel_size!r}")
    S = input_shape[-nd:]
    ks = as_tuple(kernel_size, nd, "kernel_size", minimum=1)
    out = pool_output_size(tuple(S), ks, stride, padding, ceil_mode)
    output_shape = input_shape[:-nd] + tuple(out)
    n_out = prod(output_shape)
    K = prod(ks)
    if kind == "max":
        return PoolCost(output_shape, 0, n_out * (K - 1), 0, 0)
    return PoolCost(output_shape, 0, 0, n_out * (K - 1), n_out)
