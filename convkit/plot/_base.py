"""Pictures of arrays, images and signals, drawn with matplotlib for the book.

Every function here is pure: it takes data (and optionally the Axes to draw into),
draws, and returns the Axes (or the Figure, for grids of panels). Nothing is shown,
no file is read or written, and pyplot is never imported, so a figure only appears
where the caller puts it. Figures come from :func:`new_figure` (a
``matplotlib.figure.Figure`` with an Agg canvas) and become PNG bytes with
:func:`fig_to_png`, which gives identical bytes for identical drawings.

Colour conventions (colour-blind safe):

- :data:`SEQUENTIAL` (``'viridis'``) for magnitudes,
- :data:`DIVERGING` (``'RdBu_r'``, red positive, blue negative) for signed data,
  always with limits symmetric around zero so that white means 0,
- :data:`GREY` for grey-level images.

See Also
--------
convkit.widgets : the interactive demos built on these functions.
Book: ``book/intro.md`` (how to read the pictures).
"""
from __future__ import annotations

import functools
import io
import math
from collections.abc import Mapping

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

__all__ = [
    "SEQUENTIAL", "DIVERGING", "GREY", "SMALL", "NUMBERS_GID", "new_figure", "fig_to_png",
    "format_number", "show_array", "show_image", "small_multiples", "stem_signal",
]

SEQUENTIAL = "viridis"
"""Colormap for magnitudes (non-negative data): perceptually uniform, colour-blind safe."""
DIVERGING = "RdBu_r"
"""Colormap for signed data (ColorBrewer RdBu, colour-blind safe); used with vmin = -vmax."""
GREY = "gray"
"""Colormap for grey-level images."""
SMALL = 8
"""Arrays with at most this many rows and columns show their numbers in every cell."""

NUMBERS_GID = "convkit-cell-numbers"
"""gid of the collection holding the numbers written in the cells by :func:`show_array`."""
_CELL_INCHES = 0.42       # default size of one cell of a small array
_HALO = "white"           # outline drawn under highlights so they show on any colour


# --- figures and PNG bytes ---------------------------------------------------------------------

