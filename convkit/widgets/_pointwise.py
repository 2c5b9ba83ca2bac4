"""Demos of the chapter *1×1 convolution* (``book/pointwise.ipynb``).

``explore_pointwise``
    Step through the pixels of a small 3-channel input: at every pixel a 1×1
    convolution is the same matrix multiply ``W @ x[:, i, j]``.
``explore_bottleneck``
    Input channels, output channels and bottleneck width -> parameters and
    multiply-accumulates of a 5×5 convolution, with and without a 1×1 bottleneck.
"""
from __future__ import annotations

import numpy as np

from .. import conv2d, conv_cost, torch_code
from .. import plot
from ..plot._pointwise import plot_cost_bars, show_pixel_matmul
from ._demo import Choice, Demo, Frame, Slider, Step

__all__ = ["explore_pointwise", "explore_bottleneck", "SAMPLE", "WEIGHTS", "bottleneck_costs",
           "break_even_width"]

SAMPLE = np.array([[[3, 1, 0, 2], [1, 2, 3, 0], [0, 1, 2, 3], [2, 0, 1, 1]],
                   [[1, 3, 2, 0], [0, 1, 1, 2], [3, 2, 0, 1], [1, 1, 3, 0]],
                   [[0, 2, 1, 1], [2, 0, 3, 1], [1, 3, 1, 0], [0, 2, 2, 3]]])
"""Default input of :func:`explore_pointwise`: 3 channels of 4 x 4 small integers."""

WEIGHTS = {
    "sum, difference": np.array([[1, 1, 1], [1, 0, -1]]),
    "pick channels 2, 0": np.array([[0, 0, 1], [1, 0, 0]]),
    "mixed": np.array([[2, -1, 0], [1, 3, -2]]),
}
"""Weight matrices (C_out = 2, C_in = 3) offered by :func:`explore_pointwise`."""


def _paren(value):
    """A number for a written-out product: negative numbers in parentheses."""
    text = plot.format_number(value)
    return f"({text})" if value < 0 else text


def _matmul_code(c_in, c_out, h, w):
    lines = torch_code("conv2d", (1, c_in, h, w), (c_out, c_in, 1, 1)).splitlines()
    return "\n".join(lines + [
        "# the same numbers as a matrix multiply at every pixel:",
        f"y2 = (weight[:, :, 0, 0] @ x.reshape(1, {c_in}, {h * w})).reshape(1, {c_out}, {h}, {w})",
        "assert torch.allclose(y, y2)"])


def explore_pointwise(x=None, weights=None):
    """A 1×1 convolution, pixel by pixel: the same matrix multiply everywhere.

    Parameters
    ----------
    x : array_like, shape (C_in, H, W), optional
        Default :data:`SAMPLE` (3 x 4 x 4).
    weights : dict[str, array_like], optional
        Name -> weight matrix ``(C_out, C_in)`` (all the same shape); default
        :data:`WEIGHTS`.

    Returns
    -------
    Demo
        Controls: ``pixel`` (a step through the H*W pixels, with a play button; the
        value is ``(i, j)``) and ``weights`` (a name); 48 settings by default, all
        precomputed. Each frame shows the input channels, ``W``, the pixel's channel
        vector, ``W @ x[:, i, j]`` and the output channels (computed with
        :func:`convkit.conv2d`, the outlined value equals the product); the text checks
        the equality, the code shows the PyTorch call and the matrix-multiply version.

    See Also
    --------
    convkit.conv2d
    Book: ``book/pointwise.ipynb``.
    """
    x = SAMPLE if x is None else np.asarray(x)
    weights = WEIGHTS if weights is None else weights
    mats = {name: np.asarray(m, dtype=np.float64) for name, m in weights.items()}
    shapes = {m.shape for m in mats.values()}
    if x.ndim != 3 or len(shapes) != 1 or next(iter(shapes))[1] != x.shape[0]:
        raise ValueError(f"x.shape={x.shape} and weights of shapes {sorted(shapes)}: need x "
                         "(C_in, H, W) and weight matrices all (C_out, C_in)")
    c_in, h, w = x.shape
    c_out = next(iter(shapes))[0]
    outputs = {name: conv2d(x.astype(np.float64), m[:, :, None, None]) for name, m in mats.items()}
    xlim = float(x.max())
    ylim = float(max(max(np.abs(m).max(), np.abs(y).max())
                     for m, y in zip(mats.values(), outputs.values())))
    pixels = [(i, j) for i in range(h) for j in range(w)]
    code = _matmul_code(c_in, c_out, h, w)

    def draw(pixel, weights):
        i, j = pixels[pixel]
        m, y = mats[weights], outputs[weights]
        fig = show_pixel_matmul(x, m, (i, j), xlim=xlim, ylim=ylim)
        v = x[:, i, j].astype(np.float64)
        prod = m @ v
        fmt = plot.format_number
        terms = [" + ".join(_paren(a) + "\u00b7" + _paren(b) for a, b in zip(row, v)) for row in m]
        rows = "; ".join(f"{t} = {fmt(p)}" for t, p in zip(terms, prod))
        same = bool(np.array_equal(prod, y[:, i, j]))
        text = (f"Pixel ({i}, {j}): W @ x[:, {i}, {j}] gives {rows}. conv2d's output at "
                f"({i}, {j}): [{', '.join(fmt(t) for t in y[:, i, j])}] "
                f"({'the same numbers' if same else 'DIFFERENT'}).")
        return Frame(fig, text=text, code=code)

    controls = [Step("pixel", len(pixels), "Pixel", labels=[f"({i}, {j})" for i, j in pixels],
                     interval=800),
                Choice("weights", list(mats), "Weights W")]
    return Demo(draw, controls, title="A 1\u00d71 convolution is a matrix multiply at every pixel",
                caption="The same W multiplies the channel vector of every pixel; nothing "
                        "from neighbouring pixels enters.",
                alt="Three input channels with one pixel outlined, a weight matrix times that "
                    "pixel's channel vector, and the two output channels")


