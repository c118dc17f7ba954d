"""Fixtures for certification tests: a real nbgrader gradebook, a key store and certificates issued from them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from kynangso.certify.issue import CertifyReport, certify
from kynangso.certify.keys import KeyStore
from kynangso.certify.policy import Policy, load_policy
from kynangso.certify.trust import Trust
from kynangso.certify.truststore import TrustStore, read_offer
from tests.certify.gradebook import Learner, Sub, build
from tests.support import REPO

POLICY = REPO / "grading" / "policy.toml"
STANDARDS = REPO / "tests" / "data" / "standards"
SCHEMA = STANDARDS / "ob_v3p0_achievementcredential_schema.json"
NATIONAL_ID = "001203004567"
FORGER_URL = "https://gia-mao.example/so"
FORGER_NAME = "Sở Khoa học và Công nghệ tỉnh Giả"


def learners() -> list[Learner]:
    return [
        # gov: level 1 and level 2 passed -> level 2; society: level 3 with practical and open answer -> level 3.
        Learner(
            "nguyen-van-an-1985",
            "An",
            "Nguyễn Văn",
            {"gov-1": Sub(q=7), "gov-2": Sub(q=8), "society-2": Sub(), "society-3": Sub()},
        ),
        # gov-3 still waits for the trainer's manual grade; econ-1 5/8 = 62.5% < 75%.
        Learner("tran-thi-binh", "Bình", "Trần Thị", {"gov-3": Sub(open=None), "econ-1": Sub(q=5)}),
        # exactly 75% earns level 1; the national ID in the gradebook must never reach the certificate.
        Learner("le-quoc-cuong", "Cường", "Lê Quốc", {"econ-1": Sub(q=6)}, extra={"lms_user_id": NATIONAL_ID}),
        # gov-2 practical only 2/4 = 50%: level 2 not earned, level 1 is.
        Learner("pham-thi-dung", "Dung", "Phạm Thị", {"gov-1": Sub(q=8), "gov-2": Sub(q=8, practical=2.0)}),
    ]


@dataclass
class World:
    root: Path
    url: str
    policy: Policy
    store: KeyStore
    out: Path
    report: CertifyReport

    def files(self, suffix: str) -> list[Path]:
        return sorted(self.out.glob(f"KNS-*{suffix}"))

    def jwks(self) -> dict:
        return json.loads((self.out / "issuer.json").read_text(encoding="utf-8"))["jwks"]

    def trust_store(self, name: str = "may-kiem-tra") -> TrustStore:
        """A verifier's trust store that accepted this issuer's published folder (as ``kynangso trust add`` does)."""
        store = TrustStore(self.root / name / ".kynangso" / "trust")
        store.accept(read_offer(self.out))
        return store

    def trust(self) -> Trust:
        return self.trust_store().load()


def make_world(root: Path, issuer_url: str | None = None, issuer_name: str | None = None) -> World:
    """Certificates of the policy's issuer, or of another one (another department, or a forger's)."""
    root.mkdir(parents=True, exist_ok=True)
    url = build(root / "gradebook.db", learners())
    policy = load_policy(POLICY)
    if issuer_url or issuer_name:
        issuer = replace(policy.issuer, url=issuer_url or policy.issuer.url, name=issuer_name or policy.issuer.name)
        policy = replace(policy, issuer=issuer)
    store = KeyStore(root / "keys")
    store.init()
    out = root / "certificates"
    report = certify(url, policy, store, out)
    return World(root, url, policy, store, out, report)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Cut fonts into a temporary cache, not the user's."""
    old = os.environ.get("KYNANGSO_CACHE")
    os.environ["KYNANGSO_CACHE"] = str(tmp_path_factory.mktemp("kns-cache"))
    yield
    if old is None:
        os.environ.pop("KYNANGSO_CACHE", None)
    else:
        os.environ["KYNANGSO_CACHE"] = old


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Certificates issued once per test module (tests must not change them; use fresh_world for that)."""
    return make_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def fresh_world(tmp_path: Path) -> World:
    return make_world(tmp_path)
