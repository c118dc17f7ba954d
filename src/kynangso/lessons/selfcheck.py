"""Self-checks as data: the definition kept in a hidden code cell's metadata, and the registry of kinds.

A self-check cell shows only ``bai.tu_kiem_tra("c1")``; its question, options, keys (salted hashes, see
``answers``) and explanation live in ``cell.metadata.kynangso.self_check``, so that nothing a learner can read in
the notebook gives the answer away. The lesson runtime builds the widget from that definition; the validator and
the authoring commands read and write it here.

Each kind registers the fields it needs, how to list every possible answer (to check that a key matches an option,
and to find the right answers when looking for leaks) and how to build its widget. Widgets are imported only when
built: the validator runs without ipywidgets.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kynangso.lessons import answers
from kynangso.lessons.notebook import SELF_CHECK_TAG, cell_source, tags

if TYPE_CHECKING:
    from kynangso.lessons.widgets.base import SelfCheck

MAX_OPTIONS = 10  # beyond this, trying every answer takes too long; such a question is too long anyway
MAX_STEPS = 8
CALL = re.compile(r"""^\s*([A-Za-z_]\w*)\.tu_kiem_tra\(\s*["']([^"']*)["']\s*\)\s*$""")
# The v1 way (the whole definition in the visible call); a v2 lesson must not use it.
OLD_CALL = re.compile(r"\.(single_choice|multiple_choice|true_false|order_steps|matching|short_answer)\(")


class SpecError(ValueError):
    """A definition that cannot be used; the message is Vietnamese."""


@dataclass(frozen=True)
class Spec:
    id: str
    kind: str
    question: str
    explanation: str
    options: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    key: str = ""
    keys: tuple[str, ...] = ()
    accents: bool = True

    @classmethod
    def from_dict(cls, data: Any) -> Spec:
        """Read a definition already checked against the schema (``validate``); raise SpecError otherwise."""
        if not isinstance(data, dict):
            raise SpecError("định nghĩa câu tự kiểm tra phải là một đối tượng JSON")
        kind = data.get("kind")
        if kind not in KINDS:
            raise SpecError(f"không có loại câu '{kind}' (có: {', '.join(KINDS)})")
        try:
            texts = {name: tuple(str(x) for x in data.get(name, ())) for name in ("options", "steps", "left", "right")}
            return cls(
                id=str(data["id"]),
                kind=str(kind),
                question=str(data["question"]),
                explanation=str(data.get("explanation", "")),
                key=str(data.get("key", "")),
                keys=tuple(str(k) for k in data.get("keys", ())),
                accents=bool(data.get("accents", True)),
                **texts,
            )
        except (KeyError, TypeError) as exc:
            raise SpecError(f"định nghĩa câu tự kiểm tra thiếu hoặc sai trường {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        """The JSON kept in the cell: only the fields this kind uses, in a fixed order."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "question": self.question}
        for name in KINDS[self.kind].fields:
            out[name] = list(getattr(self, name))
        if self.kind == "short":
            out["keys"] = list(self.keys)
            if not self.accents:
                out["accents"] = False
        else:
            out["key"] = self.key
        out["explanation"] = self.explanation
        return out

    def solutions(self) -> list[Any]:
        """The right answers in plain form (option texts, steps in order, pairs); empty for short answers."""
        if self.kind == "short":
            return []
        candidates, _shown = KINDS[self.kind].candidates(self)
        return [c for c in candidates if answers.encode_answer(self.id, c, self.kind) == self.key]

    def build(self, lesson_id: str | None) -> SelfCheck:
        return KINDS[self.kind].build(self, lesson_id)


@dataclass(frozen=True)
class Kind:
    name: str
    fields: tuple[str, ...]  # the lists of texts this kind shows
    candidates: Callable[[Spec], tuple[list[Any], Any]]  # every possible answer, and the one the source shows
    build: Callable[[Spec, str | None], SelfCheck]
    label: str = ""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def _texts(values: tuple[str, ...], limit: int) -> list[str]:
    if len(values) > limit:
        raise SpecError(f"quá nhiều mục ({len(values)}; tối đa {limit})")
    return [answers.clean(v) for v in values]


def _choice_candidates(spec: Spec) -> tuple[list[Any], Any]:
    opts = _texts(spec.options, MAX_OPTIONS)
    if spec.kind == "single":
        return list(opts), None
    subsets = itertools.chain.from_iterable(itertools.combinations(opts, n) for n in range(1, len(opts) + 1))
    return [list(s) for s in subsets], None


