"""The question bank: one TOML file per exam in ``grading/question_bank/`` (e.g. ``gov-2.toml``).

Loading validates everything and reports *all* problems at once, each naming the file, the question id and the
field, in Vietnamese, so that a trainer who edited a file by hand knows exactly what to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.forms import nfc
from kynangso.exams.qtypes import RubricItem, Variant
from kynangso.exams.skills import DIGCOMP
from kynangso.fronts import FRONTS, LEVELS, all_exams, parse_exam_name
from kynangso.problems import Problem
from kynangso.versions import KEY as SCHEMA_KEY

# A bank file may say which format it is written in (files without the key are version 1).
SCHEMA_VERSION = 1
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
LESSON_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    front: str
    level: int
    points: float
    skill: str
    explanation: str
    variants: tuple[Variant, ...]
    qd757: str = ""
    scenario: str = ""
    rubric: tuple[RubricItem, ...] = ()
    taught_in: tuple[str, ...] = ()  # ids of the lessons that teach what this question asks

    @property
    def kind(self) -> str:
        """The prefix of the question's graded cell in nbgrader (see the exams/certify contract)."""
        return qtypes.get(self.type).cell_prefix

    @property
    def grade_id(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass(frozen=True)
class Exam:
    name: str
    front: str
    level: int
    title: str
    minutes: int
    questions: tuple[Question, ...]
    source: Path = field(compare=False, default=Path())

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)


@dataclass(frozen=True)
class Issue(Problem):
    """A problem of the question bank; ``question`` and ``field`` are the two halves of its ``key``."""

    question: str = ""
    field: str = ""

    @classmethod
    def at(cls, file: str, question: str, fld: str, message: str) -> Issue:
        where = [f"câu '{question}'"] if question else []
        if fld:
            where.append(f"trường '{fld}'")
        return cls(file, ", ".join(where), message, question, fld)


