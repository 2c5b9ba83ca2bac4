"""The one mechanism behind every demo of the book: live in Jupyter, static on the site.

A demo is a pure drawing function plus a list of controls::

    demo = Demo(draw, [Slider("p", [0, 1, 2], "Padding"), Choice("mode", ["same", "valid"])],
                title="Padding")

``draw(p=..., mode=...)`` returns a :class:`matplotlib.figure.Figure` (or a
:class:`Frame`: a figure plus a text and/or code shown under it, e.g. the equivalent
PyTorch call for this setting). Displaying the demo in a notebook gives ONE output
with three representations:

``application/vnd.jupyter.widget-view+json``
    The live ipywidgets version (JupyterLab, Notebook, Binder, VS Code): controls built
    from the descriptors and an ``ipywidgets.Image`` whose PNG bytes are replaced when a
    control moves. No ``Output`` widget, so nothing leaks into the saved outputs.
``text/html``
    The static version for the book's website (no kernel): the same controls as native
    ``<input type="range">``, ``<select>``, checkboxes and a play ``<button>``, frames
    precomputed at build time as data-URI PNGs in a JSON table, and a few lines of
    page-local JavaScript that only looks frames up -- it never computes anything. If
    the product of all control values fits the budget (:data:`DEFAULT_BUDGET` frames),
    every combination is precomputed; otherwise each control is swept with the others
    at their defaults, the page says so, and moving one control puts the others back to
    their defaults (announced). A typed kernel (:class:`KernelText`) becomes a choice of
    presets, and the page says the notebook accepts typed input. Without JavaScript
    (an untrusted notebook, GitHub's preview) the controls stay disabled and a visible
    line says how to get the live demo.
``text/plain``
    A short, deterministic description.

Everything is deterministic (strict nbval): PNGs carry no metadata, element ids are
derived from a hash of the content, and no memory address appears anywhere.

See Also
--------
convkit.plot : the drawing functions demos are made of.
Book: ``book/intro.md`` (how to use the demos).
"""
from __future__ import annotations

import base64
import collections
import gc
import hashlib
import html
import itertools
import json
import math
import struct
from dataclasses import dataclass
from fractions import Fraction

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .. import plot

__all__ = [
    "Demo", "Frame", "RenderedFrame", "Control", "Slider", "Choice", "Toggle", "Step",
    "KernelText", "DEFAULT_BUDGET", "format_kernel",
]

DEFAULT_BUDGET = 60
"""Most frames a demo precomputes for the static page (about 5-15 kB each)."""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# --- what a drawing function returns ------------------------------------------------------------

@dataclass
class Frame:
    """One drawn setting: a figure, plus optional text and code shown under it.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    text : str, optional
        A short plain-text remark for this setting (e.g. "output size 5 x 5").
    code : str, optional
        Code for this setting (e.g. the equivalent PyTorch call), shown in monospace.
    """
    figure: Figure
    text: str | None = None
    code: str | None = None

    def _repr_png_(self):
        return plot.fig_to_png(self.figure)


@dataclass(frozen=True)
class RenderedFrame:
    """A :class:`Frame` turned into PNG bytes (what the live widget and the page show)."""
    png: bytes
    text: str | None = None
    code: str | None = None

    @property
    def size(self):
        """(width, height) in pixels, read from the PNG header."""
        return struct.unpack(">II", self.png[16:24])

    def _repr_png_(self):
        return self.png


# --- value labels and lookup --------------------------------------------------------------------

def _label(value):
    """Short deterministic text for a control value."""
    if isinstance(value, (bool, np.bool_)):
        return "on" if value else "off"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return plot.format_number(value, 6).replace("\u2212", "-")
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return "(" + ", ".join(_label(v) for v in value) + ")"
    if isinstance(value, np.ndarray):
        return format_kernel(value) if value.ndim == 2 else np.array2string(value, separator=", ")
    return str(value)


def _same(a, b):
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.shape == b.shape and bool(np.array_equal(a, b)))
    try:
        return bool(a == b) and isinstance(a, bool) == isinstance(b, bool)
    except (TypeError, ValueError):
        return False


def format_kernel(k):
    """Text for a 2-D kernel that :func:`convkit.kernels.parse_kernel` reads back exactly.

    Rows are separated by ``"; "`` and numbers by spaces; integers print as integers,
    exact small fractions as ``p/q`` (``1/16``), other values with full precision.

    >>> format_kernel(np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16)
    '1/16 1/8 1/16; 1/8 1/4 1/8; 1/16 1/8 1/16'
    """
    k = np.atleast_2d(np.asarray(k, dtype=np.float64))

    def one(v):
        if v == int(v):
            return str(int(v))
        frac = Fraction(v).limit_denominator(1000)
        if float(frac) == v:
            return f"{frac.numerator}/{frac.denominator}"
        return repr(float(v))

    return "; ".join(" ".join(one(float(v)) for v in row) for row in k)


