"""The release step that keeps a Kỹ Năng Số exam's answer cells as they are.

An exam's answer cells are nbgrader "autograded answer" (solution) cells, so that Validate, Formgrader and the
gradebook track them. nbgrader's ClearSolutions replaces a solution cell that has no ``BEGIN SOLUTION`` region with
its code stub; our source notebooks never hold a solution (the keys live outside the course's source), so the
answer line ``tra_loi_N = ...`` is exactly what the learner must see. Every other cell — and every cell of any
other assignment in the course — goes through nbgrader's own step unchanged. Listed in the course config's
``GenerateAssignment.preprocessors``.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import ClearSolutions


class ClearSolutionsKeepingAnswerLines(ClearSolutions):
    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type == "code" and cell.get("metadata", {}).get("kynangso", {}).get("answer"):
            return cell, resources
        result: tuple[Any, Any] = super().preprocess_cell(cell, resources, index)
        return result
