"""The computational kernels behind every convkit op (no argument checking here).

All functions take an input that is already padded, shape ``(N, C, *S)``, and
work for any number of spatial dimensions. Three strategies compute the same
cross-correlation and are chosen by cost:

* ``taps``: one multiply-add of a shifted view per kernel tap, in cache-sized
  tiles. Used when each output channel reads a single input channel
  (single-channel images, depthwise convolution); pooling uses the same loop
  with ``maximum``/``add``.
* ``gemm``: im2col, one sample at a time, then one matrix product per group
  (BLAS). Used for multi-channel convolution.
* ``fft``: products of spectra, for large kernels at stride 1.

Transposed convolution is a matrix product followed by col2im (a scatter-add
of shifted slices), never a convolution over zero-inserted input.
"""
from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from math import log2, prod

import numpy as np

from ._scratch import scratch

_TILE = 1 << 15  # elements per tile: ~128 kB of float32, stays in L2
_TILE_GEMV = 1 << 18  # elements of a column buffer for the batched matrix-vector form
_COLS = 1 << 22  # elements of the im2col buffer of the stride-1 matrix-product path (16 MB float32)


def window_view(xp: np.ndarray, kernel_size, stride, dilation, out):
    """A zero-copy view ``(N, C, *k, *out)`` of every window of ``xp``."""
    nd = len(kernel_size)
    lead = xp.strides[:2]
    sp = xp.strides[2:]
    strides = lead + tuple(d * st for d, st in zip(dilation, sp)) + tuple(s * st for s, st in zip(stride, sp))
    shape = xp.shape[:2] + tuple(kernel_size) + tuple(out)
    assert len(strides) == len(shape) == 2 + 2 * nd
    return np.lib.stride_tricks.as_strided(xp, shape, strides, writeable=False)


def _tap_slices(tap, stride, dilation, out, first=(0, None)):
    """Slices of the padded input that tap ``tap`` reads for every output position.

    ``first`` restricts the first spatial dimension to output rows [r0, r1).
    """
    r0, r1 = first
    r1 = out[0] if r1 is None else r1
    sl = []
    for j, (t, s, d, o) in enumerate(zip(tap, stride, dilation, out)):
        start = t * d
        if j == 0:
            sl.append(slice(start + r0 * s, start + (r1 - 1) * s + 1, s))
        else:
            sl.append(slice(start, start + (o - 1) * s + 1, s))
    return tuple(sl)