# --- control descriptors ------------------------------------------------------------------------

class Control:
    """A named control with a finite list of allowed values (base class).

    Parameters
    ----------
    name : str
        Keyword argument of the drawing function (a Python identifier).
    values : sequence
        Allowed values, in display order.
    label : str, optional
        Visible label (default: `name`).
    default : optional
        Initial value (default: the first value); must be one of `values`.
    labels : sequence of str, optional
        Text for each value (default: derived from the value).
    """
    kind = "control"

    def __init__(self, name, values, label=None, *, default=None, labels=None):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name={name!r} must be a Python identifier (a keyword of draw)")
        values = list(values)
        if not values:
            raise ValueError(f"{name}: values must not be empty")
        self.name = name
        self.values = values
        self.label = label if label is not None else name
        if default is None:
            self.default_index = 0
        else:
            index = self.index_of(default)
            if index is None:
                raise ValueError(f"{name}: default={default!r} is not one of values={values!r}")
            self.default_index = index
        labels = [_label(v) for v in values] if labels is None else [str(t) for t in labels]
        if len(labels) != len(values):
            raise ValueError(f"{name}: {len(labels)} labels for {len(values)} values")
        self.labels = labels

    @property
    def default(self):
        return self.values[self.default_index]

    def index_of(self, value):
        """Position of `value` in `values`, or None."""
        for i, v in enumerate(self.values):
            if _same(v, value):
                return i
        return None

    def summary(self):
        """One line for text/plain: ``name in [a, b, c]``."""
        shown = self.labels
        if len(shown) > 6:
            shown = shown[:3] + ["..."] + shown[-2:]
        return f"{self.name} in [{', '.join(shown)}]"

    def __repr__(self):
        return (f"{type(self).__name__}({self.name!r}, {len(self.values)} values, "
                f"label={self.label!r})")

    # live (ipywidgets) -------------------------------------------------------------------------
    def live(self):
        """Return a :class:`_Live` adapter holding the ipywidgets for this control."""
        raise NotImplementedError

    # static (HTML) -----------------------------------------------------------------------------
    def static_html(self, uid, j):
        raise NotImplementedError

    def _static_range(self, uid, j, extra=""):
        cid = f"{uid}-{self.name}"
        label = self.labels[self.default_index]
        return (f'<label for="{cid}">{html.escape(self.label)}</label>'
                f'<input type="range" id="{cid}" min="0" max="{len(self.values) - 1}" step="1" '
                f'value="{self.default_index}" aria-valuetext="{html.escape(label)}" '
                f'data-ck-control="{j}" disabled>'
                f'<output data-ck-out="{j}">{html.escape(label)}</output>{extra}')

    def _static_select(self, uid, j):
        cid = f"{uid}-{self.name}"
        options = "".join(
            f'<option value="{i}"{" selected" if i == self.default_index else ""}>'
            f'{html.escape(t)}</option>' for i, t in enumerate(self.labels))
        return (f'<label for="{cid}">{html.escape(self.label)}</label>'
                f'<select id="{cid}" data-ck-control="{j}" disabled>{options}</select>')


class _Live:
    """ipywidgets of one control: what to show, and how to read the current setting."""

    def __init__(self, control, shown, watched, read):
        self.control = control
        self.shown = shown            # widgets placed in the demo's layout
        self.watched = watched        # (widget, trait) pairs whose change redraws
        self.read = read              # () -> (index or None, value)
        self.widget = watched[0][0]   # the main value widget (tests set its value)
        self.error = None             # message about the reader's input, if any


def _selection_slider(control, **kw):
    return W.SelectionSlider(
        options=list(zip(control.labels, range(len(control.values)))),
        value=control.default_index, description=control.label,
        style={"description_width": "initial"}, continuous_update=True, **kw)


def _index_reader(control, widget):
    def read():
        i = widget.value
        return i, control.values[i]
    return read


class Slider(Control):
    """Ordered values (numbers, sizes, ...): a slider.

    Live: ``ipywidgets.SelectionSlider`` showing each value's label.
    Static: ``<input type="range">`` over the value positions, with an ``<output>``.

    Parameters: see :class:`Control`.
    """
    kind = "slider"

    def live(self):
        w = _selection_slider(self)
        return _Live(self, [w], [(w, "value")], _index_reader(self, w))

    def static_html(self, uid, j):
        return self._static_range(uid, j)


