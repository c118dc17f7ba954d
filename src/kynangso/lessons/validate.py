"""Check a lesson (format v2): its metadata against ``lesson.schema.json``, its standard sections and lists, its
prerequisites, trainer notes and self-checks, its links to simulations.

Every problem is one Vietnamese sentence that names the file and the key (or section, or cell) to fix, so that a
trainer who is not a programmer can act on it.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from kynangso.lessons import notebook as nbmod
from kynangso.lessons.catalogue import curriculum_root, lesson_titles
from kynangso.lessons.notebook import SCHEMA_VERSION, LessonNotebook, NotebookError
from kynangso.lessons.problems import Problem, cell_key, strings
from kynangso.lessons.validate_selfchecks import check_self_checks
from kynangso.lessons.validate_structure import (
    check_lists,
    check_requires,
    check_sections,
    check_todos,
    check_trainer_cells,
)

SCHEMA_PATH = Path(__file__).resolve().parent / "lesson.schema.json"
SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "sims" / "scenarios"
_START_CALL = re.compile(r"""start_lesson\(\s*(?:lesson_id\s*=\s*)?["']([^"']*)["']""")
OLD_VERSION = (
    "bài đang ở định dạng cũ (phiên bản {found}); định dạng hiện nay là phiên bản 2: thêm 'questions', "
    "'key_points', 'requires', mục '## Câu hỏi chính' và '## Ghi nhớ', ghi chú giảng viên gắn thẻ 'trainer', "
    "câu tự kiểm tra trong ô ẩn (xem docs/lesson-format.md)"
)

__all__ = ["Problem", "check_lesson", "check_many", "check_metadata", "check_sections", "known_scenarios"]


@cache
def schema() -> dict[str, Any]:
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def known_scenarios(folder: Path | None = None) -> set[str]:
    """Scenario ids from the files the simulations are made of (read directly: no import of the engine)."""
    folder = SCENARIOS_DIR if folder is None else folder
    return {p.stem for p in folder.glob("*.toml")} if folder.is_dir() else set()


def _key(path: Iterable[Any], key: str = "metadata.kynangso") -> str:
    for part in path:
        key += f"[{part}]" if isinstance(part, int) else f".{part}"
    return key


def _schema_message(error: Any) -> str:
    """jsonschema's English message, said in Vietnamese for the cases a lesson author meets."""
    v, value, expected = error.validator, error.instance, error.validator_value
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    if v == "required":
        missing = [k for k in expected if k not in value]
        return "thiếu trường " + ", ".join(f"'{k}'" for k in missing)
    if v == "additionalProperties":
        extra = sorted(k for k in value if k not in error.schema.get("properties", {}))
        return "trường không có trong định dạng: " + ", ".join(f"'{k}'" for k in extra) + " (gõ nhầm tên?)"
    if v == "type":
        names = {"string": "chuỗi chữ", "integer": "số nguyên", "array": "danh sách", "object": "đối tượng"}
        return f"phải là {names.get(expected, expected)} (đang là {shown})"
    if v == "enum" and "propertyNames" in error.schema_path:
        return f"trường {shown} không dùng cho loại câu này"
    if v == "enum":
        return "phải là một trong " + ", ".join(f"'{x}'" for x in expected) + f" (đang là {shown})"
    if v == "const":
        return f"phải bằng {json.dumps(expected)} (đang là {shown})"
    if v == "minimum":
        return f"phải từ {expected} trở lên (đang là {shown})"
    if v == "maximum":
        return f"không được quá {expected} (đang là {shown})"
    if v == "minItems":
        return f"cần ít nhất {expected} mục"
    if v == "maxItems":
        return f"tối đa {expected} mục"
    if v == "minLength":
        return f"quá ngắn, cần ít nhất {expected} ký tự (đang là {shown})"
    if v == "maxLength":
        return f"quá dài, tối đa {expected} ký tự"
    if v == "pattern" and str(expected).startswith("^[a-z][a-z0-9_-]"):
        return f"mã câu chỉ dùng chữ thường không dấu, số, '-' hoặc '_', bắt đầu bằng chữ, ví dụ 'c1' (đang là {shown})"
    if v == "pattern" and str(expected).startswith("^kns1-"):
        return f"khóa đáp án phải có dạng 'kns1-' và 24 chữ số hệ 16 (đang là {shown})"
    if v == "pattern":
        return f"chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ 'gov-01-dich-vu-cong' (đang là {shown})"
    if v == "uniqueItems":
        return "có mục bị lặp lại"
    return str(error.message)


def _validator(ref: str | None = None) -> Any:
    from jsonschema import Draft202012Validator

    root = schema()
    return Draft202012Validator({"$ref": ref, "$defs": root["$defs"]} if ref else root)


def schema_errors(value: Any, key: str, ref: str | None = None) -> list[tuple[str, str]]:
    """(key, Vietnamese message) for each way ``value`` breaks the schema (or one of its ``$defs``)."""
    errors = sorted(_validator(ref).iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
    return [(_key(e.absolute_path, key), _schema_message(e)) for e in errors]


def check_self_check_data(value: Any, key: str) -> list[tuple[str, str]]:
    return schema_errors(value, key, "#/$defs/self_check")


def check_metadata(path: Path, meta: Any) -> list[Problem]:
    if meta is None:
        return [Problem(path, "metadata.kynangso", "thiếu thông tin bài học (xem docs/lesson-format.md)")]
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version < SCHEMA_VERSION:
        return [Problem(path, "metadata.kynangso.schema_version", OLD_VERSION.format(found=version))]
    problems = [Problem(path, key, msg) for key, msg in schema_errors(meta, "metadata.kynangso")]
    for key, value in strings(meta, "metadata.kynangso"):
        if nbmod.nfc(value) != value:
            problems.append(
                Problem(path, key, "chữ chưa chuẩn hóa Unicode NFC (gõ lại dấu hoặc lưu lại bằng JupyterLab)")
            )
    return problems


def check_lesson(path: Path, scenarios: set[str] | None = None, titles: dict[str, str] | None = None) -> list[Problem]:
    """Every problem of one lesson notebook; an empty list means it is a valid lesson.

    ``titles`` (lesson id -> title) is the curriculum the prerequisites must exist in; by default, the curriculum
    folder the lesson sits in.
    """
    try:
        nb = nbmod.read(path)
    except NotebookError as exc:
        return [Problem(path, "tệp", str(exc).removeprefix(f"{path}: "))]
    meta = nb.meta
    problems = check_metadata(path, meta)
    if problems and problems[0].message.startswith("bài đang ở định dạng cũ"):
        return problems
    problems += check_sections(nb)
    if meta is None:
        return problems
    lesson_id, front = meta.get("id"), meta.get("front")
    if isinstance(lesson_id, str) and isinstance(front, str):
        expected = f"{front}-{path.stem}"
        if lesson_id != expected:
            problems.append(
                Problem(
                    path, "metadata.kynangso.id", f"phải là '{expected}' (mặt trận + tên tệp), đang là '{lesson_id}'"
                )
            )
    title = meta.get("title")
    if isinstance(title, str) and nb.title is not None and nbmod.nfc(title) != nb.title:
        problems.append(Problem(path, "metadata.kynangso.title", f"khác tiêu đề của bài '# {nb.title}'"))
    sims = meta.get("simulations")
    if isinstance(sims, list):
        have = known_scenarios() if scenarios is None else scenarios
        for i, sim in enumerate(sims):
            if isinstance(sim, str) and sim not in have:
                problems.append(
                    Problem(
                        path,
                        f"metadata.kynangso.simulations[{i}]",
                        f"không có mô phỏng '{sim}' (không thấy tệp scenarios/{sim}.toml)",
                    )
                )
    known = lesson_titles(curriculum_root(path)) if titles is None else titles
    problems += check_lists(nb, meta)
    problems += check_requires(nb, meta, known)
    problems += check_trainer_cells(nb)
    problems += check_self_checks(nb, check_self_check_data)
    problems += _check_start(nb, lesson_id if isinstance(lesson_id, str) else None)
    problems += check_todos(nb, meta)
    return problems


def _check_start(nb: LessonNotebook, lesson_id: str | None) -> list[Problem]:
    problems: list[Problem] = []
    calls = 0
    for index, source in nb.code_sources():
        for called in _START_CALL.findall(source):
            calls += 1
            if lesson_id is not None and called != lesson_id:
                problems.append(
                    Problem(nb.path, cell_key(index), f"start_lesson('{called}') khác mã bài '{lesson_id}'")
                )
    if not calls:
        problems.append(
            Problem(nb.path, "mở bài", f'thiếu ô mã bai = start_lesson("{lesson_id or "…"}") ngay sau ô tiêu đề')
        )
    return problems


def check_many(paths: Iterable[Path], scenarios: set[str] | None = None) -> list[Problem]:
    """Check several lessons, that no two share an id, and that prerequisites do not go round in a circle."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    roots: dict[Path, dict[str, str]] = {}
    graph: dict[str, list[str]] = {}
    for path in paths:
        root = curriculum_root(path)
        if root not in roots:
            roots[root] = lesson_titles(root)
        problems += check_lesson(path, scenarios, roots[root])
        try:
            meta = nbmod.read(path).meta
        except NotebookError:
            continue
        lesson_id = meta.get("id") if meta else None
        if isinstance(lesson_id, str) and meta is not None:
            if lesson_id in seen:
                problems.append(Problem(path, "metadata.kynangso.id", f"trùng mã với {seen[lesson_id]}"))
            seen.setdefault(lesson_id, path)
            requires = meta.get("requires")
            graph[lesson_id] = [r for r in requires if isinstance(r, str)] if isinstance(requires, list) else []
    for lesson_id, cycle in _cycles(graph):
        problems.append(
            Problem(
                seen[lesson_id],
                "metadata.kynangso.requires",
                "các bài cần học trước nhau thành vòng: " + " → ".join(cycle),
            )
        )
    return problems


def _cycles(graph: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """One report per prerequisite cycle (the shortest through its smallest lesson id)."""
    found: dict[frozenset[str], tuple[str, list[str]]] = {}
    for start in sorted(graph):
        parent: dict[str, str] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in graph.get(node, []):
                if nxt == start:
                    trail = [node]
                    while trail[-1] != start:
                        trail.append(parent[trail[-1]])
                    cycle = trail[::-1]
                    if min(cycle) == start:
                        found.setdefault(frozenset(cycle), (start, [*cycle, start]))
                    queue.clear()
                    break
                if nxt not in parent and nxt in graph:
                    parent[nxt] = node
                    queue.append(nxt)
    return sorted(found.values())