def _order_candidates(spec: Spec) -> tuple[list[Any], Any]:
    steps = _texts(spec.steps, MAX_STEPS)
    return [list(p) for p in itertools.permutations(steps)], steps


def _matching_candidates(spec: Spec) -> tuple[list[Any], Any]:
    left, right = _texts(spec.left, MAX_STEPS), _texts(spec.right, MAX_STEPS)
    pairings = [dict(zip(left, p, strict=False)) for p in itertools.permutations(right, len(left))]
    return pairings, dict(zip(left, right, strict=False))


def _build_single(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import SingleChoice

    return SingleChoice(spec.id, spec.question, spec.options, spec.key, spec.explanation, lesson_id=lesson_id)


def _build_multiple(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import MultipleChoice

    return MultipleChoice(spec.id, spec.question, spec.options, spec.key, spec.explanation, lesson_id=lesson_id)


def _build_true_false(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import TrueFalse

    return TrueFalse(spec.id, spec.question, spec.key, spec.explanation, lesson_id=lesson_id)


def _build_order(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import OrderSteps

    return OrderSteps(spec.id, spec.question, spec.steps, spec.key, spec.explanation, lesson_id=lesson_id)


def _build_matching(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import Matching

    return Matching(spec.id, spec.question, spec.left, spec.right, spec.key, spec.explanation, lesson_id=lesson_id)


def _build_short(spec: Spec, lesson_id: str | None) -> SelfCheck:
    from kynangso.lessons.widgets import ShortAnswer

    return ShortAnswer(spec.id, spec.question, spec.keys, spec.explanation, lesson_id=lesson_id, accents=spec.accents)


register(Kind("single", ("options",), _choice_candidates, _build_single, "một lựa chọn"))
register(Kind("multiple", ("options",), _choice_candidates, _build_multiple, "nhiều lựa chọn"))
register(Kind("true_false", (), lambda _s: ([True, False], None), _build_true_false, "đúng/sai"))
register(Kind("order", ("steps",), _order_candidates, _build_order, "sắp xếp"))
register(Kind("matching", ("left", "right"), _matching_candidates, _build_matching, "ghép đôi"))
register(Kind("short", (), lambda _s: ([], None), _build_short, "trả lời ngắn"))


# Cells ---------------------------------------------------------------------------------------------------------


@dataclass
class CheckCell:
    index: int
    cell: dict[str, Any]
    data: Any = None  # metadata.kynangso.self_check as found (may be malformed)
    called: str | None = None  # the id in the visible call, if the source is one
    problems: list[str] = field(default_factory=list)


def definition(cell: dict[str, Any]) -> Any:
    meta = cell.get("metadata")
    ours = meta.get("kynangso") if isinstance(meta, dict) else None
    return ours.get("self_check") if isinstance(ours, dict) else None


def is_check_cell(cell: dict[str, Any]) -> bool:
    """A cell that is, or tries to be, a self-check: tagged, defined, or calling ``tu_kiem_tra``."""
    return SELF_CHECK_TAG in tags(cell) or definition(cell) is not None or ".tu_kiem_tra(" in cell_source(cell)


def check_cells(cells: list[dict[str, Any]]) -> Iterator[CheckCell]:
    for index, cell in enumerate(cells):
        if is_check_cell(cell):
            match = CALL.match(cell_source(cell))
            yield CheckCell(index, cell, definition(cell), match.group(2) if match else None)


def find(cells: list[dict[str, Any]], check_id: str) -> Spec:
    """The definition of one self-check in a notebook's cells."""
    for found in check_cells(cells):
        if isinstance(found.data, dict) and found.data.get("id") == check_id:
            return Spec.from_dict(found.data)
    raise SpecError(f"bài không có câu tự kiểm tra '{check_id}' (ô mã ẩn có metadata.kynangso.self_check.id)")


def make_cell(spec: Spec, cell_id: str, variable: str = "bai") -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {
            "jupyter": {"source_hidden": True},
            "kynangso": {"self_check": spec.to_dict()},
            "tags": [SELF_CHECK_TAG],
        },
        "outputs": [],
        "source": [f'{variable}.tu_kiem_tra("{spec.id}")'],
    }
