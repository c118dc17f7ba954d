"""Levels per front from a real nbgrader gradebook: thresholds, practical task, open answer, manual grading."""

from __future__ import annotations

from pathlib import Path

import pytest

from kynangso.certify.levels import GradebookError, assess, compute_levels
from kynangso.certify.policy import load_policy
from tests.certify.conftest import POLICY, learners
from tests.certify.gradebook import Learner, Sub, build, update


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build(tmp_path_factory.mktemp("levels") / "gradebook.db", learners())


def test_levels_follow_the_policy(gradebook: str) -> None:
    levels = compute_levels(gradebook, load_policy(POLICY))
    assert levels == {
        "nguyen-van-an-1985": {"gov": 2, "society": 3},
        "le-quoc-cuong": {"econ": 1},  # 6/8 = exactly 75%
        "pham-thi-dung": {"gov": 1},  # practical 50% < 75%: no level 2
    }


def test_reasons_are_given_in_vietnamese(gradebook: str) -> None:
    notes = {(a.learner, a.front): a.notes for a in assess(gradebook, load_policy(POLICY))}
    assert any("chờ giảng viên chấm tay" in n for n in notes[("tran-thi-binh", "gov")])
    assert any("đạt 62%, cần từ 75%" in n for n in notes[("tran-thi-binh", "econ")])
    assert any("bài thực hành" in n and "chưa đạt 75%" in n for n in notes[("pham-thi-dung", "gov")])


def test_manual_grade_unlocks_the_level(tmp_path: Path) -> None:
    waiting = Learner("vo-van-em", "Em", "Võ Văn", {"gov-2": Sub(), "gov-3": Sub(open=None)})
    url = build(tmp_path / "gradebook.db", [waiting])
    policy = load_policy(POLICY)
    assert compute_levels(url, policy) == {"vo-van-em": {"gov": 2}}
    waiting.subs["gov-3"] = Sub(open=1.0)  # graded, but 2/5 < 50%: the open answer fails
    update(url, [waiting])
    assert compute_levels(url, policy) == {"vo-van-em": {"gov": 2}}
    waiting.subs["gov-3"] = Sub(open=3.0)
    update(url, [waiting])
    assert compute_levels(url, policy) == {"vo-van-em": {"gov": 3}}


def test_missing_gradebook_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GradebookError, match="không tìm thấy sổ điểm"):
        compute_levels(f"sqlite:///{tmp_path}/khong-co.db", load_policy(POLICY))
    assert not (tmp_path / "khong-co.db").exists()


def test_reports_path_decides_exactly_like_certify(gradebook: str) -> None:
    # The department report reads submissions itself (to filter by date or commune) and must reach the same levels.
    from kynangso.certify.levels import assess, assess_submissions
    from kynangso.course.grades import read_submissions

    policy = load_policy(POLICY)
    direct = assess(gradebook, policy)
    names = {a.learner: a.name for a in direct}
    via_reports = assess_submissions(names, read_submissions(gradebook), policy)
    assert [(a.learner, a.front, a.level, a.notes) for a in via_reports] == [
        (a.learner, a.front, a.level, a.notes) for a in direct
    ]
