"""Demos of the chapter *Pooling* (``book/pooling.ipynb``).

``explore_pooling``
    Max or average pooling of a small numbered array: window, stride, padding and
    ``ceil_mode``; the windows on the padded input, how many windows cover each
    pixel, the output, and the equivalent PyTorch call.
``explore_shift``
    A pattern shifted pixel by pixel: a convolution's output shifts with it
    (equivariance), a max-pooled output barely changes (approximate invariance), a
    strided convolution's output jumps; with a numeric measure per frame.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import conv2d, global_max_pool, pool_output_size, torch_code
from .. import max_pool2d, avg_pool2d
from .. import plot
from ..plot._pooling import _canvas_extent, show_change_table, show_maps_row, show_pooling
from ._demo import Choice, Demo, Frame, Slider, Step, Toggle

__all__ = ["explore_pooling", "explore_shift", "SAMPLE", "PLUS", "shifted_pattern",
           "shift_measures"]

SAMPLE = np.array([[8, 0, 1, 2, 1, 8, 8],
                   [5, 0, 0, 3, 4, 6, 4],
                   [2, 1, 6, 7, 0, 1, 4],
                   [3, 8, 5, 4, 4, 6, 5],
                   [1, 7, 7, 9, 7, 2, 3],
                   [6, 6, 6, 8, 2, 9, 0],
                   [0, 9, 9, 2, 1, 3, 0]])
"""The default input of :func:`explore_pooling`: 7 x 7 digits."""

_KINDS = {"max": "max", "average": "avg"}


def _size_text(n, k, s, p, ceil_mode):
    """'⌊(7 + 2·1 − 2)/2⌋ + 1 = 4' for one dimension, with the ceil-mode rule spelled out."""
    span = n + 2 * p - k
    floor_, ceil_ = span // s + 1, -(-span // s) + 1
    out = pool_output_size(n, k, s, p, ceil_mode)
    if not ceil_mode:
        return f"\u230a({n} + 2\u00b7{p} \u2212 {k})/{s}\u230b + 1 = {out}"
    text = f"\u2308({n} + 2\u00b7{p} \u2212 {k})/{s}\u2309 + 1 = {ceil_}"
    if out < ceil_:
        text += (f", but window {ceil_} would start at input index {(ceil_ - 1) * s - p}, in "
                 f"the right padding, so it is dropped: {out}")
    elif ceil_ > floor_:
        text += " (one more window than floor, partly past the input)"
    return text


def _overlap_text(k, s):
    if s < k:
        return (f"stride {s} < window {k}: windows overlap, a pixel can be in up to "
                f"{(-(-k // s)) ** 2} windows")
    if s == k:
        return "stride = window: windows tile the input without overlap"
    return f"stride {s} > window {k}: windows skip pixels (count 0)"


def explore_pooling(x=None):
    """Max or average pooling of a small numbered array, with every setting visible.

    Parameters
    ----------
    x : array_like, shape (H, W), optional
        Small input (at most 8 x 8 to show numbers); default :data:`SAMPLE` (7 x 7).

    Returns
    -------
    Demo
        Controls: ``kind`` ('max', 'avg'), ``kernel_size`` (2, 3), ``stride``
        (1, 2, 3), ``padding`` (0, 1), ``ceil_mode`` (off, on): 48 settings, all
        precomputed for the static page. Each frame shows the input with its padding
        (grey) and three windows outlined, how many windows cover each cell, the output
        (same colours), the output-size formula and the equivalent PyTorch call.

    See Also
    --------
    convkit.max_pool2d, convkit.avg_pool2d, convkit.pool_output_size
    Book: ``book/pooling.ipynb``.
    """
    x = SAMPLE if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x.shape={x.shape}: explore_pooling takes a 2-D array")
    ks, ss, ps = [2, 3], [1, 2, 3], [0, 1]
    settings = list(itertools.product(ks, ss, ps, (False, True)))
    extents = [_canvas_extent(x.shape, k, s, p, c) for k, s, p, c in settings]
    extent = tuple((min(e[d][0] for e in extents), max(e[d][1] for e in extents))
                   for d in range(2))
    out_max = tuple(max(pool_output_size(x.shape[d], k, s, p, c) for k, s, p, c in settings)
                    for d in range(2))
    vmin, vmax = float(x.min()), float(x.max())
    max_count = max((-(-k // s)) ** 2 for k, s, _, _ in settings)
    h, w = extent[0][1] - extent[0][0], extent[1][1] - extent[1][0]
    cell, gap, left, top = 0.28, 2, 0.1, 0.35       # inches (gap: cells between panels)
    fig_w = cell * (2 * (w + gap) + out_max[1]) + 2 * left
    fig_h = cell * max(h, out_max[0]) + top + 0.1

    def draw(kind, kernel_size, stride, padding, ceil_mode):
        k, s, p = kernel_size, stride, padding
        op = max_pool2d if kind == "max" else avg_pool2d
        y = op(x[None], k, s, p, ceil_mode)[0]
        oh, ow = y.shape
        windows = list(dict.fromkeys([(0, 0), (0, min(1, ow - 1)), (oh - 1, ow - 1)]))
        fig = plot.new_figure((fig_w, fig_h), layout=None)
        ax = fig.add_axes([left / fig_w, 0.1 / fig_h, (fig_w - 2 * left) / fig_w,
                           (fig_h - top - 0.1) / fig_h])
        show_pooling(x, y, k, s, p, ceil_mode, ax, windows=windows, extent=extent, vmin=vmin,
                     vmax=vmax, max_count=max_count,
                     titles=("input (grey: padding)", "windows per cell",
                             f"{kind} pool: {oh}\u00d7{ow}"))
        sizes = [_size_text(n, k, s, p, ceil_mode) for n in x.shape]
        size = (f"output size: {sizes[0]}" if sizes[0] == sizes[1] else
                f"output height: {sizes[0]}; width: {sizes[1]}")
        default = " (= window, the default)" if s == k else ""
        text = (f"{k}\u00d7{k} windows, stride {s}{default}, padding {p}. {size}. "
                f"{_overlap_text(k, s)}.")
        if kind == "avg" and p:
            text += (" Average pooling divides by the whole window, padding zeros included "
                     "(count_include_pad=True, the default).")
        code = torch_code(f"{kind}_pool2d", (1, 1) + x.shape, kernel_size=k,
                          stride=None if s == k else s, padding=p, ceil_mode=ceil_mode)
        return Frame(fig, text=text, code=code)

    controls = [Choice("kind", _KINDS, "Pooling"),
                Slider("kernel_size", ks, "Window", default=3, labels=["2\u00d72", "3\u00d73"]),
                Slider("stride", ss, "Stride", default=2),
                Slider("padding", ps, "Padding"),
                Toggle("ceil_mode", "ceil_mode")]
    return Demo(draw, controls, title="Pooling windows, stride, padding and ceil_mode",
                caption="Outlined: three windows and the output value each one gives. "
                        "Middle: how many windows cover each cell.",
                alt="A small numbered array with pooling windows outlined, a map of how many "
                    "windows cover each cell, and the pooled output")


# --- shifting a pattern -------------------------------------------------------------------------

PLUS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.float64)
"""The pattern of :func:`explore_shift`, also used as the detector's kernel."""

