"""Reusable scratch memory for the engine's temporary arrays.

Fresh multi-megabyte arrays cost page faults on every call (the C library hands
large blocks back to the system when they are freed); for a batched convolution
that is a third of the time. Temporaries that never leave an op -- the padded
input, the im2col columns -- are therefore carved out of one buffer per purpose
and thread, kept between calls. Results are always fresh arrays.
"""
from __future__ import annotations

import threading
from math import prod

import numpy as np

_LIMIT = 1 << 28  # bytes: larger temporaries are allocated fresh and not kept
_local = threading.local()


def scratch(slot: str, shape, dtype) -> np.ndarray:
    """An uninitialised array of ``shape`` backed by the kept buffer ``slot``.

    The array is valid until the next request for the same slot in this thread.
    """
    dtype = np.dtype(dtype)
    nbytes = prod(shape) * dtype.itemsize
    if nbytes > _LIMIT:
        return np.empty(shape, dtype)
    buffers = _local.__dict__.setdefault("buffers", {})
    buf = buffers.get(slot)
    if buf is None or buf.nbytes < nbytes:
        buf = np.empty(max(nbytes, 1), np.uint8)
        buffers[slot] = buf
    return buf[:nbytes].view(dtype).reshape(shape)
