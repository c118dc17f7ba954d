"""Simulated learners: answers of a chosen quality, in the form the exam room takes, and practical-task runs.

Used by the demo, and by tests that need a learner who answers right or wrong. It reads the course's answer
keys, which is what a simulated learner who "knows" the answer means; a real learner's page never sees them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.build import KEYS_DIR


def answer_keys(course: Path, exam: str) -> dict[str, Any]:
    """``{question id: entry}`` from ``<course>/answer_keys/<exam>.json``."""
    data: dict[str, Any] = json.loads((course / KEYS_DIR / f"{exam}.json").read_text(encoding="utf-8"))
    return data["questions"]


def right_answer(entry: dict[str, Any], exam: str, qid: str, learner: str) -> Any:
    """The right answer to this learner's variant, in the exam room's form (short answers: the first accepted)."""
    from kynangso.exams.variants import variant_index

    key = entry["keys"][variant_index(exam, qid, learner, entry["variants"])]["answer"]
    return qtypes.get(entry["type"]).right_answer(key)


def wrong_answer(kind: str, right: Any) -> Any:
    """A well-formed answer that is wrong."""
    return qtypes.get(kind).wrong_answers(right)[0]


def answers(course: Path, exam: str, learner: str, right: set[str] | None = None) -> dict[str, Any]:
    """Answers to every auto-graded question: right for the ids in ``right`` (all when None), wrong otherwise."""
    out: dict[str, Any] = {}
    for qid, entry in answer_keys(course, exam).items():
        if "keys" not in entry:
            continue
        good = right_answer(entry, exam, qid, learner)
        out[qid] = good if right is None or qid in right else wrong_answer(entry["type"], good)
    return out


def practical_run(exam: str, qid: str, scenario_id: str, learner: str, seed_of: str | None = None) -> dict[str, Any]:
    """A transcript document of the task done right — for ``seed_of``'s data when given (a copied run)."""
    from kynangso.exams.variants import practical_seed
    from kynangso.sims import Session, load_scenario
    from kynangso.sims.replay import transcript_document
    from kynangso.sims.solver import solve

    scenario = load_scenario(scenario_id)
    seed = practical_seed(exam, qid, seed_of or learner)
    entries = solve(scenario, seed)
    if entries is None:
        raise RuntimeError(f"{scenario_id}: kịch bản không có lời giải")
    session = Session(scenario, "kiem-tra", practical_seed(exam, qid, learner))
    for entry in entries:
        session.act(entry["action"], entry.get("values"))
    return transcript_document(session)


def practical_tasks(course: Path, exam: str) -> dict[str, str]:
    """``{question id: scenario id}`` of the exam's practical tasks."""
    tasks = answer_keys(course, exam).items()
    return {qid: e["scenario"] for qid, e in tasks if qtypes.get(e["type"]).answered_by is qtypes.AnsweredBy.SIMULATION}