class BankError(ValueError):
    """The question bank has problems; ``issues`` lists every one of them."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("Ngân hàng câu hỏi có lỗi:\n" + "\n".join(f"  • {i}" for i in issues))


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.issues: list[Issue] = []

    def err(self, question: str, fld: str, message: str) -> None:
        self.issues.append(Issue.at(self.file, question, fld, message))

    def text(self, table: dict[str, Any], key: str, qid: str, where: str = "", required: bool = True) -> str:
        value = table.get(key)
        name = f"{where}{key}"
        if value is None:
            if required:
                self.err(qid, name, "thiếu trường này")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.err(qid, name, "phải là một đoạn chữ không rỗng")
            return ""
        return nfc(value.strip())

    def texts(self, table: dict[str, Any], key: str, qid: str, where: str, lo: int, hi: int) -> tuple[str, ...]:
        value = table.get(key)
        name = f"{where}{key}"
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.err(qid, name, "phải là danh sách các đoạn chữ không rỗng")
            return ()
        if not lo <= len(value) <= hi:
            self.err(qid, name, f"cần từ {lo} đến {hi} mục (đang có {len(value)})")
        items = tuple(nfc(v.strip()) for v in value)
        if len(set(items)) != len(items):
            self.err(qid, name, "có hai mục trùng nhau")
        return items


def _variant(ck: _Checker, qtype: str, qid: str, raw: Any, i: int, question: dict[str, Any]) -> Variant | None:
    where = f"variants[{i + 1}]."
    if not isinstance(raw, dict):
        ck.err(qid, f"variants[{i + 1}]", "mỗi phương án phải là một bảng [[questions.variants]]")
        return None
    text = ck.text(raw, "text", qid, where)
    explanation = nfc(str(question.get("explanation", ""))).casefold()
    return qtypes.get(qtype).parse_variant(ck, qid, raw, where, text, explanation)


def _question(ck: _Checker, raw: Any, index: int, front: str, level: int) -> Question | None:
    if not isinstance(raw, dict):
        ck.err(f"#{index + 1}", "", "mỗi câu hỏi phải là một bảng [[questions]]")
        return None
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_RE.match(qid):
        ck.err(
            f"#{index + 1}", "id", "mã câu hỏi phải gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ 'vneid-muc-2'"
        )
        return None
    qtype = raw.get("type")
    if qtype not in qtypes.names():
        ck.err(qid, "type", f"phải là một trong: {', '.join(qtypes.names())}")
        return None
    for key, expected in (("front", front), ("level", level)):
        if key in raw and raw[key] != expected:
            ck.err(qid, key, f"phải là {expected!r} như bài thi chứa câu này (hoặc bỏ trống)")
    points = raw.get("points")
    if isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= 20:
        ck.err(qid, "points", "phải là một số điểm lớn hơn 0 và không quá 20")
        points = 0
    skill = raw.get("skill")
    if skill not in DIGCOMP:
        ck.err(qid, "skill", "phải là mã năng lực DigComp 2.2, ví dụ 'digcomp-4.2' (xem docs/question-bank.md)")
    qd757 = raw.get("qd757", "")
    if not isinstance(qd757, str):
        ck.err(qid, "qd757", "phải là chữ (trích nguyên văn từ phụ lục QĐ 757/QĐ-BKHCN)")
        qd757 = ""
    explanation = ck.text(raw, "explanation", qid)
    raw_variants = raw.get("variants")
    if not isinstance(raw_variants, list) or not raw_variants:
        ck.err(qid, "variants", "cần ít nhất một phương án [[questions.variants]]")
        raw_variants = []
    variants = [_variant(ck, qtype, qid, v, i, raw) for i, v in enumerate(raw_variants)]
    own = qtypes.get(qtype).parse_question(ck, qid, raw, float(points))
    taught_in = raw.get("taught_in", [])
    if not isinstance(taught_in, list) or not all(isinstance(t, str) and LESSON_ID_RE.match(t) for t in taught_in):
        ck.err(qid, "taught_in", 'phải là danh sách mã bài học, ví dụ ["gov-01-vneid"]')
        taught_in = []
    if any(v is None for v in variants):
        return None
    return Question(
        id=qid,
        type=qtype,
        front=front,
        level=level,
        points=float(points),
        skill=str(skill),
        explanation=explanation,
        variants=tuple(v for v in variants if v is not None),
        qd757=nfc(qd757),
        taught_in=tuple(taught_in),
        **own,
    )


def load_exam_file(path: Path, label: str | None = None) -> tuple[Exam | None, list[Issue]]:
    """Parse and validate one exam file; returns the exam (None when unusable) and every issue found."""
    ck = _Checker(label or str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        ck.err("", "", "tệp không phải văn bản UTF-8")
        return None, ck.issues
    except tomllib.TOMLDecodeError as exc:
        ck.err("", "", f"sai cú pháp TOML: {exc}")
        return None, ck.issues
    name = path.stem
    parsed = parse_exam_name(name)
    if parsed is None:
        ck.err(
            "", "", f"tên tệp phải là <mặt trận>-<mức>.toml, ví dụ gov-2.toml (các bài thi: {', '.join(all_exams())})"
        )
        return None, ck.issues
    front, level = parsed
    if data.get("exam", name) != name:
        ck.err("", "exam", f"phải là '{name}' cho khớp tên tệp")
    if data.get(SCHEMA_KEY, SCHEMA_VERSION) != SCHEMA_VERSION:
        ck.err("", SCHEMA_KEY, f"phiên bản định dạng {data[SCHEMA_KEY]!r} chưa hỗ trợ; chỉ hỗ trợ {SCHEMA_VERSION}")
    title = data.get("title") or f"{FRONTS[front].name} — Mức {level}: {LEVELS[level].name}"
    minutes = data.get("minutes", 45)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 180:
        ck.err("", "minutes", "thời gian làm bài (phút) phải là số nguyên từ 5 đến 180")
        minutes = 45
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        ck.err("", "questions", "bài thi cần ít nhất một câu hỏi [[questions]]")
        raw_questions = []
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_questions):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str) and raw_id in seen:
            ck.err(raw_id, "id", "mã câu hỏi bị trùng trong bài thi")
            continue
        if isinstance(raw_id, str):
            seen.add(raw_id)
        q = _question(ck, raw, i, front, level)
        if q is not None:
            questions.append(q)
    exam = Exam(name, front, level, nfc(str(title)), int(minutes), tuple(questions), source=path)
    return (None if ck.issues else exam), ck.issues


def load_bank(folder: Path, require_all: bool = True) -> dict[str, Exam]:
    """Every exam of the bank, validated; raises :class:`BankError` listing all problems."""
    issues: list[Issue] = []
    exams: dict[str, Exam] = {}
    if not folder.is_dir():
        raise BankError([Issue.at(str(folder), "", "", "không tìm thấy thư mục ngân hàng câu hỏi")])
    for path in sorted(folder.glob("*.toml")):
        exam, found = load_exam_file(path, _label(path))
        issues.extend(found)
        if exam is not None:
            exams[exam.name] = exam
    if require_all:
        for name in all_exams():
            if not (folder / f"{name}.toml").exists():
                issues.append(Issue.at(_label(folder / f"{name}.toml"), "", "", "thiếu tệp đề của bài thi này"))
    if issues:
        raise BankError(issues)
    return {name: exams[name] for name in all_exams() if name in exams}


def _label(path: Path) -> str:
    """A short path for messages: relative to the current folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_bank_folder() -> Path:
    """``grading/question_bank`` of the checkout, or the copy shipped inside the package."""
    here = Path(__file__).resolve()
    checkout = here.parents[3] / "grading" / "question_bank"
    if checkout.is_dir():
        return checkout
    return here.parents[1] / "_content" / "grading" / "question_bank"
