"""One learner's paper: their own variant of each question, as public data only, and the answers they give.

Everything here comes from the *released* exam folder (``release/<exam>/``: the student notebook and the public
question file); the answer keys are never opened, so they cannot reach a browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.build import PUBLIC_FILE
from kynangso.exams.qtypes import AnsweredBy, AnswerError
from kynangso.exams.variants import variant_index

__all__ = ["AnswerError", "RoomError", "clean", "is_answered", "literal", "paper", "public_data", "released"]


class RoomError(RuntimeError):
    """A problem the trainer must fix (Vietnamese; names the file and the key)."""


def released(course: Path) -> list[str]:
    """Exams generated for learners (``nbgrader generate_assignment``), sorted."""
    folder = course / "release"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.ipynb").is_file() and (p / PUBLIC_FILE).is_file())


def public_data(course: Path, exam: str) -> dict[str, Any]:
    path = course / "release" / exam / PUBLIC_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RoomError(
            f"{path}: chưa có bài thi {exam} bản phát cho học viên; chạy “kynangso exam release {exam}” trước"
        ) from None
    except (OSError, ValueError) as exc:
        raise RoomError(f"{path}: không đọc được đề thi ({exc})") from None
    if not isinstance(data.get("questions"), list):
        raise RoomError(f"{path}: questions: cần một danh sách câu hỏi")
    return data


def paper(course: Path, exam: str, learner: str) -> dict[str, Any]:
    """The learner's own paper: title, minutes and each question with only the variant they were given."""
    data = public_data(course, exam)
    questions = []
    for q in data["questions"]:
        variants = q.get("variants") or []
        if not variants:
            raise RoomError(f"{course / 'release' / exam / PUBLIC_FILE}: questions.{q.get('id')}.variants: trống")
        try:
            qtype = qtypes.get(q.get("type"))
        except qtypes.UnknownQuestionType as exc:
            raise RoomError(f"{course / 'release' / exam / PUBLIC_FILE}: questions.{q.get('id')}.type: {exc}") from None
        v = variants[variant_index(exam, q["id"], learner, len(variants))]
        item = {**{k: q[k] for k in ("number", "id", "type", "points", "scenario") if k in q}, **v}
        # Each type names the only fields of its questions a browser ever receives.
        questions.append(qtype.room_question(item))
    return {"exam": exam, "title": data.get("title", exam), "minutes": data.get("minutes"), "questions": questions}


def clean(question: dict[str, Any], value: Any) -> Any:
    """The answer as the room keeps it, or None to clear it; raises AnswerError when it has the wrong form."""
    return qtypes.get(question["type"]).clean(question, value)


def literal(kind: str, value: Any) -> str:
    """The Python literal written after ``tra_loi_N =`` in the notebook (only values :func:`clean` accepted)."""
    return qtypes.get(kind).literal(value)


def takes_answer(question: dict[str, Any]) -> bool:
    """Whether the learner answers the question in the room's answer box (not on a simulation)."""
    return qtypes.get(question["type"]).answered_by is not AnsweredBy.SIMULATION


def is_answered(question: dict[str, Any], answers: dict[str, Any], practical: dict[str, Any]) -> bool:
    if not takes_answer(question):
        return bool(practical.get(question["id"], {}).get("entries"))
    return answers.get(question["id"]) not in (None, "", [])
