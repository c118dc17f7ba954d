"""The trust store: add (with confirmation) / list / remove round trip, bundles with a checksum, a forged credential
that brings its own issuer profile and status list, and revocation reaching a verifier through the store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kynangso.certify import jose
from kynangso.certify.issue import revoke
from kynangso.certify.trust import TrustError
from kynangso.certify.truststore import TrustStore, default_root, read_offer
from kynangso.certify.verify import verify_file
from kynangso.cli import main
from tests.certify.conftest import FORGER_NAME, FORGER_URL, World, make_world


def _kynangso(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "kynangso", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def _rsa_fingerprint(world: World) -> str:
    return jose.fingerprint(next(k["kid"] for k in world.jwks()["keys"] if k["kty"] == "RSA"))


def test_add_list_remove_round_trip(world: World, tmp_path: Path) -> None:
    ws = tmp_path / "may-xa"
    profile = world.out / "issuer.json"
    refused = _kynangso("trust", "add", str(profile), "--workspace", str(ws), stdin="k\n")
    assert refused.returncode == 1, refused.stderr
    assert _rsa_fingerprint(world) in refused.stdout and "Mã kiểm tra của tệp" in refused.stdout
    assert "Chưa thêm gì" in refused.stdout and TrustStore(default_root(ws)).entries() == []
    assert _kynangso("trust", "add", str(profile), "--workspace", str(ws)).returncode == 1  # no answer is a no

    added = _kynangso("trust", "add", str(profile), "--workspace", str(ws), stdin="c\n")
    assert added.returncode == 0, added.stderr
    assert "Đã tin cậy 1 đơn vị cấp" in added.stdout and "Danh sách thu hồi của" in added.stdout
    listed = _kynangso("trust", "list", "--workspace", str(ws))
    assert listed.returncode == 0
    for expected in (
        "1. Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        _rsa_fingerprint(world),
        "bản công bố lúc",
        str(world.out),
    ):
        assert expected in listed.stdout, expected
    again = _kynangso("trust", "add", str(profile), "--workspace", str(ws), "--yes")
    assert "không đổi khóa" in again.stdout and len(TrustStore(default_root(ws)).entries()) == 1
    assert _kynangso("verify", str(world.files(".pdf")[0]), "--workspace", str(ws)).returncode == 0

    removed = _kynangso("trust", "remove", _rsa_fingerprint(world), "--workspace", str(ws), "--yes")
    assert removed.returncode == 0 and "Đã bỏ Sở Khoa học và Công nghệ tỉnh Thái Nguyên" in removed.stdout
    assert "Chưa tin cậy đơn vị cấp nào" in _kynangso("trust", "list", "--workspace", str(ws)).stdout
    after = _kynangso("verify", str(world.files(".pdf")[0]), "--workspace", str(ws))
    assert after.returncode == 5 and "KHÔNG RÕ ĐƠN VỊ CẤP" in after.stdout
    assert _kynangso("trust", "remove", "1", "--workspace", str(ws), "--yes").returncode == 2


def test_forged_credential_with_its_own_profile_beside_it_is_refused(world: World, tmp_path: Path) -> None:
    ws = world.trust_store().root.parents[1]
    forger = make_world(tmp_path / "ke-gia-mao", FORGER_URL, FORGER_NAME)
    assert (forger.out / "issuer.json").is_file() and (forger.out / "status-list.jwt").is_file()
    forger_fp = _rsa_fingerprint(forger)
    for path in (forger.files(".pdf")[0], forger.files(".jwt")[0], forger.files(".json")[0]):
        res = _kynangso("verify", str(path), "--workspace", str(ws))
        assert res.returncode == 5, (path.name, res.stdout)
        assert "KHÔNG RÕ ĐƠN VỊ CẤP" in res.stdout and "HỢP LỆ" not in res.stdout
        assert forger_fp in res.stdout and f"tự xưng là “{FORGER_NAME}”" in res.stdout
    # The same forger under the genuine issuer's name and id: a lie about a trusted issuer is a forgery.
    impostor = make_world(tmp_path / "mao-danh")
    res = _kynangso("verify", str(impostor.files(".pdf")[0]), "--workspace", str(ws))
    assert res.returncode == 1 and "GIẢ MẠO" in res.stdout
    # Nor can the forger's status list be slipped in for the trusted issuer.
    with pytest.raises(TrustError, match="chưa được tin cậy"):
        TrustStore(default_root(ws)).import_status((forger.out / "status-list.jwt").read_text(), "status-list.jwt")


def test_bundle_of_several_provinces_checked_by_checksum(world: World, tmp_path: Path) -> None:
    other = make_world(
        tmp_path / "tuyen-quang", "https://kynangso.example/tuyen-quang", "Sở Khoa học và Công nghệ tỉnh Tuyên Quang"
    )
    bundle = tmp_path / "goi-ho-so.json"
    made = _kynangso(
        "trust",
        "bundle",
        str(world.out / "issuer.json"),
        str(other.out),
        "--out",
        str(bundle),
        "--publisher",
        "Cục Chuyển đổi số",
    )
    assert made.returncode == 0, made.stderr
    checksum = read_offer(bundle).checksum
    assert f"Mã kiểm tra để đọc qua điện thoại cho nơi nhận: {checksum}" in made.stdout
    ws = tmp_path / "may-phuong"
    wrong = _kynangso("trust", "add", str(bundle), "--checksum", "0000-0000-0000-0000", "--yes", "--workspace", str(ws))
    assert wrong.returncode == 2 and "không khớp" in wrong.stderr and TrustStore(default_root(ws)).entries() == []
    ok = _kynangso("trust", "add", str(bundle), "--checksum", checksum.lower(), "--yes", "--workspace", str(ws))
    assert ok.returncode == 0, ok.stderr
    assert "Đã tin cậy 2 đơn vị cấp" in ok.stdout and "Cục Chuyển đổi số" in ok.stdout
    trust = TrustStore(default_root(ws)).load()
    for w in (world, other):  # the bundle carried each status list, so both verify with no folder to read from
        verdict = verify_file(w.files(".pdf")[0], trust)
        assert verdict.status == "valid" and verdict.issuer == w.policy.issuer.name, verdict.reasons


def test_revocation_reaches_verifiers_through_the_trust_store(fresh_world: World, tmp_path: Path) -> None:
    w = fresh_world
    target = w.files(".pdf")[1]
    old_list = tmp_path / "status-list-cu.jwt"
    shutil.copyfile(w.out / "status-list.jwt", old_list)
    office = w.trust_store("may-cua-so")  # accepted the issuer's folder: reads newer lists from it
    commune = TrustStore(tmp_path / "may-xa" / ".kynangso" / "trust")  # got the profile and list by Zalo
    commune.accept(replace(read_offer(w.out), source=None))
    revoke(w.out, w.policy, w.store, target.stem, "Phát hiện thi hộ")

    verdict = verify_file(target, office.load())
    assert verdict.status == "revoked" and "Phát hiện thi hộ" in verdict.reasons[0]
    stale = verify_file(target, commune.load())
    assert stale.status == "valid" and any("bản công bố lúc" in n for n in stale.notes)
    ws = tmp_path / "may-xa"
    res = _kynangso("trust", "update", str(w.out / "status-list.jwt"), "--workspace", str(ws))
    assert res.returncode == 0 and "đã nhập" in res.stdout
    assert verify_file(target, commune.load()).status == "revoked"
    # An older list (a replayed copy) never undoes a revocation.
    res = _kynangso("trust", "update", str(old_list), "--workspace", str(ws))
    assert res.returncode == 0 and "không nhập" in res.stdout
    assert verify_file(target, commune.load()).status == "revoked"
    assert verify_file(w.files(".pdf")[2], commune.load()).status == "valid"


def test_unreachable_folder_says_when_the_list_was_last_updated(world: World, tmp_path: Path) -> None:
    usb = tmp_path / "usb" / "so-thai-nguyen"
    shutil.copytree(world.out, usb)
    store = TrustStore(tmp_path / "may" / ".kynangso" / "trust")
    store.accept(read_offer(usb / "issuer.json"))
    shutil.rmtree(usb.parent)  # the USB stick has been taken out
    verdict = verify_file(world.files(".jwt")[0], store.load())
    assert verdict.status == "valid"
    assert any(
        f"Không đọc được danh sách thu hồi mới tại {usb}; máy này đang dùng bản cập nhật lúc" in n
        for n in verdict.notes
    )


def test_profiles_that_cannot_be_trusted_are_refused(world: World, tmp_path: Path) -> None:
    profile = json.loads((world.out / "issuer.json").read_text(encoding="utf-8"))
    store = TrustStore(tmp_path / "trust")
    tampered = json.loads(json.dumps(profile))
    rsa_key = next(k for k in tampered["jwks"]["keys"] if k["kty"] == "RSA")
    rsa_key["n"] = jose.b64u_encode(b"\xc3" * 256)  # a forger's modulus under the genuine key id
    with pytest.raises(TrustError, match="không khớp với dấu vân tay"):
        store.add(tampered, None, "issuer.json")
    store.add(profile, None, "issuer.json")
    twin = {**profile, "id": "https://kynangso.example/khac", "name": "Đơn vị khác"}
    with pytest.raises(TrustError, match="đã thuộc về"):
        store.add(twin, None, "issuer-khac.json")
    # A bundle whose profiles share a key adds nothing at all.
    bundle = tmp_path / "goi.json"
    bundle.write_text(
        json.dumps({"type": "KyNangSoTrustBundle", "issuers": [{**twin, "id": "https://a.example"}, twin]}), "utf-8"
    )
    fresh = TrustStore(tmp_path / "trust-2")
    with pytest.raises(TrustError, match="dùng chung khóa"):
        fresh.accept(read_offer(bundle))
    assert fresh.entries() == []
    res = main(["trust", "add", str(tmp_path / "khong-co.json"), "--yes", "--workspace", str(tmp_path)])
    assert res == 2
