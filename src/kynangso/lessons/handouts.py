"""One-page A4 "phiếu hướng dẫn" per lesson, printed from its metadata and standard sections.

A trainer hands it to a team member (or a resident) to keep: what the lesson is for, the steps, what to say, and
what never to do. Text is DejaVu (every Vietnamese letter, precomposed, so the PDF's text layer stays NFC). When a
lesson is long, the font shrinks a little, then the last items are left out: the handout is always one page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.assets import FONTS
from kynangso.fronts import LEVELS
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.notebook import FRONT_NAMES, NotebookError
from kynangso.lessons.validate import Problem, check_metadata

SCALES = (1.0, 0.92, 0.85, 0.78, 0.72)
# A fixed date: the same lesson prints the same PDF.
_EPOCH = datetime(2025, 7, 1, tzinfo=UTC)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`([^`]*)`")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*]+?)\*(?!\*)")


def plain(text: str, keep_bold: bool = True) -> str:
    """Markdown inline formatting → text for fpdf2's markdown mode (only **bold** kept)."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    # fpdf2's markdown mode reads "--" as underline and "__" as italics; neither is meant in lesson text.
    text = text.replace("--", "–").replace("__", "_")
    if not keep_bold:
        text = text.replace("**", "")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


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
    """What goes on the page, taken from one lesson."""

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


def _fpdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVuSerif", "I", str(FONTS / "DejaVuSerif-Italic.ttf"))
    pdf.set_creator("Kỹ Năng Số")
    pdf.set_creation_date(_EPOCH)
    return pdf


def _render(h: Handout, scale: float, limits: tuple[int, int]) -> Any:
    pdf = _fpdf()
    pdf.set_title(f"Phiếu hướng dẫn: {h.title}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    size = 11 * scale
    line = 5.6 * scale

    pdf.set_fill_color(31, 95, 168)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 10)
    band = "PHIẾU HƯỚNG DẪN · KỸ NĂNG SỐ" + (f" · {h.front.upper()}" if h.front else "")
    pdf.cell(width, 8, band, fill=True, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_text_color(20, 20, 20)
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 17 * scale)
    pdf.multi_cell(width, 8 * scale, h.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9.5 * scale)
    pdf.set_text_color(70, 70, 70)
    info = " · ".join(x for x in (h.level, h.minutes) if x)
    pdf.multi_cell(width, 5 * scale, info, new_x="LMARGIN", new_y="NEXT")
    if h.platforms:
        pdf.multi_cell(width, 5 * scale, f"Dùng: {h.platforms}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(20, 20, 20)

    def heading(text: str) -> None:
        pdf.ln(2.5 * scale)
        pdf.set_font("DejaVu", "B", 12.5 * scale)
        pdf.set_text_color(31, 95, 168)
        pdf.cell(width, 7 * scale, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(201, 211, 224)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1.2 * scale)
        pdf.set_text_color(20, 20, 20)

    def listing(entries: Sequence[str], numbered: bool) -> None:
        pdf.set_font("DejaVu", "", size)
        for n, text in enumerate(entries, 1):
            mark = f"{n}." if numbered else "•"
            pdf.cell(7 * scale, line, mark)
            pdf.multi_cell(width - 7 * scale, line, text, markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.6 * scale)

    max_steps, max_safety = limits
    if h.objectives:
        heading("Mục tiêu")
        listing(h.objectives, numbered=False)
    if h.steps:
        heading("Các bước")
        listing(h.steps[:max_steps], numbered=True)
    if h.script:
        heading("Lời nói mẫu khi hướng dẫn bà con")
        pdf.set_font("DejaVuSerif", "I", size)
        pdf.multi_cell(
            width, line, f"“{h.script.strip('“”')}”", markdown=False, align="L", new_x="LMARGIN", new_y="NEXT"
        )
    if h.safety:
        heading("An toàn — luôn nhớ")
        listing(h.safety[:max_safety], numbered=False)
    # Space left at the bottom becomes ruled lines for the learner's own notes and the date of the follow-up visit.
    bottom = pdf.h - 24
    if pdf.get_y() < bottom - 26:
        heading("Ghi chú — hẹn ngày quay lại")
        pdf.set_draw_color(170, 170, 170)
        y = pdf.get_y() + 7
        while y < bottom:
            pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
            y += 8
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(110, 110, 110)
    pdf.set_y(-20)
    pdf.cell(
        width,
        5,
        f"Tổ công nghệ số cộng đồng · bài {h.id} · In từ bộ bài học Kỹ Năng Số",
        align="C",
    )
    return pdf


def render(path: Path) -> bytes:
    """The handout of one lesson as PDF bytes, always exactly one page."""
    h = Handout(path)
    steps, safety = len(h.steps), len(h.safety)
    # Shrink the font first; then drop the sample script, then the last steps and safety points.
    for attempt in range(40):
        for scale in SCALES:
            pdf = _render(h, scale, (steps, safety))
            if pdf.page_no() == 1:
                return bytes(pdf.output())
        if attempt == 0 and h.script:
            h.script = ""
        elif safety > 2:
            safety -= 1
        elif steps > 3:
            steps -= 1
        else:
            break
    raise ValueError(f"{path}: bài quá dài để in trên một trang")


def write_all(paths: Iterable[Path], out: Path) -> tuple[list[Path], list[Problem]]:
    """Write ``<lesson id>.pdf`` for each valid lesson; a lesson with problems is reported and skipped."""
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
            data = render(path)
        except (NotebookError, ValueError) as exc:
            problems.append(Problem(path, "phiếu hướng dẫn", str(exc)))
            continue
        target = out / f"{Handout(path).id}.pdf"
        atomic.write_bytes(target, data)
        written.append(target)
    return written, problems
