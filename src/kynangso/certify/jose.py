"""JWS compact serialisation with RS256 (RFC 7515/7518), RSA JWKs and their RFC 7638 thumbprints.

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
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ALG = "RS256"
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


def public_jwk(key: rsa.RSAPublicKey) -> dict[str, str]:
    """The RSA public key as a JWK with ``kid`` = its RFC 7638 thumbprint, for RS256 signatures."""
    numbers = key.public_numbers()
    jwk = {"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)}
    return {**jwk, "kid": thumbprint(jwk), "use": "sig", "alg": ALG}


def thumbprint(jwk: dict[str, str]) -> str:
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return b64u_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def jwk_to_public_key(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    if jwk.get("kty") != "RSA":
        raise JoseError("kty")
    n = int.from_bytes(b64u_decode(str(jwk["n"])), "big")
    e = int.from_bytes(b64u_decode(str(jwk["e"])), "big")
    return rsa.RSAPublicNumbers(e, n).public_key()


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


def verify_signature(signing_input: bytes, signature: bytes, key: rsa.RSAPublicKey) -> bool:
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
