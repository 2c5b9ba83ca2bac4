"""Binder: requirements.txt + runtime.txt are all it needs, and the launch links point at real notebooks.

The slow test builds a fresh virtual environment from requirements.txt alone, as Binder's
repo2docker does, and executes every notebook in it with nbclient from the notebook's own
folder: anything the book imports but requirements.txt lacks makes it fail.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def notebooks():
    text = (ROOT / "_toc.yml").read_text()
    entries = re.findall(r"(?:root|file):\s*(\S+)", text)
    return [e for e in entries if (ROOT / f"{e}.ipynb").exists()]


def test_runtime_matches_the_python_we_support():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    version = runtime.split("-")[1]
    assert version == "3.11", "runtime.txt pins the Python that CI and this book are tested with"
    requires = re.search(r'requires-python\s*=\s*">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text())
    assert tuple(map(int, requires.group(1).split("."))) <= tuple(map(int, version.split(".")))


def test_requirements_are_pinned_and_install_the_project():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    assert "-e ." in lines
    for ln in lines:
        if ln != "-e .":
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+\-]*", ln), f"not pinned: {ln}"
    assert any(ln.startswith("jupyter-book==1.") for ln in lines)
    assert not (ROOT / "postBuild").exists() and not (ROOT / "binder").exists(), "no Binder tricks"


def test_launch_urls_point_at_the_repository_and_existing_notebooks():
    cfg = config()
    repo = cfg["repository"]["url"]
    assert repo == "https://github.com/convkit/convolution-visually"
    assert cfg["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    built = ROOT / "_build" / "html"
    if not (built / "index.html").exists():
        pytest.skip("the site is not built (python3 tasks.py build)")
    owner_repo = repo.split("github.com/")[1]
    pattern = re.compile(rf'https://mybinder\.org/v2/gh/{re.escape(owner_repo)}/'
                         rf'{cfg["repository"]["branch"]}\?urlpath=lab/tree/([^"&]+)')
    seen = set()
    for page in notebooks():
        html = (built / f"{page}.html").read_text()
        targets = set(pattern.findall(html))
        assert targets == {f"{page}.ipynb"}, f"{page}.html launches {targets}"
        assert (ROOT / f"{page}.ipynb").exists()
        seen |= targets
    assert seen, "no launch buttons found in the built pages"


RUNNER = textwrap.dedent("""
    import sys, time, nbformat
    from pathlib import Path
    from nbclient import NotebookClient
    for path in map(Path, sys.argv[1:]):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        print(f"{path.name}: executed in {time.perf_counter() - start:.1f} s", flush=True)
""")


@pytest.mark.slow
def test_every_notebook_runs_in_a_fresh_environment_from_requirements_alone(tmp_path):
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env.update(HOME=str(home), IPYTHONDIR=str(home / "ipython"), MPLCONFIGDIR=str(home / "mpl"),
               JUPYTER_CONFIG_DIR=str(home / "jupyter"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), MPLBACKEND="Agg")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                   cwd=ROOT, env=env, check=True)
    script = tmp_path / "run_notebooks.py"
    script.write_text(RUNNER)
    paths = [str(ROOT / f"{p}.ipynb") for p in notebooks()]
    result = subprocess.run([python, script, *paths], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    print(result.stdout)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("executed in") == len(paths)
