"""Static checks of a lesson's self-checks, without running them.

Catches what an author cannot see: a key that matches no option (a typo when encoding: the question could never
be answered right), an ordering/matching question whose stored order already is the answer, and — the point of
format v2 — an answer a learner can read before answering: the explanation anywhere in the visible notebook
(markdown of any cell, source of any code cell), or the text of a right answer next to the questions (the
"Tự kiểm tra" section and any code cell).
"""

from __future__ import annotations

import re
import unicodedata

from kynangso.lessons import answers
from kynangso.lessons.notebook import SELF_CHECK_SECTION, LessonNotebook, cell_source
from kynangso.lessons.selfcheck import KINDS, Spec, SpecError

_MARKUP = re.compile(r"[*_`>#|]+")
_SPACE = re.compile(r"\s+")
# Where one piece of text ends and another begins: a short answer or option written on its own between these is
# given away ("Đáp án: 34", "(gợi ý: kiểm tra)"), the same words inside a sentence are not ("bấm “Kiểm tra đáp án”").
_SEGMENT = re.compile(r"[\n.,;:!?()\[\]{}“”\"‘’'«»—–=*_`|<>]+|\s-\s")
PHRASE_WORDS = 3  # options this long are looked for inside sentences too


def flat(text: str) -> str:
    """How visible text and answers are compared: NFC, no markdown emphasis, case and spacing ignored."""
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).casefold().strip()


def _contains(haystack: str, needle: str) -> bool:
    needle = flat(needle)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def check_spec(spec: Spec) -> list[str]:
    """Problems of one definition (already schema-valid), as Vietnamese sentences."""
    if spec.kind == "short":
        return []
    if spec.kind == "matching" and len(spec.right) < len(spec.left):
        return ["vế phải ('right') cần ít nhất bằng số mục của vế trái ('left')"]
    try:
        solutions = spec.solutions()
        _candidates, shown = KINDS[spec.kind].candidates(spec)
    except SpecError as exc:
        return [str(exc)]
    if not solutions:
        return ["khóa đáp án không khớp phương án nào (mã hóa nhầm chữ, hoặc nhầm mã câu/loại câu)"]
    if shown is not None and any(s == shown for s in solutions):
        return ["thứ tự lưu trong bài đang chính là đáp án: hãy xáo trộn các mục (lệnh `lessons check` tự xáo trộn)"]
    return []


def _visible(nb: LessonNotebook) -> list[tuple[int, str]]:
    """Every text a learner can read in JupyterLab: markdown cells and code cells' sources."""
    return [
        (i, flat(cell_source(c))) for i, c in enumerate(nb.cells) if c.get("cell_type") in ("markdown", "code", "raw")
    ]


def _near_questions(nb: LessonNotebook) -> list[tuple[int, str, bool]]:
    """Where a right answer must not be written: the "Tự kiểm tra" section and every code cell."""
    section = set(nb.cells_of(SELF_CHECK_SECTION))
    return [
        (i, cell_source(c), c.get("cell_type") == "markdown")
        for i, c in enumerate(nb.cells)
        if c.get("cell_type") == "code" or (i in section and c.get("cell_type") == "markdown")
    ]


def _without_headings(text: str, markdown: bool) -> str:
    """A section's own title gives nothing away; in code, '#' starts a comment, which may."""
    if not markdown:
        return text
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def segments(text: str, markdown: bool = True) -> list[str]:
    """The separate pieces of a text."""
    body = _without_headings(text, markdown)
    return [piece.strip() for piece in _SEGMENT.split(unicodedata.normalize("NFC", body)) if piece.strip()]


def _shows(haystack: str, pieces: set[str], option: str) -> bool:
    if len(option.split()) >= PHRASE_WORDS:
        return _contains(haystack, option)
    return flat(option) in pieces


def _answer_in(spec: Spec, text: str, markdown: bool) -> str | None:
    """What of the right answer ``text`` shows, in words for the author; None when nothing does."""
    body = _without_headings(text, markdown)
    haystack = flat(body)
    pieces = segments(body, markdown=False)
    if spec.kind == "short":
        for piece in pieces:
            if answers.grade(spec.id, "short", piece, spec.keys, spec.accents):
                return f"đáp án được chấp nhận “{piece}”"
        return None
    flat_pieces = {flat(p) for p in pieces}
    for solution in spec.solutions():
        if spec.kind in ("single", "multiple"):
            for option in [solution] if isinstance(solution, str) else solution:
                if _shows(haystack, flat_pieces, option):
                    return f"phương án đúng “{option}”"
        elif spec.kind == "order":
            position = 0
            for step in solution:
                found = haystack.find(flat(step), position)
                if found < 0:
                    break
                position = found + 1
            else:
                return "các bước theo đúng thứ tự"
        elif spec.kind == "matching":
            for line in body.splitlines():
                row = flat(line)
                for left, right in solution.items():
                    if _contains(row, left) and _contains(row, right):
                        return f"cặp đúng “{left}” – “{right}”"
    return None


def leaks(nb: LessonNotebook, specs: list[tuple[int, Spec]]) -> list[tuple[int, str]]:
    """(cell index, message) for each place where a learner could read an answer before answering."""
    found: list[tuple[int, str]] = []
    visible = _visible(nb)
    near = _near_questions(nb)
    for _where, spec in specs:
        explanation = flat(spec.explanation)
        for index, text in visible:
            if explanation and explanation in text:
                found.append(
                    (index, f"ô này chứa lời giải thích của câu '{spec.id}': người học đọc được trước khi trả lời")
                )
        if spec.kind == "true_false":
            continue
        for index, text, markdown in near:
            try:
                shown = _answer_in(spec, text, markdown)
            except SpecError:
                shown = None
            if shown:
                found.append((index, f"ô này để lộ đáp án của câu '{spec.id}' ({shown})"))
    return found
