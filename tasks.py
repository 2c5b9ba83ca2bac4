#!/usr/bin/env python3
"""Project tasks, run with the system Python 3.11 (no other prerequisite).

    python3 tasks.py setup   # .venv + requirements.txt, then build the site
    python3 tasks.py test    # every test: convkit, nbval on every notebook, the built site
                             # (add --slow for the fresh-environment test that CI runs)
    python3 tasks.py build   # build the site only (strict: zero warnings)
    python3 tasks.py lab     # JupyterLab on the book (installs the `test` extra, which has it)
    python3 tasks.py bench   # benchmarks (torch is optional: see benchmarks/README.md)
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
SITE = ROOT / "_build" / "html" / "index.html"
SOURCES = ["book", "convkit", "_config.yml", "_toc.yml", "requirements.txt"]
# Where notebooks run (the site build, nbval): a plotting backend without a screen, and one
# OpenBLAS kernel on every machine. OpenBLAS picks its matrix-product kernel by CPU (AVX2 on
# one, AVX-512 on another); they round differently in the last bit, and strict nbval compares
# stored figures pixel for pixel and printed floats to the last digit. The stored outputs were
# made with the AVX2 ("Haswell") kernel, which every x86-64 machine with AVX2 runs.
NOTEBOOK_ENV = {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "OPENBLAS_CORETYPE": "Haswell"}


def run(*cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def ensure_venv(extra: bool = False) -> None:
    if not PY.exists():
        print(f"creating the virtual environment {VENV.relative_to(ROOT)}/", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = VENV / (".installed-test" if extra else ".installed")
    wanted = ROOT / "requirements.txt"
    if not stamp.exists() or stamp.stat().st_mtime < max(wanted.stat().st_mtime,
                                                         (ROOT / "pyproject.toml").stat().st_mtime):
        run(PY, "-m", "pip", "install", "--quiet", "-r", wanted)
        if extra:
            run(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]")
        stamp.touch()


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()
                                                and "__pycache__" not in p.parts
                                                and ".ipynb_checkpoints" not in p.parts]
        newest = max([newest] + [p.stat().st_mtime for p in files])
    return newest


def build() -> None:
    start = time.perf_counter()
    env = dict(os.environ, **NOTEBOOK_ENV)
    run(VENV / "bin" / "jupyter-book", "build", "-W", "-n", "--keep-going", ".", env=env)
    print(f"\nThe site is built ({time.perf_counter() - start:.0f} s): open {SITE}", flush=True)


def build_if_stale() -> None:
    if not SITE.exists() or SITE.stat().st_mtime < newest_source():
        build()
    else:
        print(f"the site {SITE.relative_to(ROOT)} is newer than its sources: not rebuilt", flush=True)


def main(argv: list[str]) -> int:
    task = argv[1] if len(argv) > 1 else "help"
    if task == "setup":
        ensure_venv()
        build()
    elif task == "build":
        ensure_venv()
        build()
    elif task == "test":
        ensure_venv(extra=True)
        build_if_stale()
        env = dict(os.environ, **NOTEBOOK_ENV)
        args = list(argv[2:])
        in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        if not in_ci and "--slow" not in args and not any(a.startswith("-m") for a in args):
            args = ["-m", "not slow"] + args  # the fresh-environment test: CI runs it
        args = [a for a in args if a != "--slow"]
        start = time.perf_counter()
        code = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env).returncode
        print(f"tests took {time.perf_counter() - start:.0f} s", flush=True)
        return code
    elif task == "lab":
        ensure_venv(extra=True)
        return subprocess.run([str(VENV / "bin" / "jupyter-lab"), "book/", *argv[2:]], cwd=ROOT).returncode
    elif task == "bench":
        ensure_venv()
        return subprocess.run([str(PY), "benchmarks/bench_ops.py", *argv[2:]], cwd=ROOT).returncode
    else:
        print(__doc__)
        return 0 if task in ("help", "-h", "--help") else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
