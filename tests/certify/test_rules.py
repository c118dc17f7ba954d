"""The policy's rules that make a level mean what it says: a critical error fails a practical task, a required
criterion fails an open answer, and level 3 of a front needs level 2 of the same front."""

from __future__ import annotations

from pathlib import Path

import pytest

from kynangso.certify.levels import assess, compute_levels
from kynangso.certify.policy import PolicyError, load_policy, parse_policy
from tests.certify.conftest import POLICY
from tests.certify.gradebook import Learner, Sub, build

OTP = "Đọc mã OTP cho người gọi"


def notes(url: str, learner: str, front: str = "gov") -> list[str]:
    [a] = [a for a in assess(url, load_policy(POLICY)) if a.learner == learner and a.front == front]
    return a.notes


def test_one_critical_error_fails_the_practical_whatever_its_score(tmp_path: Path) -> None:
    # 3.25/4 on the task (81%) and every other point: it would pass, but the learner read an OTP to a caller.
    learner = Learner("doc-otp", "Hà", "Lê Thị", {"gov-2": Sub(practical=3.25, critical=(OTP,))})
    url = build(tmp_path / "gradebook.db", [learner])
    assert compute_levels(url, load_policy(POLICY)) == {}
    assert any("lỗi nghiêm trọng" in n and OTP in n for n in notes(url, "doc-otp"))


def test_three_typos_do_not_fail_a_practical_without_critical_error(tmp_path: Path) -> None:
    learner = Learner("go-nham", "Hà", "Lê Thị", {"gov-2": Sub(practical=3.25)})
    url = build(tmp_path / "gradebook.db", [learner])
    assert compute_levels(url, load_policy(POLICY)) == {"go-nham": {"gov": 2}}


def test_missing_required_criterion_fails_the_open_answer(tmp_path: Path) -> None:
    # Full marks on the rest of the open answer ("steps", "check back"), nothing on safety.
    learner = Learner("thieu-an-toan", "Tú", "Vũ Văn", {"gov-2": Sub(), "gov-3": Sub(open=4.0, criterion=0.0)})
    url = build(tmp_path / "gradebook.db", [learner])
    assert compute_levels(url, load_policy(POLICY)) == {"thieu-an-toan": {"gov": 2}}
    assert any("tiêu chí bắt buộc" in n for n in notes(url, "thieu-an-toan"))


def test_level_3_without_level_2_gives_no_level_3(tmp_path: Path) -> None:
    learner = Learner("nhay-cap", "Mai", "Đỗ Thị", {"gov-1": Sub(), "gov-3": Sub()})
    url = build(tmp_path / "gradebook.db", [learner])
    assert compute_levels(url, load_policy(POLICY)) == {"nhay-cap": {"gov": 1}}
    assert any("cần đạt cấp độ 2" in n for n in notes(url, "nhay-cap"))


def test_level_3_with_level_2_is_earned(tmp_path: Path) -> None:
    learner = Learner("du-cap", "Mai", "Đỗ Thị", {"gov-2": Sub(), "gov-3": Sub()})
    url = build(tmp_path / "gradebook.db", [learner])
    assert compute_levels(url, load_policy(POLICY)) == {"du-cap": {"gov": 3}}


def test_policy_rules_are_validated_with_the_key(tmp_path: Path) -> None:
    import tomllib

    data = tomllib.loads(Path(POLICY).read_text(encoding="utf-8"))
    data["levels"]["3"]["requires"] = [3]
    with pytest.raises(PolicyError, match=r"levels\.3\.requires"):
        parse_policy(data, "policy.toml")
    data["levels"]["3"]["requires"] = [2]
    data["levels"]["2"]["critical_errors_fail"] = "có"
    with pytest.raises(PolicyError, match=r"levels\.2\.critical_errors_fail"):
        parse_policy(data, "policy.toml")
