"""Any nbgrader assignment with code answers: graded by ``kynangso grade`` in the sandbox, in a plain nbgrader
course; every attack is contained in its own submission, with the reason in its status, and the run goes on."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from kynangso.grade import status as st
from tests.grade.cases import CODE, CODE_CASES, FILES, build_code, released_code

pytestmark = [pytest.mark.e2e]

CELL_TIMEOUT = 5
FULL = 4.0


class Graded:
    def __init__(self, course: Path, records: dict[str, st.Record]):
        self.course = course
        self.records = records

    def outputs(self, learner: str) -> str:
        path = self.course / "autograded" / learner / CODE / f"{CODE}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        return json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)


def place(course: Path, learner: str, notebook: Path) -> None:
    folder = course / "submitted" / learner / CODE
    folder.mkdir(parents=True)
    shutil.copyfile(notebook, folder / f"{CODE}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    from kynangso.grade.runner import grade

    _, course = released_code(tmp_path_factory.mktemp("python"))
    (course / "gradebook.db").touch()
    secret = course / "answer_keys"
    secret.mkdir()
    (secret / "khoa-bi-mat.txt").write_text("ĐÁP ÁN BÍ MẬT", encoding="utf-8")
    for case in CODE_CASES:
        place(course, case, FILES / f"{case}.ipynb")
    records = {r.student: r for r in grade(course, [CODE], cell_timeout=CELL_TIMEOUT, submission_timeout=60)}
    return Graded(course, records)


def test_code_fixture_files_are_up_to_date() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        released, _ = released_code(Path(tmp))
        for name, text in build_code(released).items():
            assert (FILES / name).read_text(encoding="utf-8") == text, f"{name}: run python -m tests.grade.cases"


def test_plain_nbgrader_course_is_graded(graded: Graded) -> None:
    assert set(graded.records) == set(CODE_CASES)


def test_correct_code_scores_full_marks_with_partial_credit_cell(graded: Graded) -> None:
    rec = graded.records["submitted-code-correct"]
    assert rec.status == st.GRADED and rec.score == FULL and rec.max_score == FULL, rec


def test_wrong_code_scores_zero(graded: Graded) -> None:
    rec = graded.records["submitted-code-wrong"]
    assert rec.status == st.GRADED and rec.score == 0.5, rec  # only squares(0) == [] still holds


def test_blank_code_scores_zero(graded: Graded) -> None:
    rec = graded.records["submitted-code-blank"]
    assert rec.status == st.GRADED and rec.score == 0.0, rec


def test_loop_that_ignores_ctrl_c_fails_that_submission_only(graded: Graded) -> None:
    rec = graded.records["submitted-code-loop-ignores-ctrl-c"]
    assert rec.status == st.FAILED and f"quá {CELL_TIMEOUT} giây" in rec.reason, rec


def test_os_exit_fails_that_submission_only(graded: Graded) -> None:
    rec = graded.records["submitted-code-os-exit"]
    assert rec.status == st.FAILED and "os._exit" in rec.reason, rec


@pytest.mark.parametrize("case", ["submitted-code-fork-bomb", "submitted-code-memory-bomb"])
def test_bombs_are_contained_and_graded(graded: Graded, case: str) -> None:
    rec = graded.records[case]
    assert rec.status == st.GRADED and rec.score == FULL, rec


def test_huge_print_is_cut(graded: Graded) -> None:
    rec = graded.records["submitted-code-prints-100mb"]
    assert rec.status == st.GRADED and rec.score == FULL and "cắt bớt" in rec.reason, rec
    path = graded.course / "autograded" / "submitted-code-prints-100mb" / CODE / f"{CODE}.ipynb"
    assert path.stat().st_size < 500_000


def test_code_sees_nothing_of_the_course(graded: Graded) -> None:
    shown = graded.outputs("submitted-code-reads-answer-keys")
    assert "THẤY ../../../tmp" in shown  # the code ran and looked around the sandbox…
    for name in ("khoa-bi-mat", "gradebook", "answer_keys", "source", "submitted", "nbgrader_config"):
        assert name not in shown, name  # …and found nothing of the course


def test_code_cannot_write_the_gradebook(graded: Graded) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gb:
        manual = [
            g.manual_score for a in gb.assignments for s in a.submissions for nb in s.notebooks for g in nb.grades
        ]
    assert 100 not in manual
    assert graded.records["submitted-code-writes-gradebook"].score == FULL


def test_code_sees_no_other_learner(graded: Graded) -> None:
    assert "THẤY []" in graded.outputs("submitted-code-reads-other-learners")


def test_code_sees_no_system_secret(graded: Graded) -> None:
    shown = graded.outputs("submitted-code-reads-system-secrets")
    assert "/etc/shadow False" in shown and "/root/.ssh False" in shown and "kynangso False" in shown


def test_code_has_no_network(graded: Graded) -> None:
    assert "MẠNG: không" in graded.outputs("submitted-code-network")


def test_no_sandbox_means_no_run_unless_the_trainer_accepts(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    _, course = released_code(tmp_path)
    place(course, "hv-mot", FILES / "submitted-code-correct.ipynb")
    env: dict[str, Any] = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no bwrap on this PATH
    done = subprocess.run(
        [sys.executable, "-m", "kynangso", "grade", CODE, "--course", str(course)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0 and "bubblewrap" in done.stderr and "--chay-khong-hop-cat" in done.stderr
    assert not (course / "autograded").exists()
    done = subprocess.run(
        [sys.executable, "-m", "kynangso", "grade", CODE, "--course", str(course), "--chay-khong-hop-cat"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "đã chấm — 4/4 điểm" in done.stdout


def test_a_checkout_under_tmp_keeps_its_python_inside_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    # bubblewrap applies mounts in order: the empty /tmp must come before the binds of a Python living under /tmp
    # (a clone in /tmp with its .venv), or it hides them and no submission can be graded.
    from kynangso.grade import sandbox

    monkeypatch.setattr(sandbox, "_bind_dirs", lambda: ["/usr", "/tmp/ban-sao/.venv"])
    cmd = sandbox.command(61000, 3)
    tmpfs = cmd.index("--tmpfs")
    assert cmd[tmpfs + 1] == "/tmp"
    bind = cmd.index("/tmp/ban-sao/.venv")
    assert cmd[bind - 1] == "--ro-bind-try" and tmpfs < bind
    assert "/tmp" not in [cmd[i + 1] for i, a in enumerate(cmd) if a == "--dir"]  # /tmp stays 1777
