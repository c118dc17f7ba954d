"""One learner's paper: their own variant of each question, as public data only, and the answers they give.

Everything here comes from the *released* exam folder (``release/<exam>/``: the student notebook and the public
question file); the answer keys are never opened, so they cannot reach a browser.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from kynangso.exams.answers import LETTERS, parse_number
from kynangso.exams.build import PUBLIC_FILE
from kynangso.exams.variants import variant_index

# The only fields of a question a browser ever receives.
SENT_FIELDS = ("number", "id", "type", "points", "text", "choices", "steps", "unit", "scenario")
LIMITS = {"numeric": 40, "short": 200, "open": 8000}


class RoomError(RuntimeError):
    """A problem the trainer must fix (Vietnamese; names the file and the key)."""


class AnswerError(ValueError):
    """An answer the room cannot keep (Vietnamese, shown to the learner)."""


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
        v = variants[variant_index(exam, q["id"], learner, len(variants))]
        item = {**{k: q[k] for k in ("number", "id", "type", "points", "scenario") if k in q}, **v}
        questions.append({k: item[k] for k in SENT_FIELDS if k in item})
    return {"exam": exam, "title": data.get("title", exam), "minutes": data.get("minutes"), "questions": questions}


def clean(question: dict[str, Any], value: Any) -> Any:
    """The answer as the room keeps it, or None to clear it; raises AnswerError when it has the wrong form."""
    kind = question["type"]
    if value is None or value == "" or value == []:
        return None
    if kind == "single":
        letters = LETTERS[: len(question.get("choices", []))]
        if not (isinstance(value, str) and len(value) == 1 and value in letters):
            raise AnswerError("Hãy chọn một trong các đáp án.")
        return value
    if kind == "multiple":
        letters = LETTERS[: len(question.get("choices", []))]
        if not (isinstance(value, list) and all(isinstance(x, str) and x in letters for x in value)):
            raise AnswerError("Hãy chọn trong các đáp án.")
        return sorted(set(value))
    if kind == "order":
        size = len(question.get("steps", []))
        if not (
            isinstance(value, list) and all(type(x) is int for x in value) and sorted(value) == list(range(1, size + 1))
        ):
            raise AnswerError("Thứ tự các bước không hợp lệ; anh/chị hãy tải lại trang.")
        return value
    if kind in LIMITS:
        if not isinstance(value, str):
            raise AnswerError("Câu trả lời phải là chữ.")
        # Some phone keyboards send decomposed Vietnamese letters; the course keeps text in NFC.
        value = unicodedata.normalize("NFC", value)
        if len(value) > LIMITS[kind]:
            raise AnswerError(f"Câu trả lời dài quá {LIMITS[kind]} ký tự.")
        if kind == "numeric" and parse_number(value) is None:
            raise AnswerError("Hãy nhập một con số, viết liền, ví dụ 150000.")
        return value
    raise AnswerError("Câu này không trả lời bằng ô nhập.")


def literal(kind: str, value: Any) -> str:
    """The Python literal written after ``tra_loi_N =`` in the notebook (only values :func:`clean` accepted)."""
    if kind == "numeric":
        number = parse_number(value)
        if number is None:
            return repr(str(value))
        return repr(int(number)) if number.is_integer() else repr(number)
    if kind == "order":
        return repr([int(x) for x in value])
    if kind == "multiple":
        return repr([str(x) for x in value])
    return repr(str(value))


def is_answered(question: dict[str, Any], answers: dict[str, Any], practical: dict[str, Any]) -> bool:
    if question["type"] == "practical":
        return bool(practical.get(question["id"], {}).get("entries"))
    return answers.get(question["id"]) not in (None, "", [])
