"""Every notebook in the repository is committed clean: valid nbformat 4, no outputs, NFC text, python3 kernel."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import nbformat
import pytest

from tests.support import REPO

SKIP_DIRS = {".venv", ".kynangso", "test-output", ".ipynb_checkpoints", "node_modules", ".git", "build", "dist"}


def repo_notebooks() -> list[Path]:
    found = []
    for path in REPO.rglob("*.ipynb"):
        rel = path.relative_to(REPO)
        if SKIP_DIRS.isdisjoint(rel.parts):
            found.append(path)
    return sorted(found)


NOTEBOOKS = repo_notebooks()


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [k for k in value if isinstance(k, str)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_there_are_notebooks() -> None:
    assert REPO / "curriculum" / "00-bat-dau.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_is_clean(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw.get("nbformat") == 4, "nbformat must be 4"
    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)
    for i, cell in enumerate(raw["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"
    bad = [s[:60] for s in _strings(raw) if not unicodedata.is_normalized("NFC", s)]
    assert not bad, f"text not in NFC: {bad[:3]}"
    kernelspec = raw["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", "kernelspec must be python3"
    assert kernelspec.get("language") == "python"
