"""The QR code printed on a certificate and how to read one back from a photo.

A whole credential (several kilobytes) does not fit a QR code that a phone reads off paper, so the QR carries a
small token signed with the same issuer key (RS256 JWS, ``typ`` "kns-qr"): serial, name, exam, validity, status
index, and a hash of the full VC-JWT. With the issuer's public keys and status list a phone verifies it offline;
with the full credential at hand (PDF attachment, registry) the hash ties the two together.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from kynangso.certify import jose

QR_TYP = "kns-qr"


def jwt_digest(jwt: str) -> str:
    return jose.b64u_encode(hashlib.sha256(jwt.encode("ascii")).digest()[:16])


def qr_claims(credential: dict[str, Any], serial: str, jwt: str, name: str) -> dict[str, Any]:
    from kynangso.certify.credential import jwt_claims

    claims = jwt_claims(credential)
    return {
        "s": serial,
        "n": name,
        "c": credential["credentialSubject"]["achievement"]["humanCode"],
        "nbf": claims["nbf"],
        "exp": claims["exp"],
        "i": int(credential["credentialStatus"]["statusListIndex"]),
        "h": jwt_digest(jwt),
    }


def make_token(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    return jose.sign(claims, key, kid, typ=QR_TYP)


def modules(text: str) -> tuple[int, bytes]:
    """The QR symbol (error correction M) without quiet zone: (size n, n*n bytes, 0 = dark module).

    zxing-cpp's native encoder picks the best mask in about a millisecond; pure-Python encoders take 10–200 ms,
    which matters when a department prints thousands of certificates.
    """
    import zxingcpp

    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    return int(image.shape[1]), bytes(memoryview(image))  # type: ignore[arg-type]  # zxing Image has the buffer protocol


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
