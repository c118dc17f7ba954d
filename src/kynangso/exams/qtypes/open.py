"""``open``: a written answer a trainer grades by hand against a rubric; each required criterion gets its own
task cell so that Formgrader records whether it was met. The graded cell is ``open-<id>``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.exams.cells import cell, nbgrader_meta
from kynangso.exams.qtypes.base import AnsweredBy, Checker, RubricItem
from kynangso.exams.qtypes.common import Common, clean_text

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


def criterion_id(qid: str, n: int) -> str:
    """The grade_id of a required criterion of an open question: a task cell the trainer scores on its own."""
    return f"tieu-chi-{qid}-{n}"


def _rubric(ck: Checker, qid: str, raw: dict[str, Any], points: float) -> tuple[RubricItem, ...]:
    raw_rubric = raw.get("rubric")
    if not isinstance(raw_rubric, list) or not raw_rubric:
        ck.err(qid, "rubric", "câu tự luận cần thang chấm: các bảng [[questions.rubric]] có criterion và points")
        return ()
    rubric: list[RubricItem] = []
    for i, item in enumerate(raw_rubric):
        where = f"rubric[{i + 1}]."
        if not isinstance(item, dict):
            ck.err(qid, f"rubric[{i + 1}]", "phải là một bảng có criterion và points")
            continue
        crit = ck.text(item, "criterion", qid, where)
        pts = item.get("points")
        if isinstance(pts, bool) or not isinstance(pts, int | float) or pts <= 0:
            ck.err(qid, where + "points", "phải là số điểm lớn hơn 0")
            continue
        required = item.get("required", False)
        if not isinstance(required, bool):
            ck.err(qid, where + "required", "phải là true hoặc false")
            required = False
        rubric.append(RubricItem(crit, float(pts), required))
    total = sum(r.points for r in rubric)
    if rubric and points and abs(total - float(points)) > 1e-9:
        ck.err(qid, "rubric", f"tổng điểm thang chấm ({total:g}) phải bằng points ({float(points):g})")
    return tuple(rubric)


class Open(Common):
    name = "open"
    label = "tự luận, người chấm chấm tay"
    cell_prefix = "open"
    answered_by = AnsweredBy.HAND
    limit = 8000  # characters the room keeps

    def parse_question(self, ck: Checker, qid: str, raw: dict[str, Any], points: float) -> dict[str, Any]:
        return {"rubric": _rubric(ck, qid, raw, points)}

    def cells(self, exam: str, number: int, q: Question) -> list[dict[str, Any]]:
        """The learner's answer (graded by hand for the criteria that are not required), then one task cell per
        required criterion."""
        required = [(n, r) for n, r in enumerate(q.rubric, start=1) if r.required]
        rest = q.points - sum(r.points for _, r in required)
        graded = rest > 1e-9
        rubric = "\n".join(f"- ({r.points:g} điểm) {r.criterion}" for r in q.rubric)
        text = (
            f"✍️ **Câu trả lời câu {number}** — bấm đúp vào ô này để viết, xong nhấn Shift + Enter.\n\n"
            "### BEGIN SOLUTION\n"
            "Viết câu trả lời của anh/chị vào đây.\n"
            "### END SOLUTION"
        )
        if graded:  # nbgrader allows a hidden region only in a graded cell; graders also see the rubric in Formgrader
            text += (
                f"\n\n### BEGIN HIDDEN TESTS\n**Thang chấm (chỉ người chấm thấy):**\n\n{rubric}\n### END HIDDEN TESTS"
            )
        meta = nbgrader_meta(q.grade_id, grade=graded, solution=True, points=rest if graded else None)
        cells = [cell("markdown", q.grade_id, text, meta)]
        for n, r in required:
            task = {
                "grade": False,
                "grade_id": criterion_id(q.id, n),
                "locked": True,
                "points": r.points,
                "schema_version": 3,
                "solution": False,
                "task": True,
            }
            note = (
                f"🔒 Ô dành cho giảng viên: chấm một tiêu chí bắt buộc của câu {number} ({r.points:g} điểm). "
                "Anh/chị không cần sửa ô này.\n\n"
                f"### BEGIN MARK SCHEME\n**Tiêu chí bắt buộc:** {r.criterion}\n### END MARK SCHEME"
            )
            cells.append(cell("markdown", criterion_id(q.id, n), note, task))
        return cells

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        return clean_text(value, self.limit)

    def right_answer(self, key: Any) -> Any:
        """An answer written to ``key``, the rubric: it says something about every criterion (a trainer grades it)."""
        return "\n".join(f"- {item['criterion']}" for item in key)

    def wrong_answers(self, right: Any) -> list[Any]:
        return ["không biết"]
