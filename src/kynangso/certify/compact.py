"""The compact token printed in a certificate's QR code: a CBOR Web Token (RFC 8392) signed as COSE_Sign1
(RFC 9052) with EdDSA (Ed25519), written in Base45 (RFC 9285) behind the prefix ``KNS1:`` — the layout of the
EU Digital COVID Certificate, which phones of every price read off paper.

Why not the credential's own JWS: a VC-JWT is kilobytes and an RS256 signature alone is 342 characters. This
token is about 230 characters, all in the QR alphanumeric alphabet, so the code is a version 9–10 symbol (53–57
modules) rather than version 19–20 (93–97 modules). The full Open Badges 3.0 credential stays in the ``.jwt``,
the ``.json`` and inside the PDF.

Layout (every map and array in CBOR's deterministic encoding)::

    KNS1:<base45( tag 18 [ bstr{1: -8, 4: kid8}, {}, bstr(claims), signature(64) ] )>
    claims = {4: exp, 5: nbf, 7: serial body (8 bytes), "kns": [name, exam code, status index, digest8]}

``kid8`` is the first 8 bytes of the RFC 7638 thumbprint of the Ed25519 key, the same bytes as the fingerprint an
officer reads over the phone. ``digest8`` is the first 8 bytes of SHA-256 of the VC-JWT, which ties the QR to one
credential wherever the full credential is at hand (the registry, the PDF attachment).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from kynangso.certify import base45, jose

PREFIX = "KNS1:"
MAX_CHARS = 300  # what a low-end phone camera reads off a printed A4 without fuss
KID_BYTES = jose.FINGERPRINT_BYTES
DIGEST_BYTES = 8
COSE_SIGN1_TAG = 18
EDDSA = -8  # COSE algorithm id (RFC 9053)
HDR_ALG, HDR_KID = 1, 4
CLAIM_EXP, CLAIM_NBF, CLAIM_CTI = 4, 5, 7  # CWT claim keys (RFC 8392)
CLAIM_KNS = "kns"  # a text key: private claims may be named by text (RFC 8392 §4)
_MAX_BYTES = 1000  # a genuine token is ~170 bytes; anything much longer is refused before CBOR decoding


class CompactError(ValueError):
    """A text that is not a well-formed compact token."""


@dataclass(frozen=True)
class Claims:
    serial: str  # KNS-XXXX-XXXX
    name: str
    code: str  # exam code, e.g. "gov-2": front and level
    nbf: int
    exp: int
    index: int  # credentialStatus.statusListIndex
    digest: bytes  # DIGEST_BYTES of SHA-256 of the VC-JWT


@dataclass(frozen=True)
class Token:
    kid: bytes
    claims: Claims
    signed: bytes  # the COSE Sig_structure the signature covers
    signature: bytes


def jwt_digest(jwt: str) -> bytes:
    return hashlib.sha256(jwt.strip().encode("ascii")).digest()[:DIGEST_BYTES]


def key_id(kid: str) -> bytes:
    """The 8-byte key id in the token for the JWK ``kid`` (RFC 7638 thumbprint, base64url)."""
    return jose.b64u_decode(kid)[:KID_BYTES]


def _timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def claims_of(credential: dict[str, Any], serial: str, jwt: str, name: str) -> Claims:
    """The QR claims of an issued OB 3.0 credential."""
    return Claims(
        serial=serial,
        name=name,
        code=str(credential["credentialSubject"]["achievement"]["humanCode"]),
        nbf=_timestamp(str(credential["validFrom"])),
        exp=_timestamp(str(credential["validUntil"])),
        index=int(credential["credentialStatus"]["statusListIndex"]),
        digest=jwt_digest(jwt),
    )


def _protected(kid: bytes) -> bytes:
    import cbor2

    return bytes(cbor2.dumps({HDR_ALG: EDDSA, HDR_KID: kid}, canonical=True))


def _payload(claims: Claims) -> bytes:
    import cbor2

    body = claims.serial.removeprefix("KNS-").replace("-", "").encode("ascii")
    data = {
        CLAIM_EXP: claims.exp,
        CLAIM_NBF: claims.nbf,
        CLAIM_CTI: body,
        CLAIM_KNS: [claims.name, claims.code, claims.index, claims.digest],
    }
    return bytes(cbor2.dumps(data, canonical=True))


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    import cbor2

    return bytes(cbor2.dumps(["Signature1", protected, b"", payload], canonical=True))


def _assemble(protected: bytes, payload: bytes, signature: bytes) -> str:
    import cbor2

    message = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]), canonical=True)
    return PREFIX + base45.encode(bytes(message))


def encode(claims: Claims, key: ed25519.Ed25519PrivateKey, kid: str) -> str:
    protected, payload = _protected(key_id(kid)), _payload(claims)
    return _assemble(protected, payload, key.sign(_sig_structure(protected, payload)))


def length(claims: Claims) -> int:
    """How many characters the token of ``claims`` has (an Ed25519 signature is always 64 bytes)."""
    return len(_assemble(_protected(bytes(KID_BYTES)), _payload(claims), bytes(64)))


def fits(name: str, code: str = "society-3") -> bool:
    """True when a QR token carrying ``name`` stays within MAX_CHARS, whatever the dates, index and digest."""
    worst = Claims("KNS-ZZZZ-ZZZZ", name, code, 2**32 - 1, 2**32 - 1, 2**32 - 1, bytes(DIGEST_BYTES))
    return length(worst) <= MAX_CHARS


def is_compact(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def decode(text: str) -> Token:
    """Parse a token (NOT verified: see :func:`verify`); raises CompactError when it is not exactly one."""
    import cbor2

    text = text.strip()
    if not text.startswith(PREFIX) or len(text) > 2 * _MAX_BYTES:
        raise CompactError("prefix")
    try:
        raw = base45.decode(text[len(PREFIX) :])
        message = cbor2.loads(raw)
        if not isinstance(message, cbor2.CBORTag) or message.tag != COSE_SIGN1_TAG:
            raise CompactError("tag")
        protected, unprotected, payload, signature = message.value
        header = cbor2.loads(protected)
        data = cbor2.loads(payload)
        # Deterministic encoding both ways: one token, one byte string, so no variant of a genuine token verifies.
        if cbor2.dumps(message, canonical=True) != raw or _protected(header.get(HDR_KID, b"")) != protected:
            raise CompactError("not canonical")
        if header.get(HDR_ALG) != EDDSA or unprotected != {} or len(signature) != 64:
            raise CompactError("header")
        kid = header[HDR_KID]
        name, code, index, digest = data[CLAIM_KNS]
        nbf, exp, body = data[CLAIM_NBF], data[CLAIM_EXP], data[CLAIM_CTI]
        # Exact types, never coercion: bytes(n) of a forged huge integer would try to allocate n bytes.
        shapes = (
            (kid, bytes),
            (name, str),
            (code, str),
            (index, int),
            (digest, bytes),
            (nbf, int),
            (exp, int),
            (body, bytes),
        )
        if not all(type(value) is kind for value, kind in shapes):
            raise CompactError("types")
        body = body.decode("ascii")
        claims = Claims(f"KNS-{body[:4]}-{body[4:]}", name, code, nbf, exp, index, digest)
        if _payload(claims) != payload or len(kid) != KID_BYTES or len(body) != 8:
            raise CompactError("claims")
    except CompactError:
        raise
    except (
        cbor2.CBORDecodeError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        OverflowError,
        RecursionError,
    ) as exc:
        raise CompactError(f"cbor: {exc}") from None
    return Token(kid=bytes(kid), claims=claims, signed=_sig_structure(protected, payload), signature=signature)


def verify(token: Token, key: ed25519.Ed25519PublicKey) -> bool:
    try:
        key.verify(token.signature, token.signed)
    except InvalidSignature:
        return False
    return True
