"""Self-check questions with random settings, checked live in Jupyter, folded on the website.

``for_chapter(name, seed)`` gives a :class:`Quiz` of at least three questions for a
chapter's exercise section. Displayed in a notebook, a quiz is one output with three
representations: live ipywidgets (type an answer, press *Check*, read what was right
and why), a static HTML version for the website (each question with its answer and
the working folded away in a ``<details>``), and plain text. Answers are parsed as
numbers (``7``, ``1,769,472``, ``3x3``, ``(3, 3)``, ``1/16``) or picked from choices;
nothing a reader types is evaluated as code.

Every number in a question and its answer comes from convkit (sizes, costs, the ops
themselves), so the questions stay right when the book changes.

See Also
--------
convkit.widgets : the demos, built the same way (one mimebundle, live and static).
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from . import _sizes, kernels
from ._signal import convolve, correlate
from ._args import pad as _pad

__all__ = ["Question", "Quiz", "parse_answer", "for_chapter", "CHAPTERS"]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+(?:\.\d*)?)?")


def _number(token: str):
    if "/" in token:
        num, den = token.split("/")
        if float(den) == 0:
            raise ValueError(f"{token!r} divides by zero")
        value = Fraction(num) / Fraction(den)
        return int(value) if value.denominator == 1 else float(value)
    value = float(token)
    return int(value) if value.is_integer() and not re.search(r"[.eE]", token) else value


def parse_answer(text: str, expect_tuple: bool = False):
    """Read a typed answer as a number or a tuple of numbers (never ``eval``).

    ``'7'`` -> 7, ``'1,769,472'`` -> 1769472 (commas as thousands separators when a
    single number is expected), ``'3x3'``, ``'3 × 3'``, ``'(3, 3)'`` -> (3, 3),
    ``'1/16'`` -> 0.0625.

    Raises
    ------
    ValueError
        Naming the text and what is allowed.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    s = text.strip().strip("()[]").strip()
    if not s:
        raise ValueError("text is empty; type a number (e.g. 7) or a shape (e.g. 3x3)")
    if not expect_tuple and re.fullmatch(r"[+-]?\d{1,3}(?:[,_ ]\d{3})+", s):
        s = re.sub(r"[,_ ]", "", s)
    allowed = "allowed: numbers like 7, 2.5 or 1/16, and shapes like 3x3 or (3, 3)"
    parts = re.split(r"\s*[x×,;]\s*|\s+", s)
    values = []
    for p in parts:
        if not _NUMBER.fullmatch(p):
            raise ValueError(f"text={text!r}: {p!r} is not a number; {allowed}")
        try:
            values.append(_number(p))
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"text={text!r}: {exc}; {allowed}") from None
    if expect_tuple or len(values) > 1:
        return tuple(values)
    return values[0]


@dataclass
class Question:
    """One question: a prompt, the right answer, and the working that gives it.

    ``answer`` is a number, a tuple of numbers, or (with ``choices``) one of the
    choices. ``figure`` is an optional PNG (bytes) shown with the prompt.
    """

    prompt: str
    answer: object
    explanation: str
    choices: list | None = None
    figure: bytes | None = None
    tolerance: float = 1e-9
    kind: str = field(default="number")

    def answer_text(self) -> str:
        a = self.answer
        if isinstance(a, tuple):
            return " × ".join(_fmt(v) for v in a)
        return _fmt(a) if not isinstance(a, str) else a

    def check(self, given):
        """``(correct, feedback)`` for a typed text or a chosen option; never raises on bad text."""
        if self.choices is not None:
            ok = given == self.answer
            return ok, ("Right. " if ok else f"Not quite: the answer is {self.answer}. ") + self.explanation
        try:
            value = parse_answer(str(given), expect_tuple=isinstance(self.answer, tuple))
        except ValueError as exc:
            return False, str(exc)
        expected = self.answer
        if isinstance(expected, tuple):
            ok = (isinstance(value, tuple) and len(value) == len(expected)
                  and all(abs(a - b) <= self.tolerance * max(1, abs(b)) for a, b in zip(value, expected)))
        else:
            ok = not isinstance(value, tuple) and abs(value - expected) <= self.tolerance * max(1, abs(expected))
        if ok:
            return True, "Right. " + self.explanation
        return False, f"Not quite: the answer is {self.answer_text()}. " + self.explanation


