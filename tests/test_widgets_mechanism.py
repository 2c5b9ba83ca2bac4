"""The demo mechanism (convkit.widgets.Demo): live widget, static page, determinism.

Toy demos only: the chapters' explore_* functions have their own tests.
"""
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import ipywidgets as W
import numpy as np
import pytest

from convkit import plot
from convkit.widgets import (
    Choice, Demo, Frame, KernelText, RenderedFrame, Slider, Step, Toggle, format_kernel,
)

X = np.arange(16).reshape(4, 4) % 5 - 2


def threshold_draw(t, mode):
    fig = plot.new_figure((3.0, 1.6))
    left, right = fig.subplots(1, 2)
    plot.show_array(X, left, vmin=-2, vmax=2)
    y = X > t if mode == "x" else np.abs(X) > t
    plot.show_array(y.astype(int), right, vmin=0, vmax=1)
    return Frame(fig, text=f"{int(y.sum())} cells pass", code=f"y = {mode} > {t}")


def threshold_demo(**kw):
    return Demo(threshold_draw, [Slider("t", [-1, 0, 1], "Threshold", default=0),
                                 Choice("mode", {"x": "x", "|x|": "abs"}, "Compare")],
                title="Threshold", **kw)


def sweep_draw(step, scale, flip, k):
    fig = plot.new_figure((3.0, 1.6))
    left, right = fig.subplots(1, 2)
    r, c = divmod(step, 2)
    plot.show_array(X * scale * (-1 if flip else 1), left, vmin=-6, vmax=6,
                    highlight=(slice(r, r + 3), slice(c, c + 3)))
    plot.show_array(k, right, signed=True, vmin=-2, vmax=2)
    return fig


PRESETS = {"identity": np.eye(3), "Sobel x": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])}


def sweep_demo(budget=10):
    return Demo(sweep_draw, [Step("step", 4, "Position"), Slider("scale", [1, 2, 3], "Scale"),
                             Toggle("flip", "Flip sign"), KernelText("k", PRESETS)],
                title="Sweep", budget=budget)


@pytest.fixture(scope="module")
def full():
    return threshold_demo()


@pytest.fixture(scope="module")
def sweep():
    return sweep_demo()


