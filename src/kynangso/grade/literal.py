"""Read an exam answer cell as data: ``tra_loi_N = <literal>``, checked with :mod:`ast`, never executed.

An answer cell of a Kỹ Năng Số exam may hold comments and exactly one statement that assigns a literal (a string,
a number, a list of them, or ``...`` when unanswered) to its own variable. Anything else — an import, a call, a
name, an attribute, a second statement — is code: the cell is *rejected* with a reason in Vietnamese and the
question waits for a trainer, whatever the code would have done.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from kynangso.exams import qtypes

# Longer than any real answer; it also bounds what the parser has to chew on.
MAX_SOURCE = 20_000
MAX_ITEMS = 50


@dataclass(frozen=True)
class Answer:
    """A well-formed answer cell: the literal's value and its text as the learner typed it."""

    value: Any
    text: str

    @property
    def unanswered(self) -> bool:
        return self.value is ...


@dataclass(frozen=True)
class Rejected:
    """An answer cell that is not just an answer; ``reason`` says why, in Vietnamese, naming the question."""

    reason: str


def _is_flat_literal(node: ast.expr) -> bool:
    """Strings, numbers (with a sign), ``...``, and lists or tuples of strings and numbers."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, int | float)
    if isinstance(node, ast.List | ast.Tuple):
        return len(node.elts) <= MAX_ITEMS and all(
            _is_flat_literal(e) and not isinstance(e, ast.List | ast.Tuple) for e in node.elts
        )
    return False


def read_answer(source: str, number: int) -> Answer | Rejected:
    """The answer held by the answer cell of question ``number``, or why the cell cannot count as one."""
    var = f"tra_loi_{number}"
    code = f"ô trả lời câu {number} có mã lệnh, không chỉ là câu trả lời"
    if len(source) > MAX_SOURCE:
        return Rejected(f"{code} (ô dài bất thường: {len(source)} ký tự)")
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return Rejected(
            f"ô trả lời câu {number} viết sai cú pháp, máy không đọc được câu trả lời "
            f"(cần đúng một dòng {var} = câu trả lời)"
        )
    statements = tree.body
    if not statements:
        return Rejected(f"ô trả lời câu {number} đã bị xóa dòng {var} = …")
    if len(statements) > 1:
        return Rejected(f"{code} ({len(statements)} câu lệnh; chỉ được có một dòng {var} = …)")
    stmt = statements[0]
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
        return Rejected(code)
    if stmt.targets[0].id != var:
        return Rejected(f"ô trả lời câu {number} phải giữ nguyên tên {var} ở bên trái dấu =")
    if not _is_flat_literal(stmt.value):
        return Rejected(code)
    try:
        value = ast.literal_eval(stmt.value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return Rejected(code)
    text = ast.get_source_segment(source, stmt.value) or ""
    return Answer(value, text)


def as_typed(answer: Answer, qtype: str) -> Any:
    """The value to grade, as the question type reads the literal and its text (e.g. a numeric answer typed with
    the Vietnamese decimal comma, ``0,5``, is Python's tuple ``(0, 5)`` but means the number). Only the already
    evaluated literal and its source text reach the type: nothing is executed."""
    return qtypes.get(qtype).from_literal(answer.value, answer.text)
