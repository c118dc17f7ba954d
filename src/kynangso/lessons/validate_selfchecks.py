"""The self-check cells of a v2 lesson: hidden, tagged, defined as data in their metadata, placed under
"Tự kiểm tra", with keys that match an option, and no answer readable anywhere a learner looks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kynangso.lessons import lint
from kynangso.lessons.notebook import SELF_CHECK_SECTION, SELF_CHECK_TAG, LessonNotebook, cell_source, nfc, tags
from kynangso.lessons.problems import Problem, cell_key, strings
from kynangso.lessons.selfcheck import OLD_CALL, CheckCell, Spec, SpecError, check_cells

SchemaCheck = Callable[[Any, str], list[tuple[str, str]]]


def _hidden(cell: dict[str, Any]) -> bool:
    meta = cell.get("metadata")
    jupyter = meta.get("jupyter") if isinstance(meta, dict) else None
    return isinstance(jupyter, dict) and jupyter.get("source_hidden") is True


def _one(nb: LessonNotebook, found: CheckCell, schema_check: SchemaCheck) -> tuple[list[Problem], Spec | None]:
    cell, index = found.cell, found.index
    data = found.data
    label = f"(câu '{data.get('id')}')" if isinstance(data, dict) and isinstance(data.get("id"), str) else ""
    where = cell_key(index, label)
    problems: list[Problem] = []

    def add(message: str, key: str = "") -> None:
        problems.append(Problem(nb.path, f"{where}: {key}" if key else where, message))

    if cell.get("cell_type") != "code":
        add("câu tự kiểm tra phải là một ô mã (code)")
        return problems, None
    if not _hidden(cell):
        add("ô tự kiểm tra chưa ẩn mã: cần metadata.jupyter.source_hidden = true (lệnh `lessons check` tự làm)")
    if SELF_CHECK_TAG not in tags(cell):
        add(f"ô tự kiểm tra phải gắn thẻ (tag) '{SELF_CHECK_TAG}'")
    if nb.section_of(index) != SELF_CHECK_SECTION:
        add(f"câu tự kiểm tra phải nằm trong mục '## {SELF_CHECK_SECTION}'")
    if data is None:
        add("ô gọi tu_kiem_tra nhưng không có định nghĩa câu hỏi (metadata.kynangso.self_check)")
        return problems, None
    errors = schema_check(data, "metadata.kynangso.self_check")
    for key, message in errors:
        add(message, key)
    for key, text in strings(data, "metadata.kynangso.self_check"):
        if nfc(text) != text:
            add("chữ chưa chuẩn hóa Unicode NFC (gõ lại dấu)", key)
    if errors:
        return problems, None
    spec = Spec.from_dict(data)
    if found.called is None:
        add(
            f'mã trong ô chỉ được là một dòng gọi câu hỏi, ví dụ bai.tu_kiem_tra("{spec.id}") (đang là: '
            f"{cell_source(cell).strip()[:60]!r})"
        )
    elif found.called != spec.id:
        add(f"ô gọi tu_kiem_tra('{found.called}') nhưng định nghĩa là câu '{spec.id}'")
    for message in lint.check_spec(spec):
        add(message, "metadata.kynangso.self_check.key")
    return problems, spec


def check_self_checks(nb: LessonNotebook, schema_check: SchemaCheck) -> list[Problem]:
    problems: list[Problem] = []
    specs: list[tuple[int, Spec]] = []
    seen: dict[str, int] = {}
    for found in check_cells(nb.cells):
        found_problems, spec = _one(nb, found, schema_check)
        problems += found_problems
        if spec is None:
            continue
        if spec.id in seen:
            problems.append(
                Problem(nb.path, cell_key(found.index), f"mã câu '{spec.id}' đã dùng ở ô {seen[spec.id] + 1}")
            )
        seen.setdefault(spec.id, found.index)
        specs.append((found.index, spec))
    for index, source in nb.code_sources():
        if OLD_CALL.search(source):
            problems.append(
                Problem(
                    nb.path,
                    cell_key(index),
                    "câu tự kiểm tra viết thẳng trong mã (định dạng cũ) để lộ câu hỏi và lời giải thích: "
                    "chuyển sang ô ẩn bằng `kynangso lessons check` (xem docs/self-checks.md)",
                )
            )
    if not specs and SELF_CHECK_SECTION in nb.sections:
        problems.append(
            Problem(nb.path, f"mục '## {SELF_CHECK_SECTION}'", "chưa có câu tự kiểm tra nào (nên có 3–6 câu)")
        )
    try:
        for index, message in lint.leaks(nb, specs):
            problems.append(
                Problem(nb.path, cell_key(index, f"(mục '## {nb.section_of(index) or 'đầu bài'}')"), message)
            )
    except SpecError as exc:
        problems.append(Problem(nb.path, "tự kiểm tra", str(exc)))
    return problems
