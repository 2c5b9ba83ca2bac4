"""Argument checking and normalisation shared by every convkit operation.

Each helper exists once: ops call these instead of re-implementing the
checks, so an error message reads the same everywhere. Messages name the
parameter, the value given and what is allowed.
"""
from __future__ import annotations

import numbers
import operator
from math import prod

import numpy as np

from ._scratch import scratch

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
_NP_PAD_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def as_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a real floating array (the dtype the op computes in).

    float32 stays float32 and float64 stays float64; integer and bool input
    is computed in float64 (so uint8 images never wrap around); float16 is
    computed in float32. Complex, object, string and empty input is rejected.
    """
    try:
        a = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a numeric array; got {_short(x)} ({exc})") from None
    kind = a.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} is complex ({a.dtype}); convkit supports real input only: "
                        "convolve the real and imaginary parts separately")
    if kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array; got dtype {a.dtype} "
                        f"from {_short(x)}; allowed: bool, integer or float")
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape}); every dimension must be at least 1")
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a
    if a.dtype == np.float16:
        return a.astype(np.float32)
    if kind == "f":  # longdouble
        return a.astype(np.float64)
    return a.astype(np.float64)


def _short(x) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def as_int(value, name: str, *, minimum: int | None = None, allowed: str = "") -> int:
    """Return ``value`` as a Python int, checking it is an integer >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} must be an integer{allowed and ' ' + allowed}; "
                        f"got type {type(value).__name__}")
    value = operator.index(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}={value} is not allowed; {name} must be >= {minimum}"
                         f"{allowed and ' (' + allowed + ')'}")
    return value


def as_tuple(value, n: int, name: str, *, minimum: int | None = None) -> tuple[int, ...]:
    """An int or a sequence of ``n`` ints -> a tuple of ``n`` ints, each >= minimum."""
    if isinstance(value, (tuple, list, np.ndarray)):
        items = list(value)
        if len(items) != n:
            raise ValueError(f"{name}={tuple(items)!r} has {len(items)} entries; "
                             f"expected an int or a tuple of {n} ints (one per spatial dimension)")
    else:
        items = [value] * n
    return tuple(as_int(v, name, minimum=minimum) for v in items)


def check_spatial_input(x: np.ndarray, nd: int, name: str, op: str) -> tuple[np.ndarray, bool]:
    """Accept ``(C, *S)`` or ``(N, C, *S)``; return the batched array and whether it was unbatched."""
    if x.ndim == nd + 1:
        return x[None], True
    if x.ndim == nd + 2:
        return x, False
    raise ValueError(f"{name} has shape {x.shape} ({x.ndim} dimensions); {op} expects "
                     f"{nd + 1} dimensions (C, {_dims(nd)}) or {nd + 2} (N, C, {_dims(nd)})")


def _dims(nd: int) -> str:
    return ", ".join(("D", "H", "W")[3 - nd:]) if nd <= 3 else ", ".join(f"S{i}" for i in range(nd))


def check_padding_mode(padding_mode) -> str:
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"padding_mode={padding_mode!r} is not supported; allowed: "
                         + ", ".join(repr(m) for m in PADDING_MODES))
    return padding_mode


def resolve_padding(padding, kernel_size, stride, dilation, name: str = "padding"):
    """Padding argument -> a tuple of (before, after) pairs, one per spatial dimension.

    ``padding`` is an int, a tuple of ints (the same on both sides of each
    dimension), ``"valid"`` (no padding) or ``"same"`` (output size = input
    size; stride must be 1). For ``"same"`` the total padding of a dimension is
    ``d*(k-1)``; when it is odd the extra row/column goes after (PyTorch's rule).
    """
    nd = len(kernel_size)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{name}='same' needs stride 1; got stride={stride}; "
                                 "use an explicit integer padding with stride > 1")
            pairs = []
            for k, d in zip(kernel_size, dilation):
                total = d * (k - 1)
                pairs.append((total // 2, total - total // 2))
            return tuple(pairs)
        raise ValueError(f"{name}={padding!r} is not supported; allowed: an int >= 0, a tuple of "
                         f"{nd} ints >= 0, 'valid' or 'same'")
    pads = as_tuple(padding, nd, name, minimum=0)
    return tuple((p, p) for p in pads)


def pad(x: np.ndarray, pairs, mode: str = "zeros", fill: float = 0.0, *,
        temporary: bool = False) -> np.ndarray:
    """Pad the trailing ``len(pairs)`` axes of ``x`` by (before, after) pairs.

    ``mode`` is one of PADDING_MODES (PyTorch names). Constant padding uses
    ``fill`` (pooling pads with -inf). Reflect needs every pad < the input size,
    circular every pad <= the input size, as in PyTorch.
    """
    nd = len(pairs)
    if not any(lo or hi for lo, hi in pairs):
        return x
    spatial = x.shape[x.ndim - nd:]
    if mode == "reflect" or mode == "circular":
        for axis, ((lo, hi), n) in enumerate(zip(pairs, spatial)):
            limit_ok = max(lo, hi) < n if mode == "reflect" else max(lo, hi) <= n
            if not limit_ok:
                rule = "< the input size" if mode == "reflect" else "<= the input size"
                raise ValueError(
                    f"padding_mode={mode!r} needs padding {rule} in every dimension; spatial "
                    f"dimension {axis} has size {n} but padding ({lo}, {hi})")
    if mode == "zeros":
        lead = x.ndim - nd
        shape = x.shape[:lead] + tuple(n + lo + hi for n, (lo, hi) in zip(spatial, pairs))
        out = scratch("pad", shape, x.dtype) if temporary else np.empty(shape, dtype=x.dtype)
        inner = (Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(spatial, pairs))
        out[inner] = x
        for axis, (n, (lo, hi)) in enumerate(zip(spatial, pairs)):  # fill only the border slabs
            before = (Ellipsis, slice(0, lo)) + (slice(None),) * (nd - axis - 1)
            after = (Ellipsis, slice(lo + n, None)) + (slice(None),) * (nd - axis - 1)
            out[before] = fill
            out[after] = fill
        return out
    width = [(0, 0)] * (x.ndim - nd) + [tuple(p) for p in pairs]
    return np.pad(x, width, mode=_NP_PAD_MODE[mode])


def out_size(n: int, k: int, s: int, d: int, lo: int, hi: int) -> int:
    """Floor-mode output length of a window of size k, dilation d, stride s over padded n."""
    return (n + lo + hi - d * (k - 1) - 1) // s + 1


def check_window_fits(spatial, kernel_size, dilation, pairs, x_name="x", what="kernel"):
    """Raise if a (dilated) window is larger than the padded input in some dimension."""
    for axis, (n, k, d, (lo, hi)) in enumerate(zip(spatial, kernel_size, dilation, pairs)):
        span = d * (k - 1) + 1
        if span > n + lo + hi:
            raise ValueError(
                f"the {what} (size {k}, dilation {d}: spans {span}) is larger than the padded "
                f"input in spatial dimension {axis} ({n} + padding {lo}+{hi} = {n + lo + hi}); "
                f"{x_name} must be at least {span - lo - hi} there, or pad more")


def numel(shape) -> int:
    return int(prod(shape))
