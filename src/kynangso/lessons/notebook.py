"""Read a lesson notebook without nbformat (fast enough for a syllabus of a hundred lessons).

A lesson is an .ipynb whose ``metadata.kynangso`` describes it and whose markdown uses the standard level-2
headings (``SECTIONS``). Here we only read; ``validate`` judges.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The standard sections, in the order every lesson follows (format v2). "Ghi nhớ" closes what the learner reads;
# the trainer notes come last so that hiding them leaves a complete lesson.
SECTIONS: tuple[str, ...] = (
    "Câu hỏi chính",
    "Mục tiêu",
    "Vì sao quan trọng với bà con",
    "Kiến thức",
    "Từng bước",
    "Tự kiểm tra",
    "Hướng dẫn lại cho người dân",
    "Lỗi thường gặp",
    "An toàn",
    "Ghi nhớ",
    "Ghi chú cho giảng viên",
)
QUESTIONS_SECTION = "Câu hỏi chính"
SELF_CHECK_SECTION = "Tự kiểm tra"
KEY_POINTS_SECTION = "Ghi nhớ"
TRAINER_SECTION = "Ghi chú cho giảng viên"
TRAINER_TAG = "trainer"
SELF_CHECK_TAG = "self-check"
SCHEMA_VERSION = 2

FRONT_NAMES: dict[str, str] = {
    "orientation": "Định hướng",
    "gov": "Chính quyền số",
    "econ": "Kinh tế số",
    "society": "Xã hội số",
}
FRONT_ORDER: tuple[str, ...] = ("orientation", "gov", "econ", "society")

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


class NotebookError(Exception):
    """The file is not a readable notebook; the message is Vietnamese and names the file."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    cell: int  # 0-based index of the markdown cell


@dataclass
class LessonNotebook:
    path: Path
    raw: dict[str, Any]
    headings: list[Heading] = field(default_factory=list)
    # Markdown text of each level-2 section, keyed by its heading text.
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def meta(self) -> dict[str, Any] | None:
        value = self.raw.get("metadata", {}).get("kynangso") if isinstance(self.raw.get("metadata"), dict) else None
        return value if isinstance(value, dict) else None

    @property
    def cells(self) -> list[dict[str, Any]]:
        cells = self.raw.get("cells")
        return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []

    def code_sources(self) -> list[tuple[int, str]]:
        return [(i, cell_source(c)) for i, c in enumerate(self.cells) if c.get("cell_type") == "code"]

    def section_of(self, index: int) -> str | None:
        """The level-2 section a cell belongs to (the last level-2 heading at or before it)."""
        current = None
        for heading in self.headings:
            if heading.cell > index:
                break
            if heading.level == 2:
                current = heading.text
            elif heading.level == 1:
                current = None
        return current

    def cells_of(self, section: str) -> list[int]:
        """Indices of the cells from a section's heading up to the next level-2 heading."""
        return [i for i in range(len(self.cells)) if self.section_of(i) == section]

    @property
    def title(self) -> str | None:
        first = next((h for h in self.headings if h.level == 1), None)
        return first.text if first else None


def tags(cell: dict[str, Any]) -> list[str]:
    meta = cell.get("metadata")
    found = meta.get("tags") if isinstance(meta, dict) else None
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def cell_source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read(path: Path) -> LessonNotebook:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotebookError(f"{path}: không mở được tệp ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{path}: tệp không phải văn bản UTF-8 (byte {exc.start})") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}: không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise NotebookError(f"{path}: không phải notebook Jupyter (thiếu danh sách 'cells')")
    nb = LessonNotebook(path=path, raw=raw)
    _scan_markdown(nb)
    return nb


def _scan_markdown(nb: LessonNotebook) -> None:
    current: str | None = None
    chunks: dict[str, list[str]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "markdown":
            continue
        in_fence = False
        for line in nfc(cell_source(cell)).splitlines():
            if _FENCE.match(line):
                in_fence = not in_fence
            match = None if in_fence else _HEADING.match(line)
            if match:
                level = len(match.group(1))
                heading = Heading(level, match.group(2).strip(), index)
                nb.headings.append(heading)
                if level <= 2:
                    current = heading.text if level == 2 else None
                    if current is not None:
                        chunks.setdefault(current, [])
                    continue
            if current is not None:
                chunks[current].append(line)
        if current is not None:
            chunks[current].append("")
    nb.sections = {k: "\n".join(v).strip() + "\n" for k, v in chunks.items()}


_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")


def list_items(section: str) -> list[str]:
    """The items of the markdown lists in a section, continuation lines joined, spacing collapsed."""
    found: list[str] = []
    in_item = False
    for line in section.splitlines():
        match = _ITEM.match(line)
        if match:
            found.append(match.group(1).strip())
            in_item = True
        elif in_item and line.startswith((" ", "\t")) and line.strip():
            found[-1] += " " + line.strip()
        else:
            in_item = False
    return [re.sub(r"\s+", " ", item).strip() for item in found]