class Choice(Control):
    """Categorical values (a padding mode, a kernel name, ...): a choice.

    Parameters
    ----------
    name : str
    options : sequence or dict
        Values, or a dict display label -> value.
    label : str, optional
    default : optional
        A value (not a label).
    buttons : bool or 'auto'
        Live: ``ToggleButtons`` instead of a ``Dropdown``; 'auto' for at most 4 short
        options. Static: always a ``<select>``.
    """
    kind = "choice"

    def __init__(self, name, options, label=None, *, default=None, buttons="auto"):
        if isinstance(options, dict):
            super().__init__(name, list(options.values()), label, default=default,
                             labels=list(options.keys()))
        else:
            super().__init__(name, options, label, default=default)
        if buttons == "auto":
            buttons = len(self.values) <= 4 and sum(len(t) for t in self.labels) <= 32
        self.buttons = bool(buttons)

    def live(self):
        cls = W.ToggleButtons if self.buttons else W.Dropdown
        w = cls(options=list(zip(self.labels, range(len(self.values)))),
                value=self.default_index, description=self.label,
                style={"description_width": "initial"})
        return _Live(self, [w], [(w, "value")], _index_reader(self, w))

    def static_html(self, uid, j):
        return self._static_select(uid, j)


class Toggle(Control):
    """On/off: a checkbox. The drawing function receives False or True.

    Parameters
    ----------
    name : str
    label : str, optional
    default : bool
    """
    kind = "toggle"

    def __init__(self, name, label=None, *, default=False):
        super().__init__(name, [False, True], label, default=bool(default), labels=["off", "on"])

    def live(self):
        w = W.Checkbox(value=bool(self.default), description=self.label, indent=False)

        def read():
            return int(bool(w.value)), bool(w.value)
        return _Live(self, [w], [(w, "value")], read)

    def static_html(self, uid, j):
        cid = f"{uid}-{self.name}"
        checked = " checked" if self.default else ""
        return (f'<input type="checkbox" id="{cid}" data-ck-control="{j}"{checked} disabled>'
                f'<label for="{cid}">{html.escape(self.label)}</label>')


class Step(Control):
    """A step-through animation: steps 0 .. n-1, a slider and (optionally) a play button.

    The drawing function receives the step number (an int). Live: ``ipywidgets.Play``
    linked in the browser to a ``SelectionSlider``. Static: ``<input type="range">`` and a
    ``<button aria-pressed>`` that advances the step every `interval` ms and stops at
    the last step.

    Parameters
    ----------
    name : str
    n : int
        Number of steps.
    label : str, optional
        Default "Step".
    play : bool
        Show a play button.
    interval : int
        Milliseconds between steps when playing.
    labels : sequence of str, optional
        Text of each step (default ``"1 of n"``, ``"2 of n"``, ...).
    default : int
    """
    kind = "step"

    def __init__(self, name, n, label="Step", *, play=True, interval=700, labels=None, default=0):
        n = int(n)
        if n < 1:
            raise ValueError(f"{name}: n={n} steps; need at least 1")
        if labels is None:
            labels = [f"{i + 1} of {n}" for i in range(n)]
        super().__init__(name, range(n), label, default=default, labels=labels)
        self.play = bool(play)
        self.interval = int(interval)

    def live(self):
        slider = _selection_slider(self)
        shown = [slider]
        if self.play:
            player = W.Play(value=self.default_index, min=0, max=len(self.values) - 1, step=1,
                            interval=self.interval, show_repeat=False,
                            tooltip=f"Play {self.label}")
            W.jslink((player, "value"), (slider, "index"))
            shown = [W.HBox([player, slider])]
        return _Live(self, shown, [(slider, "value")], _index_reader(self, slider))

    def static_html(self, uid, j):
        extra = ""
        if self.play:
            extra = (f'<button type="button" class="ck-play" data-ck-play="{j}" '
                     f'data-ck-interval="{self.interval}" aria-controls="{uid}-{self.name}" '
                     f'aria-pressed="false" disabled><span aria-hidden="true" '
                     f'class="ck-icon">&#9654;</span> Play</button>')
        return self._static_range(uid, j, extra)


