"""The printable certificate: A4 landscape, DejaVu fonts shipped with the package, a QR code, and the signed
credential attached inside the PDF (so ``kynangso verify`` of a PDF needs no camera).

The fonts are cut once to the characters a certificate may print (Vietnamese, Latin, punctuation) and cached;
the page is then written by :mod:`kynangso.certify.pdfdoc`, reusing the font objects for every certificate.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from kynangso import atomic
from kynangso.assets import FONTS
from kynangso.certify.charset import CHARSET
from kynangso.certify.pdfdoc import (
    FIRST_FONT_OBJ,
    OBJS_PER_FONT,
    Attachment,
    Font,
    GreyImage,
    Page,
    assemble,
    load_font,
)
from kynangso.certify.qr import modules

VN_TIME = timezone(timedelta(hours=7))
_FONT_FILES = {
    "SerifB": "DejaVuSerif-Bold.ttf",
    "SerifI": "DejaVuSerif-Italic.ttf",
    "Serif": "DejaVuSerif.ttf",
    "Sans": "DejaVuSans.ttf",
    "SansB": "DejaVuSans-Bold.ttf",
}
RED = (140, 22, 28)
GOLD = (176, 132, 40)
INK = (25, 35, 60)
GREY = (90, 90, 90)
PAPER = (255, 252, 243)


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on one certificate (already NFC)."""

    serial: str
    name: str
    front_name: str
    level: int
    level_name: str
    level_meaning: str
    alignment: str
    issuer_name: str
    province: str
    signer_title: str
    signer_name: str
    valid_from: datetime
    valid_until: datetime


