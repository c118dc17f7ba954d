"""QR symbols: draw one from a text, read every text back from a photo or a rendered page.

Knows nothing of what the text means (see :mod:`kynangso.certify.compact` for the token a certificate carries).
"""

from __future__ import annotations

from pathlib import Path


def modules(text: str) -> tuple[int, bytes]:
    """The QR symbol (error correction M) without quiet zone: (size n, n*n bytes, 0 = dark module).

    zxing-cpp's native encoder picks the best mask in about a millisecond; pure-Python encoders take 10–200 ms,
    which matters when a department prints thousands of certificates. A text of upper-case letters, digits and
    `` $%*+-./:`` is encoded in alphanumeric mode (5.5 bits a character instead of 8), hence a smaller symbol.
    """
    import zxingcpp

    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    return int(image.shape[1]), bytes(memoryview(image))  # type: ignore[arg-type]  # zxing Image has the buffer protocol


def version(size: int) -> int:
    """The QR version of a symbol ``size`` modules wide (21 → 1, 25 → 2, …)."""
    return (size - 17) // 4


def decode_image(path: str | Path) -> list[str]:
    """Every QR code text found in a photo or rendered page (best effort: also tries a grey, sharpened copy)."""
    import zxingcpp
    from PIL import Image, ImageFilter, ImageOps

    with Image.open(path) as opened:
        img: Image.Image = ImageOps.exif_transpose(opened).convert("RGB")
    attempts: list[Image.Image] = [img]
    grey = ImageOps.autocontrast(img.convert("L"))
    attempts.append(grey.filter(ImageFilter.SHARPEN))
    if max(img.size) > 2400:  # huge phone photos: a smaller copy decodes faster and often better
        small = grey.copy()
        small.thumbnail((2000, 2000))
        attempts.append(small)
    for candidate in attempts:
        found = [
            r.text
            for r in zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
            if r.text
        ]
        if found:
            return found
    return []