def new_figure(figsize=(3.0, 3.0), dpi=72, *, layout="constrained"):
    """Create a figure that is drawn off-screen (Agg), never through pyplot.

    Parameters
    ----------
    figsize : (float, float)
        Width and height in inches.
    dpi : float
        Dots per inch; 72 keeps precomputed frames small.
    layout : {'constrained', 'compressed', 'tight', None}
        Passed to :class:`matplotlib.figure.Figure`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        White background, with a ``FigureCanvasAgg`` attached.
    """
    fig = Figure(figsize=figsize, dpi=dpi, layout=layout, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def fig_to_png(fig, dpi=None, *, palette=True):
    """Render a figure to PNG bytes, identically for identical drawings.

    The PNG carries no software, date or version metadata, so two renders of the same
    drawing are byte-identical (needed for strict notebook comparison).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : float, optional
        Resolution for this render; default: the figure's own dpi.
    palette : bool
        If True (default), store the picture with a palette of at most 256 colours:
        exact when the drawing has at most 256 distinct colours (typical for
        colormapped arrays, which come from a 256-entry lookup table), otherwise a
        median-cut palette without dithering. Palette PNGs are 2-4 times smaller.
        If False, store full RGB.

    Returns
    -------
    png : bytes
    """
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    old_dpi = fig.dpi
    if dpi is not None and dpi != old_dpi:
        fig.set_dpi(dpi)
    try:
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        rgb = np.ascontiguousarray(rgba[..., :3])
        if rgba[..., 3].min() < 255:                 # transparent parts: onto white
            alpha = rgba[..., 3:].astype(np.float64) / 255
            rgb = np.rint(rgb * alpha + 255 * (1 - alpha)).astype(np.uint8)
    finally:
        if fig.dpi != old_dpi:
            fig.set_dpi(old_dpi)
    image = _to_palette(rgb) if palette else Image.fromarray(rgb, "RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _to_palette(rgb):
    """RGB array -> PIL 'P' image: exact if <= 256 colours, else median cut (no dither)."""
    from PIL import Image

    full = Image.fromarray(rgb, "RGB")
    counted = full.getcolors(maxcolors=256)  # None when there are more (PIL counts in C, fast)
    if counted is None:
        return full.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    # exact palette, sorted by packed 0xRRGGBB value
    colours = np.array(sorted((r << 16) | (g << 8) | b for _, (r, g, b) in counted), np.uint32)
    packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) \
        | rgb[..., 2].astype(np.uint32)
    image = Image.fromarray(np.searchsorted(colours, packed).astype(np.uint8), "P")
    pal = np.stack([(colours >> 16) & 255, (colours >> 8) & 255, colours & 255], axis=1)
    image.putpalette(pal.astype(np.uint8).ravel().tolist())
    return image


# --- numbers in cells --------------------------------------------------------------------------

def format_number(value, decimals=2):
    """Short text for a number shown in a cell: ``3``, ``0.25``, ``−1.5`` (true minus sign).

    Values are rounded to `decimals` places and trailing zeros are dropped; ``-0``
    prints as ``0``. Non-finite values print as ``nan``, ``inf``, ``−inf``.
    """
    v = float(value)
    if not math.isfinite(v):
        s = "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    else:
        r = round(v, decimals)
        if r == int(r):
            s = str(int(r))
        else:
            s = f"{r:.{decimals}f}".rstrip("0").rstrip(".")
        if s in ("-0", "0"):
            s = "0"
    return s.replace("-", "\u2212")


def _contrast_text_colour(rgba):
    """Black or white, whichever contrasts more with the colour `rgba` (WCAG formula)."""
    c = np.asarray(rgba, dtype=float)[..., :3]
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    lum = lin @ np.array([0.2126, 0.7152, 0.0722])
    # contrast with white = 1.05 / (L + 0.05); with black = (L + 0.05) / 0.05
    return np.where(1.05 / (lum + 0.05) > (lum + 0.05) / 0.05, "white", "black")


# --- colour scales -----------------------------------------------------------------------------

def _is_signed(a, signed):
    if signed == "auto":
        finite = a[np.isfinite(a)] if a.dtype.kind == "f" else a
        return bool(finite.size and finite.min() < 0)
    return bool(signed)


def _norm(a, signed, vmin, vmax):
    """Normalize for `a`: symmetric around 0 if signed, else [vmin, vmax] (data range)."""
    finite = a[np.isfinite(a)] if a.dtype.kind == "f" else a
    if signed:
        if vmin is None and vmax is None:
            m = float(np.abs(finite).max()) if finite.size else 1.0
        else:
            m = max(abs(float(v)) for v in (vmin, vmax) if v is not None)
        m = m or 1.0
        return Normalize(-m, m)
    lo, hi = vmin, vmax
    if lo is None:
        lo = float(finite.min()) if finite.size else 0.0
    if hi is None:
        hi = float(finite.max()) if finite.size else 1.0
    if hi <= lo:                        # constant array: put it mid-scale
        lo, hi = lo - 1.0, hi + 1.0
    return Normalize(float(lo), float(hi))


def _cmap(name):
    cmap = colormaps[name] if isinstance(name, str) else name
    return cmap.with_extremes(bad="#f2f2f2")    # NaN cells (e.g. "not computed yet"): pale grey


# --- highlights --------------------------------------------------------------------------------

def _span(s, n):
    """A slice or a (start, stop) pair -> (start, stop) within [0, n]."""
    if isinstance(s, slice):
        start, stop, _ = s.indices(n)
        return start, stop
    if isinstance(s, (int, np.integer)):
        return int(s), int(s) + 1
    start, stop = s
    return int(start), int(stop)


def _windows(highlight):
    """`highlight` as a list of (rows, cols) windows: a list holds several, a tuple is one."""
    if highlight is None:
        return []
    return list(highlight) if isinstance(highlight, list) else [highlight]


def _draw_window(ax, rows, cols, shape, color, linewidth):
    r0, r1 = _span(rows, shape[0])
    c0, c1 = _span(cols, shape[1])
    for lw, col, z in ((linewidth + 2.5, _HALO, 7), (linewidth, color, 8)):
        patch = Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=False, edgecolor=col,
                          linewidth=lw, zorder=z, clip_on=False)
        patch.set_in_layout(False)
        ax.add_patch(patch)


# --- arrays and images -------------------------------------------------------------------------

