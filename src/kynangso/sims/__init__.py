"""Simulations: click-through copies of the platforms a team member shows to residents.

A scenario is data (``scenarios/<id>.toml``) run by a deterministic engine; the ipywidgets view only draws it.
Importing this package is light (no widgets); :func:`embed` loads the view on first use::

    from kynangso.sims import embed
    embed("dvc-khai-sinh")                      # practice mode, a random fictional citizen
    embed("dvc-khai-sinh", mode="kiem-tra", seed=42)   # exam: writes dvc-khai-sinh.transcript.json
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kynangso.fronts import FRONTS
from kynangso.sims.engine import Feedback, ReplayResult, Session, UnknownAction
from kynangso.sims.model import MODES, Scenario, ScenarioInfo
from kynangso.sims.replay import TranscriptError, replay
from kynangso.sims.schema import ScenarioError, load_file

if TYPE_CHECKING:
    import ipywidgets

__all__ = [
    "MODES",
    "Feedback",
    "ReplayResult",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "Session",
    "TranscriptError",
    "UnknownAction",
    "UnknownScenario",
    "embed",
    "list_scenarios",
    "load_scenario",
    "replay",
    "seed_for",
]

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"


class UnknownScenario(LookupError):
    def __init__(self, scenario_id: str) -> None:
        known = ", ".join(p.stem for p in sorted(SCENARIO_DIR.glob("*.toml")))
        super().__init__(f"Không có mô phỏng '{scenario_id}'. Các mô phỏng hiện có: {known}")


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> Scenario:
    return load_file(path)


def load_scenario(scenario_id: str) -> Scenario:
    """The scenario ``scenarios/<scenario_id>.toml``, checked; raises ScenarioError naming file and key."""
    path = SCENARIO_DIR / f"{scenario_id}.toml"
    if "/" in scenario_id or "\\" in scenario_id or not path.is_file():
        raise UnknownScenario(scenario_id)
    return _load(path, path.stat().st_mtime_ns)


def list_scenarios() -> list[ScenarioInfo]:
    """Every scenario, grouped by front in the program's order, then by title."""
    order = list(FRONTS)
    infos = []
    for path in SCENARIO_DIR.glob("*.toml"):
        s = load_scenario(path.stem)
        infos.append(ScenarioInfo(s.id, s.title, s.front, s.minutes, s.teaches))
    return sorted(infos, key=lambda i: (order.index(i.front), i.title, i.id))


def seed_for(learner_id: str, scenario_id: str) -> int:
    """A stable seed per learner and scenario, so an exam's grader can replay without storing the seed."""
    digest = hashlib.sha256(f"{learner_id}\n{scenario_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1_000_000


def embed(
    scenario_id: str,
    mode: str = "luyen-tap",
    seed: int | None = None,
    transcript_path: str | os.PathLike[str] | None = None,
) -> ipywidgets.Widget:
    """The simulation as a widget, for a lesson in JupyterLab or alone in Voilà."""
    from kynangso.sims.view import SimApp

    return SimApp(scenario_id, mode=mode, seed=seed, transcript_path=transcript_path)
