"""Every page of the built site in headless Chromium, offline: what a reader sees.

Per page: no console or page errors, no request leaves the machine (all are blocked and
counted), math is typeset (no raw TeX), images load, the navigation is there, and notebook
pages carry the Binder launch and download buttons. Per demo: its controls are labelled and
reachable with the keyboard, and moving each one from the keyboard changes what the demo
shows (screenshots of its picture, and its text, compared; the control's own readout does
not count). The first demo of each chapter is saved under
_build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import HTML, ROOT

pytestmark = pytest.mark.browser

REPO = "https://github.com/convkit/convolution-visually"
SHOTS = ROOT / "_build" / "screenshots"


def toc_pages():
    text = (ROOT / "_toc.yml").read_text()
    return re.findall(r"(?:root|file):\s*(\S+)", text)


PAGES = toc_pages()
NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / f"{p}.ipynb").exists()]

MATH_JS = """() => {
  const maths = [...document.querySelectorAll('.math')];
  const untypeset = maths.filter(m => !m.querySelector('mjx-container')).length;
  const root = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, mjx-assistive-mml, .ck-code')) continue;
    const t = n.textContent;
    if (t.includes('$$') || t.includes('\\\\[') || t.includes('\\\\(') || /\\\\(frac|sum|lfloor)/.test(t))
      raw.push(t.trim().slice(0, 80));
  }
  return {maths: maths.length, untypeset, raw};
}"""


def open_page(page, site, rel):
    page.goto(site + rel, wait_until="networkidle")
    if page.locator(".math").count():
        page.wait_for_function("() => [...document.querySelectorAll('.math')]"
                               ".every(m => m.querySelector('mjx-container'))", timeout=20000)


@pytest.mark.parametrize("rel", [f"{p}.html" for p in PAGES])
def test_page_renders_offline(new_page, site, rel):
    page, guard = new_page
    open_page(page, site, rel)
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.console == [] and guard.errors == [], f"console: {guard.console} errors: {guard.errors}"
    assert guard.local_failures == [], guard.local_failures
    math = page.evaluate(MATH_JS)
    assert math["untypeset"] == 0 and math["raw"] == [], f"math not rendered: {math}"
    broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                           ".map(i => i.src.slice(0, 80))")
    assert broken == [], f"images that did not load: {broken}"
    nav = page.locator("nav.bd-docs-nav a.reference")
    assert nav.count() >= len(PAGES) - 1, "the table of contents is missing from the sidebar"
    assert page.locator("h1").count() >= 1


@pytest.mark.parametrize("rel", [f"{p}.html" for p in NOTEBOOK_PAGES])
def test_notebook_page_has_launch_and_download_buttons(new_page, site, rel):
    page, guard = new_page
    open_page(page, site, rel)
    hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || '')")
    notebook = rel.replace(".html", ".ipynb")
    binder = f"https://mybinder.org/v2/gh/convkit/convolution-visually/main?urlpath=lab/tree/{notebook}"
    assert binder in hrefs, f"no Binder launch link for {notebook}"
    assert REPO in hrefs, "no repository link"
    downloads = [h for h in hrefs if h.endswith(".ipynb") and "_sources/" in h]
    assert downloads, "no download-notebook link"
    for href in downloads:
        response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
        assert response.ok and b'"cells"' in response.body()


def demo_ids(page):
    return page.evaluate("() => [...document.querySelectorAll('.ck-demo')].map(d => d.id)")


def move(page, control):
    """Move one control from the keyboard; return a description of the key pressed."""
    kind = control.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    control.focus()
    if kind.startswith("select"):
        at_end = control.evaluate("e => e.selectedIndex === e.options.length - 1")
        key = "ArrowUp" if at_end else "ArrowDown"
    elif kind == "input:checkbox":
        key = "Space"
    else:  # range
        at_end = control.evaluate("e => Number(e.value) === Number(e.max)")
        key = "ArrowLeft" if at_end else "ArrowRight"
    page.keyboard.press(key)
    return key


@pytest.mark.parametrize("rel", [f"{p}.html" for p in NOTEBOOK_PAGES])
def test_every_demo_responds_to_the_keyboard(new_page, site, rel):
    page, guard = new_page
    open_page(page, site, rel)
    ids = demo_ids(page)
    assert ids, f"{rel} has no demo"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for n, demo_id in enumerate(ids):
        demo = page.locator(f"#{demo_id}")
        demo.scroll_into_view_if_needed()
        assert demo.get_attribute("data-ck-live") == "1", "the page script did not start"
        assert demo.locator(".ck-noscript").is_hidden(), "the no-script warning still shows"
        if n == 0:
            demo.screenshot(path=str(SHOTS / f"{Path(rel).stem}.png"))
        controls = demo.locator("[data-ck-control]")
        count = controls.count()
        assert count >= 1
        # labelled, enabled, and reachable with Tab from the demo's title
        order = page.evaluate("""id => {
            const root = document.getElementById(id);
            return [...root.querySelectorAll('[data-ck-control]')].map(c => ({
              id: c.id, disabled: c.disabled, tab: c.tabIndex,
              label: (document.querySelector('label[for="' + c.id + '"]') || {}).textContent || ''}));
        }""", demo_id)
        for c in order:
            assert c["label"].strip(), f"control {c['id']} has no label"
            assert not c["disabled"] and c["tab"] >= 0, f"control {c['id']} is not keyboard-reachable"
        page.evaluate("id => { const t = document.getElementById(id).querySelector('.ck-title');"
                      " t.setAttribute('tabindex', '-1'); t.focus(); }", demo_id)
        reached = []
        for _ in range(4 * count + 4):
            page.keyboard.press("Tab")
            focused = page.evaluate("() => document.activeElement && document.activeElement.id")
            if focused:
                reached.append(focused)
        missing = [c["id"] for c in order if c["id"] not in reached]
        assert not missing, f"Tab never reaches {missing}"
        # each control, moved from the keyboard, changes what the demo shows
        picture = demo.locator("img.ck-frame")
        words = f"() => [...document.querySelectorAll('#{demo_id} .ck-text, #{demo_id} .ck-code')].map(e => e.textContent).join('|')"
        for j in range(count):
            control = controls.nth(j)
            before = (picture.screenshot(), page.evaluate(words))
            key = move(page, control)
            page.wait_for_timeout(50)
            after = (picture.screenshot(), page.evaluate(words))
            assert before != after, f"{demo_id}: pressing {key} on control {j} changed nothing shown"
    assert guard.console == [] and guard.errors == [], f"console: {guard.console} errors: {guard.errors}"
    assert guard.outside == []
