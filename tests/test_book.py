"""The book's notebooks as stored: listed in the toc, executed, no widget state, honest nbval tags."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
DEMO_CALL = re.compile(r"^\s*ck\.widgets\.explore_\w+\(.*\)\s*$", re.S)


def toc_files():
    text = (ROOT / "_toc.yml").read_text()
    return set(re.findall(r"(?:root|file):\s*(\S+)", text))


def cells(nb_path):
    return json.loads(nb_path.read_text())["cells"]


def test_there_are_notebooks_and_all_are_in_the_toc():
    listed = toc_files()
    assert NOTEBOOKS, "no notebooks in book/"
    missing = [p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS
               if p.relative_to(ROOT).with_suffix("").as_posix() not in listed]
    assert not missing, f"notebooks not in _toc.yml (neither built nor listed): {missing}"


def test_every_toc_entry_exists():
    for entry in toc_files():
        assert any((ROOT / f"{entry}{suffix}").exists() for suffix in (".md", ".ipynb")), entry


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_without_errors_or_widget_state(nb):
    data = json.loads(nb.read_text())
    assert "widgets" not in data.get("metadata", {}), "saved widget state: strip metadata.widgets"
    code = [c for c in data["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code and all(c.get("execution_count") for c in code), "stored without running every cell"
    for c in code:
        for out in c.get("outputs", []):
            assert out["output_type"] != "error", f"stored error: {out.get('ename')}"
            assert out.get("name") != "stderr", f"stored stderr output: {''.join(out.get('text', ''))[:200]}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_only_demo_cells_may_ignore_their_output(nb):
    """nbval compares every output strictly; only a cell that displays a demo may opt out."""
    for c in cells(nb):
        tags = c.get("metadata", {}).get("tags", [])
        if c["cell_type"] == "code" and ("nbval-ignore-output" in tags or "nbval-skip" in tags):
            source = "".join(c["source"])
            assert "nbval-skip" not in tags, f"a skipped cell: {source[:80]!r}"
            assert DEMO_CALL.match(source), f"nbval-ignore-output on a non-demo cell: {source[:80]!r}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_and_template(nb):
    cs = cells(nb)
    first = cs[0] if cs[0]["cell_type"] == "code" else cs[1]
    assert "remove-cell" in first.get("metadata", {}).get("tags", []), "first code cell: hidden setup"
    assert "import convkit as ck" in "".join(first["source"])
    markdown = "\n".join("".join(c["source"]) for c in cs if c["cell_type"] == "markdown")
    assert re.search(r"^# ", markdown, re.M), "a title"
    assert "What you'll learn" in markdown
    assert re.search(r"admonition\}\s*Exercise", markdown), "exercises"
    assert ":class: dropdown" in markdown, "answers that fold away"
    assert any(DEMO_CALL.match("".join(c["source"])) for c in cs if c["cell_type"] == "code"), \
        "at least one demo"


def test_docstrings_point_at_chapters_that_exist():
    """Every ``<name>.ipynb`` a convkit docstring names is a chapter of the book."""
    named = set()
    for path in (ROOT / "convkit").rglob("*.py"):
        named |= set(re.findall(r"([a-z_0-9]+)\.ipynb", path.read_text()))
    missing = sorted(n for n in named if not (BOOK / f"{n}.ipynb").exists())
    assert not missing, f"docstrings name chapters that do not exist: {missing}"


def test_notebooks_run_with_the_blas_kernel_their_outputs_were_stored_with():
    """The stored figures and digits were made with OpenBLAS's AVX2 ("Haswell") kernel; another
    kernel rounds matrix products differently in the last bit and strict nbval would fail on
    some CPUs and not others. The root conftest.py pins it from tasks.NOTEBOOK_ENV."""
    import ctypes
    import sys

    sys.path.insert(0, str(ROOT))
    import numpy as np
    import tasks

    wanted = tasks.NOTEBOOK_ENV["OPENBLAS_CORETYPE"]
    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*.so*"))
    if not libs:
        pytest.skip("this NumPy does not bundle scipy-openblas")
    corename = ctypes.CDLL(str(libs[0])).scipy_openblas_get_corename64_
    corename.restype = ctypes.c_char_p
    assert corename().decode() == wanted, (
        f"OpenBLAS runs its {corename().decode()!r} kernel, not {wanted!r}: start the tests with "
        "`python3 tasks.py test` (or pytest from the repository root, whose conftest.py sets "
        "OPENBLAS_CORETYPE before NumPy loads)")
