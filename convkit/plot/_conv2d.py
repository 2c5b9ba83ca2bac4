"""Drawings of the chapter *2D convolution and image kernels* (``book/conv2d.ipynb``).

Pure functions: they take arrays (a small input and kernel, filtered images, Canny's
steps), draw them with the conventions of :mod:`convkit.plot`, and return the Axes or
Figure. Image filtering is done by the caller; :func:`conv2d_step` computes its small
output with :func:`convkit.conv2d`.

- :func:`conv2d_step`: one position of a kernel on a small input -- the window on the
  (padded) input, the kernel, the elementwise products and the output filled so far.
- :func:`show_filtered`: a filtered image, in grey if the kernel keeps brightness
  (weights sum to non-zero) or in the diverging colormap if it is a detector (sum 0).
- :func:`kernel_gallery`: kernels (with their numbers) above what they do to an image.
- :func:`show_gradient_direction` and :func:`gradient_panels`: the Sobel gradient, its
  magnitude, and its direction as colour, faded where the gradient is weak.
- :func:`show_thresholds` and :func:`canny_panels`: the steps of Canny edge detection,
  drawn as one picture by :func:`image_grid` (fast enough for demo frames).

See Also
--------
convkit.edges, convkit.kernels, convkit.widgets.explore_kernels
Book chapter: ``book/conv2d.ipynb``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.patches import Rectangle

from .._conv import conv2d
from ._base import DIVERGING, GREY, NUMBERS_GID, SEQUENTIAL, new_figure, show_array, show_image

__all__ = ["conv2d_step", "show_filtered", "signed_limit", "kernel_gallery",
           "show_gradient_direction", "show_thresholds", "image_grid", "gradient_panels",
           "canny_panels", "EDGE_COLOURS",
           "DIRECTION"]

#: Colours of the threshold and hysteresis panels (Okabe-Ito, colour-blind safe):
#: background, strong edge pixels, weak edge pixels.
EDGE_COLOURS = ("#ffffff", "#000000", "#e69f00")

#: Cyclic colormap for gradient directions (-pi and pi get the same colour).
DIRECTION = "twilight_shifted"


# --- one step of a small 2-D convolution --------------------------------------------------------

def conv2d_step(x, k, position=None, *, padding=0, x_lim=None, product_lim=None, y_lim=None,
                show_kernel=True, figsize=None, dpi=72):
    """One position of a 2-D cross-correlation, drawn in four (or three) panels.

    Panels, left to right: the input (zero-padded by `padding`; a dashed frame marks the
    original input inside the padding) with the kernel's window outlined; the kernel
    (unless `show_kernel` is False); the elementwise products of window and kernel; the
    output, filled up to and including this position (later cells blank), the current
    cell outlined.

    Parameters
    ----------
    x : array_like, shape (H, W)
        Small input (at most 8 x 8 after padding, so every number is written).
    k : array_like, shape (kH, kW)
    position : int or None
        Output position in row-major order, ``0 .. H_out * W_out - 1``; None (or a value
        past the last position) draws the finished output with no window.
    padding : int
        Zeros added on each side (0 = 'valid', ``k // 2`` = 'same' for odd kernels).
    x_lim, product_lim, y_lim : (float, float), optional
        Fixed colour limits of the input, the products and the output (give the same
        ones to every frame of a demo). Default: the data's range.
    show_kernel : bool
        Draw the kernel as a panel of its own. A demo that states the kernel elsewhere
        can leave it out: each panel costs about a quarter of the drawing time.
    figsize : (float, float), optional
        Default (7.6, 2.6) with the kernel panel, (6.2, 2.6) without.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"x.shape={x.shape}, k.shape={k.shape}: both must be 2-D")
    p = int(padding)
    xp = np.pad(x, p)
    kh, kw = k.shape
    oh, ow = xp.shape[0] - kh + 1, xp.shape[1] - kw + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"kernel {k.shape} is larger than the padded input {xp.shape}")
    y = conv2d(xp[None], k[None, None])[0]
    n = oh * ow
    done = position is None or position >= n
    shown = y.copy()
    if not done:
        shown.ravel()[position + 1:] = np.nan
        r, c = divmod(int(position), ow)
        products = xp[r:r + kh, c:c + kw] * k
    else:
        products = np.full(k.shape, np.nan)

    if figsize is None:
        figsize = (7.6, 2.6) if show_kernel else (6.2, 2.6)
    fig = new_figure(figsize=figsize, dpi=dpi, layout=None)
    shapes = [xp.shape, k.shape, k.shape, (oh, ow)] if show_kernel else \
        [xp.shape, k.shape, (oh, ow)]
    axes = _row_of_axes(fig, shapes)
    ax_in, ax_prod, ax_out = axes[0], axes[-2], axes[-1]

    def lims(lim):
        return (None, None) if lim is None else lim

    lo, hi = lims(x_lim)
    window = None if done else (slice(r, r + kh), slice(c, c + kw))
    show_array(xp, ax_in, vmin=lo, vmax=hi, signed=False, highlight=window,
               title="input, zero-padded" if p else "input")
    if p:
        _fade_padding(ax_in, xp.shape, p)
    if show_kernel:
        show_array(k, axes[1], title="kernel")
    lo, hi = lims(product_lim)
    show_array(products, ax_prod, signed=True, vmin=lo, vmax=hi,
               title="window \u00d7 kernel" if not done else "(done)")
    lo, hi = lims(y_lim)
    cell = None if done else (r, c)
    show_array(shown, ax_out, signed=False, vmin=lo, vmax=hi, highlight=cell,
               title=f"output {oh}\u00d7{ow}")
    return fig


