"""The shape of a v2 lesson: title cell, standard sections in order, "Câu hỏi chính" and "Ghi nhớ" listing exactly
their metadata, the prerequisites line, trainer notes tagged, and no TODO left from the skeleton."""

from __future__ import annotations

import itertools
import re
from typing import Any

from kynangso.lessons import notebook as nbmod
from kynangso.lessons.lint import flat
from kynangso.lessons.notebook import (
    KEY_POINTS_SECTION,
    QUESTIONS_SECTION,
    SECTIONS,
    TRAINER_SECTION,
    TRAINER_TAG,
    LessonNotebook,
    cell_source,
    list_items,
    tags,
)
from kynangso.lessons.problems import Problem, cell_key, strings

TODO = "TODO"
REQUIRES_LINE = "Cần học trước:"
_REQUIRES = re.compile(r"^\W*cần học trước\W*:", re.IGNORECASE)


def check_sections(nb: LessonNotebook) -> list[Problem]:
    path, problems = nb.path, []
    first = nb.cells[0] if nb.cells else {}
    if first.get("cell_type") != "markdown" or not cell_source(first).lstrip().startswith("# "):
        problems.append(Problem(path, "tiêu đề", "ô đầu tiên phải là ô markdown bắt đầu bằng '# Tên bài'"))
    found = [h.text for h in nb.headings if h.level == 2]
    positions = {name: found.index(name) for name in SECTIONS if name in found}
    for name in SECTIONS:
        if name not in positions:
            problems.append(
                Problem(
                    path, f"mục '## {name}'", f"thiếu mục này (mỗi bài có đủ {len(SECTIONS)} mục chuẩn, đúng thứ tự)"
                )
            )
    present = [name for name in SECTIONS if name in positions]
    for before, after in itertools.pairwise(present):
        if positions[after] < positions[before]:
            problems.append(Problem(path, f"mục '## {after}'", f"đứng sai thứ tự: phải đặt sau '## {before}'"))
    for name in present:
        if found.count(name) > 1:
            problems.append(Problem(path, f"mục '## {name}'", "xuất hiện nhiều lần; mỗi mục chuẩn chỉ có một"))
    for extra in sorted(set(found) - set(SECTIONS)):
        problems.append(
            Problem(
                path,
                f"mục '## {extra}'",
                "không phải mục chuẩn: dùng tiêu đề nhỏ hơn ('### …') bên trong một mục chuẩn",
            )
        )
    return problems


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", " ", nbmod.nfc(a)).strip() == re.sub(r"\s+", " ", nbmod.nfc(b)).strip()


def check_list(nb: LessonNotebook, section: str, field: str, wanted: Any) -> list[Problem]:
    """A section whose list must be exactly a metadata list (the syllabus and handouts read the metadata)."""
    if section not in nb.sections or not isinstance(wanted, list):
        return []
    key = f"mục '## {section}'"
    items = list_items(nb.sections[section])
    if len(items) != len(wanted):
        return [
            Problem(
                nb.path,
                key,
                f"danh sách có {len(items)} ý, còn metadata.kynangso.{field} có {len(wanted)} ý: hai nơi phải giống hệt nhau",
            )
        ]
    return [
        Problem(nb.path, key, f"ý thứ {n} khác metadata.kynangso.{field}[{n - 1}]: “{item}” ≠ “{want}”")
        for n, (item, want) in enumerate(zip(items, wanted, strict=True), 1)
        if not _same(item, str(want))
    ]


