"""The notebooks as readers run them: JupyterLab, "Run All", then a live widget moved from the keyboard.

nbval proves that the notebooks run; this proves that a reader who opens one in JupyterLab
and runs it gets working demos. JupyterLab runs from the project's environment on
127.0.0.1 with a token, news, update checks, the extension manager and autosave off, and a
temporary home (config, data, runtime, IPython and matplotlib folders), so the test neither
depends on nor changes the machine, and never writes the notebooks.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import ROOT, free_port, unavailable, wait_http

pytestmark = pytest.mark.live

CHAPTERS = [c for c in ("conv1d", "padding", "transposed") if (ROOT / "book" / f"{c}.ipynb").exists()]
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # render every cell (no windowing), so that outputs above the viewport stay in the page
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# the notebook's own kernel is attached (named in its toolbar) and idle
KERNEL_READY = """() => {
    const name = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName');
    const state = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return !!name && !!state && !['', 'No Kernel'].includes(name.textContent.trim())
        && state.getAttribute('data-status') === 'idle';
}"""
# the first code cell is queued or has run: its prompt reads [*] or [1]
RUN_STARTED = """() => {
    const prompt = document.querySelector('.jp-CodeCell .jp-InputPrompt');
    return !!prompt && /\\[(\\*|\\d+)\\]/.test(prompt.textContent);
}"""


@pytest.fixture(scope="module")
def jupyterlab():
    lab = Path(sys.executable).with_name("jupyter-lab")
    if not lab.exists():
        unavailable("JupyterLab is not installed (pip install -e '.[test]')")
    home = Path(tempfile.mkdtemp(prefix="ck-lab-"))
    settings = home / "settings"
    for name, value in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/extensionmanager-extension": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), IPYTHONDIR=str(home / "ipython"),
               MPLCONFIGDIR=str(home / "mpl"), HOME=str(home))
    token = secrets.token_hex(16)
    port = free_port()
    proc = subprocess.Popen(
        [str(lab), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True",
         "--LabApp.extension_manager=readonly"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(home / "lab.log", "w"))
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/api/status?token={token}", timeout=60, process=proc, log=home / "lab.log")
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_all_then_move_a_live_slider(playwright_browser, jupyterlab, chapter):
    base, token = jupyterlab
    stored = (ROOT / "book" / f"{chapter}.ipynb").read_bytes()
    context = playwright_browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # a workspace of its own, so no other notebook is restored beside this one
        page.goto(f"{base}/lab/workspaces/live-{chapter}/tree/book/{chapter}.ipynb?reset&token={token}",
                  wait_until="domcontentloaded")
        page.locator(".jp-Notebook").first.wait_for(timeout=90000)
        # The execution indicator says "idle" before a kernel is attached too ("No Kernel |
        # Initializing"); Run All in that window finds no kernel and leaves every cell unrun.
        page.wait_for_function(KERNEL_READY, timeout=90000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        page.wait_for_function(RUN_STARTED, timeout=30000)
        slider = page.locator(".jp-OutputArea-output .widget-slider .noUi-handle, "
                              ".jp-OutputArea-output .widget-hslider .noUi-handle").first
        slider.wait_for(timeout=120000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120000)
        demo = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
        demo.scroll_into_view_if_needed()
        image = demo.locator("img").first
        image.wait_for(timeout=30000)
        before = demo.screenshot()
        src_before = image.get_attribute("src")
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([img, src]) => img.getAttribute('src') !== src",
                               arg=[image.element_handle(), src_before], timeout=30000)
        page.wait_for_timeout(300)
        assert demo.screenshot() != before, "the live demo did not redraw after the slider moved"
        assert not page.locator("text=Error displaying widget").count()
        assert errors == [], errors
    finally:
        shots = ROOT / "_build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"live-{chapter}.png"))
        context.close()
    assert (ROOT / "book" / f"{chapter}.ipynb").read_bytes() == stored, "the notebook was modified"
