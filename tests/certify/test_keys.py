"""The key store refuses damaged or exposed keys with a message naming the file; trust material likewise."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from kynangso.certify.keys import KeyStore, KeyStoreError
from kynangso.certify.trust import TrustError
from kynangso.certify.truststore import TrustStore, read_offer


def test_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys")
    store.init()
    pem = next((tmp_path / "keys").glob("key-*.pem"))
    os.chmod(pem, 0o644)
    with pytest.raises(KeyStoreError, match="chmod 600") as err:
        store.signing_key()
    assert str(pem) in str(err.value)


def test_damaged_manifest_and_missing_key_file(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys")
    store.init()
    pem = next((tmp_path / "keys").glob("key-*.pem"))
    pem.rename(pem.with_suffix(".bak"))
    with pytest.raises(KeyStoreError, match="thiếu tệp khóa bí mật") as err:
        store.signing_key()
    assert str(pem) in str(err.value)
    store.manifest_path.write_text("{ hỏng", encoding="utf-8")
    with pytest.raises(KeyStoreError, match="tệp hỏng") as err:
        store.jwks()
    assert str(store.manifest_path) in str(err.value)


def test_damaged_issuer_profile_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrustError, match="không tìm thấy tệp hồ sơ") as err:
        read_offer(tmp_path)
    assert str(tmp_path / "issuer.json") in str(err.value)
    (tmp_path / "issuer.json").write_text('{"id": "https://x.example", "jwks": {"keys": [{"kty": "EC"}]}}', "utf-8")
    with pytest.raises(TrustError, match="bị hỏng"):
        TrustStore(tmp_path / "trust").add(read_offer(tmp_path).profiles[0], None, "issuer.json")


def test_qr_key_is_ed25519_0600_and_an_older_keys_folder_gets_one(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys")
    store.init()
    qr_kid, qr_key = store.qr_signing_key()
    pem = next((tmp_path / "keys").glob("qr-*.pem"))
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600 and isinstance(qr_key, ed25519.Ed25519PrivateKey)
    assert {k["kty"] for k in store.jwks()["keys"]} == {"RSA", "OKP"}
    # A keys folder made before QR keys existed: RSA only. Its QR key is made once, then reused.
    data = store.manifest()
    data["keys"] = [k for k in data["keys"] if k["kid"] != qr_kid]
    del data["active_qr"]
    store.manifest_path.write_text(json.dumps(data), encoding="utf-8")
    made, _ = store.qr_signing_key()
    assert made != qr_kid and store.qr_signing_key()[0] == made
    assert store.signing_key()[0] == data["active"]
