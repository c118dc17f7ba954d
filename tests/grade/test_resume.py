"""``kill -9`` in the middle of grading, then run again: every submission graded exactly once, nothing lost or
doubled; and a resubmission whose regrade fails never earns a certificate on its earlier scores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from kynangso.grade import status as st
from tests.grade.cases import EXAM, released_exam
from tests.grade.rows import gradebook_rows
from tests.grade.support import fixture, place

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

COHORT = 150
GRADED_CELLS = 8  # the test exam's graded cells: 5 answers, a practical, an open answer and its required criterion


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str | None:
    """None: the course's own SQLite gradebook; else a fresh PostgreSQL database (the province server's)."""
    return None if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def graded_count(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(sa.text("SELECT count(*) FROM kynangso_grading WHERE status != 'grading'")).scalar() or 0
            )
    except sa.exc.DBAPIError:  # no status table yet: nothing graded
        return 0
    finally:
        engine.dispose()


def test_kill_9_mid_grading_then_resume_grades_each_submission_once(tmp_path: Path, db_url: str | None) -> None:
    from kynangso.course.locate import course_settings

    _, _, course = released_exam(tmp_path, db_url)
    for i in range(COHORT):
        place(course, f"hv-{i:03d}", fixture("submitted-wrong" if i % 3 else "submitted-correct"))
    db_url = course_settings(course)["db_url"]
    cmd = [sys.executable, "-m", "kynangso", "grade", EXAM, "--course", str(course)]
    assert db_url.startswith("sqlite") or "postgresql" in db_url
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while graded_count(db_url) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = graded_count(db_url)
    assert 10 <= before < COHORT, f"the kill came too late to prove anything ({before} graded)"

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert f"Đã xử lý {COHORT} bài" in done.stdout
    assert f"{before} bài đã chấm trước đó" in done.stdout, done.stdout  # the finished ones were not regraded
    assert graded_count(db_url) == COHORT
    rows = gradebook_rows(db_url)
    assert len(rows["submission"]) == COHORT and len(rows["grade"]) == COHORT * GRADED_CELLS  # nothing doubled
    with st.Statuses(course) as statuses:
        records = [statuses.refresh(EXAM, f"hv-{i:03d}") for i in range(COHORT)]
    # Right answers (no practical transcript): 7 points; the open answer waits for a trainer.
    assert all(r.status == st.NEEDS_MANUAL and r.score == (7.0 if i % 3 == 0 else 0.0) for i, r in enumerate(records))
    assert not list((course / "autograded").glob("*/.*"))  # no half-written folder left behind


def test_failed_regrade_of_a_resubmission_earns_no_certificate(tmp_path: Path, db_url: str | None) -> None:
    from kynangso.certify.issue import certify
    from kynangso.certify.keys import KeyStore
    from kynangso.certify.policy import load_policy
    from kynangso.course.course import init_course, release
    from kynangso.course.locate import course_settings
    from kynangso.grade.runner import grade
    from kynangso.reports.build import gather
    from kynangso.reports.figures import not_counted
    from tests.exams.support import correct_answers, fill
    from tests.support import REPO

    course = init_course(tmp_path / "khoa", db_url=db_url)
    release(course, ["gov-1"])
    learner = "tran-van-dat"
    folder = course / "submitted" / learner / "gov-1"
    import shutil

    shutil.copytree(course / "release" / "gov-1", folder)
    (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    fill(folder / "gov-1.ipynb", correct_answers(course, "gov-1", learner))
    [first] = grade(course, ["gov-1"])
    assert first.status == st.GRADED and first.score == first.max_score

    # The learner sends the exam again, hand-edited: the regrade cannot grade it.
    (folder / "gov-1.ipynb").write_text("{ đây không phải bài làm", encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-11-29 08:00:00.000000 UTC", encoding="utf-8")
    url = course_settings(course)["db_url"]
    policy = load_policy(REPO / "grading" / "policy.toml")
    store = KeyStore(tmp_path / "keys")
    store.init()
    pending = certify(url, policy, store, tmp_path / "chung-nhan", course=course)
    assert pending.issued == []  # resubmitted, not regraded yet: the earlier scores do not count
    [second] = grade(course, ["gov-1"])
    assert second.status == st.FAILED and "JSON không hợp lệ" in second.reason
    report = certify(url, policy, store, tmp_path / "chung-nhan", course=course)
    assert report.issued == []
    data = gather(course, REPO / "grading" / "policy.toml")
    [why] = not_counted(data.submissions)
    assert why.learner == learner and why.status == st.FAILED and "JSON không hợp lệ" in why.reason


def test_two_graders_on_one_postgresql_gradebook_never_grade_the_same_submission(
    tmp_path: Path, postgres_url: str
) -> None:
    from kynangso.course.locate import course_settings

    _, _, course = released_exam(tmp_path, postgres_url)
    for i in range(COHORT):
        place(course, f"hv-{i:03d}", fixture("submitted-correct"))
    db_url = course_settings(course)["db_url"]
    cmd = [sys.executable, "-m", "kynangso", "grade", EXAM, "--course", str(course)]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while graded_count(db_url) < 5 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # while the first grades
    graders = [first, second]
    outputs = [g.communicate(timeout=600) for g in graders]
    assert all(g.returncode == 0 for g in graders), [err for _, err in outputs]
    graded = [
        {line.split()[1] for line in out.splitlines() if line.startswith(EXAM) and "chờ chấm tay —" in line}
        for out, _ in outputs
    ]
    assert not graded[0] & graded[1], "a submission was graded by both graders"
    assert len(graded[0] | graded[1]) == COHORT
    rows = gradebook_rows(db_url)
    assert len(rows["submission"]) == COHORT and len(rows["grade"]) == COHORT * GRADED_CELLS
