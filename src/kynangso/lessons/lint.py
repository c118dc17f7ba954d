"""Static checks of the self-checks written in a lesson's code cells, without running them.

Catches what an author cannot see: an answer written in plain text instead of a key, a key that matches no
option (a typo when encoding: the question could never be answered right), or an ordering/matching question
whose source already shows the right answer.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from typing import Any

from kynangso.lessons import answers

MAX_OPTIONS = 10  # beyond this, trying every answer takes too long; such a question is too long anyway
MAX_STEPS = 8

# method -> (kind, names of its positional parameters after check_id)
SIGNATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "single_choice": ("single", ("question", "options", "key", "explanation")),
    "multiple_choice": ("multiple", ("question", "options", "key", "explanation")),
    "true_false": ("true_false", ("statement", "key", "explanation")),
    "order_steps": ("order", ("question", "steps", "key", "explanation")),
    "matching": ("matching", ("question", "left", "right", "key", "explanation")),
    "short_answer": ("short", ("question", "keys", "explanation", "accents")),
}


def _calls(tree: ast.AST) -> Iterator[tuple[str, dict[str, Any]]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        if name not in SIGNATURES:
            continue
        args: dict[str, Any] = {}
        params = ("check_id", *SIGNATURES[name][1])
        for param, value in [*zip(params, node.args, strict=False), *((k.arg, k.value) for k in node.keywords)]:
            try:
                args[str(param)] = ast.literal_eval(value)
            except ValueError:
                args[str(param)] = _NOT_LITERAL
        yield name, args


_NOT_LITERAL = object()


def check_source(source: str) -> list[str]:
    """Problems with the self-checks in one code cell, as Vietnamese sentences."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"mã Python lỗi cú pháp ở dòng {exc.lineno}: {exc.msg}"]
    problems = []
    for name, args in _calls(tree):
        check_id = args.get("check_id")
        if not isinstance(check_id, str):
            continue
        kind = SIGNATURES[name][0]
        problems += [f"câu '{check_id}': {msg}" for msg in _check_one(kind, check_id, args)]
    return problems


def check_ids(sources: list[str]) -> list[str]:
    """Check ids must be unique in a lesson, or two questions would share one line of progress."""
    seen: set[str] = set()
    dupes: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for _name, args in _calls(tree):
            cid = args.get("check_id")
            if isinstance(cid, str):
                if cid in seen:
                    dupes.append(f"mã câu tự kiểm tra '{cid}' bị dùng hai lần")
                seen.add(cid)
    return dupes


def _check_one(kind: str, check_id: str, args: dict[str, Any]) -> list[str]:
    if kind == "short":
        keys = args.get("keys")
        if isinstance(keys, list | tuple) and not all(answers.is_key(k) for k in keys):
            return ["'keys' phải là các khóa 'kns1-…' (dùng kynangso lessons encode), không phải đáp án viết thẳng"]
        return []
    key = args.get("key")
    if key is _NOT_LITERAL or key is None:
        return []
    if not answers.is_key(key):
        return ["'key' phải là khóa 'kns1-…' (dùng kynangso lessons encode), không phải đáp án viết thẳng"]
    try:
        candidates, shown = _candidates(kind, args)
    except _Skip:
        return []
    hits = [c for c in candidates if answers.encode_answer(check_id, c, kind) == key]
    if not hits:
        return ["khóa đáp án không khớp phương án nào (mã hóa nhầm chữ, hoặc nhầm mã câu/loại câu)"]
    if shown is not None and any(h == shown for h in hits):
        return ["thứ tự viết trong bài đang chính là đáp án: hãy xáo trộn các mục"]
    return []


class _Skip(Exception):
    pass


def _texts(value: Any, limit: int) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value) or len(value) > limit:
        raise _Skip
    return [answers.clean(v) for v in value]


def _candidates(kind: str, args: dict[str, Any]) -> tuple[list[Any], Any]:
    if kind == "true_false":
        return [True, False], None
    if kind == "single":
        return list(_texts(args.get("options"), MAX_OPTIONS)), None
    if kind == "multiple":
        opts = _texts(args.get("options"), MAX_OPTIONS)
        subsets = itertools.chain.from_iterable(itertools.combinations(opts, n) for n in range(1, len(opts) + 1))
        return [list(s) for s in subsets], None
    if kind == "order":
        steps = _texts(args.get("steps"), MAX_STEPS)
        return [list(p) for p in itertools.permutations(steps)], steps
    if kind == "matching":
        left = _texts(args.get("left"), MAX_STEPS)
        right = _texts(args.get("right"), MAX_STEPS)
        pairings = [dict(zip(left, p, strict=False)) for p in itertools.permutations(right, len(left))]
        return pairings, dict(zip(left, right, strict=False))
    raise _Skip