def _fmt(v) -> str:
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return f"{v:.4g}"


class Quiz:
    """A few questions shown together: live in Jupyter, folded answers on the website."""

    def __init__(self, questions, title="Check yourself"):
        self.questions = list(questions)
        self.title = title

    def __len__(self):
        return len(self.questions)

    def _id(self):
        digest = hashlib.sha256(repr([(q.prompt, q.answer_text()) for q in self.questions]).encode())
        return "ck-quiz-" + digest.hexdigest()[:10]

    def static_html(self) -> str:
        """The website version: questions, pictures, and answers folded in <details>."""
        import base64
        qid = self._id()
        parts = [f'<div class="ck-quiz" id="{qid}">',
                 '<style>.ck-quiz{border:1px solid rgba(128,128,128,.45);border-radius:6px;'
                 'padding:.6em .9em;margin:1em 0}.ck-quiz ol{padding-left:1.4em}'
                 '.ck-quiz li{margin:.6em 0}.ck-quiz img{display:block;max-width:100%;height:auto;'
                 'margin:.3em 0}.ck-quiz details{margin:.3em 0}.ck-quiz summary{cursor:pointer}</style>',
                 f'<p class="ck-title"><strong>{html.escape(self.title)}</strong></p><ol>']
        for q in self.questions:
            parts.append(f"<li><p>{_inline(q.prompt)}</p>")
            if q.figure is not None:
                data = base64.b64encode(q.figure).decode()
                parts.append(f'<img src="data:image/png;base64,{data}" alt="Figure for this question">')
            if q.choices is not None:
                parts.append("<p>Choices: " + ", ".join(html.escape(str(c)) for c in q.choices) + "</p>")
            parts.append(f"<details><summary>Answer</summary><p><strong>{html.escape(q.answer_text())}"
                         f"</strong>. {_inline(q.explanation)}</p></details></li>")
        parts.append('</ol><p class="ck-note">Run this notebook (on Binder or locally) to type '
                     'your answers and have them checked; another <code>seed</code> gives new '
                     'settings.</p></div>')
        return "\n".join(parts)

    def widget(self):
        """The live version: an answer box and a Check button per question."""
        import ipywidgets as W
        rows = [W.HTML(f"<strong>{html.escape(self.title)}</strong>")]
        for i, q in enumerate(self.questions, 1):
            items = [W.HTML(f"<p>{i}. {_inline(q.prompt)}</p>")]
            if q.figure is not None:
                items.append(W.Image(value=q.figure, format="png"))
            if q.choices is not None:
                box = W.Dropdown(options=[str(c) for c in q.choices], value=None,
                                 description="Answer", layout=W.Layout(width="22em"))
            else:
                box = W.Text(placeholder="type a number or a shape, e.g. 7 or 3x3",
                             description="Answer", layout=W.Layout(width="22em"))
            button = W.Button(description="Check", tooltip=f"Check the answer to question {i}")
            feedback = W.HTML()

            def check(_=None, q=q, box=box, feedback=feedback):
                if box.value in (None, ""):
                    feedback.value = "<em>Type or choose an answer first.</em>"
                    return
                ok, message = q.check(box.value)
                mark = "&#10004;" if ok else "&#10008;"
                feedback.value = f"<p>{mark} {_inline(message)}</p>"

            button.on_click(check)
            if isinstance(box, W.Text):
                box.continuous_update = False
                box.observe(lambda change, check=check: check(), names="value")
            items += [W.HBox([box, button]), feedback]
            rows.append(W.VBox(items))
        return W.VBox(rows)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {
            "text/plain": f"{self.title}: {len(self.questions)} questions "
                          "(run the notebook to answer them)",
            "text/html": self.static_html(),
        }
        try:
            w = self.widget()
            bundle.update(w._repr_mimebundle_(include=include, exclude=exclude) or {})
            bundle["text/html"] = self.static_html()
            bundle["text/plain"] = (f"{self.title}: {len(self.questions)} questions "
                                    "(run the notebook to answer them)")
        except Exception:  # no widget frontend: the static version is still complete
            pass
        return bundle


