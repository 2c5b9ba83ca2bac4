"""Demos of the chapter *2D convolution and image kernels* (``book/conv2d.ipynb``).

- :func:`explore_conv2d_steps`: the kernel walks over a small input, one output value
  per step, with the arithmetic written out ('valid' or zero-padded 'same').
- :func:`explore_kernels`: a kernel from the gallery, or one the reader types, on a photo.
- :func:`explore_canny`: every step of Canny edge detection, for a choice of smoothing
  and thresholds.

See Also
--------
convkit.plot.conv2d_step, convkit.plot.kernel_gallery, convkit.plot.canny_panels
"""
from __future__ import annotations

import numpy as np

from .. import edges, kernels, plot
from .._code import torch_code
from .._conv import conv2d
from .. import data
from ._demo import Choice, Demo, Frame, KernelText, Slider, Step, format_kernel

__all__ = ["explore_conv2d_steps", "explore_kernels", "explore_canny", "NOTE_INPUT",
           "step_arithmetic", "filter_image"]

#: The 4 x 4 input of the source notes' worked example (with the sharpen kernel the valid
#: output is [[10, 20], [40, 50]]).
NOTE_INPUT = np.array([[10, 20, 30, 40], [10, 20, 30, 40], [20, 30, 40, 50], [20, 30, 40, 50]],
                      dtype=np.float64)


# --- step-through of a small example -----------------------------------------------------------

def _num(v):
    return plot.format_number(v, 2)