class KernelText(Control):
    """A kernel the reader types (live), or one of a few presets (static page).

    The drawing function receives a 2-D float array. Live: a preset ``Dropdown`` and a
    ``Text`` box (e.g. ``1 0 -1; 2 0 -2; 1 0 -1``, fractions like ``1/16`` allowed), read
    with :func:`convkit.kernels.parse_kernel` when the reader presses Enter or leaves
    the box; text that cannot be read shows the parser's message and the picture keeps
    the last good kernel. Static: a ``<select>`` of the presets and a note that the
    notebook accepts typed kernels.

    Parameters
    ----------
    name : str
    presets : dict[str, array_like]
        Display name -> 2-D kernel, in display order.
    label : str, optional
        Default "Kernel".
    default : str, optional
        Name of the initial preset (default: the first).
    """
    kind = "kernel"

    def __init__(self, name, presets, label="Kernel", *, default=None):
        if not isinstance(presets, dict) or not presets:
            raise ValueError(f"{name}: presets must be a non-empty dict name -> 2-D array")
        arrays = [np.atleast_2d(np.asarray(k, dtype=np.float64)) for k in presets.values()]
        names = list(presets.keys())
        if default is not None and default not in presets:
            raise ValueError(f"{name}: default={default!r} is not one of the presets {names}")
        default_value = None if default is None else arrays[names.index(default)]
        super().__init__(name, arrays, label, default=default_value, labels=names)

    def summary(self):
        return f"{self.name}: typed kernel or one of [{', '.join(self.labels)}]"

    def live(self):
        from ..kernels import parse_kernel

        preset = W.Dropdown(options=list(zip(self.labels, range(len(self.values)))),
                            value=self.default_index, description=f"{self.label} preset",
                            style={"description_width": "initial"})
        text = W.Text(value=format_kernel(self.default), description=self.label,
                      placeholder="e.g. 1 0 -1; 2 0 -2; 1 0 -1", continuous_update=False,
                      style={"description_width": "initial"},
                      layout=W.Layout(width="32em"))
        current = (self.default_index, self.default)     # last kernel that could be read
        syncing = False                                   # True while one box sets the other
        live = _Live(self, [preset, text], [(text, "value"), (preset, "value")],
                     lambda: current)

        def preset_chosen(change):
            nonlocal current, syncing
            if syncing or change["new"] is None:
                return
            current = (change["new"], self.values[change["new"]])
            live.error = None
            syncing = True
            try:
                text.value = format_kernel(current[1])
            finally:
                syncing = False

        def text_typed(change):
            nonlocal current, syncing
            if syncing:
                return
            try:
                k = parse_kernel(change["new"])
            except ValueError as err:       # keep the last good kernel, show why
                live.error = f"Could not read the kernel: {err}"
                return
            live.error = None
            i = self.index_of(k)
            current = (i, self.values[i] if i is not None else k)
            syncing = True
            try:
                preset.value = i          # a typed preset selects it; other text: no preset
            finally:
                syncing = False

        # registered before the demo's own observer, so the demo sees the new kernel
        preset.observe(preset_chosen, "value")
        text.observe(text_typed, "value")
        live.text = text
        live.preset = preset
        return live

    def static_html(self, uid, j):
        return self._static_select(uid, j)


# --- the demo -----------------------------------------------------------------------------------

_STYLE = (
    "<style>"
    ".ck-demo{border:1px solid rgba(128,128,128,.45);border-radius:6px;padding:.6em .9em;"
    "margin:1em 0;max-width:100%;overflow-x:auto}"
    ".ck-demo .ck-title{font-weight:bold;margin:0 0 .4em}"
    ".ck-demo .ck-controls{display:flex;flex-wrap:wrap;gap:.4em 1.6em;align-items:center;"
    "margin:0 0 .5em}"
    ".ck-demo .ck-control{display:flex;align-items:center;gap:.45em}"
    ".ck-demo output{font-variant-numeric:tabular-nums;min-width:3em}"
    ".ck-demo img.ck-frame{display:block;max-width:100%;height:auto;background:#fff}"
    ".ck-demo .ck-text{margin:.4em 0}"
    ".ck-demo pre.ck-code{margin:.4em 0;padding:.4em .6em;white-space:pre-wrap}"
    ".ck-demo .ck-note,.ck-demo .ck-status{font-size:.85em;margin:.3em 0}"
    ".ck-demo .ck-status:empty{display:none}"
    ".ck-demo button.ck-play[aria-pressed=true]{font-weight:bold}"
    "</style>"
)

