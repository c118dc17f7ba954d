"""Autograde every submission of a course, each one bounded in time, so one bad submission never stops the rest.

Each exam's submissions go to a worker process (nbgrader's own autograde, one kernel per submission). When a
submission overruns its time (e.g. an infinite loop that ignores Ctrl-C), the worker and its kernels are killed,
the submission is marked failed with the reason, and a fresh worker carries on with the others.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kynangso.course.course import gradebook, submitted_students, tools_on_path
from kynangso.grade import status as st
from kynangso.grade.limits import TRUNCATED
from kynangso.grade.precheck import check_submission

CRASH_MARKERS = ("DeadKernelError", "Kernel died", "kernel died", "UnresponsiveKernelError")


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for p in [*family]:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    proc.kill()
    proc.wait()
    psutil.wait_procs(family, timeout=10)


def _reader(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _run_worker(
    root: Path,
    jobs: list[str],
    cell_timeout: int,
    submission_timeout: float,
    on_done: Callable[[str, dict[str, Any]], None],
) -> None:
    """Report each job ("exam/student") as it ends: the worker's record, or {"timeout": True} / {"lost": True}."""
    outcome = _Reporter(on_done)
    pending = list(jobs)
    tools_on_path()
    while pending:
        cmd = [sys.executable, "-m", "kynangso.grade.worker", str(root), str(cell_timeout), *pending]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8", cwd=root
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        current: str | None = None
        deadline = time.monotonic() + submission_timeout + 60  # the worker's own start-up
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                _kill_tree(proc)
                if current is not None:
                    outcome[current] = {"timeout": True}
                    pending.remove(current)
                else:  # the worker never started: give up on the rest rather than loop
                    for job in pending:
                        outcome[job] = {"lost": True}
                    pending = []
                break
            if line is None:
                proc.wait()
                if current is not None:  # the worker died in the middle of a submission
                    outcome[current] = {"lost": True}
                    pending.remove(current)
                elif pending:
                    for job in pending:
                        outcome[job] = {"lost": True}
                    pending = []
                break
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "start":
                current = event["job"]
                deadline = time.monotonic() + submission_timeout
            elif event.get("event") == "done":
                outcome[event["job"]] = event
                if event["job"] in pending:
                    pending.remove(event["job"])
                current = None
                deadline = time.monotonic() + 60
        if proc.poll() is None:
            _kill_tree(proc)


class _Reporter(dict[str, dict[str, Any]]):
    """A dict that passes each outcome on as soon as it is known (so the trainer sees progress)."""

    def __init__(self, on_done: Callable[[str, dict[str, Any]], None]):
        super().__init__()
        self.on_done = on_done

    def __setitem__(self, job: str, value: dict[str, Any]) -> None:
        super().__setitem__(job, value)
        self.on_done(job, value)


def _timed_out_cell(nb: dict[str, Any]) -> bool:
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                return True
    return False


def add_rubrics(root: Path, exam: str, student: str) -> None:
    """Show each open question's rubric to the grader in Formgrader, right under the learner's answer."""
    nb_path = root / "autograded" / student / exam / f"{exam}.ipynb"
    keys = json.loads((root / "answer_keys" / f"{exam}.json").read_text(encoding="utf-8"))["questions"]
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("kynangso", {}).get("rubric"):
            continue  # added by an earlier run
        cells.append(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        qid = grade_id.removeprefix("open-")
        if grade_id.startswith("open-") and keys.get(qid, {}).get("rubric"):
            lines = "\n".join(f"- ({r['points']:g} điểm) {r['criterion']}" for r in keys[qid]["rubric"])
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": f"rubric-{qid}"[:64],
                    "metadata": {"kynangso": {"rubric": qid}},
                    "source": f"**📋 Thang chấm câu này (chỉ người chấm thấy):**\n\n{lines}",
                }
            )
    nb["cells"] = cells
    # nbgrader leaves autograded files read-only: replace the file rather than write into it.
    tmp = nb_path.with_name(nb_path.name + ".tmp")
    tmp.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    mode = nb_path.stat().st_mode & 0o777
    os.replace(tmp, nb_path)
    os.chmod(nb_path, mode)


def _judge(root: Path, exam: str, student: str, outcome: dict[str, Any], cell_timeout: int) -> st.Record:
    rec = st.Record(exam, student, st.FAILED)
    if outcome.get("timeout"):
        rec.reason = "Chấm quá thời gian cho phép: bài làm có thể chứa vòng lặp vô hạn hoặc chạy quá lâu."
        return rec
    text = f"{outcome.get('log', '')}\n{outcome.get('error', '')}"
    if "CellTimeoutError" in text:
        rec.reason = f"Có ô chạy quá {cell_timeout} giây (có thể là vòng lặp vô hạn), nên bài không được chấm."
        return rec
    if outcome.get("lost") or any(m in text for m in CRASH_MARKERS):
        rec.reason = (
            "Bài làm đã làm dừng hẳn chương trình chạy bài (ví dụ gọi os._exit hoặc làm sập nhân Python), "
            "nên không chấm được."
        )
        return rec
    if not outcome.get("success"):
        last = [ln for ln in text.strip().splitlines() if ln.strip()][-1:] or ["không rõ"]
        rec.reason = f"Máy chấm gặp lỗi khi chạy bài làm ({last[0][:160]})."
        return rec
    nb_path = root / "autograded" / student / exam / f"{exam}.ipynb"
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rec.reason = "Máy chấm không tạo được bản đã chấm của bài làm."
        return rec
    if _timed_out_cell(nb):
        rec.reason = f"Có ô chạy quá {cell_timeout} giây (có thể là vòng lặp vô hạn), nên bài không được chấm."
        return rec
    add_rubrics(root, exam, student)
    with gradebook(root) as gb:
        sub = gb.find_submission(exam, student)
        rec.score, rec.max_score = float(sub.score), float(sub.max_score)
        rec.status = st.NEEDS_MANUAL if sub.needs_manual_grade else st.GRADED
    rec.reason = "Có câu tự luận chờ người chấm." if rec.status == st.NEEDS_MANUAL else ""
    if TRUNCATED in nb_path.read_text(encoding="utf-8"):
        rec.reason = (
            rec.reason + " " if rec.reason else ""
        ) + "Bài làm in ra quá nhiều nên phần in ra đã được cắt bớt."
    return rec


def grade(
    root: Path,
    exams: list[str],
    students: list[str] | None = None,
    cell_timeout: int = 30,
    submission_timeout: float | None = None,
    progress: Callable[[st.Record], None] | None = None,
) -> list[st.Record]:
    """Grade every submitted (exam, student); returns one record per submission, also saved to disk."""
    limit = submission_timeout or max(120.0, 4.0 * cell_timeout)
    records: list[st.Record] = []
    jobs: list[str] = []
    for exam in exams:
        for student in submitted_students(root, exam):
            if students is not None and student not in students:
                continue
            reason = check_submission(root, exam, student)
            if reason:
                rec = st.Record(exam, student, st.FAILED, reason)
                st.save(root, rec)
                records.append(rec)
                if progress:
                    progress(rec)
            else:
                jobs.append(f"{exam}/{student}")

    def done(job: str, outcome: dict[str, Any]) -> None:
        exam, _, student = job.partition("/")
        rec = _judge(root, exam, student, outcome, cell_timeout)
        st.save(root, rec)
        records.append(rec)
        if progress:
            progress(rec)

    # One worker process for all submissions (its start-up costs seconds); a hung one is replaced.
    if jobs:
        _run_worker(root, jobs, cell_timeout, limit, done)
    return records
