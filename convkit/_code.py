"""The PyTorch code equivalent to a convkit call, as text (for the book's demos)."""
from __future__ import annotations

from ._args import as_tuple, check_padding_mode, resolve_padding
from ._sizes import conv_cost, pool_cost

_CONV_OPS = {f"conv{n}d": n for n in (1, 2, 3)}
_TRANSPOSED_OPS = {f"conv_transpose{n}d": n for n in (1, 2, 3)}
_POOL_OPS = {f"{kind}_pool{n}d": n for kind in ("max", "avg") for n in (1, 2, 3)}


def _fmt(value, nd):
    """An int when all entries agree, else a tuple -- as one would write it by hand."""
    t = tuple(value) if isinstance(value, (tuple, list)) else (value,) * nd
    return str(t[0]) if len(set(t)) == 1 else "(" + ", ".join(str(v) for v in t) + ")"


def _shape(shape):
    return "(" + ", ".join(str(int(v)) for v in shape) + ("," if len(shape) == 1 else "") + ")"


def torch_code(op, x_shape, weight_shape=None, *, bias=False, **kwargs):
    """PyTorch code computing the same as ``getattr(convkit, op)(x, weight, **kwargs)``.

    ``F.conv2d`` has no ``padding_mode`` (only ``nn.Conv2d`` has), so non-zero
    padding modes are written as ``F.pad(x, ..., mode=...)`` followed by the
    convolution with ``padding=0``; ``F.pad`` lists the padding of the last
    dimension first, (left, right, top, bottom, ...). Arguments at their
    defaults are left out.

    Parameters
    ----------
    op : str
        ``'conv2d'``, ``'conv_transpose1d'``, ``'max_pool2d'``, ...
    x_shape, weight_shape : tuple
        Shapes of the input and (for convolutions) the weight.
    bias : bool
        Whether the call passes a bias of shape ``(C_out,)``.
    **kwargs
        The keyword arguments of the convkit call.

    Returns
    -------
    str
        Runnable Python code (given ``torch``) that builds tensors of these
        shapes and makes the call.

    Examples
    --------
    >>> print(torch_code("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), padding=1, padding_mode="reflect"))
    import torch
    import torch.nn.functional as F
    x = torch.randn(1, 3, 8, 8)
    weight = torch.randn(4, 3, 3, 3)
    x = F.pad(x, (1, 1, 1, 1), mode="reflect")
    y = F.conv2d(x, weight)  # y.shape == (1, 4, 8, 8)

    See Also
    --------
    convkit.conv2d, book/padding.ipynb
    """
    lines = ["import torch", "import torch.nn.functional as F",
             f"x = torch.randn{_shape(x_shape)}"]
    if op in _CONV_OPS or op in _TRANSPOSED_OPS:
        transposed = op in _TRANSPOSED_OPS
        nd = _TRANSPOSED_OPS[op] if transposed else _CONV_OPS[op]
        if weight_shape is None:
            raise ValueError(f"weight_shape is required for op={op!r}")
        lines.append(f"weight = torch.randn{_shape(weight_shape)}")
        k = tuple(weight_shape[2:])
        groups = kwargs.get("groups", 1)
        args = ["x", "weight"]
        if bias:
            c_out = weight_shape[1] * groups if transposed else weight_shape[0]
            lines.append(f"bias = torch.randn({c_out})")
            args.append("bias")
        stride = as_tuple(kwargs.get("stride", 1), nd, "stride", minimum=1)
        dilation = as_tuple(kwargs.get("dilation", 1), nd, "dilation", minimum=1)
        padding = kwargs.get("padding", 0)
        mode = check_padding_mode(kwargs.get("padding_mode", "zeros"))
        if mode != "zeros":
            pairs = resolve_padding(padding, k, stride, dilation)
            flat = [v for lo_hi in reversed(pairs) for v in lo_hi]  # F.pad: last dim first
            if any(flat):
                lines.append(f'x = F.pad(x, ({", ".join(map(str, flat))}), mode="{mode}")')
            padding = 0
        named = {}
        if any(s != 1 for s in stride):
            named["stride"] = _fmt(stride, nd)
        if isinstance(padding, str):
            named["padding"] = f'"{padding}"'
        elif any(as_tuple(padding, nd, "padding", minimum=0)):
            named["padding"] = _fmt(padding, nd)
        output_padding = kwargs.get("output_padding", 0)
        if transposed and any(as_tuple(output_padding, nd, "output_padding", minimum=0)):
            named["output_padding"] = _fmt(output_padding, nd)
        dil = _fmt(dilation, nd) if any(d != 1 for d in dilation) else None
        if not transposed and dil:
            named["dilation"] = dil
        if groups != 1:
            named["groups"] = str(groups)
        if transposed and dil:
            named["dilation"] = dil  # conv_transpose's order: ..., groups, dilation
        args += [f"{key}={value}" for key, value in named.items()]
        cost = conv_cost(x_shape, weight_shape, stride=stride, padding=kwargs.get("padding", 0),
                         dilation=dilation, groups=groups, transposed=transposed,
                         output_padding=output_padding)
        out_shape = cost.output_shape
    elif op in _POOL_OPS:
        nd = _POOL_OPS[op]
        ks = kwargs.get("kernel_size")
        if ks is None:
            raise ValueError(f"kernel_size is required for op={op!r}")
        args = ["x", f"kernel_size={_fmt(ks, nd)}"]
        if kwargs.get("stride") is not None:
            args.append(f"stride={_fmt(kwargs['stride'], nd)}")
        if any(as_tuple(kwargs.get("padding", 0), nd, "padding", minimum=0)):
            args.append(f"padding={_fmt(kwargs['padding'], nd)}")
        if kwargs.get("ceil_mode"):
            args.append("ceil_mode=True")
        if op.startswith("avg") and kwargs.get("count_include_pad") is False:
            args.append("count_include_pad=False")
        out_shape = pool_cost(x_shape, as_tuple(ks, nd, "kernel_size", minimum=1), kwargs.get("stride"),
                              kwargs.get("padding", 0), kwargs.get("ceil_mode", False)).output_shape
    else:
        known = sorted(_CONV_OPS) + sorted(_TRANSPOSED_OPS) + sorted(_POOL_OPS)
        raise ValueError(f"op={op!r} is not supported; allowed: {', '.join(known)}")
    lines.append(f"y = F.{op}({', '.join(args)})  # y.shape == {_shape(out_shape)}")
    return "\n".join(lines)
