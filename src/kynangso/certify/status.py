"""The published status list: a W3C Bitstring Status List credential (statusPurpose "revocation"), signed as a
VC-JWT by the issuer, written to ``status-list.jwt`` beside the certificates.

Bit ``i`` (counting from the most significant bit of the first byte) is 1 when the credential whose
``credentialStatus.statusListIndex`` is ``i`` has been revoked. The ``kynangso`` member of the subject adds what
the bitstring cannot say: revocation reasons, which credential superseded which, and the head of the registry's
hash chain at publication time (so a rewritten registry is detected).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from kynangso.certify import jose
from kynangso.certify.registry import Record

LIST_BITS = 131072  # the W3C minimum (16 KiB): a list this size hides which credential a verifier checks
STATUS_FILE = "status-list.jwt"


def list_id(issuer_url: str) -> str:
    return f"{issuer_url}/status/1"


def encode_bits(indices: set[int], size: int = LIST_BITS) -> str:
    size = max(size, ((max(indices, default=0) // LIST_BITS) + 1) * LIST_BITS)
    bits = bytearray(size // 8)
    for i in indices:
        bits[i // 8] |= 0x80 >> (i % 8)
    # mtime=0: the same revocations always publish the same bytes.
    return "u" + jose.b64u_encode(gzip.compress(bytes(bits), mtime=0))


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("multibase")
    return gzip.decompress(jose.b64u_decode(encoded[1:]))


def bit_is_set(bits: bytes, index: int) -> bool:
    return 0 <= index < len(bits) * 8 and bool(bits[index // 8] & (0x80 >> (index % 8)))


def build_status_credential(
    issuer_url: str, records: dict[str, Record], head: tuple[int, str], published_at: str
) -> dict[str, Any]:
    lid = list_id(issuer_url)
    revoked = {
        r.serial: {"reason": r.revoked_reason, "at": r.revoked_at} for r in records.values() if r.status == "revoked"
    }
    superseded = {r.serial: r.superseded_by for r in records.values() if r.superseded_by}
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": lid,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url,
        "validFrom": published_at,
        "credentialSubject": {
            "id": f"{lid}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits({records[s].status_index for s in revoked}),
            "kynangso": {
                "revoked": revoked,
                "superseded": superseded,
                "registryHead": {"seq": head[0], "hash": head[1]},
            },
        },
    }


def sign_status(status: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    claims = {**status, "iss": status["issuer"], "jti": status["id"], "sub": status["credentialSubject"]["id"]}
    return jose.sign(claims, key, kid)


@dataclass(frozen=True)
class StatusList:
    """A verified status list, ready to answer questions about one credential."""

    id: str
    published_at: str
    bits: bytes
    revoked: dict[str, dict[str, Any]]
    superseded: dict[str, str]
    head_seq: int
    head_hash: str

    def is_revoked(self, index: int) -> bool:
        return bit_is_set(self.bits, index)

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> StatusList:
        subject = claims["credentialSubject"]
        extra = subject.get("kynangso", {})
        head = extra.get("registryHead", {})
        return cls(
            id=str(claims["id"]),
            published_at=str(claims.get("validFrom", "")),
            bits=decode_bits(str(subject["encodedList"])),
            revoked=dict(extra.get("revoked", {})),
            superseded=dict(extra.get("superseded", {})),
            head_seq=int(head.get("seq", 0)),
            head_hash=str(head.get("hash", "")),
        )