def check_requires(nb: LessonNotebook, meta: dict[str, Any], titles: dict[str, str]) -> list[Problem]:
    """Prerequisites exist, and the "Câu hỏi chính" section names them by title (or says nothing when none)."""
    requires = meta.get("requires")
    if not isinstance(requires, list):
        return []
    problems = []
    own = meta.get("id")
    for i, rid in enumerate(requires):
        if not isinstance(rid, str):
            continue
        if rid == own:
            problems.append(
                Problem(nb.path, f"metadata.kynangso.requires[{i}]", "bài không thể cần học trước chính nó")
            )
        elif rid not in titles:
            problems.append(
                Problem(nb.path, f"metadata.kynangso.requires[{i}]", f"không có bài nào mã '{rid}' trong giáo trình")
            )
    section = nb.sections.get(QUESTIONS_SECTION)
    if section is None:
        return problems
    lines = [line for line in section.splitlines() if _REQUIRES.match(flat(line))]
    key = f"mục '## {QUESTIONS_SECTION}'"
    if not requires:
        if lines:
            problems.append(Problem(nb.path, key, f"có dòng '{REQUIRES_LINE}' nhưng metadata.kynangso.requires rỗng"))
        return problems
    if not lines:
        names = ", ".join(f"“{titles.get(r, r)}”" for r in requires if isinstance(r, str))
        return [*problems, Problem(nb.path, key, f"thiếu dòng '{REQUIRES_LINE} …' nêu tên các bài {names}")]
    line = flat(" ".join(lines))
    for rid in requires:
        if isinstance(rid, str) and rid in titles and flat(titles[rid]) not in line:
            problems.append(Problem(nb.path, key, f"dòng '{REQUIRES_LINE}' chưa nêu tên bài “{titles[rid]}” ({rid})"))
    return problems


def check_trainer_cells(nb: LessonNotebook) -> list[Problem]:
    """The trainer notes are the last section, each of its cells a markdown cell tagged ``trainer``, no other cell
    tagged: the learner's reader view hides exactly those cells."""
    problems = []
    section = set(nb.cells_of(TRAINER_SECTION))
    heading = next((h for h in nb.headings if h.level == 2 and h.text == TRAINER_SECTION), None)
    if heading is not None and not cell_source(nb.cells[heading.cell]).lstrip().startswith(f"## {TRAINER_SECTION}"):
        problems.append(
            Problem(
                nb.path,
                cell_key(heading.cell, f"(mục '## {TRAINER_SECTION}')"),
                "tiêu đề ghi chú giảng viên phải mở đầu một ô riêng (phần trên nó thuộc mục khác, sẽ bị ẩn theo)",
            )
        )
    for index, cell in enumerate(nb.cells):
        tagged = TRAINER_TAG in tags(cell)
        if index in section:
            where = cell_key(index, f"(mục '## {TRAINER_SECTION}')")
            if cell.get("cell_type") != "markdown":
                problems.append(
                    Problem(
                        nb.path,
                        where,
                        "ghi chú giảng viên chỉ gồm ô markdown; ô mã (ví dụ bai.finish()) đặt ở cuối mục '## Ghi nhớ'",
                    )
                )
            elif not tagged:
                problems.append(Problem(nb.path, where, f"ô ghi chú giảng viên phải gắn thẻ (tag) '{TRAINER_TAG}'"))
        elif tagged:
            problems.append(
                Problem(
                    nb.path,
                    cell_key(index, f"(mục '## {nb.section_of(index) or 'đầu bài'}')"),
                    f"chỉ các ô của mục '## {TRAINER_SECTION}' được gắn thẻ '{TRAINER_TAG}' (ô này sẽ bị ẩn với học viên)",
                )
            )
    return problems


def check_todos(nb: LessonNotebook, meta: dict[str, Any] | None) -> list[Problem]:
    """What `kynangso lessons new` left for the author to write."""
    message = "còn chữ TODO của bài mẫu: hãy viết nội dung thật"
    problems = [
        Problem(nb.path, key, message) for key, text in strings(meta or {}, "metadata.kynangso") if TODO in text
    ]
    for index, cell in enumerate(nb.cells):
        where = cell_key(index, f"(mục '## {nb.section_of(index)}')" if nb.section_of(index) else "(đầu bài)")
        if TODO in cell_source(cell):
            problems.append(Problem(nb.path, where, message))
        ours = cell.get("metadata", {}).get("kynangso") if isinstance(cell.get("metadata"), dict) else None
        for key, text in strings(ours or {}, "metadata.kynangso"):
            if TODO in text:
                problems.append(Problem(nb.path, f"{where}: {key}", message))
    return problems


def check_lists(nb: LessonNotebook, meta: dict[str, Any]) -> list[Problem]:
    return check_list(nb, QUESTIONS_SECTION, "questions", meta.get("questions")) + check_list(
        nb, KEY_POINTS_SECTION, "key_points", meta.get("key_points")
    )