def _fade_padding(ax, shape, p):
    """Pale the padding ring of a padded array drawn by show_array, and frame the input.

    A white veil over the padding cells (their numbers turn dark grey to stay readable)
    and a dashed frame around the original input.
    """
    h, w = shape
    veil = [((-0.5, -0.5), w, p), ((-0.5, h - p - 0.5), w, p),
            ((-0.5, p - 0.5), p, h - 2 * p), ((w - p - 0.5, p - 0.5), p, h - 2 * p)]
    for xy, width, height in veil:
        patch = Rectangle(xy, width, height, facecolor="white", alpha=0.72, edgecolor="none",
                          zorder=4)
        patch.set_in_layout(False)
        ax.add_patch(patch)
    frame = Rectangle((p - 0.5, p - 0.5), w - 2 * p, h - 2 * p, fill=False, edgecolor="#333333",
                      linestyle=(0, (3, 2)), linewidth=1.3, zorder=6)
    frame.set_in_layout(False)
    ax.add_patch(frame)
    for coll in ax.collections:
        if coll.get_gid() == NUMBERS_GID:
            offsets = np.asarray(coll.get_offsets())
            cols, rows = offsets[:, 0], offsets[:, 1]
            ring = (rows < p) | (rows >= h - p) | (cols < p) | (cols >= w - p)
            colours = np.array(coll.get_facecolors())
            colours[ring] = (0.25, 0.25, 0.25, 1.0)
            coll.set_facecolors(colours)


def _row_of_axes(fig, shapes, gap=0.9, title_in=0.3, margin_in=0.06):
    """Axes in a row, one per array shape, sized so that every cell has the same size.

    A manual layout (no constrained layout engine): cheaper to draw, and the cells of
    all panels line up at one size. Panels are centred vertically.
    """
    fw, fh = fig.get_size_inches()
    units_w = sum(w for _, w in shapes) + gap * (len(shapes) - 1)
    units_h = max(h for h, _ in shapes)
    cell = min((fw - 2 * margin_in) / units_w, (fh - title_in - 2 * margin_in) / units_h)
    left = (fw - cell * units_w) / 2
    axes = []
    for h, w in shapes:
        bottom = margin_in + (fh - title_in - 2 * margin_in - cell * h) / 2
        axes.append(fig.add_axes((left / fw, bottom / fh, cell * w / fw, cell * h / fh)))
        left += cell * (w + gap)
    return axes


# --- filtered images ----------------------------------------------------------------------------

def signed_limit(y, percentile=99.0):
    """Symmetric colour limit for a signed response: a high percentile of ``|y|``.

    A few extreme pixels (a bright catch-light, a corner) would otherwise set the scale
    and leave the rest of the picture white. Never 0.

    Parameters
    ----------
    y : array_like
    percentile : float
        In (0, 100]; 100 gives ``max |y|``.

    Returns
    -------
    float
    """
    a = np.abs(np.asarray(y, dtype=np.float64))
    a = a[np.isfinite(a)]
    m = float(np.percentile(a, percentile)) if a.size else 0.0
    if m == 0.0 and a.size:
        m = float(a.max())
    return m or 1.0


def _is_detector(kernel_sum):
    return kernel_sum is not None and abs(float(kernel_sum)) < 1e-9