# The page-local script, the same for every demo except its root id. It only looks up
# precomputed frames: D.index maps "i0,i1,..." (value positions) to [image, text, code].
_SCRIPT = r"""(function () {
"use strict";
var me = document.currentScript, root = me && me.parentNode;
if (!root || !root.classList || !root.classList.contains("ck-demo")) root = document.getElementById("__ROOT__");
if (!root || root.getAttribute("data-ck-live") === "1") return;
root.setAttribute("data-ck-live", "1");
var D = JSON.parse(root.querySelector("script.ck-data").textContent);
var img = root.querySelector("img.ck-frame"), first = img.getAttribute("src");
var text = root.querySelector(".ck-text"), code = root.querySelector(".ck-code code");
var status = root.querySelector(".ck-status"), resetBy = -1;
var ctl = Array.prototype.slice.call(root.querySelectorAll("[data-ck-control]"));
function get(el) { return el.type === "checkbox" ? (el.checked ? 1 : 0) : parseInt(el.value, 10); }
function put(el, i) { if (el.type === "checkbox") { el.checked = i === 1; } else { el.value = String(i); } }
function setting(cur) { return cur.map(function (i, m) { return D.names[m] + ": " + D.labels[m][i]; }).join(", "); }
function show(j, announce) {
  var cur = ctl.map(get), key = cur.join(","), reset = false;
  if (!(key in D.index)) {
    cur = D.defaults.map(function (d, m) { return m === j ? cur[m] : d; });
    cur.forEach(function (i, m) { if (get(ctl[m]) !== i) { put(ctl[m], i); reset = true; } });
    key = cur.join(",");
  }
  var f = D.index[key];
  if (!f) { return; }
  img.src = D.images[f[0]] || first;
  img.alt = D.alt + " " + setting(cur) + ".";
  if (text) { text.textContent = D.texts[f[1]]; }
  if (code) { code.textContent = D.codes[f[2]]; }
  ctl.forEach(function (el, m) {
    var out = root.querySelector('[data-ck-out="' + m + '"]');
    if (out) { out.textContent = D.labels[m][cur[m]]; }
    if (el.type === "range") { el.setAttribute("aria-valuetext", D.labels[m][cur[m]]); }
  });
  if (reset) { resetBy = j; } else if (announce && resetBy !== j) { resetBy = -1; }
  if (reset || announce) {
    status.textContent = (resetBy === j ? D.resetNote + " Now showing " : "") + setting(cur) + ".";
  }
}
ctl.forEach(function (el, j) {
  el.disabled = false;
  el.addEventListener("input", function () { show(j, false); });
  el.addEventListener("change", function () { show(j, true); });
});
Array.prototype.forEach.call(root.querySelectorAll("button.ck-play"), function (btn) {
  var j = parseInt(btn.getAttribute("data-ck-play"), 10), el = ctl[j], timer = null;
  var icon = btn.querySelector(".ck-icon");
  function stop() {
    clearInterval(timer); timer = null;
    btn.setAttribute("aria-pressed", "false"); icon.textContent = "\u25B6"; show(j, true);
  }
  btn.disabled = false;
  btn.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (get(el) >= parseInt(el.max, 10)) { put(el, 0); show(j, false); }
    btn.setAttribute("aria-pressed", "true"); icon.textContent = "\u275A\u275A";
    timer = setInterval(function () {
      if (get(el) >= parseInt(el.max, 10)) { stop(); return; }
      put(el, get(el) + 1); show(j, false);
    }, parseInt(btn.getAttribute("data-ck-interval"), 10) || 700);
  });
});
Array.prototype.forEach.call(root.querySelectorAll(".ck-noscript"), function (n) { n.hidden = true; });
})();"""

_EMITTED = collections.Counter()    # root ids handed out in this process (repeats get -1, -2, ...)


