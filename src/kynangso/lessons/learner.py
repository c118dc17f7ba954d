"""A lesson as a learner sees it: trainer notes out, code folded away, outputs cleared, some cells swapped.

Two places show learners a lesson without JupyterLab: the offline site (``kynangso.site.content``, where a
Pyodide kernel runs it) and the lesson reader of ``kynangso start`` (``kynangso.reader``, a real kernel under
Voilà). Both start from this transformation; each brings its own substitutes for cells that only work in one
of them. The original notebook is never changed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from kynangso.lessons.notebook import TRAINER_SECTION, TRAINER_TAG, cell_source, tags

Cell = dict[str, Any]
# A code cell whose source contains the key is replaced by what the function returns for it.
Substitutes = Mapping[str, Callable[[Cell], Cell]]

# Lessons in the first format put trainer notes under this heading, without a tag.
TRAINER_HEADING = re.compile(rf"^#{{1,6}}\s*{TRAINER_SECTION}", re.M)


def for_trainers(cell: Cell) -> bool:
    return TRAINER_TAG in tags(cell) or (
        cell.get("cell_type") == "markdown" and bool(TRAINER_HEADING.search(cell_source(cell)))
    )


def markdown(text: str, **metadata: Any) -> Cell:
    return {"cell_type": "markdown", "metadata": dict(metadata), "source": text}


def learner_cells(cells: list[Cell], substitutes: Substitutes | None = None) -> list[Cell]:
    """Copies of the cells a learner gets, in order."""
    substitutes = substitutes or {}
    out: list[Cell] = []
    for original in cells:
        if for_trainers(original):
            continue
        cell = copy.deepcopy(original)
        if cell.get("cell_type") == "code":
            swap = next((f for marker, f in substitutes.items() if marker in cell_source(cell)), None)
            if swap is not None:
                out.append(swap(cell))
                continue
            cell["outputs"], cell["execution_count"] = [], None
            cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
        out.append(cell)
    return out


def number_cells(cells: list[Cell], prefix: str = "kns") -> None:
    """nbformat 4.5 wants a cell id; cells made here have none."""
    for i, cell in enumerate(cells):
        cell.setdefault("id", f"{prefix}-{i}")