def show_filtered(y, ax=None, *, kernel_sum=None, title=None, percentile=99.0, lim=None):
    """Draw a filtered image the way its kernel asks for.

    Kernels whose weights sum to 0 (Sobel, Laplacian, outline) are *detectors*: flat
    regions give 0, and the output is signed. It is drawn with :data:`DIVERGING`,
    white at 0, limits ``+-lim`` (default :func:`signed_limit`). Any other kernel
    (blur, sharpen, emboss) gives an *image*, drawn in grey on the input's scale
    [0, 1]: values outside are clipped to black or white.

    Parameters
    ----------
    y : array_like, shape (H, W)
        The filtered image.
    ax : matplotlib.axes.Axes, optional
    kernel_sum : float, optional
        Sum of the kernel's weights; None: decide from the data (signed if it has
        negative values of at least 5 % of its largest magnitude).
    title : str, optional
    percentile : float
        For the signed limit.
    lim : float, optional
        Fixed signed limit.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    y = np.asarray(y, dtype=np.float64)
    if kernel_sum is None:
        m = float(np.abs(y).max()) if y.size else 0.0
        detector = y.size > 0 and float(y.min()) < -0.05 * m
    else:
        detector = _is_detector(kernel_sum)
    if detector:
        m = lim if lim is not None else signed_limit(y, percentile)
        return show_image(y, ax, signed=True, vmin=-m, vmax=m, title=title)
    return show_image(np.clip(y, 0.0, 1.0), ax, signed=False, cmap=GREY, vmin=0.0, vmax=1.0,
                      title=title)


def kernel_gallery(kernels, results, *, ncols=5, panel_size=1.9, dpi=72, decimals=2):
    """Small multiples: each kernel (numbers in cells) above what it does to an image.

    Parameters
    ----------
    kernels : Mapping[str, array_like]
        Name -> 2-D kernel, in display order.
    results : Mapping[str, array_like]
        Name -> filtered image (H, W), same keys. Drawn with :func:`show_filtered`
        (detectors diverging, the rest grey).
    ncols : int
        Kernels per row.
    panel_size : float
        Width of one column in inches.
    dpi : float
    decimals : int
        Decimals of the kernel numbers.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    if not isinstance(kernels, Mapping) or not kernels:
        raise ValueError("kernels must be a non-empty mapping name -> 2-D array")
    missing = [name for name in kernels if name not in results]
    if missing:
        raise ValueError(f"results has no image for {missing}")
    names = list(kernels)
    ncols = min(int(ncols), len(names))
    nrows = math.ceil(len(names) / ncols)
    first = np.asarray(results[names[0]])
    aspect = first.shape[0] / first.shape[1]
    k_height, i_height = 0.95 * panel_size, panel_size * aspect
    fig = new_figure(figsize=(panel_size * ncols, nrows * (k_height + i_height + 0.45)), dpi=dpi)
    grid = fig.add_gridspec(2 * nrows, ncols, height_ratios=[k_height, i_height] * nrows)
    for i, name in enumerate(names):
        r, c = divmod(i, ncols)
        k = np.asarray(kernels[name], dtype=np.float64)
        ax_k = fig.add_subplot(grid[2 * r, c])
        show_array(k, ax_k, title=name, decimals=decimals)
        ax_i = fig.add_subplot(grid[2 * r + 1, c])
        show_filtered(results[name], ax_i, kernel_sum=float(k.sum()))
    return fig


# --- gradients ----------------------------------------------------------------------------------

def show_gradient_direction(angle, magnitude, ax=None, *, title=None, percentile=99.0):
    """Gradient direction as colour on a cyclic map, faded to white where the gradient is weak.

    Parameters
    ----------
    angle : array_like, shape (H, W)
        ``arctan2(gy, gx)`` in radians, in [-pi, pi].
    magnitude : array_like, shape (H, W)
        ``hypot(gx, gy)``: sets how strongly each pixel is coloured (full colour from
        the `percentile`-th percentile of the magnitude up).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    percentile : float

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    angle = np.asarray(angle, dtype=np.float64)
    magnitude = np.asarray(magnitude, dtype=np.float64)
    if angle.shape != magnitude.shape or angle.ndim != 2:
        raise ValueError(f"angle {angle.shape} and magnitude {magnitude.shape} must be the same "
                         "2-D shape")
    return show_image(_direction_rgb(angle, magnitude, percentile), ax, title=title)


# --- Canny --------------------------------------------------------------------------------------

_EDGE_CMAP = ListedColormap(list(EDGE_COLOURS))


def show_thresholds(strong, weak, ax=None, *, title=None):
    """Two masks in one picture: strong pixels black, weak pixels orange, the rest white.

    Parameters
    ----------
    strong, weak : array_like of bool, shape (H, W)
        Disjoint masks (as from :func:`convkit.edges.double_threshold`); where both
        are set, strong wins.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    return show_image(_threshold_rgb(strong, weak), ax, title=title)


