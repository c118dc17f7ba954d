"""What a verifier trusts: the issuers an officer accepted into the trust store (see :mod:`.truststore`), each
with its public keys, its newest verified status list and, on the issuer's own machine, its registry.

Nothing here is ever read from beside a certificate: a credential, an ``issuer.json`` or a status list that
arrives with it proves nothing by itself, since whoever forged the one can forge the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from kynangso.certify import jose
from kynangso.certify.compact import key_id
from kynangso.certify.registry import Record, Registry
from kynangso.certify.status import StatusList

VN_TIME = timezone(timedelta(hours=7))


class TrustError(RuntimeError):
    """Issuer material that cannot be trusted (Vietnamese message naming the file)."""


def when(iso: str) -> str:
    """``14:05 ngày 28/11/2026`` (Vietnam time) for an ISO 8601 UTC time; the text itself when unreadable."""
    try:
        ts = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(VN_TIME)
    except ValueError:
        return iso
    return ts.strftime("%H:%M ngày %d/%m/%Y")


@dataclass
class Issuer:
    id: str
    name: str
    region: str
    keys: dict[str, jose.PublicKey]  # kid -> RSA (credentials, status lists) or Ed25519 (QR tokens)
    status: StatusList | None = None
    status_from: str = ""  # where the status list in use was read
    status_notes: list[str] = field(default_factory=list)  # why a newer list could not be read
    registry_problem: str | None = None
    records: dict[str, Record] = field(default_factory=dict)

    def qr_key(self, kid8: bytes) -> ed25519.Ed25519PublicKey | None:
        for kid, key in self.keys.items():
            if isinstance(key, ed25519.Ed25519PublicKey) and key_id(kid) == kid8:
                return key
        return None

    def fingerprints(self) -> list[tuple[str, str]]:
        """(fingerprint, what the key signs) for every key, credential keys first."""
        rows = [
            (jose.fingerprint(kid), "mã QR" if isinstance(k, ed25519.Ed25519PublicKey) else "chứng nhận")
            for kid, k in self.keys.items()
        ]
        return sorted(rows, key=lambda r: r[1] != "chứng nhận")


@dataclass
class Trust:
    issuers: list[Issuer] = field(default_factory=list)

    def by_kid(self, kid: str) -> Issuer | None:
        return next((i for i in self.issuers if kid in i.keys), None)

    def by_id(self, issuer_id: str) -> Issuer | None:
        return next((i for i in self.issuers if i.id == issuer_id), None)

    def by_qr_kid(self, kid8: bytes) -> tuple[Issuer, ed25519.Ed25519PublicKey] | None:
        for issuer in self.issuers:
            key = issuer.qr_key(kid8)
            if key is not None:
                return issuer, key
        return None


def issuer_from_profile(profile: Any, where: str) -> Issuer:
    """The issuer an OB 3.0 Profile with a ``jwks`` describes; raises TrustError when it is not usable."""
    try:
        keys: dict[str, jose.PublicKey] = {}
        for jwk in profile["jwks"]["keys"]:
            kid = str(jwk["kid"])
            if jose.thumbprint(jwk) != kid:  # the kid IS the fingerprint: a profile may not claim another key's
                raise TrustError(f"{where}: khóa “{kid}” không khớp với dấu vân tay của nó — hồ sơ đã bị sửa.")
            keys[kid] = jose.jwk_to_public_key(jwk)
        issuer_id, name = str(profile["id"]), str(profile.get("name") or profile["id"])
        region = str((profile.get("address") or {}).get("addressRegion", ""))
    except TrustError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TrustError(f"{where}: hồ sơ đơn vị cấp bị hỏng ({exc}).") from None
    if not any(isinstance(k, rsa.RSAPublicKey) for k in keys.values()):
        raise TrustError(f"{where}: hồ sơ “{name}” không có khóa công khai RSA nào để kiểm tra chứng nhận.")
    return Issuer(id=issuer_id, name=name, region=region, keys=keys)


def read_status(token: str, issuer: Issuer, where: str) -> StatusList:
    """A status list signed by ``issuer`` for ``issuer``; raises TrustError otherwise."""
    try:
        header, claims, signing_input, signature = jose.split(token)
        key = issuer.keys.get(str(header.get("kid")))
        if header.get("alg") != jose.ALG or key is None or not jose.verify_signature(signing_input, signature, key):
            raise TrustError(
                f"{where}: chữ ký của danh sách thu hồi không hợp lệ — tệp đã bị sửa hoặc không phải của {issuer.name}."
            )
        if claims.get("issuer") != issuer.id:
            raise TrustError(f"{where}: danh sách thu hồi không phải của {issuer.name}.")
        return StatusList.from_claims(claims)
    except TrustError:
        raise
    except (jose.JoseError, KeyError, ValueError, TypeError, OSError) as exc:
        raise TrustError(f"{where}: danh sách thu hồi bị hỏng ({exc}).") from None


def newer(candidate: StatusList, than: StatusList | None) -> bool:
    """True when ``candidate`` was published after ``than``: every registry event moves the head on, and two
    lists of one head differ only by their time."""
    if than is None:
        return True
    return (candidate.head_seq, candidate.published_at) > (than.head_seq, than.published_at)


def attach_registry(issuer: Issuer, path: Path) -> None:
    """On the issuer's own machine: check the registry's hash chain against the head the status list signed."""
    with Registry(path) as registry:
        issuer.registry_problem = registry.check_chain()
        status = issuer.status
        published_head_differs = (
            status is not None and status.head_seq > 0 and registry.hash_at(status.head_seq) != status.head_hash
        )
        if issuer.registry_problem is None and published_head_differs:
            issuer.registry_problem = "chuỗi băm không khớp với bản đã công bố trong danh sách thu hồi"
        issuer.records = registry.records()
