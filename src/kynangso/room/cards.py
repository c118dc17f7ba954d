"""Login cards: a printable A4 PDF, ten cards a page, each with a learner's name, id and sign-in code, and a QR
code that opens the room with the learner's id filled in (never the code: a photo of the QR must not sign anyone
in), so that on a phone the learner types only the six digits."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kynangso import atomic
from kynangso.room.codes import group

if TYPE_CHECKING:
    from PIL import Image

COLUMNS, ROWS = 2, 5
MARGIN, CARD_W, CARD_H = 10.0, 95.0, 55.0
QR_SIDE = 24.0  # mm: a phone camera reads it at arm's length; the text beside it keeps its size
ID_PARAM = "hv"  # read by room.js


def sign_in_url(address: str, learner: str) -> str:
    """The room's address with the learner's id as ``?hv=…`` (any query or fragment of the address is kept)."""
    parts = urllib.parse.urlsplit(address)
    query = [*urllib.parse.parse_qsl(parts.query), (ID_PARAM, learner)]
    return urllib.parse.urlunsplit(parts._replace(path=parts.path or "/", query=urllib.parse.urlencode(query)))


def qr_image(text: str, scale: int = 8) -> Image.Image:
    """The QR code as a black-and-white image with a quiet zone of 2 modules (fpdf2 places PIL images)."""
    from PIL import Image

    from kynangso.certify.qr import modules  # the certificate's encoder: one QR library in the project

    n, pixels = modules(text)
    image = Image.frombytes("L", (n, n), pixels)
    framed = Image.new("L", (n + 4, n + 4), 255)
    framed.paste(image, (2, 2))
    return framed.resize(((n + 4) * scale, (n + 4) * scale), Image.Resampling.NEAREST)


@dataclass(frozen=True)
class Card:
    learner: str
    name: str
    code: str


def _fit(pdf: object, text: str, width: float, size: float, smallest: float) -> None:
    """Bold type as large as ``size`` that fits ``text`` into ``width`` mm (down to ``smallest``)."""
    pdf.set_font("DejaVu", "B", size)  # type: ignore[attr-defined]
    while pdf.get_string_width(text) > width and size > smallest:  # type: ignore[attr-defined]
        size -= 0.5
        pdf.set_font("DejaVu", "B", size)  # type: ignore[attr-defined]


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
        pdf.image(qr_image(sign_in_url(address, card.learner)), x + CARD_W - 6 - QR_SIDE, y + 4, QR_SIDE, QR_SIDE)
        inner -= QR_SIDE + 2  # the rows beside the QR
        pdf.set_xy(x + 6, y + 5)
        pdf.set_font("DejaVu", "B", 9)
        pdf.set_text_color(11, 79, 156)
        pdf.cell(inner, 5, "THẺ DỰ THI · KỸ NĂNG SỐ")
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(x + 6, y + 11)
        _fit(pdf, card.name[:48], inner, 13.0, 8.0)
        pdf.cell(inner, 7, card.name[:48])
        pdf.set_xy(x + 6, y + 19)
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(20, 6, "Mã học viên:")
        _fit(pdf, card.learner, inner - 21, 11.0, 6.0)  # long ids stay on the card
        pdf.cell(inner - 20, 6, card.learner)
        pdf.set_xy(x + 6, y + 27)
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(20, 10, "Mã dự thi:")
        pdf.set_font("DejaVu", "B", 20)
        pdf.cell(inner - 20, 10, group(card.code))
        pdf.set_xy(x + 6, y + 39)
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(
            CARD_W - 12,
            4,
            f"Quét mã QR (điền sẵn mã học viên) hoặc vào: {address}\nGiữ kín mã dự thi, không đưa người khác xem. Mất thẻ: báo giám thị cấp mã mới.",
        )
    atomic.write_bytes(path, bytes(pdf.output()), mode=0o600)
