"""Grade a notebook of code answers — any nbgrader assignment — by running it in the sandbox.

The notebook goes through nbgrader's own sanitizing steps (outputs cleared, duplicate ids dropped, the released
kernel, every locked and test cell restored from the gradebook), then its code cells run in a fresh fork of the
sandboxed interpreter (:mod:`kynangso.grade.sandbox`), then the course's own output steps (nbgrader's
LimitOutput, our LimitOutputSize, …) apply, exactly as ``nbgrader autograde`` would, but without a kernel per
submission and without the course in reach of the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kynangso.grade.sandbox import Run, Sandbox

# Steps of Autograde.autograde_preprocessors that this module replaces: the run itself, and the gradebook writes
# (kynangso.grade.book writes the same rows in one transaction).
RUN_STEPS = {"Execute", "GradeAnswers"}
BOOK_STEPS = {"SaveAutoGrades", "AssignLatePenalties", "RecordStatus"}


def stock_steps() -> list[str]:
    """nbgrader's own autograde pipeline (the default of ``Autograde.autograde_preprocessors``), as import names:
    what a course without our grading/nbgrader_config.py runs."""
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    return [f"{c.__module__}.{c.__name__}" for c in default]


class NotPython(ValueError):
    pass


@dataclass
class Steps:
    """nbgrader's preprocessors for one course, built once from its config."""

    clear: Any
    dedupe: Any
    overwrite: Any
    check: Any
    after: list[Any]

    @classmethod
    def build(cls, config: Any) -> Steps:
        from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells
        from traitlets.utils.importstring import import_item

        names = list(config.get("Autograde", {}).get("autograde_preprocessors") or stock_steps())
        after = []
        for name in names:
            short = name.rsplit(".", 1)[-1] if isinstance(name, str) else name.__name__
            if short in RUN_STEPS or short in BOOK_STEPS:
                continue
            klass = import_item(name) if isinstance(name, str) else name
            after.append(klass(config=config))
        return cls(
            ClearOutput(config=config),
            DeduplicateIds(config=config),
            OverwriteCells(config=config),
            CheckCellMetadata(config=config),
            after,
        )


def _each_cell(pp: Any, nb: Any, resources: dict[str, Any]) -> None:
    for index, cell in enumerate(nb.cells):
        nb.cells[index], resources = pp.preprocess_cell(cell, resources, index)


def sanitize(steps: Steps, gb: Any, nb: Any, assignment: str, notebook: str, resources: dict[str, Any]) -> None:
    """nbgrader's sanitizing steps, with one shared gradebook session instead of one connection per step."""
    import json

    steps.clear.preprocess(nb, resources)
    steps.dedupe.preprocess(nb, resources)
    kernelspec = gb.find_notebook(notebook, assignment).kernelspec
    if kernelspec:
        nb.metadata["kernelspec"] = json.loads(kernelspec)
    over = steps.overwrite
    over.notebook_id, over.assignment_id, over.gradebook = notebook, assignment, gb
    _each_cell(over, nb, resources)
    steps.check.preprocess(nb, resources)
    language = nb.metadata.get("kernelspec", {}).get("language", nb.metadata.get("language_info", {}).get("name"))
    if language not in (None, "python"):
        raise NotPython(f"Chỉ chấm được notebook Python trong hộp cát (notebook này dùng {language}).")


def code_cells(nb: Any) -> list[tuple[int, str]]:
    # nbclient skips empty code cells: they get no execution count and no output.
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]


def fill(nb: Any, run: Run) -> None:
    from nbformat import from_dict

    for index, outputs in run.outputs.items():
        cell = nb.cells[index]
        cell.outputs = [from_dict(o) for o in outputs]
        cell.execution_count = run.counts.get(index) or None


def after_run(steps: Steps, nb: Any, resources: dict[str, Any]) -> None:
    for pp in steps.after:
        nb, resources = pp(nb, resources)


def run_notebook(sandbox: Sandbox, nb: Any, files: dict[str, bytes]) -> Run:
    run = sandbox.run(code_cells(nb), files)
    fill(nb, run)
    return run
