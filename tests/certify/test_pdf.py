"""The printable certificate: A4 landscape, exact Vietnamese text (pdftotext), the QR code read back from a
rendered page and from a photo-like picture, and the signed credential attached inside the PDF."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter

from kynangso.certify import compact
from kynangso.certify.pdf import attached_jwts
from kynangso.certify.qr import decode_image, modules, version
from kynangso.certify.verify import verify_file, verify_jwt
from tests.certify.conftest import World


def _an_gov(world: World) -> Path:
    serial = next(r.serial for r in world.report.issued if r.learner == "nguyen-van-an-1985" and r.front == "gov")
    return world.out / f"{serial}.pdf"


def _render(pdf: Path, out: Path, dpi: int = 150) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(out / pdf.stem)], check=True)
    return out / f"{pdf.stem}.png"


def test_a4_landscape_one_page(world: World) -> None:
    info = subprocess.run(["pdfinfo", str(_an_gov(world))], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info, re.M)
    assert size and float(size.group(1)) > float(size.group(2)), info  # A4, landscape
    # A second, independent parser in strict mode: the file's structure (xref, objects, fonts) is well formed.
    from pypdf import PdfReader

    reader = PdfReader(_an_gov(world), strict=True)
    assert len(reader.pages) == 1 and "Nguyễn Văn An" in reader.pages[0].extract_text()


def test_vietnamese_text_round_trips_exactly(world: World) -> None:
    pdf = _an_gov(world)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    serial = pdf.stem
    for expected in (
        "GIẤY CHỨNG NHẬN",
        "KỸ NĂNG SỐ CỘNG ĐỒNG",
        "Nguyễn Văn An",
        "Lĩnh vực CHÍNH QUYỀN SỐ",
        "Cấp độ 2: THÀNH THẠO",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THÁI NGUYÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "Người được chứng nhận tự làm được các việc rõ ràng, không cần người hướng dẫn.",
        f"Số hiệu: {serial}",
        "Thái Nguyên, ngày",
        "GIÁM ĐỐC",
        "ĐÃ KÝ SỐ",
    ):
        assert expected in text, expected


def test_pdf_carries_the_signed_credential(world: World) -> None:
    pdf = _an_gov(world)
    tokens = attached_jwts(pdf.read_bytes())
    assert tokens == [pdf.with_suffix(".jwt").read_text(encoding="ascii").strip()]
    assert verify_file(pdf, world.trust()).status == "valid"


def test_qr_on_a_150_dpi_render_is_small_and_verifies_offline(world: World, tmp_path: Path) -> None:
    pdf = _an_gov(world)
    page = _render(pdf, tmp_path, dpi=150)
    texts = decode_image(page)
    assert len(texts) == 1
    text = texts[0]
    # A compact token a cheap phone reads off paper: at most 300 characters, all in the QR alphanumeric alphabet.
    assert text.startswith("KNS1:") and len(text) <= compact.MAX_CHARS, len(text)
    assert version(modules(text)[0]) <= 10
    trust = world.trust()
    verdict = verify_jwt(text, trust)
    assert verdict.status == "valid", verdict.reasons
    assert verdict.serial == pdf.stem and verdict.name == "Nguyễn Văn An"
    assert verdict.achievement == "Chính quyền số — Cấp độ 2: Thành thạo"
    # The QR is tied to THIS credential: its digest is the digest of the attached VC-JWT.
    assert compact.decode(text).claims.digest == compact.jwt_digest(pdf.with_suffix(".jwt").read_text(encoding="ascii"))
    assert verify_file(page, trust).status == "valid"


def test_blurred_rotated_photo_of_the_certificate_still_verifies(world: World, tmp_path: Path) -> None:
    page = Image.open(_render(_an_gov(world), tmp_path, dpi=150)).convert("RGB")
    # A phone photo: turned 15°, smaller, out of focus, dark, saved as a lossy JPEG.
    photo = page.rotate(15, expand=True, fillcolor=(120, 110, 100), resample=Image.Resampling.BICUBIC)
    photo = photo.resize((int(photo.width * 0.8), int(photo.height * 0.8)), Image.Resampling.LANCZOS)
    photo = ImageEnhance.Brightness(photo.filter(ImageFilter.GaussianBlur(1.6))).enhance(0.8)
    path = tmp_path / "anh-chup.jpg"
    photo.save(path, quality=60)
    verdict = verify_file(path, world.trust())
    assert verdict.status == "valid", verdict.reasons
    assert verdict.name == "Nguyễn Văn An"


def test_image_without_qr_is_explained(world: World, tmp_path: Path) -> None:
    path = tmp_path / "trang.png"
    Image.new("RGB", (400, 300), "white").save(path)
    verdict = verify_file(path, world.trust())
    assert verdict.status == "unverifiable" and "Không tìm thấy mã QR" in verdict.reasons[0]
