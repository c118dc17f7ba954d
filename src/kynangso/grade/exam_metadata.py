"""The exam notebook's ``metadata.kynangso``, checked against ``exam_notebook.schema.json`` (versioned).

The notebook carries ``{"exam": "gov-2", "schema_version": 2}``; an answer cell ``{"answer": "<question id>"}``;
a rubric cell added for Formgrader ``{"rubric": "<question id>"}``. Grading relies on these to find answers, so a
submission whose metadata does not match is refused with its reason rather than graded wrong.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from kynangso.problems import Problem

SCHEMA_PATH = Path(__file__).resolve().parent / "exam_notebook.schema.json"


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator

    root = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {
        part: Draft202012Validator({"$ref": f"#/$defs/{part}", "$defs": root["$defs"]}) for part in ("notebook", "cell")
    }


def _errors(part: str, value: Any, key: str, file: Path | str) -> list[Problem]:
    found = []
    for error in sorted(_validators()[part].iter_errors(value), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append(Problem(file, key + where, _vietnamese(error)))
    return found


def _vietnamese(error: Any) -> str:
    shown = json.dumps(error.instance, ensure_ascii=False)[:80]
    rule, value = error.validator, error.validator_value
    if rule == "const":
        return f"phải là {json.dumps(value)} (đang là {shown})"
    if rule == "required":
        return f"thiếu khóa bắt buộc (cần {', '.join(value)})"
    if rule in ("additionalProperties", "maxProperties", "minProperties"):
        return f"có khóa không thuộc định dạng hoặc thiếu khóa ({shown})"
    if rule == "type":
        return f"sai kiểu dữ liệu ({shown})"
    if rule == "pattern":
        return f"giá trị {shown} không đúng dạng"
    return f"giá trị {shown} không hợp lệ (quy tắc “{rule}”)"


def is_exam(nb: dict[str, Any]) -> bool:
    """A Kỹ Năng Số exam notebook (any other nbgrader assignment has no ``metadata.kynangso``)."""
    meta = nb.get("metadata")
    return isinstance(meta, dict) and "kynangso" in meta


def check(nb: dict[str, Any], file: Path | str = "") -> list[Problem]:
    """Every way the notebook's and its cells' ``metadata.kynangso`` break the schema; [] when none."""
    problems = _errors("notebook", nb["metadata"]["kynangso"], "metadata.kynangso", file)
    for index, cell in enumerate(nb.get("cells", []), start=1):
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        if isinstance(meta, dict) and "kynangso" in meta:
            problems += _errors("cell", meta["kynangso"], f"ô {index}: metadata.kynangso", file)
    return problems
