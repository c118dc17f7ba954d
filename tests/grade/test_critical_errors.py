"""A practical task with one critical error fails, whatever its score, and no certificate is issued from it; the
results say which error. A recoverable mistake only costs points."""

from __future__ import annotations

from pathlib import Path

import pytest

from kynangso.grade import status as st
from tests.grade.cases import EXAM, released_exam
from tests.grade.support import fixture, place, practical_with_trap

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CRITICAL = "doc-otp-cho-nguoi-goi"  # reading the OTP to a "bank" caller
MINOR = "bam-link-la"  # tapping a link without typing anything


def test_one_critical_error_fails_the_practical_and_earns_no_certificate(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    from kynangso.certify.levels import assess
    from kynangso.certify.policy import load_policy
    from kynangso.course.locate import course_settings
    from kynangso.grade.runner import grade
    from kynangso.sims import load_scenario
    from tests.support import REPO

    traps = load_scenario("nhan-dien-lua-dao").traps
    assert traps[CRITICAL].critical and not traps[MINOR].critical
    _, _, course = released_exam(tmp_path)
    for learner, trap in (("hv-doc-otp", CRITICAL), ("hv-bam-link", MINOR)):
        folder = place(course, learner, fixture("submitted-correct"))
        practical_with_trap(course, learner, folder, trap)
    records = {r.student: r for r in grade(course, [EXAM])}
    assert traps[CRITICAL].title in records["hv-doc-otp"].reason  # the results say which error
    assert records["hv-doc-otp"].details["critical"] == {"practical-thuc-hanh": [traps[CRITICAL].title]}
    assert not records["hv-bam-link"].details["critical"]

    db_url = course_settings(course)["db_url"]
    with Gradebook(db_url) as gb:  # the trainer grades the open answer and its required criterion in Formgrader
        for learner in records:
            for name in ("open-tu-luan", "tieu-chi-tu-luan-1"):
                grade_row = gb.find_grade(name, EXAM, EXAM, learner)
                grade_row.manual_score, grade_row.needs_manual_grade = grade_row.max_score, False
        gb.db.commit()
    levels = {(a.learner, a.front): a for a in assess(db_url, load_policy(REPO / "grading" / "policy.toml"), course)}
    same_score = [st.refresh(course, EXAM, who).score for who in records]
    assert same_score[0] == same_score[1]  # both lost the trap penalty; one of the errors is critical
    assert levels[("hv-bam-link", "gov")].level == 2
    refused = levels[("hv-doc-otp", "gov")]
    assert refused.level == 0
    assert any("lỗi nghiêm trọng" in n and traps[CRITICAL].title in n for n in refused.notes)
