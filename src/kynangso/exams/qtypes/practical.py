"""``practical``: a task done on a simulation (``kynangso.sims``); its transcript is replayed under the learner's
own seed to grade it, and the graded cell is ``practical-<id>``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kynangso.exams.cells import cell, graded_cell, nbgrader_meta
from kynangso.exams.qtypes.base import AnsweredBy, Checker
from kynangso.exams.qtypes.common import Common

if TYPE_CHECKING:
    from kynangso.exams.bank import Question

SCENARIO_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")  # the same rule as question ids


def scenario_known(scenario: str) -> bool | None:
    """Whether the simulation exists; None when the simulations package is not installed yet."""
    folder = Path(__file__).resolve().parents[2] / "sims" / "scenarios"
    if not folder.is_dir():
        return None
    return (folder / f"{scenario}.toml").is_file()


class Practical(Common):
    name = "practical"
    label = "thực hành trên mô phỏng"
    cell_prefix = "practical"
    answered_by = AnsweredBy.SIMULATION
    room_extra = ("scenario",)

    def parse_question(self, ck: Checker, qid: str, raw: dict[str, Any], points: float) -> dict[str, Any]:
        scenario = raw.get("scenario", "")
        if not isinstance(scenario, str) or not SCENARIO_RE.match(scenario):
            ck.err(qid, "scenario", "phải là mã tình huống mô phỏng, ví dụ 'dvc-khai-sinh'")
        elif scenario_known(scenario) is False:
            ck.err(qid, "scenario", f"không có tình huống mô phỏng '{scenario}' trong kynangso/sims/scenarios/")
        return {"scenario": scenario if isinstance(scenario, str) else ""}

    def cells(self, exam: str, number: int, q: Question) -> list[dict[str, Any]]:
        sim = cell(
            "code",
            f"sim-{q.id}",
            f"# ✍️ BÀI THỰC HÀNH CÂU {number}: chạy ô này, rồi làm bài trên màn hình mô phỏng hiện ra.\n"
            f"bai_thi.thuc_hanh({number})",
            nbgrader_meta(f"sim-{q.id}"),
        )
        test = (
            f"# Ô chấm câu {number}: anh/chị không cần sửa ô này.\n"
            f"bai_thi.kiem_tra_thuc_hanh({number})\n"
            "### BEGIN HIDDEN TESTS\n"
            "from kynangso.exams.graders import cham_thuc_hanh\n\n"
            f"cham_thuc_hanh({exam!r}, {q.id!r})\n"
            "### END HIDDEN TESTS"
        )
        return [sim, graded_cell(q.grade_id, q.points, test)]

    def right_answer(self, key: Any) -> Any:
        """The actions of a right run, for ``key`` ``{"scenario": id, "seed": the learner's practical seed}``."""
        from kynangso.sims import load_scenario
        from kynangso.sims.solver import solve

        entries = solve(load_scenario(key["scenario"]), key["seed"])
        if entries is None:
            raise RuntimeError(f"{key['scenario']}: kịch bản không có lời giải")
        return entries

    def wrong_answers(self, right: Any) -> list[Any]:
        # A run that never starts, and one that stops one step short of the end: neither completes the task.
        return [[], list(right[:-1])]