def show_array(a, ax=None, *, numbers="auto", cmap=None, signed="auto", vmin=None, vmax=None,
               title=None, highlight=None, highlight_color="black", decimals=2, fontsize=None,
               ticks=False, colorbar=False, grid="auto"):
    """Draw a small array as coloured cells, with its numbers in the cells.

    Parameters
    ----------
    a : array_like, shape (H, W) or (W,)
        A 1-D array is drawn as one row. NaN cells are drawn pale grey without a number
        (useful for "not computed yet" in step-through pictures).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure sized to the array.
    numbers : {'auto', True, False}
        Write each value in its cell; 'auto' does so when H and W are at most
        :data:`SMALL` (8). Text is black or white, whichever contrasts more.
    cmap : str or Colormap, optional
        Default :data:`DIVERGING` for signed data, else :data:`SEQUENTIAL`.
    signed : {'auto', True, False}
        Signed data get limits symmetric around zero (0 is the colormap's centre);
        'auto' means "has a negative value".
    vmin, vmax : float, optional
        Colour limits; give the same limits to every frame of a demo so that colours
        do not jump. For signed data the larger magnitude is used on both sides.
    title : str, optional
    highlight : window or list of windows, optional
        A window is a tuple ``(rows, cols)``, each a ``slice``, a ``(start, stop)`` pair
        or an int, e.g. ``(slice(1, 4), slice(0, 3))`` for the kernel's current position;
        several windows go in a list. Drawn as an outline with a white halo, visible on
        every colour.
    highlight_color : color
    decimals : int
        Decimal places for the numbers (trailing zeros dropped).
    fontsize : float, optional
        Size of the numbers; default: fitted to the cell size.
    ticks : bool
        Label rows and columns with their indices.
    colorbar : bool
    grid : {'auto', True, False}
        Thin white lines between cells; 'auto' follows `numbers`.

    Returns
    -------
    ax : matplotlib.axes.Axes

    Examples
    --------
    >>> ax = show_array(np.arange(9).reshape(3, 3) - 4)      # signed: RdBu_r, -4..4
    >>> fig_to_png(ax.figure)[:4]
    b'\\x89PNG'
    """
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype(np.int64)
    if a.ndim == 1:
        a = a[np.newaxis, :]
    if a.ndim != 2:
        raise ValueError(f"a.shape={a.shape}: show_array draws 1-D or 2-D arrays; "
                         "use show_image for RGB images or small_multiples for stacks")
    h, w = a.shape
    if ax is None:
        fig = new_figure(figsize=(max(1.2, _CELL_INCHES * w + 0.3),
                                  max(1.0, _CELL_INCHES * h + (0.5 if title else 0.2))))
        ax = fig.add_subplot()
    data = a.astype(np.float64)
    is_signed = _is_signed(data, signed)
    norm = _norm(data, is_signed, vmin, vmax)
    cm = _cmap(cmap if cmap is not None else (DIVERGING if is_signed else SEQUENTIAL))
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cm, norm=norm, interpolation="nearest",
                   aspect="equal")
    if numbers == "auto":
        numbers = h <= SMALL and w <= SMALL
    if grid == "auto":
        grid = bool(numbers)
    _clean_axes(ax, ticks, (h, w))
    if grid:
        _draw_grid(ax, h, w)
    if numbers:
        _write_numbers(ax, a, data, im, decimals, fontsize)
    for rows, cols in _windows(highlight):
        _draw_window(ax, rows, cols, (h, w), highlight_color, 2.0)
    if title:
        ax.set_title(title, fontsize=10)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def _clean_axes(ax, ticks, shape):
    """No ticks (or index ticks), thin frame. Turning the axis machinery off is much faster."""
    if ticks:
        ax.set_xticks(range(shape[1]))
        ax.set_yticks(range(shape[0]))
        ax.tick_params(length=0, labelsize=8)
        return
    # invisible axes skip tick computation entirely (set_axis_off alone does not, for layout)
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    for spine in ax.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.8)


def _draw_grid(ax, h, w):
    """Thin white lines between cells (one LineCollection; cheaper than minor ticks)."""
    segs = [((x, -0.5), (x, h - 0.5)) for x in np.arange(0.5, w - 1, 1.0)]
    segs += [((-0.5, y), (w - 0.5, y)) for y in np.arange(0.5, h - 1, 1.0)]
    if segs:
        lines = LineCollection(segs, colors="white", linewidths=1.0, zorder=3)
        lines.set_in_layout(False)
        ax.add_collection(lines, autolim=False)


