"""The key store refuses damaged or exposed keys with a message naming the file; trust material likewise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kynangso.certify.keys import KeyStore, KeyStoreError
from kynangso.certify.verify import TrustError, load_trust


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
    with pytest.raises(TrustError, match="không có hồ sơ đơn vị cấp") as err:
        load_trust(tmp_path)
    assert str(tmp_path / "issuer.json") in str(err.value)
    (tmp_path / "issuer.json").write_text('{"id": "https://x.example", "jwks": {"keys": [{"kty": "EC"}]}}', "utf-8")
    with pytest.raises(TrustError, match="bị hỏng"):
        load_trust(tmp_path)