def _cache_dir() -> Path:
    if os.environ.get("KYNANGSO_CACHE"):
        return Path(os.environ["KYNANGSO_CACHE"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("kynangso", appauthor=False))


@cache
def font_paths() -> dict[str, Path]:
    """The DejaVu fonts cut to CHARSET, built once per charset and kept in the user's cache folder."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tag = hashlib.sha256(CHARSET.encode("utf-8")).hexdigest()[:10]
    folder = _cache_dir() / f"fonts-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for key, filename in _FONT_FILES.items():
        target = folder / filename
        if not target.exists():
            font = TTFont(FONTS / filename)
            options = subset.Options()
            options.name_IDs = ["*"]
            options.notdef_outline = True
            options.layout_features = []
            options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern", "hdmx"]
            sub = subset.Subsetter(options)
            sub.populate(text=CHARSET)
            sub.subset(font)
            with atomic.replacing(target) as tmp:  # parallel workers never read half a font
                font.save(str(tmp))
        out[key] = target
    return out


@cache
def fonts() -> dict[str, Font]:
    return {
        key: load_font(path, f"F{i + 1}", FIRST_FONT_OBJ + i * OBJS_PER_FONT, CHARSET)
        for i, (key, path) in enumerate(font_paths().items())
    }


def _date_vi(ts: datetime) -> str:
    return ts.astimezone(VN_TIME).strftime("%d/%m/%Y")


def _fit(font: Font, text: str, size: float, width_mm: float) -> float:
    while size > 10 and font.width(text, size) / 72 * 25.4 > width_mm:
        size -= 0.5
    return size


@cache
def _static(issuer_name: str, signer_title: str) -> bytes:
    """Frame, headings, title and signature block: the same on every certificate of one issuer."""
    f = fonts()
    page = Page()
    w, h = Page.WIDTH, Page.HEIGHT
    page.fill(PAPER)
    page.rect(0, 0, w, h, b"f")
    page.stroke(RED, 2.4)
    page.rect(8, 8, w - 16, h - 16)
    page.stroke(GOLD, 0.8)
    page.rect(11.5, 11.5, w - 23, h - 23)
    page.stroke(GOLD, 0.25)
    page.rect(13, 13, w - 26, h - 26)
    page.fill(GOLD)
    for cx, cy in ((13, 13), (w - 13, 13), (13, h - 13), (w - 13, h - 13)):
        page.polygon([(cx, cy - 3.2), (cx + 3.2, cy), (cx, cy + 3.2), (cx - 3.2, cy)])
    issuer = issuer_name.upper()
    page.centred(f["SansB"], _fit(f["SansB"], issuer, 10.5, 118), 25, issuer, INK, 18, 122)
    page.stroke(INK, 0.3)
    page.line(64, 28, 94, 28)
    page.centred(f["SansB"], 10.5, 25, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", INK, 150, 130)
    motto = "Độc lập – Tự do – Hạnh phúc"
    page.centred(f["SerifB"], 11, 31, motto, INK, 150, 130)
    half = f["SerifB"].width(motto, 11) / 72 * 25.4 / 2
    page.line(215 - half, 32.6, 215 + half, 32.6)
    page.centred(f["SerifB"], 34, 57, "GIẤY CHỨNG NHẬN", RED)
    page.centred(f["SansB"], 14, 66, "KỸ NĂNG SỐ CỘNG ĐỒNG", GOLD)
    page.centred(f["SerifI"], 14, 78, "Chứng nhận", GREY)
    page.stroke(GOLD, 0.4)
    page.line(98, 97, 199, 97)
    page.centred(
        f["SerifI"], 12.5, 105, "đã đạt yêu cầu đánh giá kỹ năng số của chương trình Tổ công nghệ số cộng đồng", GREY
    )
    page.centred(f["SerifB"], 12, 158, signer_title.upper(), INK, 185, 95)
    page.stroke(RED, 0.5)
    page.rect(207, 163, 51, 12)
    page.centred(f["SansB"], 9, 168.6, "ĐÃ KÝ SỐ", RED, 207, 51)
    page.centred(f["Sans"], 7, 173, "RS256 · Open Badges 3.0", RED, 207, 51)
    small = "Quét mã QR bằng ứng dụng “Kiểm tra chứng nhận”"
    page.text(f["Sans"], 8, 72, 177, small, INK)
    page.text(f["Sans"], 8, 72, 181.5, "hoặc lệnh “kynangso verify” để kiểm tra, không cần Internet.", INK)
    return page.content()


def _qr_image(text: str) -> GreyImage:
    """The QR code with a quiet zone of 3 modules, one pixel per module (the page scales it, unsmoothed)."""
    n, pixels = modules(text)
    quiet = 3
    side = n + 2 * quiet
    white = b"\xff" * side
    rows = [white] * quiet
    rows += [b"\xff" * quiet + pixels[r * n : (r + 1) * n] + b"\xff" * quiet for r in range(n)]
    rows += [white] * quiet
    return GreyImage(side, side, b"".join(rows))


def render(text: CertificateText, jwt: str, qr_text: str) -> bytes:
    """The certificate PDF with the VC-JWT attached as ``<serial>.jwt``."""
    f = fonts()
    page = Page()
    name = unicodedata.normalize("NFC", text.name)
    page.centred(f["SerifB"], _fit(f["SerifB"], name, 30, 230), 92, name, INK)
    level_line = f"Lĩnh vực {text.front_name.upper()}  ·  Cấp độ {text.level}: {text.level_name.upper()}"
    page.centred(f["SerifB"], 16, 116, level_line, RED)
    page.centred(f["Serif"], 11.5, 125, f"Người được chứng nhận {text.level_meaning}.", INK)
    page.centred(f["Sans"], 8.5, 131, text.alignment, GREY)
    page.image(22, 140, 46, 46)
    page.text(f["SansB"], 11, 72, 156, f"Số hiệu: {text.serial}", INK)
    page.text(f["Sans"], 9.5, 72, 163, f"Ngày cấp: {_date_vi(text.valid_from)}", INK)
    page.text(f["Sans"], 9.5, 72, 169.5, f"Có giá trị đến: {_date_vi(text.valid_until)}", INK)
    day = text.valid_from.astimezone(VN_TIME)
    place = f"{text.province}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    page.centred(f["SerifI"], 11.5, 150, place, INK, 185, 95)
    if text.signer_name:
        page.centred(f["SerifB"], 12.5, 186, text.signer_name, INK, 185, 95)
    content = _static(text.issuer_name, text.signer_title) + b"\n" + page.content()
    created = text.valid_from.astimezone(UTC)
    return assemble(
        list(f.values()),
        content,
        {
            "Title": f"Giấy chứng nhận kỹ năng số {text.serial}",
            "Author": text.issuer_name,
            "Subject": text.serial,
            "Creator": "Kỹ Năng Số",
            "Producer": "kynangso.certify",
        },
        created,
        Attachment(f"{text.serial}.jwt", jwt.encode("ascii"), "Chứng nhận số Open Badges 3.0 (VC-JWT, RS256)"),
        _qr_image(qr_text),
    )


def attached_jwts(data: bytes) -> list[str]:
    """The VC-JWTs attached to a certificate PDF (empty when none, or when the file is not a readable PDF)."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        found: list[str] = []
        for name, contents in reader.attachments.items():
            if name.endswith(".jwt"):
                found.extend(c.decode("ascii", "replace").strip() for c in contents)
        return found
    except (PyPdfError, ValueError, KeyError, OSError):
        return []
