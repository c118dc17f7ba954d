"""One-page A4 handouts per lesson, printed from its metadata and standard sections.

Two kinds (``KINDS``): the learner's "phiếu hướng dẫn", which a trainer hands to a team member (or a resident) to
keep: what the lesson is for, the steps, what to say, what never to do and the key points to remember; and the
trainer's "phiếu giảng viên" (:mod:`kynangso.lessons.handouts_trainer`): timing, prerequisites and the trainer notes.
When a lesson is long, the font shrinks a little, then the last items are left out: a handout is always one page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kynangso import atomic
from kynangso.fronts import LEVELS
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.handout_page import Page, fit, plain
from kynangso.lessons.notebook import FRONT_NAMES, NotebookError
from kynangso.lessons.validate import Problem, check_metadata

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def items(section: str) -> list[str]:
    """The list items of a markdown section (continuation lines joined); paragraphs when there is no list."""
    found: list[str] = []
    paragraphs: list[str] = []
    in_list = False
    for line in section.splitlines():
        if line.lstrip().startswith(("#", "|", ">")):
            in_list = False
            continue
        match = _ITEM.match(line)
        if match:
            found.append(match.group(1))
            in_list = True
        elif in_list and line.startswith((" ", "\t")) and line.strip():
            found[-1] += " " + line.strip()
        elif line.strip():
            in_list = False
            if paragraphs and not paragraphs[-1].endswith("\n"):
                paragraphs[-1] += " " + line.strip()
            else:
                paragraphs.append(line.strip())
        elif paragraphs:
            paragraphs[-1] += "\n"
    chosen = found or [p.strip() for p in paragraphs]
    return [plain(x) for x in chosen if plain(x)]


def quote(section: str) -> str:
    """The first blockquote of a section (the model script of "Hướng dẫn lại cho người dân")."""
    lines: list[str] = []
    for line in section.splitlines():
        if line.lstrip().startswith(">"):
            lines.append(line.lstrip()[1:].strip())
        elif lines:
            break
    return plain(" ".join(lines))


class Handout:
    """What goes on the learner's page, taken from one lesson."""

    def __init__(self, path: Path) -> None:
        nb = nbmod.read(path)
        meta = nb.meta or {}
        self.path = path
        self.id = str(meta.get("id", path.stem))
        self.title = nbmod.nfc(str(meta.get("title", nb.title or path.stem)))
        self.front = FRONT_NAMES.get(str(meta.get("front")), "")
        level = meta.get("level")
        self.level = f"Cấp độ {level} · {LEVELS[level].name}" if level in LEVELS else ""
        self.minutes = f"{meta.get('minutes_teaching', 0)} phút giảng, {meta.get('minutes_practice', 0)} phút thực hành"
        self.platforms = ", ".join(str(p) for p in meta.get("platforms", []))
        self.objectives = [plain(str(o)) for o in meta.get("objectives", [])]
        self.steps = items(nb.sections.get("Từng bước", ""))
        self.safety = items(nb.sections.get("An toàn", ""))
        self.script = quote(nb.sections.get("Hướng dẫn lại cho người dân", ""))
        self.key_points = [plain(str(k)) for k in meta.get("key_points", [])]


def _render(h: Handout, limits: tuple[int, int, int], scale: float) -> Page:
    page = Page(f"Phiếu hướng dẫn: {h.title}", scale)
    page.band("PHIẾU HƯỚNG DẪN · KỸ NĂNG SỐ" + (f" · {h.front.upper()}" if h.front else ""))
    page.title(
        h.title, [" · ".join(x for x in (h.level, h.minutes) if x), f"Dùng: {h.platforms}" if h.platforms else ""]
    )
    max_steps, max_safety, max_keys = limits
    if h.objectives:
        page.heading("Mục tiêu")
        page.listing(h.objectives)
    if h.steps:
        page.heading("Các bước")
        page.listing(h.steps[:max_steps], numbered=True)
    if h.script:
        page.heading("Lời nói mẫu khi hướng dẫn bà con")
        page.paragraph(f"“{h.script.strip('“”')}”", italic=True)
    if h.safety:
        page.heading("An toàn — luôn nhớ")
        page.listing(h.safety[:max_safety])
    if h.key_points:
        page.heading("Ghi nhớ")
        page.listing(h.key_points[:max_keys])
    page.ruled_lines("Ghi chú — hẹn ngày quay lại")
    page.footer(f"Tổ công nghệ số cộng đồng · bài {h.id} · In từ bộ bài học Kỹ Năng Số")
    return page


def render(path: Path) -> bytes:
    """The learner's handout of one lesson as PDF bytes, always exactly one page."""
    h = Handout(path)
    steps, safety, keys = len(h.steps), len(h.safety), len(h.key_points)
    # Shrink the font first; then drop the sample script, then the last steps, safety and key points.
    for attempt in range(60):
        page = fit(partial(_render, h, (steps, safety, keys)), overflowed=attempt > 0)
        if page is not None:
            return page.output()
        if attempt == 0 and h.script:
            h.script = ""
        elif safety > 2:
            safety -= 1
        elif steps > 3:
            steps -= 1
        elif keys > 3:
            keys -= 1
        else:
            break
    raise ValueError(f"{path}: bài quá dài để in trên một trang")


@dataclass(frozen=True)
class Kind:
    """One kind of handout: how it is printed and the file name it gets."""

    render: Callable[[Path], bytes]
    file_name: Callable[[str], str]


def _trainer_render(path: Path) -> bytes:
    from kynangso.lessons.handouts_trainer import render as render_trainer

    return render_trainer(path)


KINDS: dict[str, Kind] = {
    "learner": Kind(render, lambda lesson_id: f"{lesson_id}.pdf"),
    "trainer": Kind(_trainer_render, lambda lesson_id: f"{lesson_id}-giang-vien.pdf"),
}


def write_all(paths: Iterable[Path], out: Path, kind: str = "learner") -> tuple[list[Path], list[Problem]]:
    """Write the handout of each valid lesson (``<lesson id>.pdf``, the trainer's ``<lesson id>-giang-vien.pdf``);
    a lesson with problems is reported and skipped."""
    printer = KINDS[kind]
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        # Only what the page is printed from matters here (a missing prerequisite elsewhere does not).
        try:
            found = check_metadata(path, nbmod.read(path).meta)
        except NotebookError as exc:
            found = [Problem(path, "tệp", str(exc).removeprefix(f"{path}: "))]
        if found:
            problems += found
            continue
        try:
            data = printer.render(path)
        except (NotebookError, ValueError) as exc:
            problems.append(Problem(path, "phiếu hướng dẫn", str(exc)))
            continue
        target = out / printer.file_name(str((nbmod.read(path).meta or {}).get("id", path.stem)))
        atomic.write_bytes(target, data)
        written.append(target)
    return written, problems
