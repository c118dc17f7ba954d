"""`kynangso exam build`: reproducible nbgrader source notebooks that carry no answer key; the released version
(made by nbgrader's own generate_assignment) has no hidden test, key or rubric either."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat

from kynangso.exams.bank import default_bank_folder, load_bank
from kynangso.fronts import all_exams

EXAMS = load_bank(default_bank_folder())


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    for out in ("a", "b"):
        done = subprocess.run(
            [sys.executable, "-m", "kynangso", "exam", "build", "--out", str(tmp_path / out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Đã dựng 9 bài thi" in done.stdout
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert sorted(k for k in first if k.endswith(".ipynb")) == [f"source/{e}/{e}.ipynb" for e in sorted(all_exams())]
    # A rebuild of an unchanged bank rewrites nothing.
    again = subprocess.run(
        [sys.executable, "-m", "kynangso", "exam", "build", "--out", str(tmp_path / "a")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "(0 tệp thay đổi)" in again.stdout


def test_source_notebooks_follow_the_contract(tmp_path: Path) -> None:
    from kynangso.exams.build import build_all

    build_all(EXAMS, tmp_path)
    for name, exam in EXAMS.items():
        nb = nbformat.read(tmp_path / "source" / name / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        # Each question's points are on its graded cell, plus, for an open answer, one manually graded task cell
        # per required criterion (tieu-chi-<question>-<n>).
        points: dict[str, float] = {}
        for c in nb.cells:
            info = c.metadata.get("nbgrader", {})
            if info.get("grade") or info.get("task"):
                gid = info["grade_id"]
                qid = gid.removeprefix("tieu-chi-").rpartition("-")[0] if info.get("task") else gid.split("-", 1)[1]
                points[qid] = points.get(qid, 0.0) + float(info["points"])
        assert points == {q.id: q.points for q in exam.questions}
        for q in exam.questions:
            if q.type == "open":
                tasks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("task")]
                assert len([c for c in tasks if q.id in c.metadata.nbgrader["grade_id"]]) == sum(
                    r.required for r in q.rubric
                )
        answer_cells = [c for c in nb.cells if "kynangso" in c.metadata]
        assert len(answer_cells) == sum(
            q.type in ("single", "multiple", "order", "numeric", "short") for q in exam.questions
        )
        for number, q in enumerate(exam.questions, start=1):
            if q.type in ("single", "multiple", "order", "numeric", "short"):
                cell = next(c for c in answer_cells if c.metadata.kynangso["answer"] == q.id)
                assert cell.source.endswith(f"tra_loi_{number} = ...") and "✍️" in cell.source
                assert f"Ví dụ cách viết (không phải đáp án): tra_loi_{number} = " in cell.source


def test_no_key_in_source_or_public_files(tmp_path: Path) -> None:
    from kynangso.exams.build import build_all

    build_all(EXAMS, tmp_path)
    for name in EXAMS:
        keys = json.loads((tmp_path / "answer_keys" / f"{name}.json").read_text(encoding="utf-8"))
        shipped = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "source" / name).iterdir())
        for qid, entry in keys["questions"].items():
            for key in entry.get("keys", []):
                answer = key["answer"]
                if entry["type"] == "short":
                    for accepted in answer:
                        assert accepted not in shipped.casefold(), (name, qid)
                elif entry["type"] == "numeric" and answer >= 1000:
                    assert str(answer) not in shipped, (name, qid)
            public = (tmp_path / "source" / name / "de-thi.json").read_text(encoding="utf-8")
            for item in entry.get("rubric", []):
                assert item["criterion"] not in public  # only in the hidden region of the source notebook
    assert (tmp_path / "answer_keys").stat().st_mode & 0o077 == 0


def test_released_notebooks_hide_tests_keys_and_rubrics(exam_course: Path) -> None:
    for name in all_exams():
        released = (exam_course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
        for secret in ("HIDDEN TESTS", "kynangso.exams.graders", "cham(", "Thang chấm"):
            assert secret not in released, (name, secret)
        keys = json.loads((exam_course / "answer_keys" / f"{name}.json").read_text(encoding="utf-8"))
        for entry in keys["questions"].values():
            for item in entry.get("rubric", []):
                assert item["criterion"] not in released
        assert not list((exam_course / "release" / name).glob("*answer*"))