class Elements(HTMLParser):
    """Start tags of an HTML string, as (tag, attrs dict), and the text of <script>s."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


# --- parameters, frames, budget ---------------------------------------------------------------

def test_values_and_defaults(full, sweep):
    assert full.values == {"t": [-1, 0, 1], "mode": ["x", "abs"]}
    assert full.defaults == {"t": 0, "mode": "x"}
    assert list(sweep.values) == ["step", "scale", "flip", "k"]
    assert sweep.values["step"] == [0, 1, 2, 3] and sweep.values["flip"] == [False, True]
    assert np.array_equal(sweep.defaults["k"], np.eye(3))


def test_full_product_when_it_fits_the_budget(full):
    assert full.mode == "full" and full.n_combinations == 6
    settings = [s for s, _ in full.frames()]
    assert len(settings) == 6
    assert {(s["t"], s["mode"]) for s in settings} == {(t, m) for t in (-1, 0, 1)
                                                        for m in ("x", "abs")}


def test_sweep_when_the_product_exceeds_the_budget(sweep):
    assert sweep.n_combinations == 4 * 3 * 2 * 2 > sweep.budget
    assert sweep.mode == "sweep"
    frames = sweep.frames()
    assert len(frames) == 1 + 3 + 2 + 1 + 1
    defaults = sweep.defaults
    for setting, _ in frames:        # each frame moves at most one control off its default
        moved = [n for n in setting if not np.array_equal(setting[n], defaults[n])]
        assert len(moved) <= 1


def test_same_demo_is_full_with_a_larger_budget():
    assert len(sweep_demo(budget=48).frames()) == 48


def test_sweep_over_budget_is_an_error():
    with pytest.raises(ValueError, match="budget"):
        Demo(sweep_draw, [Step("step", 40), Slider("scale", range(30))], title="Too big",
             budget=60)


def test_bad_controls_are_errors():
    with pytest.raises(ValueError, match="identifier"):
        Slider("not a name", [1, 2])
    with pytest.raises(ValueError, match="default"):
        Slider("p", [1, 2], default=3)
    with pytest.raises(ValueError, match="unique"):
        Demo(threshold_draw, [Slider("t", [0]), Slider("t", [1])], title="x")


def test_render_is_pure_and_fills_defaults(full):
    first = full.render(t=1)
    assert isinstance(first, Frame) and first.code == "y = x > 1"
    again = full.render(t=1, mode="x")
    assert plot.fig_to_png(first.figure) == plot.fig_to_png(again.figure)
    with pytest.raises(TypeError, match="unknown"):
        full.render(threshold=1)


def test_render_accepts_a_bare_figure(sweep):
    rendered = sweep.frame(step=2)
    assert isinstance(rendered, RenderedFrame) and rendered.code is None
    assert rendered.size[0] > 100 and rendered.png.startswith(b"\x89PNG")


def test_frames_are_compact():
    sizes = [len(f.png) for _, f in threshold_demo().frames()]
    assert max(sizes) < 15_000


# --- static HTML -------------------------------------------------------------------------------

def test_static_html_is_deterministic_with_content_ids():
    first, second = threshold_demo().static_html(), threshold_demo().static_html()
    assert first == second
    root = re.search(r'<div class="ck-demo" id="(ck-[0-9a-f]{10})"', first)
    assert root and root.group(1) == threshold_demo().content_id()
    other = Demo(lambda t: threshold_draw(t, "x"), [Slider("t", [-1, 0], "Threshold")],
                 title="Threshold")
    assert other.content_id() != root.group(1)


def test_static_html_is_self_contained(full, sweep):
    for demo in (full, sweep):
        page = demo.static_html()
        assert "http" not in page
        assert "<script src" not in page and "<link" not in page
        assert not re.search(r'(src|href)="(?!data:)', page)   # only data: URIs


def test_every_control_is_labelled_and_ids_unique(full, sweep):
    for demo in (full, sweep):
        tags = Elements(demo.static_html()).tags
        ids = [a["id"] for _, a in tags if "id" in a]
        assert len(ids) == len(set(ids))
        labels = {a["for"] for t, a in tags if t == "label"}
        controls = [a for t, a in tags if t in ("input", "select")]
        assert len(controls) == len(demo.controls)
        for a in controls:
            assert a["id"] in labels
            assert "disabled" in a        # enabled by the script: no dead control without it
        for t, a in tags:
            if t == "button":
                assert a["type"] == "button" and a["aria-pressed"] == "false"
        assert any(a.get("aria-live") == "polite" for _, a in tags)


def test_static_controls_match_the_control_kinds(sweep):
    tags = Elements(sweep.static_html()).tags
    kinds = [(t, a.get("type")) for t, a in tags if t in ("input", "select")]
    assert kinds == [("input", "range"), ("input", "range"), ("input", "checkbox"),
                     ("select", None)]
    options = [a["value"] for t, a in tags if t == "option"]
    assert options == ["0", "1"]                          # the two kernel presets


def test_frame_table_covers_every_precomputed_setting(full, sweep):
    for demo in (full, sweep):
        page = demo.static_html()
        table = json.loads(Elements(page).scripts[0])
        assert len(table["index"]) == len(demo.frames())
        for key, (img, text, code) in table["index"].items():
            assert len(key.split(",")) == len(demo.controls)
            assert 0 <= img < len(table["images"])
            assert 0 <= text < len(table["texts"]) and 0 <= code < len(table["codes"])
        assert table["labels"][0] == demo.controls[0].labels
        # the default frame is stored once, in the <img>
        uris = [u for u in table["images"] if u]
        assert len(uris) == len(table["images"]) - 1
        assert all(u.startswith("data:image/png;base64,") for u in uris)


def test_frame_texts_and_code_shown(full):
    page = full.static_html()
    assert '<p class="ck-text">' in page and "y = x &gt; 0" in page


def test_static_page_says_what_is_precomputed(full, sweep):
    full_page, sweep_page = full.static_html(), sweep.static_html()
    assert "all 6 settings were precomputed" in full_page
    assert "Run this notebook" in full_page and "Run this notebook" in sweep_page
    assert "each varying one control while the others stay at their defaults" in sweep_page
    assert "reset" in sweep_page
    assert "the notebook also accepts a kernel you type" in sweep_page
    assert "typed" not in full_page
    assert 'class="ck-noscript"' in full_page                 # hidden by the script


def test_untrusted_json_cannot_close_the_script():
    def draw(t):
        return Frame(plot.new_figure((1, 1)), code=f"</script><b>{t}</b> & more")
    page = Demo(draw, [Slider("t", [1])], title="t").static_html()
    data_block = page.split('<script type="application/json" class="ck-data">')[1]
    assert "</script>" not in data_block.split("</script>")[0]
    assert json.loads(data_block.split("</script>")[0])["codes"] == ["</script><b>1</b> & more"]


# --- display -----------------------------------------------------------------------------------

def test_mimebundle_has_widget_html_and_plain(full):
    bundle = full._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"}
    assert bundle["application/vnd.jupyter.widget-view+json"]["version_major"] == 2
    plain = bundle["text/plain"]
    assert plain == repr(full) and "0x" not in plain and len(plain) < 300
    assert plain.startswith("<Demo 'Threshold'")


def test_displaying_twice_gives_distinct_root_ids():
    demo = threshold_demo()
    roots = [re.search(r'id="(ck-[0-9a-f-]+)"', demo._repr_mimebundle_()["text/html"]).group(1)
             for _ in range(2)]
    assert roots[0] != roots[1]
    assert roots[0][:13] == roots[1][:13] == demo.content_id()    # ck- + 10 hex, then -n


def test_mimebundle_include_exclude(full):
    assert set(full._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert "text/html" not in full._repr_mimebundle_(exclude=["text/html"])


# --- live widget -------------------------------------------------------------------------------

def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_live_widget_is_built_from_the_controls(full, sweep):
    w = full.widget()
    assert isinstance(w, W.VBox) and isinstance(w.image, W.Image)
    assert isinstance(w.controls["t"], W.SelectionSlider)
    assert isinstance(w.controls["mode"], (W.ToggleButtons, W.Dropdown))
    assert w.controls["t"].description == "Threshold"
    assert not any(isinstance(x, W.Output) for x in walk(w))    # Output leaks into nbval
    s = sweep.widget()
    assert any(isinstance(x, W.Play) for x in walk(s))
    assert isinstance(s.controls["flip"], W.Checkbox)
    assert isinstance(s.controls["k"], W.Text)


def test_moving_a_control_replaces_the_image(full):
    w = full.widget()
    before = w.image.value
    assert before == full.frame().png
    w.set(t=1)
    assert w.image.value != before
    assert w.image.value == full.frame(t=1).png
    assert "y = x &gt; 1" in w.code.value and "cells pass" in w.text.value
    w.controls["mode"].value = 1            # what the front end does: set the widget's value
    assert w.image.value == full.frame(t=1, mode="abs").png


def test_step_and_toggle_update(sweep):
    w = sweep.widget()
    w.controls["step"].value = 3
    assert w.image.value == sweep.frame(step=3).png
    w.controls["flip"].value = True
    assert w.image.value == sweep.frame(step=3, flip=True).png   # live: any combination


def test_typed_kernel_is_parsed_and_drawn(sweep):
    w = sweep.widget()
    w.controls["k"].value = "0 1 0; 1 -4 1; 0 1 0"
    assert w.message.value == ""
    expected = sweep.frame(k=np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], float)).png
    assert w.image.value == expected


def test_invalid_kernel_shows_a_message_and_keeps_the_picture(sweep):
    w = sweep.widget()
    w.controls["k"].value = "1 2; 3"                 # rows of different lengths
    assert "Could not read the kernel" in w.message.value
    assert 'role="alert"' in w.message.value
    assert w.image.value == sweep.frame().png
    w.controls["k"].value = "1 0 -1; 2 0 -2; 1 0 -1"   # typed preset: accepted, selected
    assert w.message.value == ""
    assert w.image.value == sweep.frame(k=PRESETS["Sobel x"]).png


def test_choosing_a_preset_fills_the_text(sweep):
    w = sweep.widget()
    preset = next(lv for lv in w.lives if lv.control.name == "k").preset
    preset.value = 1
    assert w.controls["k"].value == format_kernel(PRESETS["Sobel x"])
    assert w.image.value == sweep.frame(k=PRESETS["Sobel x"]).png


def test_errors_of_the_drawing_function_are_shown_not_raised():
    def draw(k):
        if k.shape != (3, 3):
            raise ValueError(f"kernel must be 3x3, got {k.shape}")
        return plot.new_figure((1, 1))
    w = Demo(draw, [KernelText("k", {"box": np.ones((3, 3))})], title="k").widget()
    w.controls["k"].value = "1 2"
    assert "kernel must be 3x3" in w.message.value


def test_format_kernel_round_trips_through_parse_kernel():
    from convkit.kernels import parse_kernel
    for k in (np.eye(3), np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
              np.full((2, 2), 1 / 9), np.array([[0.1234567891, -2.5]])):
        assert np.array_equal(parse_kernel(format_kernel(k)), k)


# --- the page script in a real browser ---------------------------------------------------------

SELFTEST = r"""
(function () {
  var R = {}, demos = document.querySelectorAll(".ck-demo");
  function fire(el, type) { el.dispatchEvent(new Event(type, {bubbles: true})); }
  function val(d) { return Array.prototype.map.call(d.querySelectorAll("[data-ck-control]"),
      function (e) { return e.type === "checkbox" ? (e.checked ? "1" : "0") : e.value; }).join(","); }
  R.live = Array.prototype.map.call(demos, function (d) { return d.getAttribute("data-ck-live"); });
  R.enabled = Array.prototype.every.call(document.querySelectorAll(".ck-demo input,.ck-demo select,.ck-demo button"),
      function (e) { return !e.disabled; });
  R.noscriptHidden = Array.prototype.every.call(document.querySelectorAll(".ck-noscript"), function (n) { return n.hidden; });
  var d0 = demos[0], img = d0.querySelector("img.ck-frame"), src0 = img.src, t = d0.querySelector("input[type=range]");
  t.value = "2"; fire(t, "input"); fire(t, "change");
  R.full = [img.src !== src0, d0.querySelector("output").textContent, d0.querySelector(".ck-code code").textContent,
            t.getAttribute("aria-valuetext"), d0.querySelector(".ck-status").textContent];
  t.value = "1"; fire(t, "change");
  R.fullBack = img.src === src0;
  var d1 = demos[1], c = d1.querySelectorAll("[data-ck-control]");
  c[1].value = "2"; fire(c[1], "input"); fire(c[1], "change");
  R.sweepA = val(d1);
  c[2].checked = true; fire(c[2], "input"); fire(c[2], "change");
  R.sweepB = [val(d1), d1.querySelector(".ck-status").textContent];
  var btn = d1.querySelector("button.ck-play"); btn.click();
  R.playing = btn.getAttribute("aria-pressed");
  setTimeout(function () {
    R.played = [val(d1), btn.getAttribute("aria-pressed"), d1.querySelector("output").textContent];
    var t2 = demos[2].querySelector("input[type=range]"); t2.value = "0"; fire(t2, "change");
    R.independent = [t.value, t2.value];
    document.getElementById("results").textContent = JSON.stringify(R);
  }, 3000);
})();
"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (apt)")
def test_static_page_script_in_headless_chromium(tmp_path):
    full, sweep = threshold_demo(), sweep_demo()
    for c in sweep.controls:
        if isinstance(c, Step):
            c.interval = 50
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>"
            + full._repr_mimebundle_()["text/html"] + sweep._repr_mimebundle_()["text/html"]
            + full._repr_mimebundle_()["text/html"]          # the same demo twice on a page
            + "<pre id='results'></pre><script>" + SELFTEST + "</script></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    proc = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
         "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="results">(.*?)</pre>', proc.stdout, re.S)
    assert found and found.group(1), proc.stderr[-2000:]
    r = json.loads(html.unescape(found.group(1)))
    assert r["live"] == ["1", "1", "1"] and r["enabled"] and r["noscriptHidden"]
    assert r["full"] == [True, "1", "y = x > 1", "1", "Threshold: 1, Compare: x."]
    assert r["fullBack"]
    # sweep: moving "flip" while "scale" is off its default resets "scale", and says so
    assert r["sweepA"] == "0,2,0,0"
    assert r["sweepB"][0] == "0,0,1,0" and r["sweepB"][1].startswith("Other controls were reset")
    assert r["playing"] == "true"
    assert r["played"] == ["3,0,0,0", "false", "4 of 4"]
    assert r["independent"] == ["1", "0"]
    errors = [line for line in proc.stderr.splitlines()
              if "CONSOLE" in line and ("Error" in line or "error" in line)]
    assert not errors
