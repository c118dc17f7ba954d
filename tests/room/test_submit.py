"""The submission writer on its own: answers become safe Python literals in the released notebook."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path

import pytest

from tests.room.helpers import RoomCourse


def released(course: Path, exam: str) -> dict:
    nb: dict = json.loads((course / "release" / exam / f"{exam}.ipynb").read_text(encoding="utf-8"))
    return nb


def answer_line(nb: dict, number: int) -> str:
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith(f"tra_loi_{number} = "):
                return line
    raise KeyError(number)


def test_answers_are_written_as_literals_python_reads_back(room_template: RoomCourse) -> None:
    from kynangso.room.paper import paper
    from kynangso.room.submit import fill_notebook

    p = paper(room_template.root, "gov-3", "hoc-vien-01")
    by_type = {q["type"]: q for q in p["questions"]}
    tricky = "Ông \"Tư\" nói: \\n '113' \\ ${x}"
    answers = {
        by_type["numeric"]["id"]: "2.400.000",
        by_type["short"]["id"]: tricky,
        by_type["order"]["id"]: list(range(len(by_type["order"]["steps"]), 0, -1)),
        by_type["single"]["id"]: "C",
        by_type["open"]["id"]: "Dòng một\n\n**Dòng hai**",
    }
    nb = fill_notebook(released(room_template.root, "gov-3"), p, answers)
    value = {
        q: ast.literal_eval(answer_line(nb, by_type[q]["number"]).split(" = ", 1)[1])
        for q in by_type
        if q in ("numeric", "short", "order", "single")
    }
    assert value == {
        "numeric": 2400000,
        "short": tricky,
        "order": answers[by_type["order"]["id"]],
        "single": "C",
    }
    opened = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("open-"))
    assert "Dòng một\n\n**Dòng hai**" in "".join(opened["source"])
    assert "Viết câu trả lời của anh/chị vào đây." not in "".join(opened["source"])


def test_a_released_notebook_without_its_answer_line_is_named(room_template: RoomCourse) -> None:
    from kynangso.room.paper import RoomError, paper
    from kynangso.room.submit import fill_notebook

    p = paper(room_template.root, "gov-3", "hoc-vien-01")
    q = next(q for q in p["questions"] if q["type"] == "single")
    nb = released(room_template.root, "gov-3")
    broken = copy.deepcopy(nb)
    for cell in broken["cells"]:
        if cell["metadata"].get("kynangso", {}).get("answer") == q["id"]:
            cell["source"] = "# đã bị sửa"
    with pytest.raises(RoomError) as err:
        fill_notebook(broken, p, {q["id"]: "A"})
    assert f"câu {q['number']}" in str(err.value) and "gov-3" in str(err.value)
