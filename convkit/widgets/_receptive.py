"""Demo of the chapter *Receptive field*: build a stack layer by layer and watch the field grow.

See Also
--------
convkit.receptive_field, convkit.receptive_field_empirical, convkit.plot.show_field,
convkit.plot.show_field_layers, book/receptive_field.ipynb
"""
from __future__ import annotations

import numpy as np

from .. import data, plot
from .._receptive import _as_layers, _sizes, receptive_field, receptive_field_empirical
from ._demo import Choice, Demo, Frame, Slider

__all__ = ["explore_receptive_field", "RECEPTIVE_STACKS", "torch_sequential"]


def _conv(k, s=1, d=1, p=None):
    return dict(kind="conv", k=k, s=s, d=d, p=d * (k - 1) // 2 if p is None else p)


#: The preset stacks of the demo (six layers each, padded so that a 128-pixel image fits).
RECEPTIVE_STACKS = {
    "3×3 convs": [_conv(3)] * 6,
    "VGG-like: 2 convs, 2×2 pool": [_conv(3), _conv(3), dict(kind="pool", k=2)] * 2,
    "strided 3×3 convs (s = 2)": [_conv(3, s=2)] * 6,
    "dilated 3×3 (d = 1, 2, 4, …, 32)": [_conv(3, d=2 ** i) for i in range(6)],
    "dilated 3×3 (d = 2 in every layer)": [_conv(3, d=2)] * 6,
    "ResNet-like stem, then 3×3 convs": [_conv(7, s=2), dict(kind="pool", k=3, s=2, p=1)]
    + [_conv(3)] * 4,
}


def torch_sequential(layers, x_shape, channels=1):
    """PyTorch code for a stack of layers: a ``torch.nn.Sequential``, as text.

    Every convolution maps ``channels`` to ``channels`` (channels do not change the
    receptive field); pooling layers are written as ``nn.MaxPool{nd}d``. Each line carries
    the receptive field and jump after that layer as a comment, and the last line the
    output shape.

    Parameters
    ----------
    layers : sequence of Layer, dict or tuple
        As for :func:`convkit.receptive_field`.
    x_shape : tuple
        ``(N, C, *S)`` with one or two spatial sizes (equal sizes if two).
    channels : int

    Returns
    -------
    str
        Runnable Python code (given ``torch``).
    """
    stack = _as_layers(layers)
    nd = len(x_shape) - 2
    if nd not in (1, 2):
        raise ValueError(f"x_shape={x_shape!r} must be (N, C, L) or (N, C, H, W)")
    table = receptive_field(stack, n=x_shape[-1])
    out = [_sizes(stack, m)[-1] for m in x_shape[2:]]
    calls = []
    for f in table:
        L = f.layer
        if L.kind == "conv":
            args = [f"{channels}", f"{channels}", f"kernel_size={L.k}"]
            args += [f"stride={L.s}"] if L.s != 1 else []
            args += [f"padding={L.p}"] if L.p else []
            args += [f"dilation={L.d}"] if L.d != 1 else []
            call = f"nn.Conv{nd}d({', '.join(args)})"
        else:
            args = [f"kernel_size={L.k}"]
            args += [f"stride={L.s}"] if L.s != L.k else []
            args += [f"padding={L.p}"] if L.p else []
            args += [f"dilation={L.d}"] if L.d != 1 else []
            call = f"nn.MaxPool{nd}d({', '.join(args)})"
        calls.append((call + ",", f"# r={f.r}, j={f.j}"))
    width = max(len(c) for c, _ in calls)
    shape = ", ".join(str(v) for v in x_shape)
    out_shape = ", ".join(str(v) for v in (x_shape[0], channels, *out))
    lines = ["import torch", "import torch.nn as nn", "net = nn.Sequential("]
    lines += [f"    {c.ljust(width)}  {comment}" for c, comment in calls]
    lines += [")", f"y = net(torch.randn({shape}))  # y.shape == ({out_shape})"]
    return "\n".join(lines)


def _table_text(table):
    parts = [f"{i}: r {f.r}, j {f.j}, start {f.start:g}" for i, f in enumerate(table, 1)]
    return "Per layer (r = field size, j = jump, start = centre of unit 0): " + "; ".join(parts)


def _zoom(layers, n, least=24):
    """Horizontal limits that hold the field of the whole stack's centre unit (fixed per stack)."""
    last = receptive_field(layers, n=n)[-1]
    first, end = last.bounds(last.n // 2)
    margin = max(3.0, 0.08 * last.r)
    lo, hi = first - 0.5 - margin, end + 0.5 + margin
    if hi - lo < least:
        mid = (lo + hi) / 2
        lo, hi = mid - least / 2, mid + least / 2
    return max(lo, -0.5), min(hi, n - 0.5)


def explore_receptive_field(image=None, stacks=None):
    """A stack of layers, one layer at a time: the field of one output unit on a photo.

    Left: the photo with the pixels that the centre unit of the last layer can see (the
    support of its gradient sent back with transposed convolutions: orange; holes stay
    dark) and the field given by the recurrence (dashed outline). Right: the units of
    every layer placed at the centres of their fields, with those that feed the chosen
    unit marked. Under the picture: the per-layer table (size, jump, start) and the
    equivalent ``torch.nn.Sequential``.

    Parameters
    ----------
    image : array_like, shape (n, n), optional
        Grey image in [0, 1]; default ``data.photo(128)``.
    stacks : dict[str, list], optional
        Name -> layers (as for :func:`convkit.receptive_field`), each with at least one
        layer; default :data:`RECEPTIVE_STACKS`. Stacks with up to 6 layers and at most
        10 stacks keep every combination on the static page.

    Returns
    -------
    Demo
        Controls ``stack`` (the preset names) and ``depth`` (how many layers of the stack
        are used: 1 to the longest stack's length; a shorter stack uses all its layers).
    """
    image = data.photo(128) if image is None else np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or image.shape[0] != image.shape[1]:
        raise ValueError(f"image.shape={image.shape}: give a square grey image (n, n)")
    n = image.shape[0]
    stacks = dict(RECEPTIVE_STACKS if stacks is None else stacks)
    if not stacks:
        raise ValueError("stacks is empty; give at least one name -> layers")
    stacks = {name: _as_layers(layers) for name, layers in stacks.items()}
    for name, layers in stacks.items():
        _sizes(layers, n)                       # every stack must fit the image
    depth_max = max(len(layers) for layers in stacks.values())
    xlims = {name: _zoom(layers, n) for name, layers in stacks.items()}

    def draw(stack, depth):
        layers = stacks[stack][:depth]
        table = receptive_field(layers, n=n)
        last = table[-1]
        q = last.n // 2
        mask = receptive_field_empirical(layers, (n, n), (q, q), result="mask")
        first, end = last.bounds(q)
        fig = plot.new_figure((8.9, 4.0), layout=None)
        W, H = fig.get_size_inches() * fig.dpi
        side = 2 * n                                       # 2 screen pixels per image pixel
        plot.show_field_pixels(fig, image, mask, (8, 6), 2, bounds=((first, end), (first, end)),
                               centre=(last.centre(q), last.centre(q)))
        fig.text(8 / W, (side + 12) / H, f"after layer {len(layers)}: field {last.r}×{last.r}, "
                 f"jump {last.j}", fontsize=10)
        ax_layers = fig.add_axes(((side + 135) / W, 30 / H, (W - side - 150) / W, (H - 62) / H))
        plot.show_field_layers(layers, n, q, ax_layers, xlim=xlims[stack],
                               ylim_top=depth_max + 0.6,
                               title=f"units that feed unit {q} of {last.n} (one row)")
        seen = int(mask.sum())
        text = (f"{_table_text(table)}. The centre unit ({q}, {q}) of layer {len(layers)} sees "
                f"rows and columns {max(first, 0)}–{min(end, n - 1)}: {seen} of its "
                f"{last.r}×{last.r} = {last.r ** 2} pixels"
                + (" (the rest are holes or outside the image)." if seen < last.r ** 2 else "."))
        return Frame(fig, text=text, code=torch_sequential(layers, (1, 1, n, n)))

    return Demo(draw, [Choice("stack", list(stacks), "Stack"),
                       Slider("depth", list(range(1, depth_max + 1)), "Layers used",
                              default=min(3, depth_max))],
                title="Receptive field: build a stack layer by layer",
                alt="A portrait with the pixels one output unit can see highlighted, and the "
                    "units of every layer that feed it")
