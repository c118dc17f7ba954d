"""The issuer's signing keys: private keys (mode 0600) outside the course and any git checkout, their public
halves as a JWKS inside the issuer profile, and rotation that keeps every older public key so old certificates
still verify.

Each generation has two keys: RSA (RS256) for the Open Badges credential and the status list, as OB 3.0 asks,
and Ed25519 (EdDSA) for the compact token in the QR code, whose 64-byte signature is what keeps that code small
enough for a cheap phone. Both sign deterministically, so a file re-written after a crash is byte for byte the
same.

Layout of the keys folder (default: the user's config folder, ``$KYNANGSO_KEYS_DIR`` or ``--keys-dir``)::

    keys.json              manifest: active kids, every key's public JWK, creation and retirement times
    key-<kid8>.pem         one RSA private key per generation (PKCS#8, mode 0600)
    qr-<kid8>.pem          one Ed25519 private key per generation (PKCS#8, mode 0600)
    issuer.json            public issuer profile with the JWKS (safe to publish)
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from kynangso import atomic
from kynangso.certify.jose import public_jwk
from kynangso.certify.policy import Issuer

KEYS_ENV = "KYNANGSO_KEYS_DIR"
KEY_BITS = 2048
OB_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


class KeyStoreError(RuntimeError):
    """A keys folder that cannot be used (Vietnamese message naming the file)."""


def default_keys_dir() -> Path:
    if os.environ.get(KEYS_ENV):
        return Path(os.environ[KEYS_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("kynangso", appauthor=False)) / "keys"


def check_location(folder: Path, forbidden: tuple[Path, ...] = ()) -> None:
    """Refuse a keys folder inside a git checkout, a course folder or a Kỹ Năng Số data folder.

    A private key there ends up copied, zipped for Zalo or committed; outside, it stays with the department.
    """
    folder = folder.expanduser().resolve()
    for place in forbidden:
        place = place.expanduser().resolve()
        if folder == place or place in folder.parents:
            raise KeyStoreError(f"{folder}: không được đặt khóa bí mật trong thư mục khóa học {place}.")
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            raise KeyStoreError(f"{folder}: không được đặt khóa bí mật trong kho mã nguồn git {parent}.")
        if (parent / "nbgrader_config.py").exists() or parent.name == ".kynangso":
            raise KeyStoreError(f"{folder}: không được đặt khóa bí mật trong thư mục khóa học {parent}.")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_profile(issuer: Issuer, jwks: dict[str, Any]) -> dict[str, Any]:
    """The OB 3.0 issuer Profile, with the public keys as a JWKS (``jwks``) for offline verification."""
    return {
        "@context": OB_CONTEXT,
        "id": issuer.url,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "address": {"type": ["Address"], "addressRegion": issuer.province, "addressCountry": "Việt Nam"},
        "jwks": jwks,
    }


@dataclass
class KeyStore:
    root: Path

    @property
    def manifest_path(self) -> Path:
        return self.root / "keys.json"

    @property
    def profile_path(self) -> Path:
        return self.root / "issuer.json"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyStoreError(
                f"{self.manifest_path}: chưa có khóa ký. Hãy chạy “kynangso keys init” trước (hoặc chỉ --keys-dir)."
            ) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise KeyStoreError(f"{self.manifest_path}: tệp hỏng ({exc}).") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or "active" not in data:
            raise KeyStoreError(f"{self.manifest_path}: thiếu khóa “active” hoặc “keys”.")
        return data

    def _write_manifest(self, data: dict[str, Any]) -> None:
        atomic.write_json(self.manifest_path, data, indent=2)

    def _new_key(self, kind: str = "key") -> dict[str, Any]:
        key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
        if kind == "qr":
            key = ed25519.Ed25519PrivateKey.generate()
        else:
            key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        jwk = public_jwk(key.public_key())
        path = self.root / f"{kind}-{jwk['kid'][:8]}.pem"
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # O_EXCL + 0600 at creation: the key is never readable by others, not even for a moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return {"kid": jwk["kid"], "file": path.name, "created": _now(), "retired": None, "jwk": jwk}

    def init(self, forbidden: tuple[Path, ...] = ()) -> str:
        """Create the folder (0700) and the first key; refuses when keys already exist. Returns the kid."""
        check_location(self.root, forbidden)
        if self.exists():
            raise KeyStoreError(
                f"{self.manifest_path}: đã có khóa ký. Dùng “kynangso keys rotate” để thêm khóa mới; "
                "không tạo lại để chứng nhận cũ vẫn kiểm tra được."
            )
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        entry, qr = self._new_key(), self._new_key("qr")
        self._write_manifest({"active": entry["kid"], "active_qr": qr["kid"], "keys": [entry, qr]})
        return str(entry["kid"])

    def rotate(self) -> str:
        """Add a new active key; older keys are retired but their public halves stay in the JWKS."""
        data = self.manifest()
        entry, qr = self._new_key(), self._new_key("qr")
        for old in data["keys"]:
            if old.get("retired") is None:
                old["retired"] = entry["created"]
        data["keys"] += [entry, qr]
        data["active"], data["active_qr"] = entry["kid"], qr["kid"]
        self._write_manifest(data)
        return str(entry["kid"])

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k["jwk"] for k in self.manifest()["keys"]]}

    def signing_key(self) -> tuple[str, rsa.RSAPrivateKey]:
        """The active RSA key, which signs credentials and status lists."""
        kid, key = self._private("active")
        if not isinstance(key, rsa.RSAPrivateKey):
            raise KeyStoreError(f"{self.manifest_path}: khóa “active” không phải khóa RSA.")
        return kid, key

    def qr_signing_key(self) -> tuple[str, ed25519.Ed25519PrivateKey]:
        """The active Ed25519 key, which signs the QR token. A keys folder made before QR keys existed gets one
        here (its public half then joins the JWKS, so the issuer profile must be sent out again)."""
        data = self.manifest()
        if not data.get("active_qr"):
            qr = self._new_key("qr")
            data["keys"].append(qr)
            data["active_qr"] = qr["kid"]
            self._write_manifest(data)
        kid, key = self._private("active_qr")
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise KeyStoreError(f"{self.manifest_path}: khóa “active_qr” không phải khóa Ed25519.")
        return kid, key

    def _private(self, role: str) -> tuple[str, Any]:
        data = self.manifest()
        entry = next((k for k in data["keys"] if k.get("kid") == data.get(role)), None)
        if entry is None:
            raise KeyStoreError(f"{self.manifest_path}: khóa “{role}” không trỏ tới khóa nào trong “keys”.")
        path = self.root / str(entry["file"])
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            pem = path.read_bytes()
        except FileNotFoundError:
            raise KeyStoreError(f"{path}: thiếu tệp khóa bí mật đang dùng.") from None
        if mode & 0o077:
            raise KeyStoreError(
                f"{path}: tệp khóa bí mật đang để người khác đọc được (quyền {mode:o}); chạy chmod 600."
            )
        return str(entry["kid"]), serialization.load_pem_private_key(pem, password=None)

    def write_profile(self, issuer: Issuer, target: Path | None = None) -> Path:
        """Write the public issuer profile (with every public key) to ``target`` (default: issuer.json here)."""
        path = target or self.profile_path
        return atomic.write_json(path, issuer_profile(issuer, self.jwks()), parents=True, indent=2)