# --- the bottleneck -----------------------------------------------------------------------------

def bottleneck_costs(c_in, c_out, width, size=28, kernel_size=5, bias=False):
    """Costs of a k x k convolution, directly and after a 1×1 bottleneck.

    Both keep the spatial size (padding ``k // 2``).

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels.
    width : int
        Channels of the 1×1 bottleneck.
    size : int
        Height and width of the input.
    kernel_size : int
        Odd.
    bias : bool

    Returns
    -------
    dict
        ``'direct'``, ``'reduce'`` (the 1×1 layer) and ``'conv'`` (the k x k layer after
        it): :class:`convkit.ConvCost` of each, all from :func:`convkit.conv_cost`.

    Examples
    --------
    >>> c = bottleneck_costs(192, 32, 16)
    >>> c["direct"].macs, c["reduce"].macs + c["conv"].macs
    (120422400, 12443648)
    """
    k, p = kernel_size, kernel_size // 2
    return {"direct": conv_cost((c_in, size, size), (c_out, c_in, k, k), padding=p, bias=bias),
            "reduce": conv_cost((c_in, size, size), (width, c_in, 1, 1), bias=bias),
            "conv": conv_cost((width, size, size), (c_out, width, k, k), padding=p, bias=bias)}


def break_even_width(c_in, c_out, kernel_size=5):
    """Bottleneck width at which 1×1 + k x k costs as many MACs as k x k directly.

    ``w (C_in + k^2 C_out) = k^2 C_in C_out``, so ``w = k^2 C_in C_out / (C_in + k^2 C_out)``;
    narrower bottlenecks save MACs (biases not counted; same for parameters).

    >>> round(break_even_width(192, 32, 5), 1)
    154.8
    """
    kk = kernel_size * kernel_size
    return kk * c_in * c_out / (c_in + kk * c_out)


