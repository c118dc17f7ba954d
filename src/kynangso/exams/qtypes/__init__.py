"""The registry of question types (papermill's engine registry is the model): ``register``, ``get``, ``names``.

Each type lives in its own module and is registered here, in the order the question bank's documentation and
messages list them. Code outside this package never compares a type's name: it asks ``get(name)`` for the type
and calls it. To add a type, see "How to add a question type" in ``docs/question-bank.md``.
"""

from __future__ import annotations

from kynangso.exams.qtypes.base import AnsweredBy, AnswerError, QuestionType, RubricItem, Variant
from kynangso.exams.qtypes.multiple import Multiple
from kynangso.exams.qtypes.numeric import Numeric
from kynangso.exams.qtypes.open import Open
from kynangso.exams.qtypes.order import Order
from kynangso.exams.qtypes.practical import Practical
from kynangso.exams.qtypes.short import Short
from kynangso.exams.qtypes.single import Single

__all__ = [
    "AnswerError",
    "AnsweredBy",
    "QuestionType",
    "RubricItem",
    "UnknownQuestionType",
    "Variant",
    "get",
    "names",
    "register",
]


class UnknownQuestionType(LookupError):
    """No question type is registered under this name."""


_registry: dict[str, QuestionType] = {}


def register(name: str, impl: QuestionType) -> None:
    """Make ``impl`` the question type called ``name`` (a later registration under the same name replaces it)."""
    if impl.name != name:
        raise ValueError(f"question type {impl.name!r} registered under another name, {name!r}")
    _registry[name] = impl


def get(name: str) -> QuestionType:
    """The question type called ``name``; :class:`UnknownQuestionType` names the known ones otherwise."""
    try:
        return _registry[name]
    except (KeyError, TypeError):
        raise UnknownQuestionType(
            f"không có loại câu hỏi {name!r}; các loại đã đăng ký: {', '.join(names())}"
        ) from None


def names() -> tuple[str, ...]:
    """Every registered type's name, in registration order."""
    return tuple(_registry)


for _impl in (Single(), Multiple(), Order(), Numeric(), Short(), Practical(), Open()):
    register(_impl.name, _impl)
