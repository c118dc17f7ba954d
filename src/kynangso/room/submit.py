"""Write a learner's answers as a standard nbgrader submission: ``submitted/<learner>/<exam>/``.

The folder holds what ``nbgrader collect`` would have put there: every file of the released exam, the notebook
with the answer cells filled in (``tra_loi_N = ...`` becomes the learner's answer; the open answer replaces the
stub of its cell), one transcript per practical task and ``timestamp.txt`` in nbgrader's format. It is built in a
scratch folder and renamed into place; an earlier submission is first moved, whole, into the room's history.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.graders import transcript_name
from kynangso.room import ROOM_DIR
from kynangso.room.paper import RoomError, literal

# nbgrader's Exchange.timestamp_format with Exchange.timezone "UTC" (its defaults).
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
STUB = "Viết câu trả lời của anh/chị vào đây."


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def fill_notebook(nb: dict[str, Any], paper: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The released notebook with this learner's answers written in."""
    by_id = {q["id"]: q for q in paper["questions"]}
    # Answers graded by hand are written into the question's graded (markdown) cell.
    by_hand = {
        f"{kind.cell_prefix}-{q['id']}": q["id"]
        for q in paper["questions"]
        if (kind := qtypes.get(q["type"])).answered_by is qtypes.AnsweredBy.HAND
    }
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        qid = meta.get("kynangso", {}).get("answer")
        if cell["cell_type"] == "code" and qid in by_id and answers.get(qid) is not None:
            q = by_id[qid]
            var = f"tra_loi_{q['number']}"
            src = _source(cell)
            value = f"{var} = {literal(q['type'], answers[qid])}"
            new, count = re.subn(rf"(?m)^{var} = \.\.\.$", value.replace("\\", "\\\\"), src)
            if count != 1:
                raise RoomError(f"bài thi {paper['exam']}: ô trả lời câu {q['number']} không còn dòng “{var} = ...”")
            cell["source"] = new
        grade_id = meta.get("nbgrader", {}).get("grade_id", "")
        if cell["cell_type"] == "markdown" and grade_id in by_hand:
            text = answers.get(by_hand[grade_id])
            if text:
                src = _source(cell)
                cell["source"] = src.replace(STUB, text) if STUB in src else f"{src}\n\n{text}"
    return nb


def receipt_code(notebook_bytes: bytes, stamp: str) -> str:
    digest = hashlib.sha256(notebook_bytes + stamp.encode()).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"{code[:4]}-{code[4:]}"


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_submission(
    course: Path,
    exam: str,
    learner: str,
    paper: dict[str, Any],
    answers: dict[str, Any],
    transcripts: dict[str, dict[str, Any]],
    now: datetime | None = None,
) -> dict[str, str]:
    """Write the submission; returns ``{"receipt", "timestamp", "history"}`` (history: where the previous one went)."""
    released = course / "release" / exam
    if not (released / f"{exam}.ipynb").is_file():
        raise RoomError(f"{released / (exam + '.ipynb')}: không có bản phát của bài thi {exam}")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(TIMESTAMP_FORMAT)
    scratch = course / ROOM_DIR / "tmp" / f"{learner}-{exam}-{secrets.token_hex(4)}"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(released, scratch)
    try:
        nb_path = scratch / f"{exam}.ipynb"
        nb = fill_notebook(json.loads(nb_path.read_text(encoding="utf-8")), paper, answers)
        data = (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        _write(nb_path, data)
        for qid, document in transcripts.items():
            _write(scratch / transcript_name(qid), (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode())
        _write(scratch / "timestamp.txt", stamp.encode())
        receipt = receipt_code(data, stamp)
        target = course / "submitted" / learner / exam
        target.parent.mkdir(parents=True, exist_ok=True)
        history = ""
        if target.exists():
            keep = course / ROOM_DIR / "history" / learner / exam / _folder_name(target)
            keep.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, keep)
            history = str(keep)
        os.replace(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return {"receipt": receipt, "timestamp": stamp, "history": history}


def _folder_name(submission: Path) -> str:
    """A history folder named after the earlier submission's own timestamp (unique with a suffix if needed)."""
    try:
        stamp = (submission / "timestamp.txt").read_text(encoding="utf-8").strip()
    except OSError:
        stamp = datetime.now(UTC).strftime(TIMESTAMP_FORMAT)
    base = re.sub(r"[^0-9A-Za-z]+", "-", stamp).strip("-")
    name, n = base, 1
    while (submission.parents[2] / ROOM_DIR / "history" / submission.parent.name / submission.name / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
