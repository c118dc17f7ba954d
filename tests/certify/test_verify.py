"""Offline verification against a trust store: every kind of tampering, a wrong key, expiry, revocation, a broken
registry, key rotation."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kynangso.certify import jose
from kynangso.certify.issue import certify, revoke
from kynangso.certify.keys import KeyStore
from kynangso.certify.trust import TrustError
from kynangso.certify.truststore import TrustStore
from kynangso.certify.verify import verify_file, verify_jwt
from tests.certify.conftest import World, make_world


def _token(world: World, index: int = 0) -> str:
    return world.files(".jwt")[index].read_text(encoding="ascii").strip()


def test_genuine_credential_is_valid(world: World) -> None:
    trust = world.trust()
    for path in world.files(".jwt"):
        verdict = verify_file(path, trust)
        assert verdict.status == "valid", (path.name, verdict.reasons)
        assert verdict.serial == path.stem and verdict.issuer.startswith("Sở Khoa học và Công nghệ")


def test_changing_any_character_is_forgery(world: World) -> None:
    trust = world.trust()
    token = _token(world)
    header_end, payload_end = token.index("."), token.rindex(".")
    changed = 0
    for i, c in enumerate(token):  # every position: header, payload, both dots and the signature
        for replacement in ("A" if c != "A" else "B", "."):
            forged = token[:i] + replacement + token[i + 1 :]
            if forged == token:
                continue
            verdict = verify_jwt(forged, trust)
            assert verdict.status == "forged", (i, replacement, verdict.reasons)
            changed += 1
    assert changed > 2 * len(token) - 5 and 0 < header_end < payload_end < len(token) - 300


def test_reasons_name_the_kind_of_forgery(world: World) -> None:
    trust = world.trust()
    token = _token(world)
    h, p, s = token.split(".")
    claims = json.loads(jose.b64u_decode(p))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Kẻ Mạo Danh"
    edited = f"{h}.{jose.b64u_encode(jose.encode_json(claims))}.{s}"
    assert "Chữ ký số không khớp" in verify_jwt(edited, trust).reasons[0]
    header = json.loads(jose.b64u_decode(h))
    none_alg = f"{jose.b64u_encode(jose.encode_json({**header, 'alg': 'none'}))}.{p}."
    assert "RS256" in verify_jwt(none_alg, trust).reasons[0]
    assert "cấu trúc JWT" in verify_jwt("không phải chứng nhận", trust).reasons[0]


def test_signed_with_a_wrong_key_is_forgery(world: World, tmp_path: Path) -> None:
    impostor = make_world(tmp_path)  # same policy, same issuer name and URL, but its own key
    verdict = verify_file(impostor.files(".jwt")[0], world.trust())
    assert verdict.status == "forged"
    assert "khóa không thuộc Sở Khoa học và Công nghệ tỉnh Thái Nguyên" in verdict.reasons[0]


def test_expired_and_not_yet_valid(world: World) -> None:
    trust = world.trust()
    later = datetime.now(UTC) + timedelta(days=3 * 366 + 1)
    verdict = verify_jwt(_token(world), trust, now=later)
    assert verdict.status == "expired" and "hết hạn" in verdict.reasons[0]
    earlier = datetime.now(UTC) - timedelta(days=2)
    assert verify_jwt(_token(world), trust, now=earlier).status == "unverifiable"


def test_revoked_credential_and_reason(fresh_world: World) -> None:
    w = fresh_world
    target = w.files(".jwt")[1]
    other = w.files(".jwt")[2]
    record = revoke(w.out, w.policy, w.store, target.stem, "Phát hiện thi hộ")
    assert record.status == "revoked"
    trust = w.trust()
    verdict = verify_file(target, trust)
    assert verdict.status == "revoked" and "Phát hiện thi hộ" in verdict.reasons[0]
    assert verify_file(target.with_suffix(".pdf"), trust).status == "revoked"
    assert verify_file(other, trust).status == "valid"
    # Re-running certify never re-issues a revoked level.
    report = certify(w.url, w.policy, w.store, w.out)
    assert report.issued == [] and any(target.stem in note for note in report.skipped)
    with pytest.raises(LookupError):
        revoke(w.out, w.policy, w.store, "KNS-ZZZZ-ZZZZ", "không có")


def test_tampered_json_and_pdf_without_credential(world: World, tmp_path: Path) -> None:
    trust = world.trust()
    src = world.files(".json")[0]
    assert verify_file(src, trust).status == "valid"
    credential = json.loads(src.read_text(encoding="utf-8"))
    credential["credentialSubject"]["achievement"]["humanCode"] = "gov-3"
    edited = tmp_path / src.name
    edited.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
    (tmp_path / src.with_suffix(".jwt").name).write_bytes(src.with_suffix(".jwt").read_bytes())
    verdict = verify_file(edited, trust)
    assert verdict.status == "forged" and "JSON khác với bản đã ký" in verdict.reasons[0]

    blank = tmp_path / "to-trang.pdf"
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    blank.write_bytes(bytes(pdf.output()))
    assert verify_file(blank, trust).status == "forged"


def test_broken_registry_chain_is_reported(fresh_world: World) -> None:
    w = fresh_world
    db = sqlite3.connect(w.out / "registry.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET data = '{}' WHERE seq = 1")
    # A determined attacker drops the trigger and edits a row: the chain shows it.
    db.execute("DROP TRIGGER events_no_update")
    db.execute("UPDATE events SET at = '2020-01-01T00:00:00Z' WHERE seq = 2")
    db.commit()
    db.close()
    trust = w.trust()
    verdict = verify_file(w.files(".jwt")[0], trust)
    assert verdict.status == "unverifiable"
    assert "Sổ đăng ký chứng nhận bị sửa: dòng số 2" in verdict.reasons[0]
    with pytest.raises(ValueError, match="sổ đăng ký bị sửa"):
        revoke(w.out, w.policy, w.store, w.files(".jwt")[0].stem, "thử")


def test_rewritten_chain_is_caught_by_the_signed_head(fresh_world: World) -> None:
    w = fresh_world
    from kynangso.certify.registry import row_hash

    db = sqlite3.connect(w.out / "registry.sqlite")
    db.execute("DROP TRIGGER events_no_update")
    rows = db.execute("SELECT seq, at, kind, serial, data FROM events ORDER BY seq").fetchall()
    prev = "0" * 64
    for seq, _at, kind, serial, data in rows:  # recompute every hash consistently after editing dates
        at = "2020-01-01T00:00:00Z"
        digest = row_hash(prev, seq, at, kind, serial, data)
        db.execute("UPDATE events SET at = ?, prev_hash = ?, hash = ? WHERE seq = ?", (at, prev, digest, seq))
        prev = digest
    db.commit()
    db.close()
    verdict = verify_file(w.files(".jwt")[0], w.trust())
    assert verdict.status == "unverifiable" and "không khớp với bản đã công bố" in verdict.reasons[0]


def test_tampered_status_list_is_not_trusted(fresh_world: World) -> None:
    w = fresh_world
    store = w.trust_store()  # accepted with the genuine list, of which it keeps a copy
    target = w.files(".jwt")[0]
    path = w.out / "status-list.jwt"
    h, p, s = path.read_text(encoding="ascii").strip().split(".")
    claims = json.loads(jose.b64u_decode(p))
    claims["credentialSubject"]["kynangso"]["revoked"] = {target.stem: {"reason": "giả", "at": "2026-01-01"}}
    path.write_text(f"{h}.{jose.b64u_encode(jose.encode_json(claims))}.{s}\n", encoding="ascii")
    verdict = verify_file(target, store.load())
    assert verdict.status == "valid", verdict.reasons
    assert any(str(path) in n and "chữ ký của danh sách thu hồi không hợp lệ" in n for n in verdict.notes)
    with pytest.raises(TrustError, match="không hợp lệ"):
        store.import_status(path.read_text(encoding="ascii"), str(path))
    # A verifier that never held a genuine list cannot say "valid".
    bare = TrustStore(w.root / "may-moi")
    bare.add(json.loads((w.out / "issuer.json").read_text(encoding="utf-8")), None, "issuer.json")
    verdict = verify_file(target, bare.load())
    assert verdict.status == "unverifiable" and "chưa có danh sách thu hồi" in verdict.reasons[0]


def test_key_rotation_keeps_old_certificates_verifiable(fresh_world: World) -> None:
    w = fresh_world
    before = w.trust_store()
    old_kid = w.store.manifest()["active"]
    new_kid = w.store.rotate()
    assert new_kid != old_kid
    keys = w.store.jwks()["keys"]
    assert {k["kid"] for k in keys if k["kty"] == "RSA"} == {old_kid, new_kid}
    assert len([k for k in keys if k["kty"] == "OKP"]) == 2  # and a new QR key beside the old one
    from tests.certify.gradebook import Learner, Sub, update

    newcomer = Learner("hoang-van-giang", "Giang", "Hoàng Văn", {"society-1": Sub()})
    from nbgrader.api import Gradebook

    with Gradebook(w.url) as gb:
        gb.add_student(newcomer.id, first_name=newcomer.first_name, last_name=newcomer.last_name)
    update(w.url, [newcomer])
    report = certify(w.url, w.policy, w.store, w.out)
    assert [r.learner for r in report.issued] == ["hoang-van-giang"]
    new_jwt = w.out / f"{report.issued[0].serial}.jwt"
    # A verifier that accepted the profile before the rotation does not know the new key: never "valid".
    assert verify_file(new_jwt, before.load()).status == "forged"
    trust = w.trust()  # the same officer accepts the new issuer.json, which keeps every old public key
    newcomer_trust = w.trust_store("may-kiem-tra-moi").load()  # one who only ever saw the rotated profile
    kids = {json.loads(jose.b64u_decode(p.read_text().split(".")[0]))["kid"] for p in w.files(".jwt")}
    assert kids == {old_kid, new_kid}
    for path in w.files(".jwt"):
        assert verify_file(path, trust).status == "valid", path.name
        assert verify_file(path, newcomer_trust).status == "valid", path.name
    # Another department's key store, in its own folder, shares no key with this issuer: whatever it signs under
    # this issuer's name is refused, and nothing of it entered the trust store.
    other = KeyStore(w.root / "keys-so-khac")
    other.init()
    mine = {k["kid"] for k in w.store.jwks()["keys"]}
    theirs = {k["kid"] for k in other.jwks()["keys"]}
    assert mine.isdisjoint(theirs) and all(trust.by_kid(kid) is None for kid in theirs)
    claims = jose.split(w.files(".jwt")[0].read_text(encoding="ascii"))[1]
    kid, key = other.signing_key()
    verdict = verify_jwt(jose.sign(claims, key, kid), trust)
    assert verdict.status == "forged" and "không thuộc Sở Khoa học và Công nghệ" in verdict.reasons[0]
