"""The whole exam lifecycle on real nbgrader, for three learners with their own HOME and exchange config:
fetch → submit → collect → grade → manual grading → feedback (released and fetched) → results."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.exams.bank import default_bank_folder, load_bank
from kynangso.exams.variants import variant_index
from tests.exams.formgrader import formgrader
from tests.exams.support import Learner, correct_answers, fill, solve_practical, wrong_answers

EXAM = "gov-3"
AN, BINH, CHI, DUNG = "nguyen-van-an-1985", "tran-thi-binh-1990", "le-thi-chi-1979", "pham-van-dung-1982"


def kynangso(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "kynangso", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def secrets_of(course: Path, exam: str) -> list[str]:
    """Every line of every hidden test region and rubric of the exam's source notebook."""
    nb = json.loads((course / "source" / exam / f"{exam}.ipynb").read_text(encoding="utf-8"))
    lines: list[str] = []
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for region in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", src, flags=re.S):
            lines += [ln.strip() for ln in region.splitlines() if len(ln.strip()) > 6]
    return [*lines, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]


def key_texts(course: Path, exam: str, learner: str) -> list[str]:
    """Keys of this learner's variants that are distinctive enough to be searched for in a page."""
    keys = json.loads((course / "answer_keys" / f"{exam}.json").read_text(encoding="utf-8"))
    found = []
    for qid, entry in keys["questions"].items():
        if entry["type"] not in ("short", "numeric") or "keys" not in entry:
            continue
        answer = entry["keys"][variant_index(exam, qid, learner, entry["variants"])]["answer"]
        found += [a for a in answer if len(a) >= 4] if entry["type"] == "short" else [str(answer)]
    return [k for k in found if len(k) >= 3]


@pytest.mark.e2e
@pytest.mark.slow
def test_three_learners_through_the_whole_lifecycle(exam_course: Path, tmp_path: Path) -> None:
    course, exchange = exam_course, exam_course / "exchange"
    learners = {who: Learner(tmp_path, who, exchange) for who in (AN, BINH, CHI)}

    # Each learner fetches the exam with nbgrader's own command, as the Assignments tab does.
    paths = {who: learner.fetch(EXAM) for who, learner in learners.items()}
    # An answers everything right and does the practical task; Bình answers wrong and skips the practical task;
    # Chi copies An's answers and An's transcript (a neighbour's work) into her own notebook.
    fill(
        paths[AN],
        correct_answers(course, EXAM, AN),
        open_text="Kế hoạch: mức 2, đăng nhập, từng bước, OTP, hẹn kiểm tra lại.",
    )
    solve_practical(course, EXAM, AN, paths[AN].parent)
    fill(paths[BINH], wrong_answers(course, EXAM, BINH), open_text="Tôi làm hộ cho nhanh.")
    shutil.copy(paths[AN], paths[CHI])
    for transcript in paths[AN].parent.glob("*.transcript.json"):
        shutil.copy(transcript, paths[CHI].parent / transcript.name)
    # nbgrader Validate names what is missing (Bình's practical task) and says nothing about right or wrong:
    # his wrong answers are well formed, so they pass like An's right ones.
    done = learners[BINH].nbgrader("validate", str(paths[BINH]))
    report = done.stdout + done.stderr
    assert "chưa làm bài thực hành" in report and "chưa có câu trả lời" not in report, report
    done = learners[AN].nbgrader("validate", str(paths[AN]))
    assert "Success" in done.stdout + done.stderr, done.stdout + done.stderr
    for learner in learners.values():
        learner.submit(EXAM)

    out = kynangso(course, "exam", "collect", EXAM)
    assert out.returncode == 0, out.stderr
    assert all(who in out.stdout for who in (AN, BINH, CHI)), out.stdout
    only = [arg for who in (AN, BINH, CHI) for arg in ("--student", who)]

    out = kynangso(course, "grade", EXAM, *only, "--cell-timeout", "20")
    assert out.returncode == 0, out.stderr
    assert sum("chờ chấm tay —" in line for line in out.stdout.splitlines()) == 3, out.stdout

    # Open answers are graded by hand in Formgrader (its own HTTP API, on a real Jupyter server); the grader
    # sees the rubric right under the learner's answer.
    from kynangso.course.course import gradebook

    with formgrader(course, tmp_path / "formgrader.log") as fg:
        for who, points, met in ((AN, None, True), (BINH, 1.0, False), (CHI, 2.0, True)):
            page = fg.grade_open_answer(EXAM, who, points, criteria_met=met)
            assert "Thang chấm câu này (chỉ người chấm thấy)" in html.unescape(page)
    with gradebook(course) as gb:
        gb.add_student(DUNG, first_name="Dũng", last_name="Phạm Văn")  # on the roster, never submitted

    out = kynangso(course, "feedback", EXAM, *only, "--release")
    assert out.returncode == 0, out.stderr
    pages = [course / "feedback" / who / EXAM / f"{EXAM}.html" for who in (AN, BINH, CHI)]
    assert all(page.is_file() for page in pages), out.stdout
    forbidden = secrets_of(course, EXAM)
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert "Giải thích" in text
        for line in forbidden:
            assert line not in text, (page, line)
        for key in key_texts(course, EXAM, BINH) if page.parts[-3] == BINH else []:
            assert key not in text, (page, key)
        keys = json.loads((course / "answer_keys" / f"{EXAM}.json").read_text(encoding="utf-8"))
        for entry in keys["questions"].values():
            for item in entry.get("rubric", []):
                assert item["criterion"] not in text

    # The learner fetches the feedback from the Assignments tab (nbgrader fetch_feedback).
    fetched = learners[AN].nbgrader("fetch_feedback", EXAM, "--course", "kynangso")
    assert fetched.returncode == 0, fetched.stderr
    assert list((tmp_path / AN / EXAM / "feedback").rglob(f"{EXAM}.html"))

    out = kynangso(course, "results", EXAM)
    assert out.returncode == 0, out.stderr
    with open(course / "ket-qua" / "ket-qua-thi.csv", encoding="utf-8-sig") as f:
        rows = {r["Học viên"]: r for r in csv.DictReader(f)}
    total = load_bank(default_bank_folder())[EXAM].total_points
    assert rows[AN]["Mã trạng thái"] == "graded" and float(rows[AN]["Điểm"]) == total
    assert rows[BINH]["Mã trạng thái"] == "graded" and float(rows[BINH]["Điểm"]) == 1.0
    # Chi's copied answers fit An's variants, not hers, and An's transcript fails replay under her seed.
    assert rows[CHI]["Mã trạng thái"] == "graded" and float(rows[CHI]["Điểm"]) < total - 4
    assert rows[DUNG]["Mã trạng thái"] == "missing" and rows[DUNG]["Trạng thái"] == "chưa nộp"

    from openpyxl import load_workbook

    sheet = load_workbook(course / "ket-qua" / "ket-qua-thi.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Học viên", "Bài thi", "Trạng thái"]
    assert {v[0] for v in values[1:]} >= {AN, BINH, CHI, DUNG}
