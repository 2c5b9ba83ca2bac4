"""Demos of the chapter *Depthwise-separable convolution*: groups, and what each layer costs.

See Also
--------
convkit.plot._depthwise : the drawings.
Book: ``book/depthwise.ipynb``.
"""
from __future__ import annotations

from .. import conv_cost, plot, torch_code
from ..plot._depthwise import show_cost_panels
from ._demo import Choice, Demo, Frame, Slider

__all__ = ["separable_costs", "separable_code", "explore_groups", "explore_conv_cost"]

_BYTES = 4     # float32


def _divisors(n):
    return [g for g in range(1, n + 1) if n % g == 0]


def separable_costs(size, c_in, c_out, k, groups=1):
    """Costs of a k x k layer done three ways (stride 1, "same" padding, no bias).

    Parameters
    ----------
    size : int
        Height and width of the input.
    c_in, c_out, k : int
        Channels and (odd) kernel size.
    groups : int
        Groups of the grouped variant; must divide `c_in` and `c_out`.

    Returns
    -------
    dict
        ``"standard"``, ``"grouped"``, ``"depthwise"`` and ``"pointwise"``:
        :class:`convkit.ConvCost` of each layer (the depthwise-separable layer is the
        last two in a row); ``"separable"``: ``(params, macs)`` summed over both;
        ``"memory"``: bytes of float32 activations each variant writes (the separable
        layer writes the depthwise output too).
    """
    x = (c_in, size, size)
    p = k // 2
    std = conv_cost(x, (c_out, c_in, k, k), padding=p, bias=False)
    grp = conv_cost(x, (c_out, c_in // groups, k, k), padding=p, groups=groups, bias=False)
    dw = conv_cost(x, (c_in, 1, k, k), padding=p, groups=c_in, bias=False)
    pw = conv_cost(dw.output_shape, (c_out, c_in, 1, 1), bias=False)
    return {
        "standard": std, "grouped": grp, "depthwise": dw, "pointwise": pw,
        "separable": (dw.params + pw.params, dw.macs + pw.macs),
        "memory": {"standard": std.activations * _BYTES, "grouped": grp.activations * _BYTES,
                   "separable": (dw.activations + pw.activations) * _BYTES},
    }


def separable_code(size, c_in, c_out, k, groups=1):
    """PyTorch code for the standard (or grouped) layer and the depthwise-separable pair.

    Built from :func:`convkit.torch_code`; the separable part reuses ``x`` and names its
    intermediate result ``h``.
    """
    p = k // 2
    first = torch_code("conv2d", (1, c_in, size, size), (c_out, c_in // groups, k, k),
                       padding=p, groups=groups).splitlines()
    dw = torch_code("conv2d", (1, c_in, size, size), (c_in, 1, k, k), padding=p,
                    groups=c_in).splitlines()
    pw = torch_code("conv2d", (1, c_in, size, size), (c_out, c_in, 1, 1)).splitlines()
    what = "standard" if groups == 1 else f"grouped, {groups} groups"
    return "\n".join(
        first[:3] + [f"# {what}", first[3], first[4],
                     "# depthwise-separable: depthwise, then pointwise 1x1",
                     dw[3].replace("weight =", "w_dw ="),
                     dw[4].replace("F.conv2d(x, weight,", "F.conv2d(x, w_dw,")
                          .replace("y =", "h =", 1).replace("y.shape", "h.shape"),
                     pw[3].replace("weight =", "w_pw ="),
                     pw[4].replace("F.conv2d(x, weight)", "F.conv2d(h, w_pw)")
                          .replace("y =", "y_sep =", 1).replace("y.shape", "y_sep.shape")])


def explore_groups(channels=12, kernel_size=3, size=32):
    """Walk the groups from 1 to C: standard, grouped, depthwise convolution.

    Parameters
    ----------
    channels : int
        Input channels C (default 12: groups 1, 2, 3, 4, 6, 12).
    kernel_size : int
    size : int
        Input height and width used for the counts and the code.

    Returns
    -------
    Demo
        Controls ``groups`` (the divisors of C) and ``c_out`` (C or 2C output channels).
        Each frame shows which input channels each filter reads (a diagram and a
        filters x channels table), the weight shape, parameter and MAC counts, and the
        equivalent ``F.conv2d`` call.
    """
    c, k = int(channels), int(kernel_size)
    p = k // 2
    divisors = _divisors(c)
    labels = [f"{g} (standard)" if g == 1 else f"{g} (depthwise)" if g == c else str(g)
              for g in divisors]
    std = conv_cost((c, size, size), (c, c, k, k), padding=p, bias=False)

    def draw(groups, c_out):
        fig = plot.new_figure((6.4, 3.2), layout=None)
        plot.show_groups(c, c_out, groups, fig=fig)
        w = (c_out, c // groups, k, k)
        cost = conv_cost((c, size, size), w, padding=p, groups=groups, bias=False)
        kind = ("a standard convolution: every filter reads all channels" if groups == 1 else
                "depthwise: each filter reads one channel" if groups == c else
                f"grouped: {groups} groups of {c // groups} channels")
        if groups == c and c_out > c:
            kind += f" ({c_out // c} filters per channel)"
        ref = std.params * c_out // c
        share = "" if groups == 1 else f" (1/{groups} of the {ref:,} a standard layer needs)"
        text = (f"groups = {groups}, {kind}. Weight shape {w}: {cost.params:,} weights{share}; "
                f"{cost.macs:,} MACs on a {size}×{size} input.")
        code = torch_code("conv2d", (1, c, size, size), w, padding=p, groups=groups)
        return Frame(fig, text=text, code=code)

    return Demo(draw, [
        Slider("groups", divisors, "groups", labels=labels),
        Choice("c_out", {f"{c}": c, f"{2 * c}": 2 * c}, "output channels"),
    ], title="Groups: from standard to depthwise convolution",
        alt="Input channels joined to the filters that read them, and the same as a table")


_SIZES = [7, 14, 28, 56, 112]
_CHANNELS = [16, 32, 64, 128, 256, 512]
_KS = [1, 3, 5, 7]
_GROUPS = [1, 2, 4, 8, 16]


def explore_conv_cost():
    """Cost calculator: a standard, a grouped and a depthwise-separable layer side by side.

    Controls: ``size`` (input height = width), ``c_in``, ``c_out``, ``k`` (kernel
    size) and ``groups`` (of the grouped variant). Stride 1, "same" padding, no bias,
    float32. Defaults: the MobileNet layer 14×14×512 -> 512 with 3×3 kernels. Each frame
    shows parameters, MACs and activation memory as multiples of the standard layer
    (fixed axes), the numbers and the ratio ``1/C_out + 1/k²`` in the text, and the
    layers in PyTorch.

    Returns
    -------
    Demo
    """
    def draw(size, c_in, c_out, k, groups):
        cs = separable_costs(size, c_in, c_out, k, groups)
        fig = plot.new_figure((8.4, 2.2), layout=None)
        names = ["standard", f"grouped (g={groups})", "dw-separable"]
        panels = (
            ("parameters", [cs["standard"].params, cs["grouped"].params, cs["separable"][0]],
             "", 1.2),
            ("MACs", [cs["standard"].macs, cs["grouped"].macs, cs["separable"][1]], "", 1.2),
            ("activation memory", list(cs["memory"].values()), "B", 2.4),
        )
        ax = fig.add_axes([0.15, 0.05, 0.83, 0.8])
        show_cost_panels([(title, dict(zip(names, vals)), unit, xmax)
                          for title, vals, unit, xmax in panels], ax)
        std, dw, pw = cs["standard"], cs["depthwise"], cs["pointwise"]
        sep_params, sep_macs = cs["separable"]
        ratio = sep_macs / std.macs
        text = (f"{size}×{size}×{c_in} → {size}×{size}×{c_out}, {k}×{k} kernels. "
                f"Standard: {std.params:,} parameters, {std.macs:,} MACs. "
                f"Grouped (g={groups}): {cs['grouped'].params:,} parameters, "
                f"{cs['grouped'].macs:,} MACs. "
                f"Depthwise-separable: {dw.params:,} + {pw.params:,} = {sep_params:,} parameters, "
                f"{dw.macs:,} + {pw.macs:,} = {sep_macs:,} MACs, "
                f"{ratio:.3f} of standard (1/C_out + 1/k² = 1/{c_out} + 1/{k * k}), "
                f"but {cs['memory']['separable'] / cs['memory']['standard']:.2f}× the activation "
                "memory (it also stores the depthwise output).")
        return Frame(fig, text=text, code=separable_code(size, c_in, c_out, k, groups))

    return Demo(draw, [
        Slider("size", _SIZES, "input size", default=14),
        Slider("c_in", _CHANNELS, "C_in", default=512),
        Slider("c_out", _CHANNELS, "C_out", default=512),
        Slider("k", _KS, "kernel size k", default=3),
        Slider("groups", _GROUPS, "groups", default=4),
    ], title="Cost calculator: standard, grouped, depthwise-separable",
        caption="Stride 1, same padding, no bias, float32 activations. MACs count "
                "multiply-accumulates; activation memory counts the values each layer writes.",
        alt="Bars of parameters, multiply-accumulates and activation memory of a standard, a "
            "grouped and a depthwise-separable layer")
