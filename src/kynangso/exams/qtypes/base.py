"""What a question type is: the small protocol each module of this package implements, and the data it parses.

A question type owns everything that differs between kinds of question, from the bank entry to the simulated
learner: parsing and validating its ``[[questions.variants]]``, the key written to ``answer_keys/``, its cells in
the nbgrader source notebook, the public text of a variant, the learner's hint and form check, the comparison with
the key, the exam room's JSON and answer normalisation, and the right and wrong answers of a simulated learner.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


@dataclass(frozen=True)
class Variant:
    text: str
    choices: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    answer: Any = None
    tolerance: float = 0.0
    unit: str = ""


@dataclass(frozen=True)
class RubricItem:
    criterion: str
    points: float
    required: bool = False  # missing a required criterion fails the open answer, whatever the total (policy)


class AnswerError(ValueError):
    """An answer the room cannot keep (Vietnamese, shown to the learner)."""


class AnsweredBy(enum.Enum):
    """Where a learner's answer lives, which decides how it is collected and graded."""

    CELL = "cell"  # a literal in the answer cell (``tra_loi_N = ...``), graded by comparison with the key
    SIMULATION = "simulation"  # the transcript of a simulation, graded by replaying it
    HAND = "hand"  # text graded by a trainer against a rubric


class Checker(Protocol):
    """The question bank's collector of problems (``kynangso.exams.bank``): every message names the field."""

    def err(self, question: str, fld: str, message: str) -> None: ...

    def text(self, table: dict[str, Any], key: str, qid: str, where: str = "", required: bool = True) -> str: ...

    def texts(self, table: dict[str, Any], key: str, qid: str, where: str, lo: int, hi: int) -> tuple[str, ...]: ...


class QuestionType(Protocol):
    name: str  # as written in the bank's ``type = "..."``
    label: str  # shown in the exam notebook's heading, Vietnamese
    cell_prefix: str  # the graded cell's grade_id is ``<cell_prefix>-<question id>`` (exams/certify contract)
    answered_by: AnsweredBy

    # -- the question bank ---------------------------------------------------------------------------------------
    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        """The variant (its ``text`` already read), or None after reporting what is wrong with it."""

    def parse_question(self, ck: Checker, qid: str, raw: dict[str, Any], points: float) -> dict[str, Any]:
        """Fields of :class:`~kynangso.exams.bank.Question` only this type has (``scenario``, ``rubric``)."""

    # -- the exam build ------------------------------------------------------------------------------------------
    def public_variant(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any]:
        """The variant as released to learners in ``de-thi.json`` (no key)."""

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        """The variant's key in ``answer_keys/<exam>.json``; None when the type has none."""

    def cells(self, exam: str, number: int, q: Question) -> list[dict[str, Any]]:
        """The notebook cells after the question's heading and text: where the learner answers, and the grading."""

    # -- the learner's notebook ----------------------------------------------------------------------------------
    def prompt_html(self, v: dict[str, Any]) -> str:
        """What the notebook shows under the question's text (choices, steps, how to write the answer)."""

    def problem(self, value: Any, size: int) -> str | None:
        """What is wrong with the answer's form (never whether it is right), or None."""

    def from_literal(self, value: Any, text: str) -> Any:
        """The value to grade from an answer cell's literal and its text as typed (never executed)."""

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        """Whether a well-formed answer matches the key of the learner's variant."""

    # -- the exam room -------------------------------------------------------------------------------------------
    def room_question(self, item: dict[str, Any]) -> dict[str, Any]:
        """The question as the room's page receives it, from the learner's variant merged into its question."""

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        """The answer as the room keeps it (None clears it); raises :class:`AnswerError` for a wrong form."""

    def literal(self, value: Any) -> str:
        """The Python literal after ``tra_loi_N =`` in the submitted notebook, for a value :meth:`clean` kept."""

    # -- the simulated learner -----------------------------------------------------------------------------------
    def right_answer(self, key: Any) -> Any:
        """The right answer in the room's form, from the key's ``answer``."""

    def wrong_answers(self, right: Any) -> list[Any]:
        """Well-formed answers in the room's form that are wrong; the first is the simulated learner's."""
