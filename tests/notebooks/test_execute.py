"""Every lesson and Voilà app runs top to bottom in a real kernel, as a learner would run it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support import REPO

EXECUTED_DIRS = ("curriculum", "voila_apps")
NOTEBOOKS = sorted(p for d in EXECUTED_DIRS for p in (REPO / d).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.fixture(autouse=True)
def _private_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lessons record learner progress; keep the developer's own progress file out of the tests.
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path / "home"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_executes(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, errors