def step_arithmetic(x, k, position, padding=0):
    """The sum behind one output value, as text: ``y[r, c] = w·x + ... = value``.

    Terms whose kernel weight is 0 are left out (they add nothing); negative weights
    are written in parentheses.

    Parameters
    ----------
    x : array_like, shape (H, W)
    k : array_like, shape (kH, kW)
    position : int
        Output position in row-major order.
    padding : int
        Zeros on each side.

    Returns
    -------
    text : str
    value : float
        The output value (equal to ``conv2d(x[None], k[None, None], padding=padding)``
        at that position).
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    xp = np.pad(x, int(padding))
    kh, kw = k.shape
    ow = xp.shape[1] - kw + 1
    r, c = divmod(int(position), ow)
    window = xp[r:r + kh, c:c + kw]
    terms = []
    for w, v in zip(k.ravel().tolist(), window.ravel().tolist()):
        if w == 0:
            continue
        ws = _num(w) if w > 0 else f"({_num(w)})"
        terms.append(f"{ws}\u00b7{_num(v)}")
    value = float(np.sum(window * k))
    body = " + ".join(terms) if terms else "0"
    skipped = int(np.sum(k == 0))
    note = f"  ({skipped} terms with weight 0 left out)" if skipped else ""
    return f"y[{r}, {c}] = {body} = {_num(value)}{note}", value


def explore_conv2d_steps(x=None, k=None):
    """Step through a small 2-D convolution: window, products, sum, one output per step.

    Parameters
    ----------
    x : array_like, shape (H, W), optional
        Small input; default :data:`NOTE_INPUT`, the 4 x 4 example of the source notes.
        With its padding it must fit 8 x 8 so every number is written.
    k : array_like, shape (kH, kW), optional
        Square kernel with odd sides; default :func:`convkit.kernels.sharpen`.

    Returns
    -------
    Demo
        Panels: the (padded) input with the window outlined, window x kernel, and the
        output filled so far (:func:`convkit.plot.conv2d_step` without its kernel panel;
        the caption gives the kernel). Controls ``padding`` (Choice: ``'valid'`` = no
        padding, ``'same'`` = zero padding ``kH // 2``) and ``step`` (Step with a play button, one step per
        output value of 'same'; in 'valid' the steps past the last window show the
        finished output). Frames: 2 x (H W), all precomputed (32 for the default).
        Each frame's text is the arithmetic of the step, its code the PyTorch call.
    """
    x = NOTE_INPUT if x is None else np.asarray(x, dtype=np.float64)
    k = kernels.sharpen() if k is None else np.asarray(k, dtype=np.float64)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"x.shape={x.shape} and k.shape={k.shape} must both be 2-D")
    if k.shape[0] % 2 == 0 or k.shape[1] % 2 == 0:
        raise ValueError(f"k.shape={k.shape}: give a kernel with odd sides, so that 'same' "
                         "padding is the same on both sides")
    pads = {"valid": 0, "same": k.shape[0] // 2}
    if k.shape[0] != k.shape[1]:
        raise ValueError(f"k.shape={k.shape}: this demo draws square kernels")
    if max(x.shape) + 2 * pads["same"] > plot.SMALL:
        raise ValueError(f"x.shape={x.shape} with padding {pads['same']} is larger than "
                         f"{plot.SMALL} x {plot.SMALL}; give a smaller input so every number "
                         "can be written")
    if x.shape[0] < k.shape[0] or x.shape[1] < k.shape[1]:
        raise ValueError(f"x.shape={x.shape} is smaller than the kernel {k.shape}")
    n_steps = x.size
    outs = {m: conv2d(x[None], k[None, None], padding=p)[0] for m, p in pads.items()}
    x_lim = (min(0.0, float(x.min())), float(x.max()))
    prod = np.concatenate([(x.ravel()[:, None] * k.ravel()[None, :]).ravel(), [0.0]])
    product_lim = (-float(np.abs(prod).max()), float(np.abs(prod).max()))
    y_lim = (min(float(o.min()) for o in outs.values()), max(float(o.max()) for o in outs.values()))
    codes = {m: torch_code("conv2d", (1, 1) + x.shape, (1, 1) + k.shape, padding=p)
             for m, p in pads.items()}

    finished = {}     # padding -> the Frame of the finished output (valid: many steps show it)

    def draw(padding, step):
        p = pads[padding]
        y = outs[padding]
        n = y.size
        position = step if step < n else None
        if position is None and padding in finished:
            return finished[padding]
        fig = plot.conv2d_step(x, k, position, padding=p, x_lim=x_lim, product_lim=product_lim,
                               y_lim=y_lim, show_kernel=False)
        if position is None:
            text = (f"Done: '{padding}' has only {n} positions, so the output is "
                    f"{y.shape[0]}\u00d7{y.shape[1]}.")
        else:
            text, _ = step_arithmetic(x, k, position, p)
        frame = Frame(fig, text=text, code=codes[padding])
        if position is None:
            finished[padding] = frame
        return frame

    controls = [
        Choice("padding", {"valid (no padding)": "valid", "same (zero padding)": "same"},
               "Padding"),
        Step("step", n_steps, "Position", interval=900),
    ]
    shape = f"{k.shape[0]}\u00d7{k.shape[1]}"
    return Demo(draw, controls, title=f"A {shape} kernel sliding over a "
                                      f"{x.shape[0]}\u00d7{x.shape[1]} input",
                caption=f"Kernel k ({shape}): {format_kernel(k)}  (rows separated by ';').",
                alt="Input with the kernel's window outlined, the products of window and "
                    "kernel, and the output filled up to the current position")


# --- kernels on a photo ------------------------------------------------------------------------

def filter_image(image, k, padding_mode="reflect"):
    """Apply a 2-D kernel to a grey image, output the size of the input.

    ``conv2d`` (cross-correlation) with ``padding='same'``; borders padded by reflection
    by default, so they do not darken.

    Parameters
    ----------
    image : array_like, shape (H, W)
    k : array_like, shape (kH, kW)
    padding_mode : {'reflect', 'replicate', 'zeros', 'circular'}

    Returns
    -------
    y : ndarray, shape (H, W)
    """
    image = np.asarray(image, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    return conv2d(image[None], k[None, None], padding="same", padding_mode=padding_mode)[0]


def _kernel_text(k, y):
    total = float(k.sum())
    if abs(total) < 1e-9:
        return ("Weights sum to 0: flat areas give 0, so this kernel detects changes. "
                f"Signed output: red > 0, blue < 0, white = 0 (limits \u00b1"
                f"{plot.format_number(plot.signed_limit(y), 3)}).")
    outside = float(np.mean((y < 0) | (y > 1))) * 100
    effect = "keep their brightness" if abs(total - 1) < 1e-9 else \
        f"are multiplied by {plot.format_number(total, 3)}"
    return (f"Weights sum to {plot.format_number(total, 3)}: flat areas {effect}. "
            f"Shown in grey on the photo's scale 0 to 1; {plot.format_number(outside, 1)}% of "
            "the pixels fall outside and are clipped.")


def explore_kernels(image=None):
    """A kernel from the gallery, or one the reader types, applied to a photo.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        Grey image with values in [0, 1]; default ``convkit.data.photo(112)``.

    Returns
    -------
    Demo
        One control, ``k`` (:class:`~convkit.widgets.KernelText`): the presets are
        :data:`convkit.kernels.GALLERY` (10 frames on the static page); in a running
        notebook any kernel typed as text (``1 0 -1; 2 0 -2; 1 0 -1``, fractions like
        ``1/16``) is read with :func:`convkit.kernels.parse_kernel`, never ``eval``.
        Panels: the photo, the kernel with its numbers, the output (grey if the weights
        sum to non-zero, diverging around 0 if they sum to 0). The frame's code is the
        PyTorch call.
    """
    image = data.photo(112) if image is None else np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"image.shape={image.shape}: give a grey image (H, W)")
    presets = {name: f() for name, f in kernels.GALLERY.items()}

    def draw(k):
        k = np.asarray(k, dtype=np.float64)
        y = filter_image(image, k)
        fig = plot.new_figure((6.6, 2.4), layout=None)
        a, b, c = (fig.add_axes(r) for r in ((0.01, 0.02, 0.34, 0.86), (0.385, 0.1, 0.23, 0.7),
                                              (0.65, 0.02, 0.34, 0.86)))
        plot.show_image(image, a, signed=False, cmap=plot.GREY, vmin=0.0, vmax=1.0,
                        title="photo")
        plot.show_array(k, b, title=f"kernel {k.shape[0]}\u00d7{k.shape[1]}")
        plot.show_filtered(y, c, kernel_sum=float(k.sum()), title="output")
        code = torch_code("conv2d", (1, 1) + image.shape, (1, 1) + k.shape, padding="same",
                          padding_mode="reflect")
        return Frame(fig, text=_kernel_text(k, y), code=code)

    return Demo(draw, [KernelText("k", presets, "Kernel")],
                title="Image kernels on a photo",
                alt="A grey photo, a kernel with its numbers, and the filtered photo")


# --- Canny --------------------------------------------------------------------------------------

def explore_canny(image=None):
    """Canny edge detection step by step, for a choice of smoothing and thresholds.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        Grey image; default ``convkit.data.photo(96)``.

    Returns
    -------
    Demo
        Controls ``sigma`` (Gaussian smoothing, 1, 1.4, 2, 3 pixels), ``high`` (high
        threshold, a fraction of the largest thinned magnitude: 0.15, 0.25, 0.35) and
        ``ratio`` (low threshold = ratio x high: 0.3, 0.6): 24 frames, all precomputed.
        Panels: smoothed, gradient magnitude, thinned (non-maximum suppression), strong
        and weak pixels, edges after hysteresis. The frame's code is the convkit call.
    """
    image = data.photo(96) if image is None else np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"image.shape={image.shape}: give a grey image (H, W)")
    # one colour scale for every frame: the gradient of the least-smoothed image
    top = plot.signed_limit(edges.gradient(edges.smooth(image, 1.0))[2])

    def draw(sigma, high, ratio):
        low = ratio * high
        st = edges.canny(image, sigma=sigma, low=low, high=high)
        fig = plot.canny_panels(st, ("smoothed", "magnitude", "thin", "thresholds", "edges"),
                                zoom=1.25, magnitude_lim=top)
        kept = int((st.edges & st.weak).sum())
        text = (f"{int(st.strong.sum())} strong and {int(st.weak.sum())} weak pixels; "
                f"hysteresis keeps {kept} weak ones (those connected to strong ones): "
                f"{int(st.edges.sum())} edge pixels.")
        code = (f"steps = ck.edges.canny(image, sigma={sigma}, "
                f"low={plot.format_number(low, 4)}, high={high})")
        return Frame(fig, text=text, code=code)

    controls = [
        Slider("sigma", [1.0, 1.4, 2.0, 3.0], "Smoothing \u03c3", default=1.4),
        Slider("high", [0.15, 0.25, 0.35], "High threshold", default=0.25),
        Choice("ratio", {"0.3 \u00d7 high": 0.3, "0.6 \u00d7 high": 0.6}, "Low threshold"),
    ]
    return Demo(draw, controls, title="Canny edge detection, step by step",
                alt="Five panels: the smoothed photo, the gradient magnitude, the thinned "
                    "magnitude, strong and weak pixels, and the edges after hysteresis")
