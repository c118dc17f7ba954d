"""Base45 (RFC 9285): bytes as text made only of the characters a QR code packs in alphanumeric mode.

Strict on decoding, like :mod:`kynangso.certify.jose`: a group whose value is out of range is refused rather than
wrapped, so every text decodes to at most one byte string and changing any character of a QR text changes the
bytes whose signature is checked.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """Not a canonical Base45 text."""


def encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [ALPHABET[n % 45], ALPHABET[n // 45 % 45], ALPHABET[n // 2025]]
    if len(data) % 2:
        n = data[-1]
        out += [ALPHABET[n % 45], ALPHABET[n // 45]]
    return "".join(out)


def decode(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise Base45Error("base45")
    try:
        values = [_VALUE[c] for c in text]
    except KeyError:
        raise Base45Error("base45") from None
    out = bytearray()
    full = len(values) - len(values) % 3
    for i in range(0, full, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise Base45Error("base45")
        out += bytes((n >> 8, n & 0xFF))
    if full < len(values):
        n = values[full] + values[full + 1] * 45
        if n > 0xFF:
            raise Base45Error("base45")
        out.append(n)
    return bytes(out)
