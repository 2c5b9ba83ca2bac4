"""Drawings of the chapters *1D convolution* and *Flipping*.

Pure functions: they take data and an optional ``ax``, draw into a
:class:`matplotlib.figure.Figure` made by :func:`convkit.plot.new_figure`, and
return the Axes (or the Figure). Two small NumPy helpers say which part of the
'full' output each mode keeps (:func:`mode_slice`) and what a kernel does to each
frequency (:func:`magnitude_response`).

See Also
--------
convkit.convolve, convkit.correlate, convkit.widgets.explore_sliding,
convkit.widgets.explore_smoothing, convkit.widgets.explore_flip
Book: ``book/conv1d.ipynb``, ``book/flipping.ipynb``.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection, PathCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import (
    Affine2D, Bbox, TransformedBbox, blended_transform_factory,
)

from .._signal import convolve, correlate
from ._base import _FONT, DIVERGING, GREY, format_number, new_figure, show_array

__all__ = ["mode_slice", "magnitude_response", "sliding_step", "kernel_stamps",
           "frequency_response", "signal_traces", "kernel_stems", "filtered_signals",
           "flip_panels", "new_host", "Panel"]

# fills of the step-through picture (light, so black numbers stay readable)
_PAD = "#ececec"          # zero padding
_KERNEL = "#cfe3f3"       # kernel weights under the window (light blue)
_PRODUCT = "#fde0c2"      # products (light orange)
_CURRENT = "#ffe877"      # the output being computed (yellow)
_OUTSIDE = "#d9d9d9"      # hatch of outputs outside the chosen mode
_MODE_EDGE = "#1b7837"    # outline of the chosen mode (green)
_WINDOW_EDGE = "#222222"  # outline of the window
# matplotlib's default colour cycle (tab10), as hex: looking up "C0" costs a cycler query
_LINES = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd")


# --- NumPy helpers ----------------------------------------------------------------------------

def mode_slice(n, k, mode="full"):
    """The part of the 'full' output of a 1-D convolution that `mode` keeps.

    For ``convkit.convolve(x, w, mode)`` and ``convkit.correlate(x, w, mode)`` (SciPy's
    conventions) with ``len(x) == n`` and ``len(w) == k``:
    ``convolve(x, w, mode) == convolve(x, w, 'full')[mode_slice(n, k, mode)]``.

    Parameters
    ----------
    n, k : int, >= 1
        Lengths of the input and of the kernel.
    mode : {'full', 'same', 'valid'}

    Returns
    -------
    slice
        'full': all ``n + k - 1`` positions; 'same': the ``n`` central ones, starting at
        ``(k - 1) // 2``; 'valid': the ``|n - k| + 1`` positions where one input covers
        the other completely, starting at ``min(n, k) - 1``.

    Examples
    --------
    >>> mode_slice(3, 3, "same"), mode_slice(3, 3, "valid")
    (slice(1, 4, None), slice(2, 3, None))
    """
    n, k = int(n), int(k)
    if n < 1 or k < 1:
        raise ValueError(f"n={n} and k={k} must both be >= 1")
    if mode == "full":
        return slice(0, n + k - 1)
    if mode == "same":
        start = (k - 1) // 2
        return slice(start, start + n)
    if mode == "valid":
        return slice(min(n, k) - 1, max(n, k))
    raise ValueError(f"mode={mode!r} is not supported; allowed: 'full', 'same' or 'valid'")


def magnitude_response(k, fs=1.0, n_fft=512):
    """How much a 1-D kernel scales each frequency: ``|DFT(k)|`` from 0 to ``fs / 2``.

    Convolving a sinusoid of frequency ``f`` with `k` multiplies its amplitude by
    ``|H(f)| = |sum_m k[m] exp(-2 pi i f m / fs)|`` (the convolution theorem). The
    kernel is zero-padded to `n_fft` samples, which samples ``H`` finely; it does not
    change it.

    Parameters
    ----------
    k : array_like, shape (K,)
    fs : float
        Sampling rate (samples per second), so that frequencies come out in Hz.
    n_fft : int
        Number of DFT points, >= K.

    Returns
    -------
    freqs : ndarray, shape (n_fft // 2 + 1,)
        0 to ``fs / 2``, in the unit of `fs`.
    magnitude : ndarray, shape (n_fft // 2 + 1,)

    Examples
    --------
    >>> f, H = magnitude_response(np.ones(4) / 4, fs=80, n_fft=8)
    >>> f[2], round(H[2], 12)               # 20 Hz = fs / 4: a zero of the 4-point average
    (20.0, 0.0)
    """
    k = np.asarray(k, dtype=np.float64)
    if k.ndim != 1 or k.size == 0:
        raise ValueError(f"k.shape={k.shape}: expected a non-empty 1-D kernel")
    n_fft = int(n_fft)
    if n_fft < k.size:
        raise ValueError(f"n_fft={n_fft} must be >= len(k)={k.size}")
    return np.fft.rfftfreq(n_fft, d=1.0 / fs), np.abs(np.fft.rfft(k, n_fft))


# --- the step-through picture -----------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _text_path(text, ha="center"):
    """Outline of `text` at 1 pt, vertically centred on the height of '0'.

    Horizontally: centred on the ink ('center'), ending at 0 ('right') or starting at 0
    ('left'). Spaces are allowed (unlike the cell numbers of ``show_array``).
    """
    if not text.strip():
        return None
    path = TextPath((0, 0), text.strip(), size=1, prop=_FONT)
    verts = np.asarray(path.vertices, dtype=np.float64)
    ink = verts[np.asarray(path.codes) != Path.CLOSEPOLY]
    zero = TextPath((0, 0), "0", size=1, prop=_FONT).vertices[:, 1]
    x0, x1 = ink[:, 0].min(), ink[:, 0].max()
    dx = {"center": (x0 + x1) / 2, "right": x1, "left": x0}[ha]
    return Path(verts - (dx, (zero.min() + zero.max()) / 2), path.codes)


def _write(ax, items, fontsize, color="black", ha="center", *, coords=None, rotation=0):
    """Write short texts as one collection of glyph outlines.

    ``items`` is a list of ``(x, y, text)``; each text is centred vertically on (x, y)
    and horizontally ('center'), or ends ('right') or starts ('left') there. ``coords``
    is the transform of the positions (default ``ax.transData``); ``rotation`` in
    degrees. Much faster than one Text artist each, which matters for demos that draw
    dozens of frames.
    """
    items = [(x, y, t) for x, y, t in items if t and t.strip()]
    if not items:
        return None
    glyphs = Affine2D().rotate_deg(rotation).scale(fontsize / 72.0)
    coll = PathCollection(
        [_text_path(t, ha) for _, _, t in items], offsets=[(x, y) for x, y, _ in items],
        offset_transform=ax.transData if coords is None else coords,
        transform=glyphs + ax.figure.dpi_scale_trans,
        facecolors=color, edgecolors="none", linewidths=0, zorder=9)
    coll.set_in_layout(False)
    coll.set_clip_on(False)
    coll.texts = [t for _, _, t in items]      # what is written, for tests
    ax.add_collection(coll, autolim=False)
    return coll


def _cells(ax, cols, row, fills, *, hatch=None, edge="#888888", lw=0.8):
    """Unit squares centred at (col, row), one PatchCollection."""
    rects = [Rectangle((c - 0.5, row - 0.5), 1, 1) for c in cols]
    if not rects:
        return
    coll = PatchCollection(rects, facecolors=fills, edgecolors=edge, linewidths=lw, zorder=1)
    if hatch:
        coll.set_hatch(hatch)
    ax.add_collection(coll, autolim=False)


def _outline(ax, c0, c1, r0, r1, color, lw, ls="-", z=6):
    """Rectangle around columns c0..c1 and rows r0..r1 (inclusive), with a white halo."""
    for width, col, zz in ((lw + 2.5, "white", z), (lw, color, z + 1)):
        ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0 + 1, r1 - r0 + 1, fill=False,
                               edgecolor=col, linewidth=width, linestyle=ls, zorder=zz,
                               clip_on=False))


def sliding_step(x, k, position, *, flip=True, mode="full", ax=None, decimals=2):
    """One step of a 1-D convolution (or correlation), with every number written.

    Four rows, top to bottom: the input with its zero padding (``K - 1`` zeros on each
    side), the kernel under the window at this position (flipped for convolution, as
    stored for correlation), the products, and the 'full' output so far. The output
    value being computed is yellow; later ones are empty; the positions that `mode`
    keeps are outlined in green and the others hatched, so that 'same' and 'valid' show
    as slices of 'full'. Output ``y[j]`` sits under the centre of its window.

    Parameters
    ----------
    x : array_like, shape (n,)
    k : array_like, shape (K,)
    position : int
        Position in the 'full' output, ``0 <= position < n + K - 1``.
    flip : bool
        True: convolution (``convkit.convolve``); False: cross-correlation
        (``convkit.correlate``).
    mode : {'full', 'same', 'valid'}
        Which positions to mark as part of the output.
    ax : matplotlib.axes.Axes, optional
        Default: a new figure sized to the arrays (the same size at every position).
    decimals : int

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    if x.ndim != 1 or k.ndim != 1 or x.size == 0 or k.size == 0:
        raise ValueError(f"x.shape={x.shape}, k.shape={k.shape}: expected two non-empty "
                         "1-D arrays")
    n, K = x.size, k.size
    L = n + K - 1
    j = int(position)
    if not 0 <= j < L:
        raise ValueError(f"position={position!r} must be an int from 0 to {L - 1}")
    keep = mode_slice(n, K, mode)
    width = n + 2 * (K - 1)
    if ax is None:
        cell, left = 0.66, 1.7                        # inches
        fig_w = cell * (width + 0.4) + left
        fig = new_figure(figsize=(fig_w, 3.55), layout=None)
        ax = fig.add_axes((left / fig_w, 0.0, cell * (width + 0.4) / fig_w, 1.0))
    xp = np.concatenate([np.zeros(K - 1), x, np.zeros(K - 1)])
    weights = k[::-1] if flip else k             # weight at window offset t
    full = convolve(x, k) if flip else correlate(x, k)
    window = np.arange(j, j + K)
    products = xp[window] * weights
    off = (K - 1) // 2
    cols = np.arange(L) + off                    # y[i] under the centre of window i
    inside = np.zeros(L, bool)
    inside[keep] = True
    fmt = lambda v: format_number(v, decimals)  # noqa: E731
    ROW_X, ROW_K, ROW_P, ROW_Y = 0.0, 1.0, 2.0, 3.45

    # cells
    is_pad = np.r_[np.ones(K - 1, bool), np.zeros(n, bool), np.ones(K - 1, bool)]
    _cells(ax, range(width), ROW_X, [_PAD if p else "white" for p in is_pad])
    _cells(ax, window, ROW_K, [_KERNEL] * K)
    _cells(ax, window, ROW_P, [_PRODUCT] * K)
    _cells(ax, cols, ROW_Y, [_CURRENT if i == j else "white" for i in range(L)])
    out = np.flatnonzero(~inside)
    if out.size:
        _cells(ax, cols[out], ROW_Y, ["none"] * out.size, hatch="////", edge=_OUTSIDE, lw=0)
        _cells(ax, cols[out], ROW_Y, ["none"] * out.size)
    # numbers
    _write(ax, [(c, ROW_X, fmt(xp[c])) for c in range(width) if not is_pad[c]], 13)
    _write(ax, [(c, ROW_X, fmt(xp[c])) for c in range(width) if is_pad[c]], 13, "#808080")
    _write(ax, [(c, ROW_K - 0.1, fmt(weights[t])) for t, c in enumerate(window)], 13)
    _write(ax, [(c, ROW_P, fmt(products[t])) for t, c in enumerate(window)], 13)
    _write(ax, [(cols[i], ROW_Y, fmt(full[i])) for i in range(j + 1) if inside[i]], 13)
    _write(ax, [(cols[i], ROW_Y, fmt(full[i])) for i in range(j + 1) if not inside[i]], 13,
           "#707070")
    # small index labels: input index above, kernel index in the cell, output index below
    _write(ax, [(c, ROW_X - 0.68, str(c - (K - 1))) for c in range(width)], 9, "#555555")
    _write(ax, [(c, ROW_K + 0.3, f"k[{K - 1 - t if flip else t}]")
                for t, c in enumerate(window)], 8.5, "#2f5d84")
    _write(ax, [(cols[i], ROW_Y + 0.68, f"y[{i}]") for i in range(L)], 9, "#555555")
    # the window, the sum arrow, the kept part of the output
    _outline(ax, j, j + K - 1, ROW_X, ROW_P, _WINDOW_EDGE, 1.6)
    centre = j + (K - 1) / 2
    ax.annotate("", xy=(cols[j], ROW_Y - 0.5), xytext=(centre, ROW_P + 0.5),
                arrowprops=dict(arrowstyle="->", color=_WINDOW_EDGE, lw=1.2), zorder=8)
    _write(ax, [(max(centre, cols[j]) + 0.22, (ROW_P + ROW_Y) / 2, "add")], 9.5, _WINDOW_EDGE,
           ha="left")
    _outline(ax, cols[keep.start], cols[keep.stop - 1], ROW_Y, ROW_Y, _MODE_EDGE, 2.2, z=4)
    # row labels
    _write(ax, [(-0.72, ROW_X, "x, zero-padded"),
                (-0.72, ROW_K, "k, flipped" if flip else "k, not flipped"),
                (-0.72, ROW_P, "products"),
                (-0.72, ROW_Y, "y (full)")], 11, ha="right")
    _write(ax, [(-0.72, ROW_Y + 0.4, f"green: '{mode}'")], 9.5, _MODE_EDGE, ha="right")
    ax.set_xlim(-0.7, width - 0.3)
    ax.set_ylim(ROW_Y + 0.95, ROW_X - 0.95)
    ax.set_axis_off()
    return ax


# --- superposition of kernel copies -----------------------------------------------------------

def kernel_stamps(x, k, ax=None, *, decimals=2):
    """Convolution as a sum of stamps: each input sample adds a scaled, shifted copy of `k`.

    Row ``m`` holds ``x[m] * k`` placed at positions ``m .. m + K - 1`` (empty cells
    elsewhere); the last row is their sum, the full convolution ``convolve(x, k)``.

    Parameters
    ----------
    x : array_like, shape (n,)
        Short (its rows are drawn one per sample).
    k : array_like, shape (K,)
    ax : matplotlib.axes.Axes, optional
    decimals : int

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    n, K = x.size, k.size
    table = np.full((n + 1, n + K - 1), np.nan)
    for m in range(n):
        table[m, m:m + K] = x[m] * k
    table[n] = convolve(x, k)
    if ax is None:
        fig = new_figure(figsize=(0.5 * (n + K - 1) + 1.6, 0.45 * (n + 1) + 0.6))
        ax = fig.add_subplot()
    show_array(table, ax, decimals=decimals, highlight=(n, slice(None)))
    ax.yaxis.set_visible(True)
    ax.xaxis.set_visible(True)
    ax.set_yticks(range(n + 1), [f"x[{m}]·k" for m in range(n)] + ["sum: x ∗ k"])
    ax.set_xticks(range(n + K - 1))
    ax.set_xlabel("output position", fontsize=9)
    ax.tick_params(length=0, labelsize=9)
    return ax


# --- light panels: plots without the cost of an Axes each ----------------------------------

def _nice_ticks(lo, hi, n=5):
    """At most about `n` round tick values within [lo, hi]."""
    from matplotlib.ticker import MaxNLocator
    ticks = MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    eps = 1e-9 * (hi - lo)
    return [float(v) for v in ticks if lo - eps <= v <= hi + eps]


class Panel:
    """A rectangle of a host Axes with its own data limits.

    A matplotlib Axes costs several milliseconds to create, mostly for its tick
    machinery; a demo that draws dozens of frames with three or six plots each cannot
    afford that. A Panel draws lines, stems, areas, a left and a bottom spine and
    tick labels (as glyphs) into one host Axes, mapping its data limits onto `rect`.

    Parameters
    ----------
    host : matplotlib.axes.Axes
        The Axes that holds the drawing (its own axis is hidden).
    rect : (x0, y0, width, height)
        Where the panel goes, in the host's data coordinates.
    xlim, ylim : (float, float)
        The panel's data limits.

    Attributes
    ----------
    curves : dict
        ``label -> (x, y)`` of what was drawn, in the panel's data coordinates.
    texts : list of str
        Everything written on the panel.
    """

    def __init__(self, host, rect, xlim, ylim):
        self.host, self.rect = host, tuple(float(v) for v in rect)
        self.xlim, self.ylim = tuple(map(float, xlim)), tuple(map(float, ylim))
        x0, y0, w, h = self.rect
        sx = w / (self.xlim[1] - self.xlim[0])
        sy = h / (self.ylim[1] - self.ylim[0])
        self.trans = (Affine2D().translate(-self.xlim[0], -self.ylim[0]).scale(sx, sy)
                      .translate(x0, y0) + host.transData)
        self.frac = Affine2D().scale(w, h).translate(x0, y0) + host.transData   # 0..1 inside
        self.clip = TransformedBbox(Bbox.from_bounds(x0, y0, w, h), host.transData)
        self.curves, self.texts = {}, []
        if not hasattr(host, "panels"):
            host.panels = []
        host.panels.append(self)

    def _add(self, artist, clip=True, z=2):
        artist.set_zorder(z)
        self.host.add_artist(artist)
        if clip:
            artist.set_clip_box(self.clip)
        else:
            artist.set_clip_on(False)
        return artist

    def line(self, x, y, color, lw=1.3, label=None, ls="-", marker=None, ms=None, z=2):
        x, y = np.asarray(x, float), np.asarray(y, float)
        kw = {"linestyle": ls} if marker is None else {
            "marker": marker, "markersize": ms, "linestyle": "none", "markeredgewidth": 0}
        line = Line2D(x, y, color=color, linewidth=lw, transform=self.trans, **kw)
        if label is not None:
            self.curves[label] = (x, y)
        return self._add(line, z=z)

    def hline(self, y, color, lw=0.6, ls="-", z=1):
        return self.line(self.xlim, (y, y), color, lw=lw, ls=ls, z=z)

    def vline(self, x, color, lw=0.8, ls="--", z=1):
        return self.line((x, x), self.ylim, color, lw=lw, ls=ls, z=z)

    def area(self, x, y, color, z=0):
        x, y = np.asarray(x, float), np.asarray(y, float)
        verts = np.column_stack([np.r_[x, x[::-1]], np.r_[y, np.zeros_like(y)]])
        poly = PolyCollection([verts], facecolors=color, edgecolors="none", linewidths=0,
                              transform=self.trans)
        return self._add(poly, z=z)

    def stems(self, x, y, color, label=None, ms=4.0):
        x, y = np.asarray(x, float), np.asarray(y, float)
        segs = np.stack([np.column_stack([x, np.zeros_like(y)]), np.column_stack([x, y])], 1)
        self._add(LineCollection(segs, colors=color, linewidths=1.2, transform=self.trans))
        self.line(x, y, color, marker="o", ms=ms, label=label, z=3)
        self.hline(0.0, "black", lw=0.8, z=2)

    def write(self, items, fontsize=9, color="black", ha="center"):
        """Texts at data positions ``(x, y, text)``."""
        coll = _write(self.host, items, fontsize, color, ha, coords=self.trans)
        self.texts += coll.texts if coll is not None else []

    def write_frac(self, items, fontsize=9, color="black", ha="center", rotation=0):
        """Texts at panel fractions ``(fx, fy, text)`` (0..1 inside the panel)."""
        coll = _write(self.host, items, fontsize, color, ha, coords=self.frac, rotation=rotation)
        self.texts += coll.texts if coll is not None else []

    def frame(self, xticks=(), yticks=(), xlabel=None, ylabel=None, title=None, fmt=None,
              fontsize=9):
        """Left and bottom spines, ticks with labels, axis labels and a title."""
        fmt = fmt or (lambda v: format_number(v, 2))
        inch = self.host.figure.dpi_scale_trans
        bx = blended_transform_factory(self.trans, self.frac)
        by = blended_transform_factory(self.frac, self.trans)
        spines = LineCollection([((0, 0), (0, 1)), ((0, 0), (1, 0))], colors="#444444",
                                linewidths=0.8, transform=self.frac)
        self._add(spines, clip=False, z=4)

        def shifted(base, dx, dy):       # `base`, then moved by (dx, dy) inches
            return base + inch.inverted() + Affine2D().translate(dx, dy) + inch

        points = Affine2D().scale(1 / 72) + inch
        for ticks, base, mark in ((xticks, bx, [(0, 0), (0, -3)]), (yticks, by, [(0, 0), (-3, 0)])):
            if len(ticks):
                pos = [(v, 0) for v in ticks] if base is bx else [(0, v) for v in ticks]
                marks = PathCollection([Path(mark)], offsets=pos, offset_transform=base,
                                       transform=points, facecolors="none",
                                       edgecolors="#444444", linewidths=0.8)
                self._add(marks, clip=False, z=4)
        for items, coords, ha in (([(v, 0, fmt(v)) for v in xticks], shifted(bx, 0, -0.12),
                                   "center"),
                                  ([(0, v, fmt(v)) for v in yticks], shifted(by, -0.07, 0),
                                   "right")):
            coll = _write(self.host, items, fontsize, "#333333", ha, coords=coords)
            self.texts += coll.texts if coll is not None else []
        labels = ((xlabel, (0.5, 0), shifted(self.frac, 0, -0.31), fontsize, 0),
                  (ylabel, (0, 0.5), shifted(self.frac, -0.45, 0), fontsize, 90),
                  (title, (0.5, 1), shifted(self.frac, 0, 0.13), fontsize + 1, 0))
        for text, at, coords, size, rot in labels:
            if text:
                coll = _write(self.host, [(*at, text)], size, rotation=rot, coords=coords)
                self.texts += coll.texts

    def legend(self, labels, colors, *, fx=0.99, fy=0.97, step=0.13, ha="right", fontsize=9):
        """A legend made of coloured words (panel fractions)."""
        for i, (label, color) in enumerate(zip(labels, colors)):
            self.write_frac([(fx, fy - i * step, label)], fontsize, color, ha)


def _host(ax, figsize, margins):
    """(host Axes, default rect): a new figure's host, or `ax` turned into a host.

    A plain Axes passed by a caller becomes a host with unit coordinates (the panel fills
    it); a host from :func:`new_host` keeps its inch coordinates (pass a ``rect``).
    """
    if ax is None:
        host = new_host(figsize)
        left, bottom, right, top = margins
        return host, (left, bottom, figsize[0] - left - right, figsize[1] - bottom - top)
    if not getattr(ax, "_ck_host", False):
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
    return ax, (0, 0, 1, 1)


def new_host(figsize, dpi=72):
    """A figure with one Axes covering it, in inches, for drawing several Panels.

    Returns
    -------
    host : matplotlib.axes.Axes
        Data coordinates are inches from the bottom-left corner; its axis is hidden.
    """
    fig = new_figure(figsize=figsize, dpi=dpi, layout=None)
    host = fig.add_axes((0, 0, 1, 1))
    host.set_xlim(0, figsize[0])
    host.set_ylim(0, figsize[1])
    host.set_axis_off()
    host._ck_host = True
    return host


# --- signals and frequency responses ----------------------------------------------------------

def frequency_response(kernels, fs=1.0, ax=None, *, rect=None, n_fft=512, ylim=None, zeros=(),
                       background=None, unit="Hz"):
    """Gains ``|H(f)|`` of one or several 1-D kernels, from 0 to ``fs / 2``.

    Parameters
    ----------
    kernels : Mapping[str, array_like]
        Label -> 1-D kernel; labels are written top left in the line's colour.
    fs : float
        Sampling rate.
    ax : matplotlib.axes.Axes, optional
        Where to draw (its own axis is hidden); default: a new figure.
    rect : (x0, y0, width, height), optional
        With a host from :func:`new_host`: where the plot goes, in inches.
    n_fft : int
        DFT points (see :func:`magnitude_response`).
    ylim : (float, float), optional
        Fixed limits (give the same to every frame of a demo); default 0 to the
        largest gain plus 10 %.
    zeros : sequence of float
        Frequencies to mark with thin dashed lines (e.g. the zeros of a moving average).
    background : (freqs, values), optional
        A spectrum drawn as a light grey area behind the gains (e.g. the signal's own
        amplitude spectrum scaled to 1), labelled "signal spectrum".
    unit : str
        Unit of the frequency axis.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The host; ``ax.panels[-1].curves[label]`` holds each curve's (f, |H|).
    """
    host, box = _host(ax, (4.2, 2.5), (0.7, 0.55, 0.15, 0.15))
    box = rect or box
    curves = [magnitude_response(k, fs, n_fft) for k in kernels.values()]
    if ylim is None:
        ylim = (0.0, 1.1 * max(float(H.max()) for _, H in curves) or 1.0)
    p = Panel(host, box, (0, fs / 2), ylim)
    labels, colors = list(kernels), [_LINES[i % 5] for i in range(len(kernels))]
    if background is not None:
        p.area(background[0], np.minimum(background[1], ylim[1]), "#e0e0e0")
        labels.append("signal spectrum")
        colors.append("#8a8a8a")
    for z in zeros:
        p.vline(z, "#999999")
    p.hline(1.0, "#c8c8c8")
    for i, (label, (f, H)) in enumerate(zip(kernels, curves)):
        p.line(f, H, _LINES[i % 5], lw=1.6, label=label, z=3)
    p.frame(_nice_ticks(0, fs / 2, 4), _nice_ticks(*ylim, 4), f"frequency ({unit})",
            "gain |H(f)|")
    p.legend(labels, colors, fx=0.03, ha="left")
    return host


def signal_traces(traces, fs=1.0, ax=None, *, rect=None, start=0.0, stop=None, ylim=None,
                  unit="s"):
    """One or several signals against time, the first one light grey (the input).

    Parameters
    ----------
    traces : Mapping[str, array_like]
        Label -> 1-D signal, all sampled at `fs`; the first is drawn in light grey under
        the others. Labels are written top left in the line's colour.
    fs : float
        Sampling rate (samples per second).
    ax : matplotlib.axes.Axes, optional
        Where to draw (its own axis is hidden); default: a new figure.
    rect : (x0, y0, width, height), optional
        With a host from :func:`new_host`: where the plot goes, in inches.
    start, stop : float, optional
        Time range to show, in seconds (default: everything).
    ylim : (float, float), optional
        Fixed limits; default: the range of the shown part of the first signal.
    unit : str

    Returns
    -------
    ax : matplotlib.axes.Axes
        The host; ``ax.panels[-1].curves[label]`` holds each drawn (t, y).
    """
    host, box = _host(ax, (6.0, 2.2), (0.45, 0.5, 0.15, 0.1))
    box = rect or box
    signals = [np.asarray(y, dtype=np.float64) for y in traces.values()]
    stop = signals[0].size / fs if stop is None else stop
    i0, i1 = max(0, int(np.floor(start * fs))), int(np.ceil(stop * fs)) + 1
    if ylim is None:
        part = signals[0][i0:i1]
        ylim = (float(part.min()), float(part.max()))
    p = Panel(host, box, (start, stop), ylim)
    colors = ["#b0b0b0"] + [_LINES[i % 5] for i in range(len(signals) - 1)]
    p.hline(0.0, "#dddddd")
    for i, (label, y, color) in enumerate(zip(traces, signals, colors)):
        t = np.arange(y.size)[i0:i1] / fs
        p.line(t, y[i0:i1], color, lw=1.0 if i == 0 else 1.3, label=label, z=2 + (i > 0))
    p.frame(_nice_ticks(start, stop, 6), _nice_ticks(*ylim, 4), f"time ({unit})")
    p.legend(list(traces), ["#8a8a8a"] + colors[1:], fx=0.01, ha="left")
    return host


def kernel_stems(k, ax=None, *, rect=None, start=0, values="auto", ylim=None, title=None,
                 xlabel="m (samples)"):
    """Samples of a short 1-D array (a kernel or a signal) as stems.

    Parameters
    ----------
    k : array_like, shape (K,)
    ax : matplotlib.axes.Axes, optional
        Where to draw (its own axis is hidden); default: a new figure.
    rect : (x0, y0, width, height), optional
        With a host from :func:`new_host`: where the plot goes, in inches.
    start : int
        Index of the first sample (negative for a centred kernel).
    values : {'auto', True, False}
        Write each value next to its stem; 'auto': when there are at most 7.
    ylim : (float, float), optional
    title : str, optional
    xlabel : str

    Returns
    -------
    ax : matplotlib.axes.Axes
        The host; ``ax.panels[-1].curves["k"]`` holds (index, value).
    """
    k = np.asarray(k, dtype=np.float64)
    host, box = _host(ax, (3.0, 2.0), (0.55, 0.5, 0.15, 0.35))
    box = rect or box
    m = np.arange(start, start + k.size)
    if ylim is None:
        lo, hi = min(0.0, float(k.min())), max(0.0, float(k.max()))
        pad = 0.2 * ((hi - lo) or 1.0)
        ylim = (lo - (pad if lo < 0 else 0.05 * (hi - lo)), hi + pad)
    span = max(m[-1] - m[0], 1)
    p = Panel(host, box, (m[0] - 0.08 * span - 0.5, m[-1] + 0.08 * span + 0.5), ylim)
    p.stems(m, k, _LINES[0], label="k", ms=4.5 if k.size <= 30 else 2.5)
    if values == "auto":
        values = k.size <= 7
    if values:
        off = 0.07 * (ylim[1] - ylim[0])
        p.write([(i, v + off, format_number(v)) for i, v in zip(m, k) if v >= 0], 9)
        p.write([(i, v - off, format_number(v)) for i, v in zip(m, k) if v < 0], 9)
    p.frame([v for v in _nice_ticks(m[0], m[-1], 4) if float(v).is_integer()],
            _nice_ticks(*ylim, 3), xlabel, title=title)
    return host


def filtered_signals(x, outputs, fs=1.0, *, start=0.0, stop=None, label="signal", width=7.0,
                     panel_height=1.55, dpi=72):
    """A signal and several filtered versions of it, one panel per version.

    Each panel shows `x` in light grey under one output (same limits everywhere), so
    what each filter keeps and removes can be compared.

    Parameters
    ----------
    x : array_like, shape (N,)
    outputs : Mapping[str, array_like]
        Label -> filtered signal of length N, one panel each, in order.
    fs : float
        Sampling rate.
    start, stop : float, optional
        Time range shown, in seconds.
    label : str
        Label of the input signal.
    width, panel_height : float
        Inches.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=np.float64)
    stop = x.size / fs if stop is None else stop
    i0, i1 = int(np.floor(start * fs)), int(np.ceil(stop * fs)) + 1
    lim = 1.08 * float(np.abs(x[i0:i1]).max())
    n = len(outputs)
    height = n * panel_height + 0.1
    host = new_host((width, height), dpi)
    for i, (name, y) in enumerate(outputs.items()):
        bottom = height - (i + 1) * panel_height + 0.5
        signal_traces({label: x, name: y}, fs, host, rect=(0.45, bottom, width - 0.6,
                                                            panel_height - 0.62),
                      start=start, stop=stop, ylim=(-lim, lim))
    return host.figure


# --- the flipping demo's picture --------------------------------------------------------------

def flip_panels(x, w1, y1, image, w2, y2, *, flip, ylim_x=(-1.5, 1.9), ylim_y=None,
                image_lim=None, start_w1=None):
    """Signal and image, each with the window's weights and the output, in one figure.

    Top row: `x`, the 1-D weights `w1` the window applies, and the output `y1`. Bottom
    row: `image`, the 2-D weights `w2` (numbers in the cells) and the output `y2`
    (diverging colours if it has negative values, grey otherwise).

    Parameters
    ----------
    x, w1, y1 : array_like, 1-D
    image, w2, y2 : array_like, 2-D
    flip : bool
        Only for the titles: True says "convolve" and "k reversed", False "correlate"
        and "k as stored".
    ylim_x, ylim_y : (float, float)
        Limits of the signal panels (the weights share `ylim_x`).
    image_lim : (float, bool), optional
        ``(m, signed)``: colour limits ``[-m, m]`` if signed, else ``[0, m]``.
    start_w1 : int, optional
        Index of the first weight (default: centred).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x, w1, y1 = (np.asarray(a, dtype=np.float64) for a in (x, w1, y1))
    image, w2, y2 = (np.asarray(a, dtype=np.float64) for a in (image, w2, y2))
    W, H = 7.0, 4.3
    host = new_host((W, H))
    col = [0.42, 2.76, 4.88]
    width = 1.9
    start_w1 = -(w1.size // 2) if start_w1 is None else start_w1
    ylim_y = ylim_y or ylim_x
    kernel_stems(x, host, rect=(col[0], 2.78, width, 1.15), values=False, ylim=ylim_x,
                 title="input x", xlabel="n")
    kernel_stems(w1, host, rect=(col[1], 2.78, width, 1.15), start=start_w1, values=True,
                 ylim=ylim_x, title="weights: " + ("k reversed" if flip else "k as stored"),
                 xlabel="m")
    kernel_stems(y1, host, rect=(col[2], 2.78, width, 1.15), values=False, ylim=ylim_y,
                 title="convolve(x, k)" if flip else "correlate(x, k)", xlabel="n")
    side = 1.9
    m, signed = image_lim if image_lim is not None else (float(np.abs(y2).max()) or 1.0,
                                                         bool(y2.min() < 0))
    cm_out = DIVERGING if signed else GREY
    boxes = [(col[i], 0.1, side, side) for i in range(3)]
    for (x0, y0, w, h), img, cmap, lim in (
            (boxes[0], image, GREY, (0.0, 1.0)),
            (boxes[2], y2, cm_out, (-m, m) if signed else (0.0, m))):
        host.imshow(img, cmap=cmap, vmin=lim[0], vmax=lim[1], extent=(x0, x0 + w, y0, y0 + h),
                    interpolation="nearest", aspect="auto")
    x0, y0, w, h = boxes[1]
    kh, kw = w2.shape
    cell = min(w / kw, h / kh)
    ext = (x0 + (w - cell * kw) / 2, x0 + (w + cell * kw) / 2, y0 + (h - cell * kh) / 2,
           y0 + (h + cell * kh) / 2)
    mm = max(2.0, float(np.abs(w2).max()))
    im = host.imshow(w2, cmap=DIVERGING, vmin=-mm, vmax=mm, extent=ext,
                     interpolation="nearest", aspect="auto")
    rgba = im.to_rgba(w2)
    lum = rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
    items_dark, items_light = [], []
    for i in range(kh):
        for j in range(kw):
            cx = ext[0] + (j + 0.5) * cell
            cy = ext[3] - (i + 0.5) * cell
            (items_light if lum[i, j] < 0.45 else items_dark).append(
                (cx, cy, format_number(w2[i, j], 2)))
    size = min(12.0, 0.36 * cell * 72)
    _write(host, items_dark, size, "black")
    _write(host, items_light, size, "white")
    grid = [((ext[0] + j * cell, ext[2]), (ext[0] + j * cell, ext[3])) for j in range(1, kw)]
    grid += [((ext[0], ext[2] + i * cell), (ext[1], ext[2] + i * cell)) for i in range(1, kh)]
    host.add_collection(LineCollection(grid, colors="white", linewidths=1.0, zorder=3),
                        autolim=False)
    titles = ["image", "weights: " + ("k rotated 180°" if flip else "k as stored"),
              "convolve(image, k)" if flip else "conv2d(image, k)"]
    for (bx, by, bw, bh), t in zip(boxes, titles):
        _write(host, [(bx + bw / 2, by + bh + 0.14, t)], 10)
        frame = Rectangle((bx, by), bw, bh, fill=False, edgecolor="#555555", linewidth=0.8,
                          zorder=4)
        host.add_patch(frame)
    host.set_xlim(0, W)
    host.set_ylim(0, H)
    return host.figure