def _threshold_rgb(strong, weak):
    strong = np.asarray(strong, dtype=bool)
    weak = np.asarray(weak, dtype=bool)
    if strong.shape != weak.shape or strong.ndim != 2:
        raise ValueError(f"strong {strong.shape} and weak {weak.shape} must be the same 2-D shape")
    codes = np.where(strong, 1, np.where(weak, 2, 0))
    return _EDGE_CMAP(codes)[..., :3]


def _mapped(a, cmap, vmin, vmax):
    """Colour-map a 2-D array to RGB floats (what imshow would show)."""
    norm = Normalize(vmin, vmax, clip=True)
    return colormaps[cmap](norm(np.asarray(a, dtype=np.float64)))[..., :3]


def _direction_rgb(angle, magnitude, percentile=99.0):
    rgb = colormaps[DIRECTION](Normalize(-np.pi, np.pi)(angle))[..., :3]
    top = float(np.percentile(magnitude, percentile)) if magnitude.size else 0.0
    weight = np.clip(magnitude / (top or 1.0), 0.0, 1.0)[..., None]
    return rgb * weight + (1.0 - weight)


def image_grid(panels, ncols=None, *, zoom=1.0, gap=4, title_px=15, fontsize=9, dpi=72):
    """RGB pictures of one size side by side, drawn as ONE image with titles above.

    One ``imshow`` for the whole grid is several times faster to draw than one Axes
    per panel, which matters for demos with many frames.

    Parameters
    ----------
    panels : Mapping[str, array_like]
        Title -> RGB image of shape (H, W, 3) with values in [0, 1]; all the same shape.
    ncols : int, optional
        Panels per row; default all in one row.
    zoom : float
        Screen pixels per image pixel at `dpi`.
    gap : int
        White space between panels, in image pixels.
    title_px : int
        Height of the title band above each row, in screen pixels.
    fontsize : float
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty mapping title -> RGB image")
    images = [np.asarray(v, dtype=np.float64) for v in panels.values()]
    h, w = images[0].shape[:2]
    if any(im.shape != (h, w, 3) for im in images):
        raise ValueError(f"every panel must have shape {(h, w, 3)}; got "
                         f"{[im.shape for im in images]}")
    n = len(images)
    ncols = n if ncols is None else int(ncols)
    nrows = math.ceil(n / ncols)
    band = int(math.ceil(title_px / zoom))
    H = nrows * (band + h) + gap
    W = ncols * (w + gap) + gap
    canvas = np.ones((H, W, 3))
    for i, im in enumerate(images):
        r, c = divmod(i, ncols)
        top, left = r * (band + h) + band, gap + c * (w + gap)
        canvas[top:top + h, left:left + w] = im
    fig = new_figure(figsize=(W * zoom / dpi, H * zoom / dpi), dpi=dpi, layout=None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(canvas, interpolation="nearest", aspect="auto")
    ax.set_axis_off()
    for i, title in enumerate(panels):
        r, c = divmod(i, ncols)
        ax.text(gap + c * (w + gap) + w / 2 - 0.5, r * (band + h) + band / 2 - 0.5, title,
                ha="center", va="center", fontsize=fontsize)
    return fig


def gradient_panels(gx, gy, magnitude, angle, image=None, *, ncols=None, zoom=1.0, dpi=72,
                    gradient_lim=None, magnitude_lim=None):
    """The Sobel gradient of an image as small multiples (one picture, see :func:`image_grid`).

    Panels: the image (if given, grey 0 to 1), ``gx`` and ``gy`` (one symmetric diverging
    scale, white = 0), the magnitude (viridis from 0) and the direction (colour by angle
    on a cyclic map, faded to white where the magnitude is small).

    Parameters
    ----------
    gx, gy, magnitude, angle : array_like, shape (H, W)
        As returned by :func:`convkit.edges.gradient`.
    image : array_like, shape (H, W), optional
    ncols : int, optional
    zoom : float
        Screen pixels per image pixel.
    dpi : float
    gradient_lim : float, optional
        Colour limit of ``gx`` and ``gy`` (default: :func:`signed_limit` of both).
    magnitude_lim : float, optional
        Upper colour limit of the magnitude (default: its 99th percentile).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    gx, gy, magnitude, angle = (np.asarray(a, dtype=np.float64) for a in (gx, gy, magnitude, angle))
    g_lim = gradient_lim if gradient_lim is not None else signed_limit(np.stack([gx, gy]))
    m_top = magnitude_lim if magnitude_lim is not None else signed_limit(magnitude)
    panels = {}
    if image is not None:
        panels["image"] = _mapped(image, GREY, 0.0, 1.0)
    panels["gx (Sobel x)"] = _mapped(gx, DIVERGING, -g_lim, g_lim)
    panels["gy (Sobel y)"] = _mapped(gy, DIVERGING, -g_lim, g_lim)
    panels["magnitude"] = _mapped(magnitude, SEQUENTIAL, 0.0, m_top)
    panels["direction"] = _direction_rgb(angle, magnitude)
    return image_grid(panels, ncols, zoom=zoom, dpi=dpi)


