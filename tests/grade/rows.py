"""Every row nbgrader's gradebook holds about submissions, keyed by names instead of random ids, so that two
gradebooks graded two ways can be compared row for row."""

from __future__ import annotations

from typing import Any


def gradebook_rows(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    from nbgrader.api import Gradebook

    rows: dict[str, list[tuple[Any, ...]]] = {
        "course": [],
        "student": [],
        "submission": [],
        "notebook": [],
        "grade": [],
        "comment": [],
    }
    with Gradebook(db_url) as gb:
        from nbgrader.api import Course

        rows["course"] = sorted((c.id,) for c in gb.db.query(Course).all())
        for s in gb.students:
            rows["student"].append((s.id, s.first_name, s.last_name, s.email, s.lms_user_id))
        for a in gb.assignments:
            for sub in a.submissions:
                who = (a.name, sub.student.id)
                rows["submission"].append((*who, str(sub.timestamp), sub.extension))
                for nb in sub.notebooks:
                    where = (*who, nb.name)
                    rows["notebook"].append((*where, bool(nb.flagged), nb.late_submission_penalty))
                    for g in nb.grades:
                        rows["grade"].append(
                            (*where, g.name, g.auto_score, g.manual_score, g.extra_credit, bool(g.needs_manual_grade))
                        )
                    for c in nb.comments:
                        rows["comment"].append((*where, c.name, c.auto_comment, c.manual_comment))
    return {k: sorted(v, key=repr) for k, v in rows.items()}
