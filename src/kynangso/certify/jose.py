"""JWS compact serialisation with RS256 (RFC 7515/7518), RSA and Ed25519 JWKs (RFC 8037), their RFC 7638
thumbprints, and the short fingerprint a person reads aloud over the phone.

Small and strict on purpose: base64url must be canonical (no padding, no stray bits), so that changing ANY
character of a token changes the bytes that are verified.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

ALG = "RS256"
ALG_QR = "EdDSA"
FINGERPRINT_BYTES = 8  # 64 bits: 16 hex digits to read over the phone, far beyond what a forger could match
# The members RFC 7638 hashes, per key type.
_THUMBPRINT_MEMBERS = {"RSA": ("e", "kty", "n"), "OKP": ("crv", "kty", "x")}
_B64U = re.compile(r"[A-Za-z0-9_-]+")


class JoseError(ValueError):
    """A token that is not a well-formed, correctly signed JWS."""


def b64u_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """Strict base64url: the alphabet only, no padding, and canonical (re-encodes to the same text)."""
    if not _B64U.fullmatch(text):
        raise JoseError("base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("base64url") from exc
    if b64u_encode(data) != text:
        raise JoseError("base64url")
    return data


def _int_b64(n: int) -> str:
    return b64u_encode(n.to_bytes((n.bit_length() + 7) // 8, "big"))


PublicKey = rsa.RSAPublicKey | ed25519.Ed25519PublicKey


def public_jwk(key: PublicKey) -> dict[str, str]:
    """The public key as a JWK with ``kid`` = its RFC 7638 thumbprint: RSA for RS256, Ed25519 for EdDSA."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk = {"crv": "Ed25519", "kty": "OKP", "x": b64u_encode(raw)}
        return {**jwk, "kid": thumbprint(jwk), "use": "sig", "alg": ALG_QR}
    numbers = key.public_numbers()
    jwk = {"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)}
    return {**jwk, "kid": thumbprint(jwk), "use": "sig", "alg": ALG}


def thumbprint(jwk: dict[str, Any]) -> str:
    members = _THUMBPRINT_MEMBERS.get(str(jwk.get("kty")))
    if members is None:
        raise JoseError("kty")
    canonical = json.dumps({k: str(jwk[k]) for k in members}, separators=(",", ":"), sort_keys=True)
    return b64u_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def fingerprint(kid: str | bytes) -> str:
    """``3F2A-9C1B-77D0-E45A``: the first 8 bytes of a key's thumbprint (a ``kid`` or its raw bytes), in groups
    of four hex digits, to compare with the issuer over the phone."""
    raw = kid if isinstance(kid, bytes) else b64u_decode(kid)
    text = raw[:FINGERPRINT_BYTES].hex().upper()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def jwk_to_public_key(jwk: dict[str, Any]) -> PublicKey:
    """The public key of an RSA or Ed25519 JWK; raises JoseError for anything else."""
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64u_decode(str(jwk["x"])))
        if jwk.get("kty") == "RSA":
            n = int.from_bytes(b64u_decode(str(jwk["n"])), "big")
            e = int.from_bytes(b64u_decode(str(jwk["e"])), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError) as exc:
        raise JoseError(f"jwk: {exc}") from None
    raise JoseError("kty")


def encode_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(payload: dict[str, Any], key: rsa.RSAPrivateKey, kid: str, typ: str = "JWT") -> str:
    header = {"alg": ALG, "kid": kid, "typ": typ}
    signing_input = f"{b64u_encode(encode_json(header))}.{b64u_encode(encode_json(payload))}"
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64u_encode(signature)}"


def split(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS; raises JoseError when malformed."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("parts")
    try:
        header = json.loads(b64u_decode(parts[0]).decode("utf-8"))
        payload = json.loads(b64u_decode(parts[1]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JoseError("json") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JoseError("json")
    # An empty signature (alg "none") is read as such, so the caller can say why it is refused.
    signature = b64u_decode(parts[2]) if parts[2] else b""
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def verify_signature(signing_input: bytes, signature: bytes, key: PublicKey) -> bool:
    """RS256 only: an Ed25519 key (the QR key) never verifies a JWS, whatever its header says."""
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
