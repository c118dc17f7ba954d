"""Benchmark: ``kynangso grade`` against stock ``nbgrader autograde``, side by side, with identical gradebooks.

Two cohorts of KNS_BENCH_N submissions (default 200):
(a) the shipped exam gov-3 (every question kind, a practical task replayed, an open answer), a mix of right,
    wrong and blank answers — ours reads the answers as data, stock runs each notebook in a fresh kernel;
(b) a general nbgrader assignment with code answers and hidden tests (tests/grade/cases.py) — ours runs each
    submission in a fresh fork of a warm interpreter in the bubblewrap sandbox, stock in a fresh kernel.
Each cohort is graded in two copies of the same course; the script checks that every gradebook row is equal,
then prints both times and the ratio. This is a benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.grade.cases import CODE, CODE_CASES, FILES, released_code  # noqa: E402
from tests.grade.rows import gradebook_rows  # noqa: E402
from tests.grade.test_same_as_nbgrader import STOCK  # noqa: E402

from kynangso.toolpath import ensure_scripts_on_path  # noqa: E402

N = int(os.environ.get("KNS_BENCH_N", "200"))
EXAM = "gov-3"


def timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def stock(course: Path, assignment: str) -> None:
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"]
    cmd.append(f"--Autograde.autograde_preprocessors={json.dumps(STOCK)}")
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader autograde failed:\n{done.stderr[-2000:]}")


def ours(course: Path, assignment: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kynangso", "grade", assignment, "--course", str(course)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kynangso grade failed:\n{done.stderr[-2000:]}")


def exam_cohort(root: Path) -> Path:
    from tests.exams.support import correct_answers, fill, solve_practical, wrong_answers

    from kynangso.course.course import init_course, release

    course = init_course(root / "khoa")
    release(course, [EXAM])
    rng = random.Random(3)
    for i in range(N):
        learner = f"hv-{i:03d}"
        folder = course / "submitted" / learner / EXAM
        shutil.copytree(course / "release" / EXAM, folder)
        (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
        kind = rng.random()
        path = folder / f"{EXAM}.ipynb"
        if kind < 0.5:
            fill(path, correct_answers(course, EXAM, learner), open_text="Không đưa mã OTP cho ai; hẹn hỏi lại.")
            solve_practical(course, EXAM, learner, folder)
        elif kind < 0.9:
            fill(path, wrong_answers(course, EXAM, learner))
    return course


def code_cohort(root: Path) -> Path:
    _, course = released_code(root)
    cases = ["submitted-code-correct", "submitted-code-wrong", "submitted-code-blank"]
    for i in range(N):
        folder = course / "submitted" / f"hv-{i:03d}" / CODE
        folder.mkdir(parents=True)
        shutil.copyfile(FILES / f"{cases[i % len(cases)]}.ipynb", folder / f"{CODE}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    assert set(cases) <= set(CODE_CASES)
    return course


def compare(name: str, course: Path, assignment: str) -> tuple[float, float]:
    from kynangso.course.locate import course_settings

    a, b = course.with_name(course.name + "-stock"), course.with_name(course.name + "-ours")
    shutil.copytree(course, a)
    shutil.copytree(course, b)
    t_stock = timed(stock, a, assignment)
    t_ours = timed(ours, b, assignment)
    rows_a, rows_b = (gradebook_rows(course_settings(p)["db_url"]) for p in (a, b))
    same = rows_a == rows_b
    graded = len(rows_a["submission"])
    print(
        f"{name:<34} {graded:>4} bài   nbgrader {t_stock:7.1f} s   kynangso {t_ours:6.1f} s   "
        f"× {t_stock / t_ours:5.1f}   gradebooks {'equal' if same else 'DIFFERENT'}"
    )
    if not same:
        raise SystemExit(f"{name}: the gradebooks differ")
    return t_stock, t_ours


def main() -> None:
    ensure_scripts_on_path()
    print(f"== bench/grade.py: {N} submissions per cohort, {os.cpu_count()} cores")
    # `bench/grade.py b` runs one cohort only.
    chosen = set(sys.argv[1:]) or {"a", "b"}
    with tempfile.TemporaryDirectory(prefix="kns-bench-grade-") as tmp:
        if "a" in chosen:
            compare(f"(a) exam {EXAM} (answers as data)", exam_cohort(Path(tmp) / "a"), EXAM)
        if "b" in chosen:
            compare(f"(b) code answers ({CODE}, sandbox)", code_cohort(Path(tmp) / "b"), CODE)


if __name__ == "__main__":
    main()
