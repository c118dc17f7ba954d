"""A paper handed in through the room is graded by nbgrader like any other, to the exact expected score."""

from __future__ import annotations

import pytest

from tests.room.helpers import Server, keys, right_answers, solve_practical, wrong_answer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_room_submission_autogrades_to_the_expected_score(server: Server) -> None:
    from kynangso.grade import status as st
    from kynangso.grade.runner import grade

    learner, root, exam = "hoc-vien-20", server.course.root, "gov-3"
    phone = server.client()
    assert phone.sign_in(learner, server.course.codes[learner])[0] == 200
    qs = phone.call(f"/api/bai/{exam}")[1]["paper"]["questions"]
    right = right_answers(root, exam, learner)
    entries = keys(root, exam)
    expected = 0.0
    wrong_ids = set()
    for q in qs:
        if q["type"] in ("single", "multiple", "order", "numeric", "short"):
            # Every other auto-graded question answered wrong, so the score tells right from wrong apart.
            value = right[q["id"]]
            if q["number"] % 2 == 0:
                value = wrong_answer(q["type"], value, len(q.get("choices", q.get("steps", []))))
                wrong_ids.add(q["id"])
            else:
                expected += float(entries[q["id"]]["points"])
            status, body = phone.call(f"/api/bai/{exam}/tra-loi", {"question": q["id"], "value": value})
            assert status == 200, body
        elif q["type"] == "practical":
            for index, values in solve_practical(exam, q["id"], q["scenario"], learner):
                view = phone.call(f"/api/bai/{exam}/thuc-hanh/{q['id']}")[1]
                status, view = phone.call(
                    f"/api/bai/{exam}/thuc-hanh/{q['id']}",
                    {"action": str(index), "turn": view["turn"], "values": values},
                )
                assert status == 200, view
            assert view["completed"] is True
            expected += float(entries[q["id"]]["points"])
        else:
            phone.call(f"/api/bai/{exam}/tra-loi", {"question": q["id"], "value": "Tôi hướng dẫn bà con từng bước."})
    assert wrong_ids
    status, receipt = phone.call(f"/api/bai/{exam}/nop", {})
    assert status == 200 and receipt["receipt"]
    assert sorted(p.name for p in (root / "submitted" / learner / exam).iterdir()) == sorted(
        [
            "de-thi.json",
            f"{exam}.ipynb",
            "timestamp.txt",
            *[f"{q['id']}.transcript.json" for q in qs if q["type"] == "practical"],
        ]
    )
    [record] = grade(root, [exam], [learner])
    assert record.status == st.NEEDS_MANUAL, record.reason  # the open answer waits for a person
    assert record.score == pytest.approx(expected)
    assert record.max_score == pytest.approx(sum(float(e["points"]) for e in entries.values()))
