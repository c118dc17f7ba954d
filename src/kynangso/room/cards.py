"""Login cards: a printable A4 PDF, ten cards a page, each with a learner's name, id and sign-in code."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kynangso.room.codes import group

COLUMNS, ROWS = 2, 5
MARGIN, CARD_W, CARD_H = 10.0, 95.0, 55.0


@dataclass(frozen=True)
class Card:
    learner: str
    name: str
    code: str


def write_cards(cards: Sequence[Card], path: Path, address: str) -> None:
    """Write the PDF (readable by its owner only: the codes are in clear)."""
    from fpdf import FPDF

    from kynangso.assets import FONTS

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Thẻ dự thi Kỹ Năng Số")
    per_page = COLUMNS * ROWS
    for index, card in enumerate(cards):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = MARGIN + (slot % COLUMNS) * CARD_W
        y = MARGIN + (slot // COLUMNS) * CARD_H
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.set_draw_color(150, 150, 150)
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.set_dash_pattern()
        inner = CARD_W - 12
        pdf.set_xy(x + 6, y + 5)
        pdf.set_font("DejaVu", "B", 9)
        pdf.set_text_color(11, 79, 156)
        pdf.cell(inner, 5, "THẺ DỰ THI · KỸ NĂNG SỐ")
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(x + 6, y + 11)
        pdf.set_font("DejaVu", "B", 13 if len(card.name) <= 30 else 10)
        pdf.cell(inner, 7, card.name[:48])
        pdf.set_xy(x + 6, y + 19)
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(24, 6, "Mã học viên:")
        size = 11.0
        pdf.set_font("DejaVu", "B", size)
        while pdf.get_string_width(card.learner) > inner - 25 and size > 6:  # long ids stay on the card
            size -= 0.5
            pdf.set_font("DejaVu", "B", size)
        pdf.cell(inner - 24, 6, card.learner)
        pdf.set_xy(x + 6, y + 27)
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(24, 10, "Mã dự thi:")
        pdf.set_font("DejaVu", "B", 22)
        pdf.cell(inner - 24, 10, group(card.code))
        pdf.set_xy(x + 6, y + 39)
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(
            inner,
            4,
            f"Vào phòng thi: {address}\nGiữ kín mã dự thi, không đưa người khác xem. Mất thẻ: báo giám thị cấp mã mới.",
        )
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(bytes(pdf.output()))
    os.replace(tmp, path)
