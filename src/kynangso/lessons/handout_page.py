"""The A4 page both handouts are printed on: fonts, the coloured band, headings, lists, the footer.

Text is DejaVu (every Vietnamese letter, precomposed, so the PDF's text layer stays NFC). A creation date fixed
once makes the same lesson print the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from kynangso.assets import FONTS

SCALES = (1.0, 0.92, 0.85, 0.78, 0.72)
FOOTER_CLEARANCE = 23
_EPOCH = datetime(2025, 7, 1, tzinfo=UTC)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`([^`]*)`")
_ITALIC = re.compile(r"(?<![*\w\\])\*(?!\*)([^*]+?)(?<!\\)\*(?!\*)")
# Markdown's backslash escapes ("\*998#" in a lesson is the literal text "*998#").
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def plain(text: str, keep_bold: bool = True) -> str:
    """Markdown inline formatting → text for fpdf2's markdown mode (only **bold** kept)."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    # fpdf2's markdown mode reads "--" as underline and "__" as italics; neither is meant in lesson text.
    text = text.replace("--", "–").replace("__", "_")
    if not keep_bold:
        text = text.replace("**", "")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def fit(draw: Callable[[float], Page], overflowed: bool = False) -> Page | None:
    """The page drawn at the largest scale that fits on one page, or None.

    ``overflowed`` says the previous try (with one item more) did not fit even at the smallest scale: then the
    smallest scale is tried first, since text only grows with the scale, and a long lesson losing items one by one
    is drawn once per item instead of once per scale per item.
    """
    if overflowed and not draw(SCALES[-1]).fits:
        return None
    for scale in SCALES:
        page = draw(scale)
        if page.fits:
            return page
    return None


class Page:
    """One A4 page at a font scale; ``pdf.page_no()`` after drawing says whether it still fits."""

    def __init__(self, title: str, scale: float) -> None:
        from fpdf import FPDF

        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(16, 14, 16)
        # The bottom margin keeps the text clear of the footer line (drawn at 20 mm from the bottom edge).
        pdf.set_auto_page_break(True, margin=FOOTER_CLEARANCE)
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.add_font("DejaVuSerif", "I", str(FONTS / "DejaVuSerif-Italic.ttf"))
        pdf.set_creator("Kỹ Năng Số")
        pdf.set_creation_date(_EPOCH)
        pdf.set_title(title)
        pdf.add_page()
        self.pdf: Any = pdf
        self.scale = scale
        self.width = pdf.w - pdf.l_margin - pdf.r_margin
        self.size = 11 * scale
        self.line = 5.6 * scale

    def band(self, text: str, colour: tuple[int, int, int] = (31, 95, 168)) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*colour)
        pdf.set_text_color(255, 255, 255)
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(self.width, 8, text, fill=True, new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_text_color(20, 20, 20)
        pdf.ln(3)

    def title(self, text: str, info: Sequence[str]) -> None:
        pdf, s = self.pdf, self.scale
        pdf.set_font("DejaVu", "B", 17 * s)
        pdf.multi_cell(self.width, 8 * s, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5 * s)
        pdf.set_text_color(70, 70, 70)
        for line in info:
            if line:
                pdf.multi_cell(self.width, 5 * s, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(20, 20, 20)

    def heading(self, text: str) -> None:
        pdf, s = self.pdf, self.scale
        pdf.ln(2.5 * s)
        pdf.set_font("DejaVu", "B", 12.5 * s)
        pdf.set_text_color(31, 95, 168)
        pdf.cell(self.width, 7 * s, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(201, 211, 224)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.width, pdf.get_y())
        pdf.ln(1.2 * s)
        pdf.set_text_color(20, 20, 20)

    def listing(self, entries: Sequence[str], numbered: bool = False, indent: int = 0) -> None:
        """A bulleted (or numbered) list; ``indent`` 1 for the items of a nested list."""
        pdf, s = self.pdf, self.scale
        pdf.set_font("DejaVu", "", self.size)
        left = 7 * s * indent
        for n, text in enumerate(entries, 1):
            if left:
                pdf.set_x(pdf.l_margin + left)
            pdf.cell(7 * s, self.line, f"{n}." if numbered else ("–" if indent else "•"))
            width = self.width - 7 * s - left
            pdf.multi_cell(width, self.line, text, markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.6 * s)

    def paragraph(self, text: str, italic: bool = False) -> None:
        pdf = self.pdf
        if italic:
            pdf.set_font("DejaVuSerif", "I", self.size)
        else:
            pdf.set_font("DejaVu", "", self.size)
        pdf.multi_cell(self.width, self.line, text, markdown=not italic, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6 * self.scale)

    def ruled_lines(self, heading: str) -> None:
        """Space left at the bottom becomes ruled lines for notes."""
        pdf = self.pdf
        bottom = pdf.h - 24
        if pdf.get_y() < bottom - 26:
            self.heading(heading)
            pdf.set_draw_color(170, 170, 170)
            y = pdf.get_y() + 7
            while y < bottom:
                pdf.line(pdf.l_margin, y, pdf.l_margin + self.width, y)
                y += 8

    def footer(self, text: str) -> None:
        pdf = self.pdf
        if pdf.page_no() != 1:
            return
        pdf.set_auto_page_break(False)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(110, 110, 110)
        pdf.set_y(-20)
        pdf.cell(self.width, 5, text, align="C")

    @property
    def fits(self) -> bool:
        return bool(self.pdf.page_no() == 1)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