def _write_numbers(ax, a, data, im, decimals, fontsize):
    """Write each finite value in its cell, black or white for contrast.

    The numbers are drawn as one collection of glyph outlines (cached per string)
    rather than one Text artist per cell: 5-10 times faster, which matters for demos
    that draw dozens of frames.
    """
    h, w = data.shape
    if np.issubdtype(a.dtype, np.integer):
        texts = [format_number(v, 0) for v in a.ravel().tolist()]
    else:
        texts = [format_number(v, decimals) if math.isfinite(v) else ""
                 for v in data.ravel().tolist()]
    colours = _contrast_text_colour(im.to_rgba(data)).ravel()
    if fontsize is None:
        fig = ax.figure
        box = ax.get_position()
        cell_pt = 72 * min(box.width * fig.get_figwidth() / w, box.height * fig.get_figheight() / h)
        widest = max((_text_width(t) for t in texts if t), default=0.6)
        fontsize = max(5.0, min(12.0, 0.42 * cell_pt, 0.82 * cell_pt / widest))
    keep = [i for i, t in enumerate(texts) if t]
    if not keep:
        return
    paths = [_glyphs(texts[i]) for i in keep]
    offsets = [(i % w, i // w) for i in keep]
    numbers = PathCollection(
        paths, offsets=offsets, offset_transform=ax.transData,
        transform=Affine2D().scale(fontsize / 72.0) + ax.figure.dpi_scale_trans,
        facecolors=[colours[i] for i in keep], edgecolors="none", linewidths=0, zorder=5)
    numbers.set_in_layout(False)
    numbers.set_gid(NUMBERS_GID)
    numbers.cell_texts = [texts[i] for i in keep]     # what is written, for tests and alt text
    ax.add_collection(numbers, autolim=False)


_FONT = FontProperties(family="DejaVu Sans")    # bundled with matplotlib: same glyphs everywhere


@functools.lru_cache(maxsize=4096)
def _glyphs(text):
    """Outline of `text` at 1 pt, centred on (0, 0) (vertically on the height of '0').

    Built from cached single-character outlines placed at their advance widths (no
    kerning, which DejaVu Sans does not apply to digits, signs and points), so a new
    number costs a few array operations instead of a font layout.
    """
    verts, codes, x = [], [], 0.0
    for ch in text:
        v, c, advance, _ = _char_outline(ch)
        verts.append(v + (x, 0.0))
        codes.append(c)
        x += advance
    verts = np.concatenate(verts)
    codes = np.concatenate(codes)
    ink = verts[codes != Path.CLOSEPOLY]
    y0, y1 = _char_outline("0")[3]
    shift = ((ink[:, 0].min() + ink[:, 0].max()) / 2, (y0 + y1) / 2) if ink.size else (0, 0)
    return Path(verts - shift, codes)


def _text_width(text):
    """Ink width of `text` at 1 pt."""
    path = _glyphs(text)
    ink = path.vertices[path.codes != Path.CLOSEPOLY]
    return float(ink[:, 0].max() - ink[:, 0].min()) if ink.size else 0.0


@functools.lru_cache(maxsize=256)
def _char_outline(ch):
    """(vertices, codes, advance, (ymin, ymax)) of one character at 1 pt."""
    from matplotlib.font_manager import findfont, get_font
    from matplotlib.ft2font import LoadFlags

    if ch.isspace():  # matplotlib's TextPath cannot outline a blank
        verts, codes = np.zeros((0, 2)), np.zeros(0, dtype=Path.code_type)
    else:
        path = TextPath((0, 0), ch, size=1, prop=_FONT)
        verts, codes = np.asarray(path.vertices, float), np.asarray(path.codes)
    font = get_font(findfont(_FONT))
    font.set_size(72, 72)        # 1 pt = 1 px, advance in 1/65536 px
    advance = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 72
    ink = verts[codes != Path.CLOSEPOLY]
    yrange = (ink[:, 1].min(), ink[:, 1].max()) if ink.size else (0.0, 0.0)
    return verts, codes, advance, yrange


def _image_norm(img, signed, vmin, vmax):
    if signed:
        return _norm(img.astype(np.float64), True, vmin, vmax)
    if vmin is None and vmax is None:
        if img.dtype == np.uint8:
            return Normalize(0, 255)
        if img.dtype == bool:
            return Normalize(0, 1)
        finite = img[np.isfinite(img)] if img.dtype.kind == "f" else img
        if finite.size and finite.min() >= 0 and finite.max() <= 1:
            return Normalize(0, 1)
    return _norm(img.astype(np.float64), False, vmin, vmax)


def show_image(img, ax=None, *, signed="auto", cmap=None, vmin=None, vmax=None, title=None,
               colorbar=False, highlight=None, highlight_color="black"):
    """Draw an image: grey levels in grey, signed responses in a zero-centred diverging map.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, 3) or (H, W, 4)
        Grey-level images with values in [0, 1] or of dtype uint8 are shown on their full
        scale (0 black, 1 or 255 white); other grey images on their data range.
    ax : matplotlib.axes.Axes, optional
    signed : {'auto', True, False}
        Signed images (filter responses such as Sobel or Laplacian) use :data:`DIVERGING`
        with limits symmetric around zero; 'auto' means "has a negative value".
    cmap : str or Colormap, optional
        Default: :data:`GREY`, or :data:`DIVERGING` if signed.
    vmin, vmax : float, optional
    title : str, optional
    colorbar : bool
    highlight : window or list of windows, optional
        As in :func:`show_array`.
    highlight_color : color

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    img = np.asarray(img)
    if ax is None:
        h, w = img.shape[:2]
        scale = 3.0 / max(h, w)
        fig = new_figure(figsize=(max(1.0, w * scale), max(1.0, h * scale + (0.3 if title else 0))))
        ax = fig.add_subplot()
    if img.ndim == 3 and img.shape[2] in (3, 4):
        im = ax.imshow(img, interpolation="nearest")
    elif img.ndim == 2:
        is_signed = _is_signed(img, signed) if img.dtype != bool else False
        norm = _image_norm(img, is_signed, vmin, vmax)
        cm = _cmap(cmap if cmap is not None else (DIVERGING if is_signed else GREY))
        im = ax.imshow(np.ma.masked_invalid(img.astype(np.float64)), cmap=cm, norm=norm,
                       interpolation="nearest")
    else:
        raise ValueError(f"img.shape={img.shape}: expected (H, W), (H, W, 3) or (H, W, 4)")
    _clean_axes(ax, False, img.shape[:2])
    for rows, cols in _windows(highlight):
        _draw_window(ax, rows, cols, img.shape[:2], highlight_color, 1.5)
    if title:
        ax.set_title(title, fontsize=10)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def small_multiples(images, ncols=None, *, kind="auto", panel_size=2.0, dpi=72,
                    share_scale=False, suptitle=None, **kwargs):
    """Several arrays or images side by side, one titled panel each.

    Parameters
    ----------
    images : Mapping[str, array_like]
        Panel title -> array, in display order.
    ncols : int, optional
        Panels per row; default: all in one row (at most 4 per row).
    kind : {'auto', 'array', 'image'}
        :func:`show_array` (numbers in cells) or :func:`show_image`; 'auto' picks
        'array' for arrays of at most :data:`SMALL` x :data:`SMALL`.
    panel_size : float
        Width of one panel in inches.
    dpi : float
    share_scale : bool
        One colour scale for all panels (symmetric around 0 if any panel is signed).
    suptitle : str, optional
    **kwargs
        Passed to :func:`show_array` / :func:`show_image` (e.g. ``vmin``, ``signed``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    if not isinstance(images, Mapping) or not images:
        raise ValueError("images must be a non-empty mapping of title -> array")
    arrays = {k: np.asarray(v) for k, v in images.items()}
    n = len(arrays)
    ncols = min(n, 4) if ncols is None else int(ncols)
    nrows = math.ceil(n / ncols)
    first = next(iter(arrays.values()))
    aspect = first.shape[0] / first.shape[1] if first.ndim >= 2 else 0.3
    fig = new_figure(figsize=(panel_size * ncols,
                              nrows * (panel_size * aspect + 0.35) + (0.3 if suptitle else 0)),
                     dpi=dpi)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    if share_scale:
        stack = np.concatenate([a.astype(np.float64).ravel() for a in arrays.values()])
        stack = stack[np.isfinite(stack)]
        if stack.size and stack.min() < 0:
            m = float(np.abs(stack).max())
            kwargs = {"signed": True, "vmin": -m, "vmax": m, **kwargs}
        elif stack.size:
            kwargs = {"vmin": float(stack.min()), "vmax": float(stack.max()), **kwargs}
    for ax, (name, arr) in zip(axes.flat, arrays.items()):
        small = arr.ndim <= 2 and arr.shape[0] <= SMALL and (arr.ndim == 1 or arr.shape[1] <= SMALL)
        if kind == "array" or (kind == "auto" and small):
            show_array(arr, ax, title=name, **kwargs)
        else:
            show_image(arr, ax, title=name, **kwargs)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    return fig


# --- 1-D signals -------------------------------------------------------------------------------

def stem_signal(x, ax=None, *, start=0, values="auto", title=None, color="C0", highlight=None,
                ylim=None, xlabel="n", decimals=2):
    """Draw a 1-D signal as a stem plot, with its values written when it is short.

    Parameters
    ----------
    x : array_like, shape (N,)
    ax : matplotlib.axes.Axes, optional
    start : int
        Index of the first sample (e.g. negative for a centred kernel).
    values : {'auto', True, False}
        Write each value above (or below, if negative) its stem; 'auto': when N <= 16.
    title : str, optional
    color : color
    highlight : (start, stop) or slice, or a list of them, optional
        Sample-index ranges to shade (stop excluded), e.g. the samples under the kernel.
    ylim : (float, float), optional
        Fixed limits (give the same to every frame of a demo).
    xlabel : str
    decimals : int

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x.shape={x.shape}: stem_signal draws a 1-D signal")
    n = np.arange(start, start + x.size)
    if ax is None:
        fig = new_figure(figsize=(max(2.5, 0.35 * x.size + 0.8), 2.0))
        ax = fig.add_subplot()
    markers, stems, base = ax.stem(n, x, linefmt=color, markerfmt="o", basefmt="k-")
    markers.set_color(color)
    markers.set_markersize(4)
    base.set_linewidth(0.8)
    if values == "auto":
        values = x.size <= 16
    if values:
        span = float(np.ptp(x)) if x.size else 1.0
        offset = 0.06 * (span or 1.0)
        for i, v in zip(n, x):
            if math.isfinite(v):
                ax.text(i, v + (offset if v >= 0 else -offset), format_number(v, decimals),
                        ha="center", va="bottom" if v >= 0 else "top", fontsize=8)
    for h in _windows(highlight):
        if isinstance(h, slice):
            lo = n[0] if h.start is None else h.start
            hi = n[-1] + 1 if h.stop is None else h.stop
        else:
            lo, hi = h
        ax.axvspan(lo - 0.5, hi - 0.5, color="#999999", alpha=0.25, linewidth=0, zorder=0)
    if ylim is not None:
        ax.set_ylim(*ylim)
    elif values and x.size:
        lo, hi = min(0.0, float(np.nanmin(x))), max(0.0, float(np.nanmax(x)))
        pad = 0.25 * ((hi - lo) or 1.0)
        ax.set_ylim(lo - pad, hi + pad)
    if x.size:
        ax.set_xlim(n[0] - 0.6, n[-1] + 0.6)
    if x.size <= 20:
        ax.set_xticks(n)
    ax.tick_params(labelsize=8)
    ax.set_xlabel(xlabel, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


# --- fast labels ------------------------------------------------------------------------------

_LINE_GAP = 1.25   # distance between the baselines of two lines, in em
_HALF = 0.365      # half the height of a digit, in em (text is centred on it)


@functools.lru_cache(maxsize=2048)
def _text_path(text, ha="center", va="center", rotation=0.0):
    """Outline of a (multi-line) text at 1 pt, aligned on (0, 0) like ``Axes.text`` with
    ``rotation_mode="anchor"``."""
    lines = text.split("\n")
    n = len(lines)
    parts = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        width = _text_width(line)                      # _glyphs centres the ink on (0, 0)
        dx = {"left": width / 2, "right": -width / 2}.get(ha, 0.0)
        parts.append(_glyphs(line).transformed(Affine2D().translate(dx, -_LINE_GAP * i)))
    block = _LINE_GAP * (n - 1)
    dy = {"top": -_HALF, "bottom": block + _HALF}.get(va, block / 2)
    path = Path.make_compound_path(*parts).transformed(Affine2D().translate(0, dy))
    return path.transformed(Affine2D().rotate_deg(rotation)) if rotation else path


def _labels(ax, items, size, colours="black"):
    """Draw labels as cached glyph outlines: much faster than Text artists, for demo frames.

    `items` holds ``(x, y, text)`` plus optionally ``rotation``, ``ha`` and ``va`` (as for
    ``Axes.text``), in data coordinates. Returns the PathCollection; its attribute
    ``texts`` lists what is written.
    """
    items = [tuple(it) + (0.0, "center", "center")[len(it) - 3:] for it in items]
    paths = [_text_path(t, ha, va, r) for _, _, t, r, ha, va in items]
    labels = PathCollection(paths, offsets=[(x, y) for x, y, *_ in items],
                            offset_transform=ax.transData,
                            transform=Affine2D().scale(size / 72.0) + ax.figure.dpi_scale_trans,
                            facecolors=colours, edgecolors="none", linewidths=0, zorder=10,
                            clip_on=False)
    labels.set_in_layout(False)
    labels.texts = [it[2] for it in items]
    ax.add_collection(labels, autolim=False)
    return labels