def canny_panels(steps, which=("smoothed", "gx", "gy", "magnitude", "thin", "thresholds",
                               "edges"), *, ncols=None, zoom=1.0, dpi=72, titles=None,
                 magnitude_lim=None, gradient_lim=None):
    """The steps of Canny edge detection as small multiples (one picture, see
    :func:`image_grid`).

    Parameters
    ----------
    steps : convkit.edges.CannySteps
        From :func:`convkit.edges.canny` (or built from the step functions).
    which : sequence of str
        Panels, in order, among ``'smoothed'`` (grey, 0 to 1), ``'gx'``, ``'gy'``
        (signed, diverging, white = 0), ``'magnitude'`` (viridis), ``'direction'``
        (colour by angle, faded where the gradient is weak), ``'thin'`` (magnitude after
        non-maximum suppression), ``'thresholds'`` (strong pixels black, weak orange) and
        ``'edges'`` (after hysteresis: strong black, weak pixels kept by hysteresis
        orange).
    ncols : int, optional
        Panels per row (default: all in one row).
    zoom : float
        Screen pixels per image pixel.
    dpi : float
    titles : Mapping[str, str], optional
        Titles replacing the defaults.
    magnitude_lim : float, optional
        Upper colour limit of 'magnitude' and 'thin' (default: 99th percentile of the
        magnitude). Give the same to every frame of a demo.
    gradient_lim : float, optional
        Symmetric colour limit of 'gx' and 'gy' (default: from the data).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    default_titles = {
        "smoothed": "1 smoothed", "gx": "2 gx (Sobel x)", "gy": "2 gy (Sobel y)",
        "magnitude": "2 magnitude", "direction": "2 direction", "thin": "3 thinned (NMS)",
        "thresholds": "4 strong / weak", "edges": "5 hysteresis",
    }
    unknown = [w for w in which if w not in default_titles]
    if unknown:
        raise ValueError(f"unknown panel(s) {unknown}; allowed: {list(default_titles)}")
    names = {**default_titles, **dict(titles or {})}
    mag_top = magnitude_lim if magnitude_lim is not None else signed_limit(steps.magnitude)
    g_lim = gradient_lim if gradient_lim is not None else signed_limit(
        np.concatenate([steps.gx.ravel(), steps.gy.ravel()]))
    panels = {}
    for name in which:
        if name == "smoothed":
            rgb = _mapped(steps.smoothed, GREY, 0.0, 1.0)
        elif name in ("gx", "gy"):
            rgb = _mapped(getattr(steps, name), DIVERGING, -g_lim, g_lim)
        elif name in ("magnitude", "thin"):
            rgb = _mapped(getattr(steps, name), SEQUENTIAL, 0.0, mag_top)
        elif name == "direction":
            rgb = _direction_rgb(steps.angle, steps.magnitude)
        elif name == "thresholds":
            rgb = _threshold_rgb(steps.strong, steps.weak)
        else:   # edges: strong black, weak pixels kept by hysteresis orange
            rgb = _threshold_rgb(steps.strong, steps.edges & ~steps.strong)
        panels[names[name]] = rgb
    return image_grid(panels, ncols, zoom=zoom, dpi=dpi)
