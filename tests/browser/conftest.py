"""Fixtures for tests that use the book as readers do: the built site in headless Chromium,
and the notebooks in a running JupyterLab.

Chromium is Debian's (`apt-get install chromium`); Playwright drives it and never downloads a
browser. Without Chromium (or Playwright) these tests are skipped with a one-line reason, except
under CI (CI=true), where a skip is a failure.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
# CK_SITE_DIR points the tests at another built copy (used to show that they catch breakage)
HTML = Path(os.environ.get("CK_SITE_DIR", ROOT / "_build" / "html"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str):
    """Skip with a reason -- or, under CI, fail: CI installs everything these tests need."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, process=None, log=None) -> None:
    """Wait until ``url`` answers; fail at once (with the log's tail) if ``process`` exits."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process is not None and process.poll() is not None:
            tail = Path(log).read_text()[-2000:] if log else ""
            raise RuntimeError(f"the server exited with {process.returncode} before answering:\n{tail}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@pytest.fixture(scope="session")
def playwright_browser():
    if not Path(CHROMIUM).exists():
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site():
    """The built site, served on 127.0.0.1; built first if missing or older than its sources."""
    if "CK_SITE_DIR" not in os.environ:
        sys.path.insert(0, str(ROOT))
        import tasks
        tasks.build_if_stale()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            cwd=HTML, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_http(base)
        yield base
    finally:
        proc.terminate()
        proc.wait()


class Guard:
    """Blocks and records every request that would leave the machine; records console errors."""

    def __init__(self, page, allowed_port: int):
        self.outside, self.console, self.errors, self.local_failures = [], [], [], []
        self.port = allowed_port

        def route(route, request):
            url = urlparse(request.url)
            if url.scheme in ("data", "blob") or (url.hostname == "127.0.0.1" and url.port == self.port):
                route.continue_()
            else:
                self.outside.append(request.url)
                route.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and r.url.startswith("http://127.0.0.1")
                and self.local_failures.append(f"{r.status} {r.url}"))


@pytest.fixture
def new_page(playwright_browser, site):
    """A fresh page with the network guard; yields (page, guard)."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    guard = Guard(page, urlparse(site).port)
    yield page, guard
    context.close()