def _bottleneck_code(c_in, c_out, width, size, k):
    direct = torch_code("conv2d", (1, c_in, size, size), (c_out, c_in, k, k), padding=k // 2)
    reduce = torch_code("conv2d", (1, c_in, size, size), (width, c_in, 1, 1)).splitlines()
    conv = torch_code("conv2d", (1, width, size, size), (c_out, width, k, k),
                      padding=k // 2).splitlines()
    w2 = conv[3].replace("weight =", "weight2 =")
    last = conv[-1].replace("F.conv2d(x, weight,", "F.conv2d(h, weight2,").replace("y =", "y2 =", 1)
    return "\n".join(direct.splitlines() + [
        "# with a 1x1 bottleneck instead:",
        reduce[3].replace("weight =", "weight1 ="),
        reduce[-1].replace("F.conv2d(x, weight)", "F.conv2d(x, weight1)").replace("y =", "h =", 1)
                  .replace("y.shape", "h.shape"),
        w2, last.replace("y.shape", "y2.shape")])


def explore_bottleneck(c_ins=(64, 128, 192, 256), c_outs=(16, 32, 64), widths=(4, 8, 16, 32, 64),
                       size=28, kernel_size=5):
    """Parameters and MACs of a k x k convolution with and without a 1×1 bottleneck.

    Parameters
    ----------
    c_ins, c_outs, widths : sequence of int
        Values offered for the input channels, output channels and bottleneck width
        (defaults: 4 x 3 x 5 = 60 settings, all precomputed).
    size : int
        Height and width of the input (default 28).
    kernel_size : int
        Default 5.

    Returns
    -------
    Demo
        Controls ``c_in``, ``c_out``, ``width`` (defaults 192, 32, 16: the Inception
        example). Each frame: bars of MACs and of parameters (biases not counted) for the
        direct layer and for the bottleneck (1×1 part + k x k part), on fixed axes; the
        text gives the numbers and the ratio; the code shows both in PyTorch.

    See Also
    --------
    bottleneck_costs, convkit.conv_cost
    Book: ``book/pointwise.ipynb``.
    """
    c_ins, c_outs, widths = list(c_ins), list(c_outs), list(widths)
    k = int(kernel_size)
    every = [bottleneck_costs(a, b, c, size, k) for a in c_ins for b in c_outs for c in widths]
    max_macs = max(max(e["direct"].macs, e["reduce"].macs + e["conv"].macs) for e in every)
    max_params = max(max(e["direct"].params, e["reduce"].params + e["conv"].params) for e in every)
    kk = f"{k}\u00d7{k}"

    def draw(c_in, c_out, width):
        c = bottleneck_costs(c_in, c_out, width, size, k)
        fig = plot.new_figure((9.0, 2.1), layout=None)
        labels = (f"{kk} directly", f"1\u00d71 to {width}, then {kk}")
        for n, (attr, top, unit, name) in enumerate(
                (("macs", max_macs, 1e6, "million MACs"), ("params", max_params, 1e3,
                                                            "thousand parameters"))):
            ax = fig.add_axes([0.2 + 0.43 * n, 0.3, 0.33, 0.6])
            rows = {labels[0]: {kk: getattr(c["direct"], attr)},
                    labels[1]: {"1\u00d71": getattr(c["reduce"], attr),
                                kk: getattr(c["conv"], attr)}}
            plot_cost_bars(rows, ax, xmax=top, unit=unit, unit_name=name,
                           colors=("#0072B2", "#E69F00"), labels=n == 0)
        fig.text(0.99, 0.02, f"blue: {kk} layer, orange: 1\u00d71 layer", ha="right",
                 fontsize=9)
        d = c["direct"]
        b_macs, b_params = c["reduce"].macs + c["conv"].macs, c["reduce"].params + c["conv"].params
        ratio = d.macs / b_macs
        if ratio > 1:
            verdict = f"{ratio:.2f}\u00d7 fewer MACs ({d.macs - b_macs:,} saved)"
        else:
            verdict = (f"{b_macs - d.macs:,} MACs MORE than directly: the bottleneck only pays "
                       f"off if it is narrower than {break_even_width(c_in, c_out, k):.1f} "
                       "channels")
        text = (f"{size}\u00d7{size}\u00d7{c_in} \u2192 {size}\u00d7{size}\u00d7{c_out}. Directly: "
                f"{d.macs:,} MACs, {d.params:,} parameters. With the bottleneck: "
                f"{c['reduce'].macs:,} + {c['conv'].macs:,} = {b_macs:,} MACs, "
                f"{c['reduce'].params:,} + {c['conv'].params:,} = {b_params:,} parameters: "
                f"{verdict}.")
        return Frame(fig, text=text, code=_bottleneck_code(c_in, c_out, width, size, k))

    controls = [Slider("c_in", c_ins, "Input channels", default=192 if 192 in c_ins else None),
                Slider("c_out", c_outs, "Output channels", default=32 if 32 in c_outs else None),
                Slider("width", widths, "Bottleneck width", default=16 if 16 in widths else None)]
    return Demo(draw, controls, title=f"Cost of a {kk} convolution, with and without a 1\u00d71 "
                                      "bottleneck",
                caption=f"MACs = output positions \u00d7 output channels \u00d7 input channels "
                        f"\u00d7 kernel area, summed over the layers (biases not counted).",
                alt=f"Bar charts of multiply-accumulates and parameters of a {kk} convolution "
                    "directly and after a 1x1 bottleneck")
