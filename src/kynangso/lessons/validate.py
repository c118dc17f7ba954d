"""Check a lesson: its metadata against ``lesson.schema.json``, its standard sections, its links to simulations.

Every problem is one Vietnamese sentence that names the file and the key (or section) to fix, so that a trainer
who is not a programmer can act on it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kynangso.lessons import notebook as nbmod
from kynangso.lessons.notebook import SECTIONS, LessonNotebook, NotebookError

SCHEMA_PATH = Path(__file__).resolve().parent / "lesson.schema.json"
SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "sims" / "scenarios"
_START_CALL = re.compile(r"""start_lesson\(\s*(?:lesson_id\s*=\s*)?["']([^"']*)["']""")


@dataclass(frozen=True)
class Problem:
    path: Path
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}"


@cache
def schema() -> dict[str, Any]:
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def known_scenarios(folder: Path | None = None) -> set[str]:
    """Scenario ids from the files the simulations are made of (read directly: no import of the engine)."""
    folder = SCENARIOS_DIR if folder is None else folder
    return {p.stem for p in folder.glob("*.toml")} if folder.is_dir() else set()


def _key(path: Iterable[Any]) -> str:
    key = "metadata.kynangso"
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
    if v == "pattern":
        return f"chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ 'gov-01-dich-vu-cong' (đang là {shown})"
    if v == "uniqueItems":
        return "có mục bị lặp lại"
    return str(error.message)


def check_metadata(path: Path, meta: Any) -> list[Problem]:
    from jsonschema import Draft202012Validator

    if meta is None:
        return [Problem(path, "metadata.kynangso", "thiếu thông tin bài học (xem docs/lesson-format.md)")]
    validator = Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(meta), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [Problem(path, _key(e.absolute_path), _schema_message(e)) for e in errors]
    for key, value in _strings(meta, "metadata.kynangso"):
        if nbmod.nfc(value) != value:
            problems.append(
                Problem(path, key, "chữ chưa chuẩn hóa Unicode NFC (gõ lại dấu hoặc lưu lại bằng JupyterLab)")
            )
    return problems


def _strings(value: Any, key: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{key}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{key}[{i}]")


def check_sections(nb: LessonNotebook) -> list[Problem]:
    path, problems = nb.path, []
    level1 = [h for h in nb.headings if h.level == 1]
    if not level1:
        problems.append(Problem(path, "tiêu đề", "thiếu tiêu đề '# Tên bài' ở ô markdown đầu tiên"))
    found = [h.text for h in nb.headings if h.level == 2]
    positions = {name: found.index(name) for name in SECTIONS if name in found}
    for name in SECTIONS:
        if name not in positions:
            problems.append(Problem(path, f"mục '## {name}'", "thiếu mục này (mỗi bài có đủ 9 mục chuẩn, đúng thứ tự)"))
    present = [name for name in SECTIONS if name in positions]
    for before, after in itertools.pairwise(present):
        if positions[after] < positions[before]:
            problems.append(Problem(path, f"mục '## {after}'", f"đứng sai thứ tự: phải đặt sau '## {before}'"))
    for name in present:
        if found.count(name) > 1:
            problems.append(Problem(path, f"mục '## {name}'", "xuất hiện nhiều lần; mỗi mục chuẩn chỉ có một"))
    return problems


def check_lesson(path: Path, scenarios: set[str] | None = None) -> list[Problem]:
    """Every problem of one lesson notebook; an empty list means it is a valid lesson."""
    try:
        nb = nbmod.read(path)
    except NotebookError as exc:
        return [Problem(path, "tệp", str(exc).removeprefix(f"{path}: "))]
    meta = nb.meta
    problems = check_metadata(path, meta)
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
    problems += _check_code(nb, lesson_id if isinstance(lesson_id, str) else None)
    return problems


def _check_code(nb: LessonNotebook, lesson_id: str | None) -> list[Problem]:
    from kynangso.lessons import lint

    problems: list[Problem] = []
    for index, source in nb.code_sources():
        for called in _START_CALL.findall(source):
            if lesson_id is not None and called != lesson_id:
                problems.append(
                    Problem(nb.path, f"ô {index + 1}", f"start_lesson('{called}') khác mã bài '{lesson_id}'")
                )
        problems += [Problem(nb.path, f"ô {index + 1}", msg) for msg in lint.check_source(source)]
    problems += [Problem(nb.path, "tự kiểm tra", msg) for msg in lint.check_ids([s for _, s in nb.code_sources()])]
    return problems


def check_many(paths: Iterable[Path], scenarios: set[str] | None = None) -> list[Problem]:
    """Check several lessons, and that no two share an id."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        problems += check_lesson(path, scenarios)
        try:
            meta = nbmod.read(path).meta
        except NotebookError:
            continue
        lesson_id = meta.get("id") if meta else None
        if isinstance(lesson_id, str):
            if lesson_id in seen:
                problems.append(Problem(path, "metadata.kynangso.id", f"trùng mã với {seen[lesson_id]}"))
            seen.setdefault(lesson_id, path)
    return problems
