"""Learners for the exam tests: each has their own HOME and nbgrader config, and uses nbgrader's own CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kynangso.exams.variants import variant_index

BIN = Path(sys.executable).parent


def env_for(home: Path, learner: str) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(home)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["KYNANGSO_LEARNER"] = learner
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


class Learner:
    def __init__(self, base: Path, learner_id: str, exchange: Path):
        self.id = learner_id
        self.home = base / learner_id
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.student_id = {learner_id!r}\n",
            encoding="utf-8",
        )

    def nbgrader(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "nbgrader"), *args],
            cwd=self.home,
            env=env_for(self.home, self.id),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def fetch(self, exam: str) -> Path:
        done = self.nbgrader("fetch_assignment", exam, "--course", "kynangso")
        assert done.returncode == 0, done.stderr
        return self.home / exam / f"{exam}.ipynb"

    def submit(self, exam: str) -> None:
        done = self.nbgrader("submit", exam, "--course", "kynangso")
        assert done.returncode == 0, done.stderr


def _literals(course: Path, exam: str, learner: str, right: bool) -> dict[int, str]:
    """Question number -> the Python literal a learner types in the answer cell, right or (well-formed) wrong."""
    from kynangso.demo.learners import answer_keys, wrong_answer

    answers: dict[int, str] = {}
    for qid, entry in answer_keys(course, exam).items():
        if "keys" not in entry:
            continue
        key: Any = entry["keys"][variant_index(exam, qid, learner, entry["variants"])]["answer"]
        if entry["type"] == "short":
            key = key[0]
        value = key if right else wrong_answer(entry["type"], key)
        # In a notebook a number is typed as a number (the exam room sends text).
        answers[entry["number"]] = repr(float(value) if entry["type"] == "numeric" and not right else value)
    return answers


def correct_answers(course: Path, exam: str, learner: str) -> dict[int, str]:
    """Question number -> the Python literal of the right answer for this learner's variants."""
    return _literals(course, exam, learner, right=True)


def wrong_answers(course: Path, exam: str, learner: str) -> dict[int, str]:
    """Well-formed answers that are all wrong for this learner."""
    return _literals(course, exam, learner, right=False)


def fill(nb_path: Path, answers: dict[int, str], open_text: str = "") -> None:
    """Write answers into the ✍️ cells as a learner would in JupyterLab."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for number, literal in answers.items():
            marker = f"tra_loi_{number} = ..."
            if cell["cell_type"] == "code" and src.endswith(marker):
                cell["source"] = src[: -len(marker)] + f"tra_loi_{number} = {literal}"
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if open_text and grade_id.startswith("open-"):
            cell["source"] = open_text
    nb_path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def cell_by_id(nb: dict[str, Any], grade_id: str) -> dict[str, Any]:
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def solve_practical(course: Path, exam: str, learner: str, folder: Path) -> list[str]:
    """Do every practical task of the exam right, as this learner would in the simulation; returns the files."""
    from kynangso.demo.learners import practical_run, practical_tasks
    from kynangso.exams.graders import transcript_name

    written = []
    for qid, scenario in practical_tasks(course, exam).items():
        doc = practical_run(exam, qid, scenario, learner)
        (folder / transcript_name(qid)).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        written.append(transcript_name(qid))
    return written
