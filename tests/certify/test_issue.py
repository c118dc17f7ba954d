"""kynangso certify: OB 3.0 credentials that validate against the official schema, JWTs that two independent
libraries verify with the exported JWKS (joserfc; openbadgeslib, an Open Badges 3.0 verifier with its own pinned
JSON-LD contexts, status list included), idempotent re-runs, supersession, and no national ID anywhere."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from joserfc import jws, jwt
from joserfc.jwk import KeySet
from jsonschema import Draft201909Validator

from kynangso.certify import jose
from kynangso.certify.credential import CredentialError, build_credential, check_serial
from kynangso.certify.issue import certify
from kynangso.certify.registry import Registry
from tests.certify.conftest import NATIONAL_ID, SCHEMA, STANDARDS, World
from tests.certify.gradebook import Sub, update


def test_issues_one_credential_per_learner_level(world: World) -> None:
    got = sorted((r.learner, r.front, r.level) for r in world.report.issued)
    assert got == [
        ("le-quoc-cuong", "econ", 1),
        ("nguyen-van-an-1985", "gov", 2),
        ("nguyen-van-an-1985", "society", 3),
        ("pham-thi-dung", "gov", 1),
    ]
    for r in world.report.issued:
        assert check_serial(r.serial), r.serial
        for suffix in (".jwt", ".json", ".pdf"):
            assert (world.out / f"{r.serial}{suffix}").stat().st_size > 0
    assert (world.out / "status-list.jwt").is_file() and (world.out / "issuer.json").is_file()


def test_every_credential_validates_against_the_ob3_schema(world: World) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    files = world.files(".json")
    assert len(files) == 4
    for path in files:
        credential = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]
        assert not errors, (path.name, errors)
        assert credential["@context"] == [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ]
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        achievement = credential["credentialSubject"]["achievement"]
        assert achievement["criteria"]["narrative"]
        frameworks = {a["targetFramework"] for a in achievement["alignment"]}
        assert frameworks == {"QĐ 757/QĐ-BKHCN", "DigComp 2.2"}
        assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_independent_jose_library_verifies_every_jwt(world: World) -> None:
    keys = KeySet.import_key_set(world.jwks())
    for path in world.files(".jwt"):
        token = path.read_text(encoding="ascii").strip()
        decoded = jwt.decode(token, keys, algorithms=["RS256"])
        assert decoded.header["alg"] == "RS256" and decoded.header["kid"] in {k["kid"] for k in world.jwks()["keys"]}
        claims = decoded.claims
        credential = json.loads((path.with_suffix(".json")).read_text(encoding="utf-8"))
        assert claims["iss"] == credential["issuer"]["id"]
        assert claims["jti"] == credential["id"]
        assert claims["sub"] == credential["credentialSubject"]["id"]
        assert claims["nbf"] == int(datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")).timestamp())
        assert claims["exp"] == int(datetime.fromisoformat(credential["validUntil"].replace("Z", "+00:00")).timestamp())
        assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "sub", "nbf", "exp")} == credential
    status = (world.out / "status-list.jwt").read_text(encoding="ascii").strip()
    assert jws.deserialize_compact(status, keys, algorithms=["RS256"]).headers()["alg"] == "RS256"


def _pem(world: World, kid: str) -> bytes:
    from cryptography.hazmat.primitives import serialization

    jwk = next(k for k in world.jwks()["keys"] if k["kid"] == kid)
    key = jose.jwk_to_public_key(jwk)
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_openbadgeslib_verifies_every_credential_and_its_status(fresh_world: World) -> None:
    from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

    from kynangso.certify.issue import revoke

    w = fresh_world
    status_url = {}

    def fetch(url: str) -> bytes:  # the status list, served from the issuer's folder: no network
        status_url["asked"] = url
        return (w.out / "status-list.jwt").read_bytes()

    tokens = {p.stem: p.read_text(encoding="ascii").strip() for p in w.files(".jwt")}
    for serial, token in tokens.items():
        kid = jose.split(token)[0]["kid"]
        credential = OB3Verifier(pubkey_pem=_pem(w, kid)).verify(token, check_status=True, download=fetch)
        assert credential.issuer.id == w.policy.issuer.url and credential.id.endswith(serial)
        assert status_url["asked"] == f"{w.policy.issuer.url}/status/1"
    revoked = sorted(tokens)[0]
    revoke(w.out, w.policy, w.store, revoked, "Phát hiện thi hộ")
    for serial, token in tokens.items():
        verifier = OB3Verifier(pubkey_pem=_pem(w, jose.split(token)[0]["kid"]))
        if serial == revoked:
            with pytest.raises(OB3VerificationError, match="revocation"):
                verifier.verify(token, check_status=True, verify_status_list=True, download=fetch)
        else:
            verifier.verify(token, check_status=True, verify_status_list=True, download=fetch)
    # A key the issuer never published does not verify: openbadgeslib refuses the signature too.
    other = KeySet.generate_key_set("RSA", 2048, count=1).keys[0]
    with pytest.raises(OB3VerificationError, match=r"(?i)signature"):
        OB3Verifier(pubkey_pem=other.as_pem(private=False)).verify(tokens[revoked])


def test_our_contexts_are_the_ones_openbadgeslib_pins() -> None:
    import hashlib

    from openbadgeslib.ob3.contexts import load_context

    from kynangso.certify.keys import OB_CONTEXT

    files = {OB_CONTEXT[0]: "credentials-v2.jsonld", OB_CONTEXT[1]: "context-3.0.3.json"}
    for url, name in files.items():
        ours = json.loads((STANDARDS / name).read_text(encoding="utf-8"))
        assert load_context(url) == ours, url  # the @context every credential names resolves, offline, to these
    digests = {n: hashlib.sha256((STANDARDS / n).read_bytes()).hexdigest() for n in files.values()}
    provenance = (STANDARDS / "PROVENANCE.md").read_text(encoding="utf-8")
    assert all(d in provenance for d in digests.values()), digests


def test_independent_jose_library_rejects_a_tampered_jwt(world: World) -> None:
    keys = KeySet.import_key_set(world.jwks())
    token = world.files(".jwt")[0].read_text(encoding="ascii").strip()
    header, payload, signature = token.split(".")
    claims = json.loads(jose.b64u_decode(payload))
    claims["credentialSubject"]["achievement"]["humanCode"] = "gov-3"
    forged = f"{header}.{jose.b64u_encode(jose.encode_json(claims))}.{signature}"
    with pytest.raises(Exception, match="signature"):
        jwt.decode(forged, keys, algorithms=["RS256"])


def test_no_national_id_on_any_certificate(world: World) -> None:
    # The gradebook holds it (lms_user_id); no credential, JWT, PDF text or QR may carry it.
    for path in world.out.glob("KNS-*"):
        raw = path.read_bytes()
        assert NATIONAL_ID.encode() not in raw, path.name
        if path.suffix == ".jwt":
            _, claims, _, _ = jose.split(raw.decode())
            assert NATIONAL_ID not in json.dumps(claims)
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
            assert NATIONAL_ID not in text
    with pytest.raises(CredentialError, match="CCCD"):
        build_credential(
            world.policy,
            serial="KNS-AAAA-AAAA",
            learner="x",
            name=f"Nguyễn Văn A {NATIONAL_ID}",
            front="gov",
            level=1,
            issued_at=datetime.now(UTC),
            status_index=0,
            status_list_id="https://kynangso.example/status/1",
        )


def test_rerun_issues_nothing_twice_and_higher_level_supersedes(fresh_world: World) -> None:
    w = fresh_world
    before = sorted(p.name for p in w.out.iterdir())
    again = certify(w.url, w.policy, w.store, w.out)
    assert again.issued == [] and again.superseded == [] and again.repaired == []
    assert sorted(p.name for p in w.out.iterdir()) == before

    # Dung passes gov-2 on a second try: level 2 supersedes level 1 on the same front.
    from tests.certify.conftest import learners

    dung = next(learner for learner in learners() if learner.id == "pham-thi-dung")
    dung.subs["gov-2"] = Sub(q=8, practical=4.0)
    update(w.url, [dung])
    report = certify(w.url, w.policy, w.store, w.out)
    assert [(r.learner, r.front, r.level) for r in report.issued] == [("pham-thi-dung", "gov", 2)]
    old = next(r.serial for r in w.report.issued if r.learner == "pham-thi-dung")
    assert report.superseded == [(old, report.issued[0].serial)]
    with Registry(w.out / "registry.sqlite") as registry:
        records = registry.records()
        assert records[old].status == "superseded" and records[old].superseded_by == report.issued[0].serial
        assert registry.check_chain() is None
    assert certify(w.url, w.policy, w.store, w.out).issued == []
    # The lower certificate stays genuine, and says it has been superseded.
    from kynangso.certify.verify import verify_file

    verdict = verify_file(w.out / f"{old}.pdf", w.trust())
    assert verdict.status == "valid" and report.issued[0].serial in verdict.notes[0]


def test_crash_after_registry_is_repaired_by_rerun(fresh_world: World) -> None:
    w = fresh_world
    victim = w.files(".pdf")[0]
    jwt_before = victim.with_suffix(".jwt").read_bytes()
    victim.unlink()
    report = certify(w.url, w.policy, w.store, w.out)
    assert report.issued == [] and report.repaired == [victim.stem]
    assert victim.is_file() and victim.with_suffix(".jwt").read_bytes() == jwt_before


def test_a_bad_name_is_skipped_with_a_reason_and_others_still_get_theirs(tmp_path: Path) -> None:
    from kynangso.certify.keys import KeyStore
    from kynangso.certify.policy import load_policy
    from tests.certify.conftest import POLICY
    from tests.certify.gradebook import Learner, build

    url = build(
        tmp_path / "gradebook.db",
        [
            Learner("co-so-cccd", "A", f"Nguyễn Văn {NATIONAL_ID}", {"gov-1": Sub()}),
            Learner("ky-tu-la", "明", "Trần", {"gov-1": Sub()}),
            Learner("binh-thuong", "Hoa", "Đỗ Thị", {"gov-1": Sub()}),
        ],
    )
    store = KeyStore(tmp_path / "keys")
    store.init()
    report = certify(url, load_policy(POLICY), store, tmp_path / "out")
    assert [r.learner for r in report.issued] == ["binh-thuong"]
    assert any("co-so-cccd" in s and "CCCD" in s for s in report.skipped)
    assert any("ky-tu-la" in s and "không in được" in s for s in report.skipped)
    assert not any(NATIONAL_ID.encode() in p.read_bytes() for p in (tmp_path / "out").iterdir())


def test_many_certificates_are_shared_out_to_worker_processes(tmp_path: Path) -> None:
    from kynangso.certify.issue import PARALLEL_FROM, issue
    from kynangso.certify.keys import KeyStore
    from kynangso.certify.levels import Assessment
    from kynangso.certify.policy import load_policy
    from kynangso.certify.truststore import TrustStore, read_offer
    from kynangso.certify.verify import verify_file
    from tests.certify.conftest import POLICY

    n = PARALLEL_FROM + 10
    todo = [Assessment(f"hoc-vien-{i:03d}", f"Nguyễn Thị Mai {chr(65 + i % 26)}", "econ", 1 + i % 3) for i in range(n)]
    store = KeyStore(tmp_path / "keys")
    store.init()
    out = tmp_path / "out"
    report = issue(todo, load_policy(POLICY), store, out, workers=2)
    assert len(report.issued) == n and len({r.serial for r in report.issued}) == n
    assert sorted(report.repaired) == sorted(r.serial for r in report.issued)
    for suffix in (".jwt", ".json", ".pdf"):
        assert len(list(out.glob(f"KNS-*{suffix}"))) == n
    with Registry(out / "registry.sqlite") as registry:
        assert registry.check_chain() is None and len(registry.records()) == n
    store = TrustStore(tmp_path / "trust")
    store.accept(read_offer(out))
    trust = store.load()
    for pdf in sorted(out.glob("KNS-*.pdf"))[:: n // 7]:
        assert verify_file(pdf, trust).status == "valid"