def _json_for_script(obj):
    """JSON that is safe inside <script>: no '<', '>' or '&' characters, ASCII only."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Demo:
    """An interactive demo: live ipywidgets in Jupyter, precomputed frames on the website.

    Parameters
    ----------
    draw : callable
        ``draw(**values) -> Figure | Frame``; one keyword per control. Must be pure:
        the same values give the same picture (use :func:`convkit.plot.new_figure`, fixed
        colour limits across settings, no randomness).
    controls : sequence of Control
        :class:`Slider`, :class:`Choice`, :class:`Toggle`, :class:`Step`,
        :class:`KernelText`, in display order.
    title : str
        Shown above the picture, and used in text/plain and alt text.
    caption : str, optional
        Plain text shown under the picture, in both versions.
    alt : str, optional
        What the picture shows, for screen readers; the current setting is appended.
        Default: the title.
    budget : int
        Most frames precomputed for the static page. If every combination of control
        values fits, all are precomputed ('full' mode); otherwise each control is varied
        alone with the others at their defaults ('sweep' mode). A demo whose sweep alone
        exceeds the budget is an error: give fewer values or a larger budget.
    dpi : float
        Resolution of the frames (72 keeps pages light; each frame is typically 3-15 kB).

    Attributes
    ----------
    values : dict[str, list]
        Allowed values of each control.
    defaults : dict[str, object]
        Initial value of each control.
    mode : {'full', 'sweep'}
        How the static page is precomputed.

    Examples
    --------
    >>> def draw(t):
    ...     fig = plot.new_figure((2.5, 2.5))
    ...     plot.show_array(np.arange(9).reshape(3, 3) > t, fig.add_subplot(), title=f"x > {t}")
    ...     return fig
    >>> demo = Demo(draw, [Slider("t", range(9), "Threshold", default=4)], title="Threshold")
    >>> demo.values["t"][:3], demo.defaults, demo.mode, len(demo.frames())
    ([0, 1, 2], {'t': 4}, 'full', 9)
    """

    def __init__(self, draw, controls, *, title, caption=None, alt=None, budget=DEFAULT_BUDGET,
                 dpi=72):
        if not callable(draw):
            raise TypeError(f"draw={draw!r} must be callable")
        controls = list(controls)
        if not all(isinstance(c, Control) for c in controls):
            raise TypeError("controls must be Slider/Choice/Toggle/Step/KernelText objects")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be unique, got {names}")
        self._draw = draw
        self.controls = controls
        self.title = str(title)
        self.caption = caption
        self.alt = alt if alt is not None else self.title
        self.budget = int(budget)
        self.dpi = dpi
        self.n_combinations = math.prod(len(c.values) for c in controls)
        self.mode = "full" if self.n_combinations <= self.budget else "sweep"
        n_sweep = 1 + sum(len(c.values) - 1 for c in controls)
        if self.mode == "sweep" and n_sweep > self.budget:
            raise ValueError(
                f"demo {self.title!r} needs {n_sweep} frames even when each control is varied "
                f"alone ({', '.join(f'{c.name}: {len(c.values)}' for c in controls)} values), "
                f"over the budget of {self.budget}: give fewer values or a larger budget")
        self._cache = {}
        self._frames = None
        self._static = None
        # A redraw allocates thousands of matplotlib objects, so Python's full garbage
        # collections run during redraws, and each one scans every object alive --
        # matplotlib's and IPython's included -- adding 100-150 ms to one redraw in
        # twenty. Objects alive now (modules, fonts, colormaps, this demo's data) are
        # long-lived: move them out of the collector's scans (reference counting still
        # frees them).
        gc.collect()
        gc.freeze()

    # --- parameters ---------------------------------------------------------------------------
    @property
    def values(self):
        return {c.name: list(c.values) for c in self.controls}

    @property
    def defaults(self):
        return {c.name: c.default for c in self.controls}

    def _complete(self, values):
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise TypeError(f"unknown control(s) {sorted(unknown)}; this demo has "
                            f"{[c.name for c in self.controls]}")
        return {c.name: values.get(c.name, c.default) for c in self.controls}

    # --- drawing ------------------------------------------------------------------------------
    def render(self, **values):
        """Draw one setting (missing controls at their defaults). Pure.

        Returns
        -------
        Frame
        """
        out = self._draw(**self._complete(values))
        if isinstance(out, Figure):
            return Frame(out)
        if isinstance(out, Frame):
            return out
        raise TypeError(f"draw returned {type(out).__name__}; expected a matplotlib Figure "
                        "or a convkit.widgets.Frame")

    def frame(self, **values):
        """PNG bytes and texts of one setting (cached for allowed values).

        Returns
        -------
        RenderedFrame
        """
        full = self._complete(values)
        key = tuple(c.index_of(full[c.name]) for c in self.controls)
        if None not in key and key in self._cache:
            return self._cache[key]
        f = self.render(**full)
        rendered = RenderedFrame(plot.fig_to_png(f.figure, dpi=self.dpi), f.text, f.code)
        if None not in key:
            self._cache[key] = rendered
        return rendered

    def _frame_at(self, key):
        if key not in self._cache:
            self.frame(**{c.name: c.values[i] for c, i in zip(self.controls, key)})
        return self._cache[key]

    def frame_keys(self):
        """Value positions of the precomputed settings: every combination, or a sweep."""
        if self.mode == "full":
            return list(itertools.product(*(range(len(c.values)) for c in self.controls)))
        base = tuple(c.default_index for c in self.controls)
        keys = [base]
        for j, c in enumerate(self.controls):
            keys += [base[:j] + (i,) + base[j + 1:] for i in range(len(c.values))
                     if i != c.default_index]
        return keys

    def frames(self):
        """The precomputed settings and their frames, computed once.

        Returns
        -------
        list of (dict, RenderedFrame)
            ``({name: value}, frame)`` for each key of :meth:`frame_keys`.
        """
        if self._frames is None:
            self._frames = [
                ({c.name: c.values[i] for c, i in zip(self.controls, key)}, self._frame_at(key))
                for key in self.frame_keys()]
        return self._frames

    # --- static HTML --------------------------------------------------------------------------
    def _static_data(self):
        if self._static is None:
            self._static = self._make_static_data()
        return self._static

    def _make_static_data(self):
        keys = self.frame_keys()
        frames = [f for _, f in self.frames()]
        base = tuple(c.default_index for c in self.controls)
        images, texts, codes, index = [], [], [], {}
        seen_img, seen_text, seen_code = {}, {}, {}

        def intern(value, seen, table):
            if value not in seen:
                seen[value] = len(table)
                table.append(value)
            return seen[value]

        default_png = frames[keys.index(base)].png
        for key, f in zip(keys, frames):
            uri = "" if f.png == default_png else \
                "data:image/png;base64," + base64.b64encode(f.png).decode("ascii")
            index[",".join(map(str, key))] = [intern(uri, seen_img, images),
                                              intern(f.text or "", seen_text, texts),
                                              intern(f.code or "", seen_code, codes)]
        return {
            "alt": self.alt + ".",
            "codes": codes,
            "defaults": list(base),
            "images": images,
            "index": index,
            "labels": [c.labels for c in self.controls],
            "mode": self.mode,
            "names": [c.label for c in self.controls],
            "resetNote": "Other controls were reset to their defaults: this static preview "
                         "only has frames that vary one control at a time.",
            "texts": texts,
        }, frames[keys.index(base)]

    def content_id(self):
        """Root element id: ``ck-`` and 10 hex digits of a hash of everything shown."""
        data, first = self._static_data()
        spec = [self.title, self.caption, [(c.kind, c.name, c.label) for c in self.controls]]
        digest = hashlib.sha256(_json_for_script([spec, data]).encode("ascii") + first.png)
        return "ck-" + digest.hexdigest()[:10]

    def _notes(self):
        n = len(self.frame_keys())
        if self.mode == "full":
            what = (f"all {n} settings were precomputed when this page was built"
                    if n > 1 else "this picture was precomputed when this page was built")
            run = "to try other inputs"
        else:
            what = (f"{n} precomputed frames, each varying one control while the others stay "
                    f"at their defaults (all {self.n_combinations} combinations would make the "
                    "page too heavy); moving a control resets the others")
            run = "to combine the controls freely"
        typed = ""
        if any(isinstance(c, KernelText) for c in self.controls):
            typed = (" Here you choose among preset kernels; the notebook also accepts a "
                     "kernel you type.")
        return (f"Static preview: {what}.{typed} Run this notebook (on Binder or locally) "
                f"{run}.")

    def static_html(self, uid=None):
        """The static version: labelled controls, precomputed frames, a few lines of JS.

        Parameters
        ----------
        uid : str, optional
            Id of the root element (default: :meth:`content_id`).

        Returns
        -------
        str
            Self-contained HTML: no external URL, no ``<script src>``.
        """
        data, first = self._static_data()
        uid = uid or self.content_id()
        e = html.escape
        sizes = {f.size for _, f in self.frames()}
        # width/height reserve the space before the image loads; only if every frame agrees
        dims = ' width="{}" height="{}"'.format(*first.size) if len(sizes) == 1 else ""
        setting = ", ".join(f"{c.label}: {c.labels[c.default_index]}" for c in self.controls)
        parts = [
            f'<div class="ck-demo" id="{uid}" role="group" aria-labelledby="{uid}-title" '
            f'data-ck-mode="{self.mode}">',
            _STYLE,
            f'<p class="ck-title" id="{uid}-title">{e(self.title)}</p>',
            '<div class="ck-controls">',
            *(f'<div class="ck-control">{c.static_html(uid, j)}</div>'
              for j, c in enumerate(self.controls)),
            "</div>",
            f'<img class="ck-frame" src="data:image/png;base64,'
            f'{base64.b64encode(first.png).decode("ascii")}"{dims} '
            f'alt="{e(self.alt)}. {e(setting)}.">',
        ]
        if any(data["texts"]):
            parts.append(f'<p class="ck-text">{e(first.text or "")}</p>')
        if any(data["codes"]):
            parts.append(f'<pre class="ck-code"><code>{e(first.code or "")}</code></pre>')
        if self.caption:
            parts.append(f'<p class="ck-caption">{e(self.caption)}</p>')
        parts += [
            '<p class="ck-status" role="status" aria-live="polite"></p>',
            f'<p class="ck-note">{e(self._notes())}</p>',
            '<p class="ck-noscript"><strong>The controls above need this page\'s script, '
            'which is not running here: run this cell (or open the book\'s website) for '
            'the working demo.</strong></p>',
            f'<script type="application/json" class="ck-data">{_json_for_script(data)}</script>',
            f"<script>{_SCRIPT.replace('__ROOT__', uid)}</script>",
            "</div>",
        ]
        return "\n".join(parts)

    def static_nbytes(self):
        """Size of :meth:`static_html` in bytes (what this demo adds to its page)."""
        return len(self.static_html().encode("utf-8"))

    # --- live widget --------------------------------------------------------------------------
    def widget(self):
        """The live version: ipywidgets controls and an ``ipywidgets.Image``.

        Returns
        -------
        DemoWidget
            An ``ipywidgets.VBox`` with attributes ``controls`` (name -> main value
            widget), ``image``, ``text``, ``code`` and ``message`` (errors, e.g. a
            kernel that cannot be read).
        """
        return DemoWidget(self)

    # --- display ------------------------------------------------------------------------------
    def __repr__(self):
        n = len(self.frame_keys())
        how = "every combination" if self.mode == "full" else \
            f"each control alone, of {self.n_combinations} combinations"
        controls = "; ".join(c.summary() for c in self.controls) or "no controls"
        frames = f"{n} static frame" + ("s" if n != 1 else "")
        return f"<Demo {self.title!r}: {controls}; {frames} ({how})>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        base = self.content_id()
        count = _EMITTED[base]
        _EMITTED[base] += 1
        uid = base if count == 0 else f"{base}-{count}"
        data = {"text/plain": repr(self), "text/html": self.static_html(uid)}
        data[WIDGET_MIME] = self.widget()._repr_mimebundle_()[WIDGET_MIME]
        if include:
            data = {k: v for k, v in data.items() if k in include}
        if exclude:
            data = {k: v for k, v in data.items() if k not in exclude}
        return data


class DemoWidget(W.VBox):
    """The live widget of a :class:`Demo` (see :meth:`Demo.widget`)."""

    def __init__(self, demo):
        self.demo = demo
        self.lives = [c.live() for c in demo.controls]
        self.controls = {lv.control.name: lv.widget for lv in self.lives}
        first = demo._frame_at(tuple(c.default_index for c in demo.controls))
        self.image = W.Image(value=first.png, format="png")
        self.text = W.HTML(self._text_html(first.text))
        self.code = W.HTML(self._code_html(first.code))
        self.message = W.HTML("")
        title = W.HTML(f"<b>{html.escape(demo.title)}</b>")
        controls = W.HBox([w for lv in self.lives for w in lv.shown],
                          layout=W.Layout(flex_flow="row wrap", align_items="center"))
        rows = [title, controls, self.image, self.text, self.code, self.message]
        if demo.caption:
            rows.insert(-1, W.HTML(f"<p>{html.escape(demo.caption)}</p>"))
        super().__init__(rows)
        for lv in self.lives:
            for w, trait in lv.watched:
                w.observe(self._update, trait)

    def set(self, **values):
        """Move controls to the given values (as a reader would); for tests and scripts."""
        for name, value in values.items():
            lv = next((lv for lv in self.lives if lv.control.name == name), None)
            if lv is None:
                raise TypeError(f"unknown control {name!r}")
            if isinstance(lv.control, KernelText):
                lv.text.value = value if isinstance(value, str) else format_kernel(value)
                continue
            i = lv.control.index_of(value)
            if i is None:
                raise ValueError(f"{name}={value!r} is not one of {lv.control.values!r}")
            lv.widget.value = bool(value) if isinstance(lv.control, Toggle) else i

    @staticmethod
    def _text_html(text):
        return f"<p>{html.escape(text)}</p>" if text else ""

    @staticmethod
    def _code_html(code):
        return f"<pre><code>{html.escape(code)}</code></pre>" if code else ""

    def _update(self, change=None):
        state = [lv.read() for lv in self.lives]
        key = tuple(i for i, _ in state)
        try:
            if None in key:
                f = self.demo.frame(**{lv.control.name: v for lv, (_, v) in zip(self.lives, state)})
            else:
                f = self.demo._frame_at(key)
        except Exception as err:     # shown to the reader instead of vanishing into a log
            msg = str(err) if isinstance(err, ValueError) else f"{type(err).__name__}: {err}"
            self.message.value = (f'<p role="alert"><b>Cannot show this setting.</b> '
                                  f"{html.escape(msg)}</p>")
            return
        errors = [lv.error for lv in self.lives if lv.error]
        self.message.value = "".join(f'<p role="alert"><b>Note:</b> {html.escape(m)}</p>'
                                     for m in errors)
        self.image.value = f.png
        self.text.value = self._text_html(f.text)
        self.code.value = self._code_html(f.code)
