"""`kynangso course init`: a standard nbgrader course root where nbgrader's own commands work unchanged, and
where every course command acts on the folder it runs in (or on --course)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kynangso.fronts import all_exams

BIN = Path(sys.executable).parent


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("lop")
    done = run(base, sys.executable, "-m", "kynangso", "course", "init", "khoa-2026")
    assert done.returncode == 0, done.stderr
    assert "Đã sẵn sàng khóa học" in done.stdout
    return base / "khoa-2026"


def test_init_makes_a_standard_course_root(course: Path) -> None:
    assert (course / "nbgrader_config.py").is_file() and (course / "gradebook.db").is_file()
    for exam in all_exams():
        assert (course / "source" / exam / f"{exam}.ipynb").is_file()
        assert (course / "source" / exam / "de-thi.json").is_file()
        assert (course / "answer_keys" / f"{exam}.json").is_file()
    # nbgrader's own command, run inside the folder, sees the course and its nine exams.
    listed = run(course, str(BIN / "nbgrader"), "db", "assignment", "list")
    assert listed.returncode == 0, listed.stderr
    for exam in all_exams():
        assert exam in listed.stdout + listed.stderr


def test_stock_nbgrader_generates_the_student_version(course: Path) -> None:
    done = run(course, str(BIN / "nbgrader"), "generate_assignment", "econ-1", "--force")
    assert done.returncode == 0, done.stderr
    released = (course / "release" / "econ-1" / "econ-1.ipynb").read_text(encoding="utf-8")
    assert "tra_loi_1 = ..." in released and "HIDDEN TESTS" not in released
    assert not (course / "release" / "econ-1" / "answer_keys").exists()


def test_init_is_idempotent_and_keeps_the_trainers_settings(course: Path) -> None:
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    edited = text.replace(
        "c.CourseDirectory.course_id", "c.Execute.timeout = 45  # thầy Hùng sửa\nc.CourseDirectory.course_id", 1
    )
    config.write_text(edited, encoding="utf-8")
    before = {p: p.read_bytes() for p in (course / "source").rglob("*") if p.is_file()}
    done = run(course.parent, sys.executable, "-m", "kynangso", "course", "init", course.name)
    assert done.returncode == 0, done.stderr
    assert config.read_text(encoding="utf-8") == edited
    assert {p: p.read_bytes() for p in (course / "source").rglob("*") if p.is_file()} == before


def test_commands_outside_a_course_say_so(tmp_path: Path, course: Path) -> None:
    done = run(tmp_path, sys.executable, "-m", "kynangso", "grade")
    assert done.returncode == 2 and "Không tìm thấy khóa học" in done.stderr  # exit 2: see tests/course/test_locate
    done = run(tmp_path, sys.executable, "-m", "kynangso", "exam", "release", "gov-7", "--course", str(course))
    assert done.returncode == 1 and "không có bài thi gov-7" in done.stderr
    done = run(tmp_path, sys.executable, "-m", "kynangso", "results", "--course", str(tmp_path))
    assert done.returncode == 2 and "nbgrader_config.py" in done.stderr


@pytest.mark.e2e
def test_import_zip_files_submissions_sent_as_files(course: Path, tmp_path: Path) -> None:
    from tests.exams.support import correct_answers, fill

    done = run(course, sys.executable, "-m", "kynangso", "exam", "release", "gov-1")
    assert done.returncode == 0, done.stderr
    inbox = tmp_path / "zalo"
    inbox.mkdir()
    released = course / "release" / "gov-1"
    for learner, kind in (("nguyen-van-an-1985", "zip"), ("tran-thi-binh-1990", "ipynb")):
        work = tmp_path / learner / "gov-1"
        work.mkdir(parents=True)
        (work / "gov-1.ipynb").write_bytes((released / "gov-1.ipynb").read_bytes())
        fill(work / "gov-1.ipynb", correct_answers(course, "gov-1", learner))
        if kind == "zip":
            with zipfile.ZipFile(inbox / f"{learner}_gov-1.zip", "w") as zf:
                zf.write(work / "gov-1.ipynb", "gov-1/gov-1.ipynb")
        else:
            (inbox / f"{learner}_gov-1.ipynb").write_bytes((work / "gov-1.ipynb").read_bytes())
    (inbox / "bai-lam-cua-toi.ipynb").write_text("{}", encoding="utf-8")
    (inbox / "le-van-cuong_gov-1.zip").write_bytes(b"not a zip")

    done = run(course, sys.executable, "-m", "kynangso", "exam", "import-zip", str(inbox))
    assert done.returncode == 1  # some files were rejected, and each is named
    assert "gov-1: đã nhập bài của nguyen-van-an-1985, tran-thi-binh-1990." in done.stdout
    assert "Bỏ qua bai-lam-cua-toi.ipynb: tên tệp phải có dạng" in done.stdout
    assert "Bỏ qua le-van-cuong_gov-1.zip: không giải nén được" in done.stdout
    for learner in ("nguyen-van-an-1985", "tran-thi-binh-1990"):
        assert (course / "submitted" / learner / "gov-1" / "gov-1.ipynb").is_file()

    done = run(course, sys.executable, "-m", "kynangso", "grade", "gov-1", "--cell-timeout", "20")
    assert done.returncode == 0, done.stderr
    from kynangso.exams.bank import default_bank_folder, load_bank

    total = load_bank(default_bank_folder())["gov-1"].total_points
    assert done.stdout.count(f"đã chấm — {total:g}/{total:g} điểm") == 2, done.stdout

    # Even nbgrader's own generate_feedback (or Formgrader's button) shows no hidden test in this course.
    done = run(course, str(BIN / "nbgrader"), "generate_feedback", "gov-1", "--force")
    assert done.returncode == 0, done.stderr
    page = (course / "feedback" / "nguyen-van-an-1985" / "gov-1" / "gov-1.html").read_text(encoding="utf-8")
    assert "nội dung được ẩn" in page and "Giải thích" in page
    for secret in ("HIDDEN TESTS", "kynangso.exams.graders", "cham("):
        assert secret not in page