def _inline(text: str) -> str:
    """Escape, then render `code` spans (the only markup questions use)."""
    escaped = html.escape(text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


# --- question generators ---------------------------------------------------------------------

def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def q_output_size(rng):
    """Convolution output length from n, k, p, s, d."""
    while True:
        n, k = int(rng.integers(5, 33)), int(rng.choice([1, 2, 3, 4, 5, 7]))
        p, s, d = int(rng.integers(0, 3)), int(rng.integers(1, 4)), int(rng.choice([1, 1, 2, 3]))
        if d * (k - 1) + 1 <= n + 2 * p:
            break
    out = _sizes.conv_output_size(n, k, s, p, d)
    return Question(
        f"An input of length {n} is convolved with a kernel of size {k}, padding {p} per side, "
        f"stride {s} and dilation {d}. How long is the output?", out,
        f"⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊({n} + {2 * p} − {d * (k - 1)} − 1)/{s}⌋ + 1 = {out}.")


def q_same_padding(rng):
    k, d = int(rng.choice([3, 5, 7])), int(rng.choice([1, 2, 3]))
    p = d * (k - 1) // 2
    return Question(
        f"Which padding per side keeps the size of the input for a {k}×{k} kernel with dilation {d} "
        "and stride 1?", p,
        f"The dilated kernel spans d(k−1)+1 = {d * (k - 1) + 1}, so p = d(k−1)/2 = {p} on each side.")


def q_full_convolution(rng):
    f = [int(v) for v in rng.integers(-2, 4, int(rng.integers(2, 4)))]
    g = [int(v) for v in rng.integers(-1, 3, 3)]
    y = tuple(int(round(v)) for v in convolve(f, g))
    return Question(
        f"What is the full convolution of x = {f} with k = {g}? (Type the values separated by commas.)",
        y, f"Flip k, slide it across x and add the products at each of the {len(f) + len(g) - 1} "
           f"positions: `ck.convolve(x, k)` = {list(y)}.")


def q_correlation_lag0(rng):
    f = [int(v) for v in rng.integers(0, 5, 3)]
    g = [int(v) for v in rng.integers(-1, 3, 3)]
    c = correlate(f, g, "valid")[0]
    v = convolve(f, g, "valid")[0]
    return Question(
        f"x = {f} and k = {g} have the same length. What does a deep-learning `conv1d` (no padding) "
        "return for them?", int(round(c)),
        f"Deep-learning 'convolution' is cross-correlation: no flip, {c:g}. The true (flipped) "
        f"convolution would give {v:g}.")


def q_flip_choice(rng):
    k = rng.integers(-2, 3, (3, 3)).astype(int)
    while np.array_equal(k, k[::-1, ::-1]):
        k = rng.integers(-2, 3, (3, 3)).astype(int)
    options = {"k rotated by 180°": "k[::-1, ::-1]", "k transposed": "k.T",
               "k flipped left-right only": "k[:, ::-1]", "k itself": "k"}
    return Question(
        f"`conv2d` with kernel k = {k.tolist()} computes a cross-correlation. Convolving "
        "(`ck.convolve`, flipped) with which kernel gives the same result?", "k rotated by 180°",
        "Convolution flips the kernel in both directions (a 180° rotation), so convolving with the "
        "rotated kernel undoes the flip.", choices=list(options))


def q_padding_mode(rng):
    from . import plot
    x = np.arange(1, 10, dtype=float).reshape(3, 3)
    mode = str(rng.choice(["zeros", "reflect", "replicate", "circular"]))
    padded = _pad(x[None], ((1, 1), (1, 1)), mode)[0]
    fig = plot.new_figure((2.2, 2.2))
    plot.show_array(padded, fig.add_subplot(), title="padded by 1")
    explanation = {
        "zeros": "the border is all zeros",
        "reflect": "the border mirrors the values next to the edge without repeating the edge",
        "replicate": "the border repeats the edge values",
        "circular": "the border wraps around from the opposite side",
    }[mode]
    return Question("The 3×3 array 1…9 was padded by one pixel. Which padding mode (PyTorch's "
                    "names) made this picture?", mode, f"It is {mode}: {explanation}.",
                    choices=["zeros", "reflect", "replicate", "circular"],
                    figure=plot.fig_to_png(fig))


def q_which_kernel(rng):
    from . import data, plot
    from ._conv import conv2d
    names = ["box blur", "sharpen", "Sobel x", "Laplacian"]
    pick = str(rng.choice(names))
    k = {"box blur": kernels.box(3), "sharpen": kernels.sharpen(), "Sobel x": kernels.sobel_x(),
         "Laplacian": kernels.laplacian(4)}[pick]
    img = data.photo(size=64)
    out = conv2d(img[None], k[None, None], padding="same", padding_mode="replicate")[0]
    fig = plot.new_figure((4.0, 2.1))
    axes = fig.subplots(1, 2)
    plot.show_image(img, axes[0], title="input")
    plot.show_image(out, axes[1], title="output")
    hint = {"box blur": "it is softer everywhere", "sharpen": "it is the photo with crisper edges",
            "Sobel x": "it is signed, bright and dark on either side of vertical edges",
            "Laplacian": "it is signed and near zero wherever the photo is smooth, on both sides of every edge"}
    return Question("Which 3×3 kernel turned the left image into the right one?", pick,
                    f"The {pick} kernel: {hint[pick]}.", choices=names, figure=plot.fig_to_png(fig))


def q_effective_kernel(rng):
    k, d = int(rng.choice([2, 3, 5])), int(rng.choice([2, 3, 4]))
    return Question(f"How many input positions does a kernel of size {k} with dilation {d} span?",
                    d * (k - 1) + 1, f"d(k−1)+1 = {d}·{k - 1}+1 = {d * (k - 1) + 1}.")


def q_never_read(rng):
    while True:
        n, k, s = int(rng.integers(6, 16)), int(rng.choice([2, 3])), int(rng.choice([2, 3]))
        out = _sizes.conv_output_size(n, k, s)
        unread = n - ((out - 1) * s + k)
        if unread > 0:
            break
    return Question(
        f"A kernel of size {k} slides with stride {s} over {n} inputs, no padding. How many inputs "
        "at the end are never read?", unread,
        f"The output has {out} positions; the last window ends at (out−1)s + k = {(out - 1) * s + k}, "
        f"so {n} − {(out - 1) * s + k} = {unread} inputs are never read.")


def q_params(rng):
    cin, cout, k = int(rng.choice([1, 3, 16, 32])), int(rng.choice([8, 16, 64])), int(rng.choice([1, 3, 5]))
    cost = _sizes.conv_cost((cin, 32, 32), (cout, cin, k, k))
    return Question(
        f"How many parameters (weights and biases) has a conv layer with {cin} input channels, "
        f"{cout} filters of size {k}×{k} and a bias?", cost.params,
        f"(k·k·C_in + 1)·C_out = ({k}·{k}·{cin} + 1)·{cout} = {cost.params:,}.")


def q_output_shape(rng):
    c, h, cout = int(rng.choice([3, 16])), int(rng.choice([28, 32, 64])), int(rng.choice([8, 32, 64]))
    k, p, s = int(rng.choice([3, 5])), int(rng.integers(0, 3)), int(rng.choice([1, 2]))
    cost = _sizes.conv_cost((c, h, h), (cout, c, k, k), stride=s, padding=p)
    return Question(
        f"A {c}×{h}×{h} input (C×H×W) goes through {cout} filters of {k}×{k}, padding {p}, stride {s}. "
        "What is the output shape (C×H×W)?", tuple(cost.output_shape),
        f"C_out = {cout}; H = W = ⌊({h} + {2 * p} − {k})/{s}⌋ + 1 = {cost.output_shape[1]}.")


def q_macs(rng):
    c, h, cout, k = int(rng.choice([3, 16, 64])), int(rng.choice([8, 16, 32])), int(rng.choice([8, 32])), 3
    cost = _sizes.conv_cost((c, h, h), (cout, c, k, k), padding=1)
    return Question(
        f"How many multiply-accumulates (MACs) does a 3×3 convolution with padding 1 take on a "
        f"{c}×{h}×{h} input with {cout} filters (bias not counted)?", cost.macs,
        f"Every one of the {cout}·{h}·{h} outputs takes 3·3·{c} MACs: {cost.macs:,} "
        f"(= {cost.flops:,} FLOPs).")


def q_conv3d_shape(rng):
    d, h, c = int(rng.choice([8, 16])), int(rng.choice([16, 32])), int(rng.choice([1, 2]))
    k, s, p = 3, int(rng.choice([1, 2])), int(rng.choice([0, 1]))
    cost = _sizes.conv_cost((c, d, h, h), (4, c, k, k, k), stride=s, padding=p)
    return Question(
        f"A volume of {c}×{d}×{h}×{h} (C×D×H×W) goes through conv3d with 4 filters of 3×3×3, "
        f"stride {s}, padding {p}. What is the output shape (C×D×H×W)?", tuple(cost.output_shape),
        f"Each of D, H, W follows ⌊(n + 2p − k)/s⌋ + 1; C is the number of filters: "
        f"{cost.output_shape}.")


def q_pool_size(rng):
    n, k, s = int(rng.integers(7, 40)), int(rng.choice([2, 3])), int(rng.choice([2, 3]))
    ceil = bool(rng.integers(0, 2))
    out = _sizes.pool_output_size(n, k, s, 0, ceil)
    rule = "rounded up (ceil_mode)" if ceil else "rounded down"
    return Question(f"Max pooling with a window of {k}, stride {s}, no padding, ceil_mode={ceil} on "
                    f"{n} inputs: how many outputs?", out,
                    f"(n − k)/s + 1 = ({n} − {k})/{s} + 1, {rule}: {out}.")


def q_pool_overlap(rng):
    k, s = int(rng.choice([3, 4, 5])), int(rng.choice([1, 2]))
    m = -(-k // s)
    return Question(f"2D pooling windows of {k}×{k} at stride {s}: in the middle of the input, "
                    "at most how many windows cover one pixel?", m * m,
                    f"Along one axis ⌈k/s⌉ = {m} windows overlap a pixel, so {m}² = {m * m} in 2D.")


def q_pointwise_macs(rng):
    h, cin, cout = int(rng.choice([14, 28, 56])), int(rng.choice([64, 128, 192])), int(rng.choice([16, 32, 64]))
    cost = _sizes.conv_cost((cin, h, h), (cout, cin, 1, 1))
    return Question(f"How many MACs does a 1×1 convolution from {cin} to {cout} channels take on a "
                    f"{h}×{h} map?", cost.macs,
                    f"One {cin}-long dot product per output value: {h}·{h}·{cin}·{cout} = {cost.macs:,}.")


def q_bottleneck(rng):
    h, cin, cout, mid = int(rng.choice([14, 28])), int(rng.choice([128, 192])), 32, int(rng.choice([16, 24]))
    direct = _sizes.conv_cost((cin, h, h), (cout, cin, 5, 5), padding=2)
    a = _sizes.conv_cost((cin, h, h), (mid, cin, 1, 1))
    b = _sizes.conv_cost(a.output_shape, (cout, mid, 5, 5), padding=2)
    return Question(
        f"A 5×5 convolution maps {h}×{h}×{cin} to {cout} channels. How many MACs does it take if a "
        f"1×1 convolution first reduces the input to {mid} channels (count both)?", a.macs + b.macs,
        f"1×1: {a.macs:,} + 5×5 on {mid} channels: {b.macs:,} = {a.macs + b.macs:,}, "
        f"against {direct.macs:,} without the bottleneck.")


def q_transposed_size(rng):
    n, k, s = int(rng.integers(3, 17)), int(rng.choice([2, 3, 4])), int(rng.choice([1, 2]))
    p = int(rng.integers(0, 2))
    op = int(rng.integers(0, s)) if s > 1 else 0
    out = _sizes.conv_transpose_output_size(n, k, s, p, op)
    return Question(
        f"A transposed convolution with kernel {k}, stride {s}, padding {p} and output_padding {op} "
        f"gets {n} inputs. How long is its output?", out,
        f"(n−1)s − 2p + (k−1) + output_padding + 1 = {n - 1}·{s} − {2 * p} + {k - 1} + {op} + 1 = {out}.")


def q_output_padding(rng):
    n, s = int(rng.choice([7, 8, 14, 16])), 2
    target = 2 * n
    base = _sizes.conv_transpose_output_size(n, 3, s, 1, 0)
    return Question(
        f"A transposed convolution (k = 3, stride 2, padding 1) should turn {n} positions into "
        f"{target}. Which output_padding does that?", target - base,
        f"Without it the output is (n−1)·2 − 2 + 3 = {base}; output_padding adds {target - base} at the end.")


def q_separable_macs(rng):
    h, cin, cout = int(rng.choice([14, 28])), int(rng.choice([32, 64])), int(rng.choice([64, 128]))
    std = _sizes.conv_cost((cin, h, h), (cout, cin, 3, 3), padding=1, bias=False)
    dw = _sizes.conv_cost((cin, h, h), (cin, 1, 3, 3), padding=1, groups=cin, bias=False)
    pw = _sizes.conv_cost(dw.output_shape, (cout, cin, 1, 1), bias=False)
    return Question(
        f"A 3×3 convolution from {cin} to {cout} channels on a {h}×{h} map is replaced by a depthwise "
        "3×3 and a pointwise 1×1 convolution. How many MACs does the replacement take?",
        dw.macs + pw.macs,
        f"Depthwise {dw.macs:,} + pointwise {pw.macs:,} = {dw.macs + pw.macs:,}, against "
        f"{std.macs:,}: a ratio of {(dw.macs + pw.macs) / std.macs:.3f} = 1/C_out + 1/k².")


def q_grouped_params(rng):
    cin, cout, g = 32, 64, int(rng.choice([2, 4, 8, 32]))
    cost = _sizes.conv_cost((cin, 8, 8), (cout, cin // g, 3, 3), groups=g, bias=False)
    return Question(
        f"How many weights has a 3×3 convolution from {cin} to {cout} channels with groups={g} "
        "(no bias)?", cost.params,
        f"Each filter sees C_in/groups = {cin // g} channels: 3·3·{cin // g}·{cout} = {cost.params:,}.")


def q_receptive_field(rng):
    from ._receptive import receptive_field
    layers = [("conv", int(rng.choice([3, 5])), int(rng.choice([1, 2])), int(rng.choice([1, 1, 2])))
              for _ in range(int(rng.integers(2, 4)))]
    table = receptive_field([dict(kind=kind, k=k, s=s, d=d) for kind, k, s, d in layers])
    text = ", then ".join(f"k={k}, stride {s}, dilation {d}" for _, k, s, d in layers)
    steps = " → ".join(str(row.r) for row in table)
    return Question(f"A stack of convolutions ({text}). How many input pixels (along one axis) "
                    "does one output unit of the last layer see?", table[-1].r,
                    f"r grows by (d(k−1)+1 − 1) × the jump so far after each layer: {steps}.")


def q_jump(rng):
    from ._receptive import receptive_field
    strides = [int(v) for v in rng.choice([1, 2, 2, 3], int(rng.integers(2, 4)))]
    table = receptive_field([dict(kind="conv", k=3, s=s, p=1) for s in strides])
    return Question(f"Three-by-three convolutions with strides {strides} are stacked. How many input "
                    "pixels apart are the fields of two neighbouring units of the last layer?",
                    table[-1].j, f"The jump is the product of the strides: {table[-1].j}.")


def q_stack_shape(rng):
    h, c = int(rng.choice([32, 48, 64])), int(rng.choice([4, 8]))
    conv = _sizes.conv_cost((1, h, h), (c, 1, 3, 3), padding=1)
    pooled = _sizes.pool_output_size(conv.output_shape[1:], 2)
    return Question(
        f"A grey {h}×{h} image goes through conv 3×3 with {c} filters and padding 1, ReLU, then 2×2 "
        "max pooling. What is the shape (C×H×W) after the pooling?", (c,) + tuple(pooled),
        f"The convolution keeps {h}×{h} (padding 1), ReLU keeps the shape, pooling halves it: "
        f"{c}×{pooled[0]}×{pooled[1]}.")


def q_grad_shape(rng):
    c_in, c_out, k = int(rng.choice([1, 3])), int(rng.choice([2, 4, 8])), int(rng.choice([3, 5]))
    n = int(rng.choice([16, 32]))
    out = _sizes.conv_output_size(n, k)
    return Question(
        f"x has shape {c_in}×{n}×{n} and the kernel {c_out}×{c_in}×{k}×{k} (no padding). The loss "
        "gradient with respect to the output y is given. What is the shape of the gradient with "
        "respect to the kernel?", (c_out, c_in, k, k),
        f"A gradient has the shape of what it is taken with respect to: {c_out}×{c_in}×{k}×{k}. "
        f"Each entry correlates x with one {out}×{out} channel of the output gradient.")


def q_grad_input_size(rng):
    n, k, s = int(rng.choice([9, 16, 17])), 3, 2
    out = _sizes.conv_output_size(n, k, s, 1)
    back = _sizes.conv_transpose_output_size(out, k, s, 1)
    return Question(
        f"A 3×3 convolution with stride 2 and padding 1 maps {n} inputs to {out}. Its input gradient is "
        "a transposed convolution of the output gradient with the same settings. Which output_padding "
        f"makes that gradient {n} long again?", n - back,
        f"Without it the transposed convolution gives (out−1)·2 − 2 + 3 = {back}; "
        f"output_padding = {n} − {back} = {n - back}.")


CHAPTERS = {
    "conv1d": [q_full_convolution, q_output_size, q_correlation_lag0],
    "flipping": [q_flip_choice, q_correlation_lag0, q_full_convolution],
    "conv2d": [q_which_kernel, q_output_shape, q_flip_choice],
    "padding": [q_padding_mode, q_same_padding, q_output_size],
    "stride_dilation": [q_output_size, q_effective_kernel, q_never_read],
    "channels": [q_params, q_output_shape, q_macs],
    "conv3d": [q_conv3d_shape, q_params, q_effective_kernel],
    "pooling": [q_pool_size, q_pool_overlap, q_output_shape],
    "pointwise": [q_pointwise_macs, q_bottleneck, q_params],
    "transposed": [q_transposed_size, q_output_padding, q_output_size],
    "depthwise": [q_separable_macs, q_grouped_params, q_params],
    "receptive_field": [q_receptive_field, q_jump, q_effective_kernel],
    "cnn_by_hand": [q_stack_shape, q_params, q_macs],
    "learning_a_kernel": [q_grad_shape, q_grad_input_size, q_output_size],
}


def for_chapter(name: str, seed: int = 0) -> Quiz:
    """At least three questions for chapter ``name`` with settings drawn from ``seed``.

    See Also
    --------
    CHAPTERS : which question kinds each chapter gets.
    """
    if name not in CHAPTERS:
        raise ValueError(f"name={name!r} is not a chapter with questions; allowed: "
                         + ", ".join(repr(c) for c in CHAPTERS))
    rng = _rng(seed)
    return Quiz([make(rng) for make in CHAPTERS[name]], title="Check yourself")