def _tiles(n_planes: int, out):
    """Split (planes, first output dim) into cache-sized tiles."""
    plane = prod(out)
    if plane >= _TILE:
        rows = max(1, _TILE // max(1, prod(out[1:])))
        for c0 in range(n_planes):
            for r0 in range(0, out[0], rows):
                yield c0, c0 + 1, r0, min(out[0], r0 + rows)
    else:
        block = max(1, _TILE // plane)
        for c0 in range(0, n_planes, block):
            yield c0, min(n_planes, c0 + block), 0, out[0]


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


_POOL = None


def _run_tiles(tiles, work, total):
    """Run ``work(chunk_of_tiles)`` on the tiles, split over threads when worth it.

    NumPy's ufuncs release the GIL, so tiles on two cores run at twice the speed.
    """
    global _POOL
    n = _workers()
    tiles = list(tiles)
    if n == 1 or total < 1 << 18 or len(tiles) < 2:
        work(tiles)
        return
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=n, thread_name_prefix="convkit")
    chunks = [tiles[i::n] for i in range(n)]
    rest = [_POOL.submit(work, c) for c in chunks[1:]]
    work(chunks[0])
    for f in rest:
        f.result()


def tap_correlate(xp, w, stride, dilation, out, dtype):
    """Per-channel correlation: ``y[n, c] = sum_t w[c, t] * xp[n, c, shifted by t]``.

    ``w`` has shape ``(C, *k)``: one kernel per input channel (depthwise).
    """
    if all(s == 1 for s in stride):
        return _tap_correlate_flat(xp, w, dilation, out, dtype)
    N, C = xp.shape[:2]
    k = w.shape[1:]
    nd = len(k)
    y = np.empty((N, C) + tuple(out), dtype)
    taps = list(itertools.product(*map(range, k)))
    w_b = w.reshape((C,) + k + (1,) * nd)
    tiles = [(n,) + t for n in range(N) for t in _tiles(C, out)]

    def work(chunk):
        tmp = np.empty(_TILE if prod(out) < _TILE else
                       max(1, _TILE // max(1, prod(out[1:]))) * prod(out[1:]), dtype)
        for n, c0, c1, r0, r1 in chunk:
            xn = xp[n]
            acc = y[n, c0:c1, r0:r1]
            t_view = tmp[:acc.size].reshape(acc.shape)
            for i, tap in enumerate(taps):
                src = xn[(slice(c0, c1),) + _tap_slices(tap, stride, dilation, out, (r0, r1))]
                wt = w_b[(slice(c0, c1),) + tap]
                if i == 0:
                    np.multiply(src, wt, out=acc)
                else:
                    np.multiply(src, wt, out=t_view)
                    acc += t_view

    _run_tiles(tiles, work, y.size * len(taps))
    return y


def _tap_correlate_flat(xp, w, dilation, out, dtype):
    """Stride-1 form of :func:`tap_correlate` on flattened planes.

    In a plane flattened to 1-D every tap is a shift by one offset. A tile of
    planes is copied tap by tap into a small column buffer (long contiguous
    copies) and reduced with one batched matrix-vector product, which reads
    and writes memory fewer times than a multiply-add per tap. The "wide"
    output also holds the columns past the valid ones, dropped at the end.
    """
    N, C = xp.shape[:2]
    Sp = xp.shape[2:]
    k = w.shape[1:]
    nd = len(k)
    K = prod(k)
    P = [prod(Sp[j + 1:]) for j in range(nd)]  # flat stride of each spatial dim
    L = sum((o - 1) * p for o, p in zip(out, P)) + 1
    flat = np.ascontiguousarray(xp).reshape(N * C, prod(Sp))
    item = flat.itemsize
    tap_strides = tuple(d * p * item for d, p in zip(dilation, P))
    wide = np.empty((N * C, out[0] * P[0]), dtype)
    wp = np.broadcast_to(w.reshape(1, C, 1, K), (N, C, 1, K)).reshape(N * C, 1, K)
    span = max(1, _TILE_GEMV // K)
    if L >= span:
        tiles = [(c, c + 1, l0, min(L, l0 + span)) for c in range(N * C) for l0 in range(0, L, span)]
    else:
        block = max(1, span // L)
        tiles = [(c0, min(N * C, c0 + block), 0, L) for c0 in range(0, N * C, block)]

    # every tap's shifted copy of every plane, as one view (sliced per tile: no per-tile setup)
    view = np.lib.stride_tricks.as_strided(flat, (N * C,) + k + (L,),
                                           (flat.strides[0],) + tap_strides + (item,),
                                           writeable=False)

    def work(chunk):
        # scratch is per thread: each worker keeps its own buffer between calls
        buf = scratch("gemv", (K * max((c1 - c0) * (l1 - l0) for c0, c1, l0, l1 in chunk),), dtype)
        for c0, c1, l0, l1 in chunk:
            b, n = c1 - c0, l1 - l0
            cols = buf[:b * K * n].reshape((b,) + k + (n,))
            np.copyto(cols, view[c0:c1, ..., l0:l1])
            np.matmul(wp[c0:c1], cols.reshape(b, K, n), out=wide[c0:c1, None, l0:l1])

    _run_tiles(tiles, work, N * C * L * K)
    y = wide.reshape((N, C, out[0]) + tuple(Sp[1:]))
    return y[(Ellipsis,) + tuple(slice(0, o) for o in out[1:])]  # a view: no extra pass


def tap_reduce(xp, kernel_size, stride, out, ufunc, dtype, dilation=None):
    """Reduce every window with ``ufunc`` (np.maximum or np.add), tap by tap, in tiles."""
    N, C = xp.shape[:2]
    dilation = dilation or (1,) * len(kernel_size)
    flat = xp.reshape((N * C,) + xp.shape[2:])
    y = np.empty((N * C,) + tuple(out), dtype)
    taps = list(itertools.product(*map(range, kernel_size)))

    def work(chunk):
        for c0, c1, r0, r1 in chunk:
            acc = y[c0:c1, r0:r1]
            for i, tap in enumerate(taps):
                src = flat[(slice(c0, c1),) + _tap_slices(tap, stride, dilation, out, (r0, r1))]
                if i == 0:
                    acc[...] = src
                else:
                    ufunc(acc, src, out=acc)

    _run_tiles(_tiles(N * C, out), work, y.size * len(taps))
    return y.reshape((N, C) + tuple(out))


def gemm_correlate(xp, w, stride, dilation, out, groups, dtype):
    """im2col + matrix product, one sample at a time (the buffer is one sample's columns)."""
    N, C = xp.shape[:2]
    C_out = w.shape[0]
    k = w.shape[2:]
    K = prod(k)
    O = prod(out)
    Cg, Kg = C // groups, C_out // groups
    y = np.empty((N, C_out, O), dtype)
    wg = w.reshape(groups, Kg, Cg * K)
    if K == 1 and all(s == 1 for s in stride):
        # 1x1 convolution: a matrix product at every pixel, no copy at all
        xs = xp.reshape(N, groups, Cg, O)
        for g in range(groups):
            np.matmul(wg[g], xs[:, g], out=y[:, g * Kg:(g + 1) * Kg])
        return y.reshape((N, C_out) + tuple(out))
    if all(s == 1 for s in stride):
        return _gemm_correlate_flat(xp, wg, k, dilation, out, dtype)
    view = window_view(xp, k, stride, dilation, out)  # (N, C, *k, *out)
    cols = scratch("cols", (C, K, O), dtype)
    cols_nd = cols.reshape((C,) + tuple(k) + tuple(out))
    for n in range(N):
        np.copyto(cols_nd, view[n])
        cg = cols.reshape(groups, Cg * K, O)
        for g in range(groups):
            np.matmul(wg[g], cg[g], out=y[n, g * Kg:(g + 1) * Kg])
    return y.reshape((N, C_out) + tuple(out))


def _gemm_correlate_flat(xp, wg, kshape, dilation, out, dtype):
    """Stride-1 im2col on flattened planes: each column row is one contiguous copy.

    Row ``(c, t)`` of the columns is the plane of channel ``c`` shifted by tap
    ``t``'s flat offset; the product gives the "wide" output whose extra
    columns are dropped at the end (as in :func:`_tap_correlate_flat`).
    """
    N, C = xp.shape[:2]
    Sp = xp.shape[2:]
    nd = len(Sp)
    G, Kg, CgK = wg.shape
    kshape = tuple(kshape)
    P = [prod(Sp[j + 1:]) for j in range(nd)]
    L = sum((o - 1) * p for o, p in zip(out, P)) + 1
    flat = np.ascontiguousarray(xp).reshape(N, C, prod(Sp))
    item = flat.itemsize
    # columns in chunks of at most _COLS elements, so the buffer stays below a plain
    # im2col buffer of one sample however wide the planes are
    span = max(min(L, 1024), min(L, _COLS // (C * prod(kshape))))
    view_strides = (flat.strides[1],) + tuple(d * p * item for d, p in zip(dilation, P)) + (item,)
    buf = scratch("cols", (C * prod(kshape) * span,), dtype)
    wide = np.empty((N, G * Kg, out[0] * P[0]), dtype)
    for n in range(N):
        for l0 in range(0, L, span):
            m = min(span, L - l0)
            c = buf[:C * prod(kshape) * m].reshape((C,) + kshape + (m,))
            np.copyto(c, np.lib.stride_tricks.as_strided(flat[n, :, l0:], (C,) + kshape + (m,),
                                                          view_strides, writeable=False))
            cg = c.reshape(G, CgK, m)
            for g in range(G):
                np.matmul(wg[g], cg[g], out=wide[n, g * Kg:(g + 1) * Kg, l0:l0 + m])
    y = wide.reshape((N, G * Kg, out[0]) + tuple(Sp[1:]))
    return y[(Ellipsis,) + tuple(slice(0, o) for o in out[1:])]  # a view: no extra pass


def _fast_len(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n (a size pocketfft handles quickly)."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            q = p35
            while q < n:
                q *= 2
            best = min(best, q)
            p35 *= 3
        p5 *= 5
    return best


def fft_correlate(xp, w, dilation, out, groups, dtype):
    """Stride-1 correlation through real FFTs (exact up to rounding)."""
    N, C = xp.shape[:2]
    C_out = w.shape[0]
    nd = w.ndim - 2
    if any(d != 1 for d in dilation):
        k = w.shape[2:]
        wd = np.zeros(w.shape[:2] + tuple(d * (kk - 1) + 1 for kk, d in zip(k, dilation)), w.dtype)
        wd[(slice(None), slice(None)) + tuple(slice(None, None, d) for d in dilation)] = w
        w = wd
    ke = w.shape[2:]
    sp = xp.shape[2:]
    shape = [_fast_len(n) for n in sp]
    axes = tuple(range(-nd, 0))
    flipped = w[(slice(None), slice(None)) + (slice(None, None, -1),) * nd]
    # float64 transforms: NumPy's float32 real FFT is the slower of the two here, and
    # float64 keeps the rounding error of a large kernel far below float32's resolution.
    # The spectra live in scratch memory: fresh megabyte arrays cost more than the FFTs.
    Cg, Kg = C // groups, C_out // groups
    F = tuple(shape[:-1]) + (shape[-1] // 2 + 1,)
    def padded(a, slot):  # zero-padded to the transform size, in float64
        buf = scratch(slot, a.shape[:2] + tuple(shape), np.float64)
        buf[...] = 0
        buf[(slice(None), slice(None)) + tuple(slice(0, n) for n in a.shape[2:])] = a
        return buf

    X = np.fft.rfftn(padded(xp, "fft-in"), axes=axes, out=scratch("fft-x", (N, C) + F, np.complex128))
    W = np.fft.rfftn(padded(flipped, "fft-k"), axes=axes,
                     out=scratch("fft-w", (C_out, Cg) + F, np.complex128))
    if Cg == 1 and Kg == 1:  # one input channel per filter: a product of spectra, no sum
        Y = np.multiply(X, W.reshape((1, C_out) + F), out=X)
    else:
        Y = np.einsum("ngc...,gkc...->ngk...", X.reshape((N, groups, Cg) + F),
                      W.reshape((groups, Kg, Cg) + F),
                      out=scratch("fft-y", (N, groups, Kg) + F, np.complex128))
    full = np.fft.irfftn(Y.reshape((N, C_out) + F), shape, axes=axes,
                         out=scratch("fft-full", (N, C_out) + tuple(shape), np.float64))
    sl = (slice(None), slice(None)) + tuple(slice(kk - 1, kk - 1 + o) for kk, o in zip(ke, out))
    return np.ascontiguousarray(full[sl], dtype=dtype)


def correlate(xp, w, stride, dilation, groups, out, dtype):
    """Cross-correlate padded ``xp (N, C, *S)`` with ``w (C_out, C/groups, *k)``; pick a strategy."""
    N, C = xp.shape[:2]
    C_out = w.shape[0]
    k = w.shape[2:]
    K = prod(k)
    Cg, Kg = C // groups, C_out // groups
    if all(s == 1 for s in stride) and K >= 49:
        # estimated nanoseconds on one core (measured: a tap multiply-add ~0.16 ns, a
        # matrix-product MAC ~0.01 ns, an FFT ~0.25 ns per point and log2 level, a
        # complex multiply-add of spectra ~0.5 ns)
        macs = N * C_out * Cg * K * prod(out)
        direct = macs * (0.16 if Cg == 1 else 0.01)
        P = prod(_fast_len(n) for n in xp.shape[2:])
        fft = 0.25 * P * log2(P) * (N * C + C_out * Cg + N * C_out) + 0.5 * N * C_out * Cg * P / 2
        if fft < direct:
            return fft_correlate(xp, w, dilation, out, groups, dtype)
    if Cg == 1:
        if Kg == 1:
            return tap_correlate(xp, w[:, 0], stride, dilation, out, dtype)
        y = np.empty((N, C_out) + tuple(out), dtype)
        for m in range(Kg):  # channel multiplier: output m of every group
            y[:, m::Kg] = tap_correlate(xp, w[m::Kg, 0], stride, dilation, out, dtype)
        return y
    return gemm_correlate(xp, w, stride, dilation, out, groups, dtype)


def transpose_scatter(x, w, stride, dilation, groups, padding, out, dtype):
    """Scatter form of transposed convolution: a matrix product, then col2im.

    ``x (N, C_in, *S)``, ``w (C_in, C_out/groups, *k)``; input position ``i`` and
    tap ``t`` land on ``i*s + t*d - padding``, and the result ``(N, C_out, *out)``
    keeps the positions in ``[0, out)`` (the caller checked ``out``).

    col2im by phases: the positions ``o`` with the same ``(o + padding) mod s``
    (a phase) receive the taps with ``t*d mod s`` equal to it, each shifted by
    ``q = t*d // s`` on the phase's grid. The input is laid out on that grid
    (zero rows and columns past its edge), so the products of one tap are one
    contiguous block of planes and a shift is a flat offset: each tap is added
    to its phase with one long 1-D add (a shift past a plane's end only moves
    zeros into the next plane), and each phase is written to the result once
    with a strided copy.
    """
    N, C_in = x.shape[:2]
    Kg = w.shape[1]
    k = tuple(w.shape[2:])
    nd = len(k)
    K = prod(k)
    S = x.shape[2:]
    Cg = C_in // groups
    C_out = Kg * groups
    Q = [(kk - 1) * d // s for kk, d, s in zip(k, dilation, stride)]
    B = [max(n + q, -(-(p + o) // s)) for n, q, p, o, s in zip(S, Q, padding, out, stride)]
    Pb = [prod(B[j + 1:]) for j in range(nd)]
    P = prod(B)
    xw = scratch("pad", (N, C_in) + tuple(B), dtype)  # the input on the phase grid
    xw[...] = 0
    xw[(slice(None), slice(None)) + tuple(slice(0, n) for n in S)] = x
    xw = xw.reshape(N, groups, Cg, P)
    # rows (tap, co): the products of one tap are one contiguous (Kg, P) block
    wT = w.reshape(groups, Cg, Kg, K).transpose(0, 3, 2, 1).reshape(groups, K * Kg, Cg)
    taps = list(itertools.product(*map(range, k)))
    phases = {}
    for ti, tap in enumerate(taps):
        rho = tuple(t * d % s for t, d, s in zip(tap, dilation, stride))
        off = sum((t * d // s) * p for t, d, s, p in zip(tap, dilation, stride, Pb))
        phases.setdefault(rho, []).append((off, ti))
    y = np.empty((N, C_out) + tuple(out), dtype)
    # per phase, once: where it lands in the result, which grid window that is, and its
    # taps by shift (an unshifted tap first, if any)
    plan = []
    for rho in itertools.product(*map(range, stride)):
        # grid index j is position rho + j*s - p: the first j >= 0 landing at >= 0
        j0 = [max(0, -(-(p - r) // s)) for r, p, s in zip(rho, padding, stride)]
        dst = (slice(None),) + tuple(slice(r + j * s - p, None, s)
                                     for r, j, p, s in zip(rho, j0, padding, stride))
        counts = y[(0,) + dst].shape[1:]
        if 0 not in counts:
            window = (slice(None),) + tuple(slice(j, j + m) for j, m in zip(j0, counts))
            plan.append((dst, window, sorted(phases.get(rho, ()))))
    cols = scratch("cols", (K, Kg * P), dtype)
    buf = scratch("col2im", (Kg * P,), dtype)
    grid = buf.reshape((Kg,) + tuple(B))
    for n in range(N):
        for g in range(groups):
            np.matmul(wT[g], xw[n, g], out=cols.reshape(K * Kg, P))
            yg = y[n, g * Kg:(g + 1) * Kg]
            for dst, window, ranked in plan:
                if ranked and ranked[0][0] == 0:  # an unshifted tap sets the whole buffer
                    np.copyto(buf, cols[ranked[0][1]])
                    rest = ranked[1:]
                else:
                    buf[...] = 0
                    rest = ranked
                for off, ti in rest:
                    buf[off:] += cols[ti, :Kg * P - off]
                yg[dst] = grid[window]
    return y
