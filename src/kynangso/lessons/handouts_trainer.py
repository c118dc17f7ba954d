"""The trainer's one-page "phiếu giảng viên": timing, prerequisites, simulations and the lesson's trainer notes.

The notes are the cells tagged ``trainer`` (the ones the learner's reader view hides), printed in their order. When
they do not fit, the font shrinks, then the key points make room, then the last notes are cut and the page says
where the rest is: a handout is always one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kynangso.fronts import LEVELS
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.catalogue import curriculum_root, lesson_titles
from kynangso.lessons.handout_page import Page, fit, plain
from kynangso.lessons.notebook import FRONT_NAMES, TRAINER_SECTION, TRAINER_TAG

_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
CUT = "… (phần còn lại của ghi chú: mở bài trong JupyterLab, mục “Ghi chú cho giảng viên”)"


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "item", "subitem" (an item of a nested list) or "paragraph"
    text: str


def blocks(markdown: str) -> list[Block]:
    """Headings, list items and paragraphs of trainer notes, in order (the section's own heading left out)."""
    found: list[tuple[str, list[str]]] = []
    open_block = False
    for line in markdown.splitlines():
        heading, item = _HEADING.match(line), _ITEM.match(line)
        if heading:
            if heading.group(1).strip() != TRAINER_SECTION:
                found.append(("heading", [heading.group(1)]))
            open_block = False
        elif item:
            nested = len(line) - len(line.lstrip()) >= 2
            found.append(("subitem" if nested else "item", [item.group(1)]))
            open_block = True
        elif not line.strip():
            open_block = False
        elif open_block and (found[-1][0] == "paragraph" or line.startswith((" ", "\t"))):
            found[-1][1].append(line.strip())
        else:
            found.append(("paragraph", [line.strip()]))
            open_block = True
    result = [Block(kind, plain(" ".join(lines))) for kind, lines in found]
    return [b for b in result if b.text]


class TrainerHandout:
    """What goes on the trainer's page, taken from one lesson."""

    def __init__(self, path: Path) -> None:
        nb = nbmod.read(path)
        meta = nb.meta or {}
        self.id = str(meta.get("id", path.stem))
        self.title = nbmod.nfc(str(meta.get("title", nb.title or path.stem)))
        self.front = FRONT_NAMES.get(str(meta.get("front")), "")
        level = meta.get("level")
        self.level = f"Cấp độ {level} · {LEVELS[level].name}" if level in LEVELS else ""
        teaching, practice = int(meta.get("minutes_teaching", 0)), int(meta.get("minutes_practice", 0))
        self.timing = f"{teaching} phút giảng + {practice} phút thực hành = {teaching + practice} phút"
        titles = lesson_titles(curriculum_root(path))
        self.requires = [f"{titles.get(r, r)} ({r})" for r in meta.get("requires", [])]
        self.simulations = [str(s) for s in meta.get("simulations", [])]
        self.key_points = [plain(str(k)) for k in meta.get("key_points", [])]
        notes = "\n\n".join(nbmod.nfc(nbmod.cell_source(c)) for c in nb.cells if TRAINER_TAG in nbmod.tags(c))
        self.notes = blocks(notes)


def _render(h: TrainerHandout, notes: int, keys: int, scale: float) -> Page:
    page = Page(f"Phiếu giảng viên: {h.title}", scale)
    page.band("PHIẾU GIẢNG VIÊN · KỸ NĂNG SỐ" + (f" · {h.front.upper()}" if h.front else ""), (30, 110, 60))
    page.title(h.title, [" · ".join(x for x in (h.level, f"bài {h.id}") if x)])
    page.heading("Thời lượng và chuẩn bị")
    page.listing(
        [
            f"**Thời lượng:** {h.timing}",
            "**Cần học trước:** " + ("; ".join(h.requires) if h.requires else "không cần bài nào"),
            "**Mô phỏng:** " + (", ".join(h.simulations) if h.simulations else "không dùng"),
        ]
    )
    page.heading("Ghi chú cho giảng viên")
    shown = h.notes[:notes]
    for block in shown:
        if block.kind == "heading":
            page.paragraph(f"**{block.text.strip('*')}**")
        elif block.kind in ("item", "subitem"):
            page.listing([block.text], indent=1 if block.kind == "subitem" else 0)
        else:
            page.paragraph(block.text)
    if len(shown) < len(h.notes):
        page.paragraph(CUT)
    if keys:
        page.heading("Ghi nhớ — điều học viên phải nắm khi kết thúc bài")
        page.listing(h.key_points[:keys])
    page.footer(f"Dành cho giảng viên · bài {h.id} · In từ bộ bài học Kỹ Năng Số")
    return page


def render(path: Path) -> bytes:
    """The trainer's handout of one lesson as PDF bytes, always exactly one page."""
    h = TrainerHandout(path)
    notes, keys = len(h.notes), len(h.key_points)
    # The trainer notes are what this page is for: the key points (also on the learner's page) give way first.
    overflowed = False
    while True:
        page = fit(partial(_render, h, notes, keys), overflowed)
        if page is not None:
            return page.output()
        if keys:
            keys -= 1
        elif notes > 1:
            notes -= 1
        else:
            raise ValueError(f"{path}: ghi chú cho giảng viên quá dài để in trên một trang")
        overflowed = True
