"""Writing lessons without hand-editing JSON: adding, updating or removing a self-check (its hidden cell, with the
answer hashed and steps shuffled). The skeleton of a new lesson is in ``newlesson``.

Notebooks are written the way JupyterLab writes them (nbformat 4.5, one-space indent, sorted keys, source as a
list of lines), atomically, so that a diff shows only what changed and a crash never leaves half a file.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.lessons import answers
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.notebook import SELF_CHECK_SECTION
from kynangso.lessons.selfcheck import Spec, check_cells, make_cell

FILE_NAME = re.compile(r"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
_START = re.compile(r"([A-Za-z_]\w*)\s*=\s*start_lesson\(")
TRUE_WORDS = {"đúng": True, "dung": True, "true": True, "sai": False, "false": False}


class AuthoringError(ValueError):
    """Something the author asked for that cannot be done; the message is Vietnamese."""


# Writing notebooks ---------------------------------------------------------------------------------------------


def _lines(source: Any) -> list[str]:
    text = "".join(source) if isinstance(source, list) else str(source)
    return text.splitlines(keepends=True)


def dumps(raw: dict[str, Any]) -> str:
    for cell in raw.get("cells", []):
        cell["source"] = _lines(cell.get("source", ""))
    return json.dumps(raw, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_notebook(path: Path, raw: dict[str, Any]) -> None:
    atomic.write_text(path, dumps(raw))


# Self-checks ---------------------------------------------------------------------------------------------------


def _number(value: str, options: Sequence[str], what: str) -> int:
    text = value.strip()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return int(text) - 1
    cleaned = [answers.clean(o) for o in options]
    if answers.clean(text) in cleaned:
        return cleaned.index(answers.clean(text))
    raise AuthoringError(f"{what} '{value}': ghi số thứ tự của phương án (1 đến {len(options)}) hoặc đúng chữ của nó")


def _shuffled(items: list[str], seed: str, forbidden: list[str]) -> list[str]:
    """A fixed (reproducible) shuffle that is never the order that gives the answer away."""
    rng = random.Random(seed)
    order = list(items)
    for _ in range(100):
        rng.shuffle(order)
        if order[: len(forbidden)] != forbidden:
            return order
    return order[1:] + order[:1]


@dataclass
class CheckRequest:
    """What `kynangso lessons check` was given; ``spec()`` turns it into a definition with hashed answers."""

    check_id: str
    kind: str
    question: str
    explanation: str
    options: Sequence[str] = ()
    answers: Sequence[str] = ()
    steps: Sequence[str] = ()  # in the RIGHT order; stored shuffled
    pairs: Sequence[str] = ()  # "left=right", the right pairs; the right side is stored shuffled
    extras: Sequence[str] = ()  # matching: more right-hand items that match nothing
    accents: bool = True

    def spec(self) -> Spec:
        base = {"id": self.check_id, "kind": self.kind, "question": self.question, "explanation": self.explanation}
        build = _BUILDERS.get(self.kind)
        if build is None:
            raise AuthoringError(f"không có loại câu '{self.kind}'")
        try:
            return build(self, base)
        except answers.AnswerError as exc:
            raise AuthoringError(str(exc)) from exc

    def _needs(self, **given: Sequence[str]) -> None:
        for flag, values in given.items():
            if not values:
                raise AuthoringError(f"câu loại '{self.kind}' cần --{flag.replace('_', '-')}")


def _single(req: CheckRequest, base: dict[str, Any]) -> Spec:
    req._needs(option=req.options, answer=req.answers)
    if len(req.answers) != 1:
        raise AuthoringError("câu một lựa chọn cần đúng một --answer")
    right = req.options[_number(req.answers[0], req.options, "--answer")]
    return Spec(**base, options=tuple(req.options), key=answers.encode_answer(req.check_id, right, "single"))


def _multiple(req: CheckRequest, base: dict[str, Any]) -> Spec:
    req._needs(option=req.options, answer=req.answers)
    picked = [p for a in req.answers for p in a.split(",") if p.strip()]
    right = [req.options[_number(p, req.options, "--answer")] for p in picked]
    key = answers.encode_answer(req.check_id, right, "multiple")
    return Spec(**base, options=tuple(req.options), key=key)


def _true_false(req: CheckRequest, base: dict[str, Any]) -> Spec:
    word = req.answers[0].strip().casefold() if len(req.answers) == 1 else ""
    if word not in TRUE_WORDS:
        raise AuthoringError("câu đúng/sai cần --answer dung hoặc --answer sai")
    return Spec(**base, key=answers.encode_answer(req.check_id, TRUE_WORDS[word], "true_false"))


def _order(req: CheckRequest, base: dict[str, Any]) -> Spec:
    req._needs(step=req.steps)
    steps = [answers.clean(s) for s in req.steps]
    key = answers.encode_answer(req.check_id, steps, "order")
    shown = _shuffled(steps, req.check_id, steps)
    return Spec(**base, steps=tuple(shown), key=key)


def _matching(req: CheckRequest, base: dict[str, Any]) -> Spec:
    req._needs(pair=req.pairs)
    split = [p.split("=", 1) for p in req.pairs]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in split):
        raise AuthoringError("mỗi --pair viết dạng 'vế trái=vế phải'")
    left = [answers.clean(a) for a, _ in split]
    rights = [answers.clean(b) for _, b in split]
    key = answers.encode_answer(req.check_id, dict(zip(left, rights, strict=True)), "matching")
    shown = _shuffled([*rights, *(answers.clean(e) for e in req.extras)], req.check_id, rights)
    return Spec(**base, left=tuple(left), right=tuple(shown), key=key)


def _short(req: CheckRequest, base: dict[str, Any]) -> Spec:
    req._needs(answer=req.answers)
    keys = tuple(dict.fromkeys(answers.encode_answer(req.check_id, a, "short", req.accents) for a in req.answers))
    return Spec(**base, keys=keys, accents=req.accents)


_BUILDERS = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "order": _order,
    "matching": _matching,
    "short": _short,
}


def _read(path: Path) -> dict[str, Any]:
    nb = nbmod.read(path)  # clear errors for a file that is not a notebook
    return nb.raw


def _variable(raw: dict[str, Any]) -> str:
    for cell in raw["cells"]:
        if cell.get("cell_type") == "code":
            match = _START.search(nbmod.cell_source(cell))
            if match:
                return match.group(1)
    return "bai"


def _unique_id(raw: dict[str, Any], wanted: str) -> str:
    taken = {c.get("id") for c in raw["cells"]}
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def upsert_check(path: Path, spec: Spec) -> str:
    """Add the self-check at the end of "Tự kiểm tra", or update the one with the same id; 'added' or 'updated'."""
    raw = _read(path)
    variable = _variable(raw)
    for found in check_cells(raw["cells"]):
        if isinstance(found.data, dict) and found.data.get("id") == spec.id:
            fresh = make_cell(spec, str(found.cell.get("id") or _unique_id(raw, f"tu-kiem-tra-{spec.id}")), variable)
            raw["cells"][found.index] = fresh
            write_notebook(path, raw)
            return "updated"
    nb = nbmod.read(path)
    section = nb.cells_of(SELF_CHECK_SECTION)
    if not section:
        raise AuthoringError(f"{path}: không thấy mục '## {SELF_CHECK_SECTION}' (tiêu đề phải ở một ô riêng)")
    raw["cells"].insert(max(section) + 1, make_cell(spec, _unique_id(raw, f"tu-kiem-tra-{spec.id}"), variable))
    write_notebook(path, raw)
    return "added"


def remove_check(path: Path, check_id: str) -> None:
    raw = _read(path)
    for found in check_cells(raw["cells"]):
        if isinstance(found.data, dict) and found.data.get("id") == check_id:
            del raw["cells"][found.index]
            write_notebook(path, raw)
            return
    raise AuthoringError(f"{path}: không có câu tự kiểm tra '{check_id}'")


def list_checks(path: Path) -> list[tuple[str, str, str]]:
    """(id, kind, question) of each self-check, for a trainer who cannot see the hidden cells' metadata."""
    raw = _read(path)
    return [
        (str(f.data.get("id")), str(f.data.get("kind")), str(f.data.get("question")))
        for f in check_cells(raw["cells"])
        if isinstance(f.data, dict)
    ]