_SIZE, _ROW, _COL = 16, 4, 4        # 16 x 16 grid; the plus is centred at (4, 4 + shift)


def shifted_pattern(shift, size=_SIZE, row=_ROW, col=_COL, pattern=PLUS):
    """A ``size x size`` zero image with `pattern` centred at ``(row, col + shift)``."""
    x = np.zeros((size, size))
    ph, pw = pattern.shape
    r, c = row - ph // 2, col + shift - pw // 2
    x[r:r + ph, c:c + pw] = pattern
    return x


def _detector(x, stride=1):
    """Correlate with the plus (circular padding), bias -(sum - 1), ReLU: 1 where the
    whole plus sits, 0 elsewhere."""
    bias = np.array([1.0 - PLUS.sum()])
    y = conv2d(x[None], PLUS[None, None], bias, stride=stride, padding=1,
               padding_mode="circular")[0]
    return np.maximum(y, 0.0)


def _relative_change(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def shift_measures(shifts=range(8), window=4):
    """How much each output changes when the plus pattern is shifted right.

    Parameters
    ----------
    shifts : iterable of int
    window : int
        Max-pooling window (= its stride) and the strided convolution's stride.

    Returns
    -------
    dict
        ``'equivariance'``: ``max |conv(shift(x)) - shift(conv(x))|`` per shift (exactly 0:
        convolution with circular padding commutes with shifts). Relative changes
        ``||f(x_r) - f(x_0)|| / ||f(x_0)||`` per shift for ``'conv'`` (the detector's
        output, stride 1), ``'max pool'`` (its max pooling), ``'strided conv'`` (the
        detector with stride `window`) and ``'global max'``.
    """
    shifts = list(shifts)
    x0 = shifted_pattern(0)
    f0 = _detector(x0)
    outs = {"conv": f0, "max pool": max_pool2d(f0[None], window)[0],
            "strided conv": _detector(x0, window),
            "global max": global_max_pool(f0[None, None])[0]}
    result = {"equivariance": [], **{name: [] for name in outs}}
    for r in shifts:
        xr = shifted_pattern(r)
        fr = _detector(xr)
        result["equivariance"].append(float(np.abs(fr - np.roll(f0, r, axis=1)).max()))
        now = {"conv": fr, "max pool": max_pool2d(fr[None], window)[0],
               "strided conv": _detector(xr, window),
               "global max": global_max_pool(fr[None, None])[0]}
        for name, value in now.items():
            result[name].append(_relative_change(value, outs[name]))
    return result


def _assign(line, name, source="x"):
    """Rewrite torch_code's last line ``y = F.op(x, ...)  # y.shape == ...`` as
    ``name = F.op(source, ...)  # name.shape == ...``."""
    head, _, comment = line.partition("  # ")
    call = head.split(" = ", 1)[1].replace("(x,", f"({source},", 1)
    return f"{name} = {call}  # {comment.replace('y.shape', name + '.shape')}"


def _shift_code(window):
    """PyTorch code for one frame: the detector, its max pooling, the strided detector."""
    conv = torch_code("conv2d", (1, 1, _SIZE, _SIZE), (1, 1, 3, 3), bias=True, padding=1,
                      padding_mode="circular").splitlines()
    pool = torch_code("max_pool2d", (1, 1, _SIZE, _SIZE), kernel_size=window).splitlines()
    strided = torch_code("conv2d", (1, 1, _SIZE, _SIZE), (1, 1, 3, 3), bias=True,
                         stride=window, padding=1, padding_mode="circular").splitlines()
    return "\n".join([*conv[:-1],                 # imports, x, weight, bias, circular F.pad
                      "# the detector: correlate, add the bias, ReLU",
                      conv[-1], "y = F.relu(y)",
                      "# max pooling of its output",
                      _assign(pool[-1], "pooled", "y"),
                      "# the same detector with a stride instead of pooling",
                      _assign(strided[-1], "strided"), "strided = F.relu(strided)"])


def explore_shift(shifts=8, windows=(2, 4)):
    """Shift a pattern pixel by pixel: equivariance of convolution, invariance of max pooling.

    A plus sign on a 16 x 16 grid moves right one pixel per step. A detector (correlation
    with the plus, bias, ReLU; circular padding) fires where the whole plus sits: its
    output moves with the input (equivariance; the frame reports the exact difference
    after shifting back, 0). Max pooling of that output stays the same while the peak
    stays in one window (approximate invariance); the same detector with a stride instead
    of pooling loses the pattern whenever it falls between the sampled positions.

    Parameters
    ----------
    shifts : int
        Number of shifts (0 .. shifts-1 pixels).
    windows : sequence of int
        Pooling windows (= strides) to choose from.

    Returns
    -------
    Demo
        Controls: ``shift`` (a step with a play button) and ``window``; 16 settings by
        default, all precomputed. Each frame: input, detector output, max-pooled output,
        strided detector output, and a chart of the relative change of each output for
        every shift, with the current one marked; the text gives the numbers.

    See Also
    --------
    shift_measures, convkit.max_pool2d
    Book: ``book/pooling.ipynb``.
    """
    shifts = list(range(int(shifts)))
    windows = [int(w) for w in windows]
    if max(shifts) + _COL + 2 > _SIZE:
        raise ValueError(f"shifts={len(shifts)} would push the pattern off the {_SIZE}-pixel grid")
    measures = {w: shift_measures(shifts, w) for w in windows}
    top = max(max(v) for m in measures.values() for k, v in m.items() if k != "equivariance")

    def draw(shift, window):
        m = measures[window]
        x = shifted_pattern(shift)
        f = _detector(x)
        pooled = max_pool2d(f[None], window)[0]
        strided = _detector(x, window)
        fig = plot.new_figure((9.1, 2.3), layout=None)
        ax = fig.add_axes([0.005, 0.03, 0.625, 0.82])
        show_maps_row([x, f, pooled, strided],
                      ["input", "conv + ReLU", f"max pool {window}\u00d7{window}",
                       f"conv, stride {window}"], ax)
        ax = fig.add_axes([0.745, 0.25, 0.245, 0.55])
        show_change_table(shifts, {k: v for k, v in m.items() if k != "equivariance"},
                          current=shift, ax=ax, vmax=100 * top)
        pct = {k: 100 * m[k][shift] for k in ("conv", "max pool", "strided conv", "global max")}
        text = (f"Shift {shift}: conv output = shift-0 output moved {shift} px (largest "
                f"difference after moving back: {plot.format_number(m['equivariance'][shift])}). "
                f"Change vs. shift 0: conv {pct['conv']:.0f}%, max pool {pct['max pool']:.0f}%, "
                f"strided conv {pct['strided conv']:.0f}%, global max {pct['global max']:.0f}%.")
        if strided.max() == 0:
            text += " The strided conv misses the pattern entirely at this shift."
        return Frame(fig, text=text, code=_shift_code(window))

    controls = [Step("shift", len(shifts), "Shift", labels=[f"{r} px" for r in shifts],
                     interval=900),
                Slider("window", windows, "Pool window / stride",
                       labels=[f"{w}\u00d7{w}" for w in windows])]
    return Demo(draw, controls, title="Shift the input: equivariance and invariance",
                caption="Change = ||output(shifted) \u2212 output(shift 0)|| / "
                        "||output(shift 0)||: "
                        "0 % unchanged, 141 % the peak moved to another cell, 100 % the output "
                        "is all zeros (the pattern was missed).",
                alt="A plus sign moving right on a grid, the detector output, its max pooling, "
                    "a strided detector, and a chart of how much each output changed")


