"""The QR's compact token: Base45 as RFC 9285 specifies, a CWT/COSE_Sign1 an independent library verifies, small
enough for a cheap phone even with a long name, and no character of it can change unnoticed."""

from __future__ import annotations

import cbor2
import pytest
from cwt import COSE, COSEKey

from kynangso.certify import base45, compact, jose
from kynangso.certify.credential import CredentialError, check_name
from kynangso.certify.qr import modules, version
from kynangso.certify.registry import Registry
from kynangso.certify.verify import verify_jwt
from tests.certify.conftest import World


def _qr_text(world: World, index: int = 0) -> str:
    """The text printed in a certificate's QR code (signatures are deterministic: the very same text)."""
    from kynangso.certify.issue import QrSigner, qr_text

    with Registry(world.out / "registry.sqlite") as registry:
        record = sorted(registry.records().values(), key=lambda r: r.serial)[index]
    return qr_text(record, QrSigner.of(world.store))


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"), (b"", "")],
)
def test_base45_matches_the_rfc_9285_examples(data: bytes, text: str) -> None:
    assert base45.encode(data) == text and base45.decode(text) == data


@pytest.mark.parametrize("bad", ["GGW", "A", "ab", "ZZZ"])  # out of range (2 bytes > 65535, 1 byte > 255) or alphabet
def test_base45_refuses_what_is_not_canonical(bad: str) -> None:
    with pytest.raises(base45.Base45Error):
        base45.decode(bad)


def test_an_independent_cose_library_verifies_the_token(world: World) -> None:
    text = _qr_text(world)
    jwk = next(k for k in world.jwks()["keys"] if k["kty"] == "OKP")
    # A COSE key (RFC 9053): kty OKP, kid = the token's 8-byte key id, alg EdDSA, crv Ed25519, x.
    key = COSEKey.new({1: 1, 2: compact.key_id(jwk["kid"]), 3: -8, -1: 6, -2: jose.b64u_decode(jwk["x"])})
    message = base45.decode(text.removeprefix("KNS1:"))
    payload = cbor2.loads(COSE.new().decode(message, key))
    token = compact.decode(text)
    assert payload[7] == token.claims.serial.replace("KNS-", "").replace("-", "").encode()
    assert payload[5] == token.claims.nbf and payload[4] == token.claims.exp
    assert payload["kns"][0] == token.claims.name
    forged = cbor2.loads(message)
    claims = cbor2.loads(forged.value[2])
    claims["kns"][0] = "Kẻ Mạo Danh"
    forged.value[2] = cbor2.dumps(claims, canonical=True)
    with pytest.raises(Exception, match=r"(?i)verif|signature"):
        COSE.new().decode(cbor2.dumps(forged), key)


def test_changing_any_character_of_the_qr_is_never_valid(world: World) -> None:
    trust = world.trust()
    text = _qr_text(world)
    assert verify_jwt(text, trust).status == "valid"
    seen = set()
    for i, c in enumerate(text):
        for replacement in ("0" if c != "0" else "1", "Z" if c != "Z" else "Y"):
            forged = text[:i] + replacement + text[i + 1 :]
            verdict = verify_jwt(forged, trust)
            assert verdict.status in ("forged", "untrusted"), (i, verdict.status)
            seen.add(verdict.status)
    assert seen == {"forged", "untrusted"}  # a changed key id names a key nobody trusts


def test_a_long_vietnamese_name_still_fits_in_300_characters() -> None:
    name = "Tôn Nữ Hoàng Thị Thùy Dương Ngọc Bích"
    claims = compact.Claims("KNS-ZZZZ-ZZZZ", name, "society-3", 2**31, 2**31, 131071, bytes(8))
    assert compact.length(claims) <= compact.MAX_CHARS
    assert check_name("x", name) == name
    with pytest.raises(CredentialError, match="quá dài"):
        check_name("x", "Nguyễn " * 12)


def test_the_qr_symbol_is_small(world: World) -> None:
    text = _qr_text(world)
    size, _ = modules(text)
    assert len(text) <= compact.MAX_CHARS and version(size) <= 10, (len(text), version(size))
