"""The deterministic engine: a session takes actions and returns feedback; it records a transcript.

Given (scenario, mode, seed, actions) the outcome is always the same; nothing here reads the clock, the network
or a widget. The view draws :meth:`Session.screen_view` and calls :meth:`Session.act`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kynangso.sims.data import generate
from kynangso.sims.model import MODES, Action, Field, Scenario, Screen
from kynangso.sims.text import fill, normalize


class UnknownAction(ValueError):
    """The action is not on the current screen (or not available now)."""


@dataclass(frozen=True)
class Feedback:
    """What the learner is told after an action. ``kind``: ok | invalid | mistake | trap | done."""

    kind: str
    title: str = ""
    text: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    trap: str | None = None


@dataclass(frozen=True)
class ReplayResult:
    completed: bool
    steps: int
    mistakes: int
    traps_hit: list[str]
    score: float
    critical: list[str] = field(default_factory=list)  # the traps hit that the scenario marks critical

    def to_dict(self) -> dict[str, Any]:
        return {
            "completed": self.completed,
            "steps": self.steps,
            "mistakes": self.mistakes,
            "traps_hit": list(self.traps_hit),
            "critical": list(self.critical),
            "score": self.score,
        }


NEUTRAL = "Đã ghi nhận thao tác của anh/chị."
OPTION_REFUSED = "Lựa chọn này chưa phù hợp."


class Session:
    """One learner's run through a scenario."""

    def __init__(self, scenario: Scenario, mode: str = "luyen-tap", seed: int = 0) -> None:
        if mode not in MODES:
            raise ValueError(f"chế độ '{mode}' không có (chọn một trong: {', '.join(MODES)})")
        self.scenario = scenario
        self.mode = mode
        self.seed = int(seed)
        self.data = generate(scenario.id, scenario.data, self.seed)
        self.transcript: list[dict[str, Any]] = []
        self.steps = 0
        self.mistakes = 0
        self.trap_count = 0
        self.traps_hit: list[str] = []
        self.hints_used = 0
        self._go_to_start()

    # --- state -------------------------------------------------------------------------------------------------
    def _go_to_start(self) -> None:
        self.screen_id = self.scenario.start
        self.flags: set[str] = set()
        self.completed = False

    @property
    def screen(self) -> Screen:
        return self.scenario.screens[self.screen_id]

    def text(self, template: str) -> str:
        return fill(template, self.data)

    def visible_actions(self) -> list[Action]:
        return [a for a in self.screen.actions if self._visible(a)]

    def _visible(self, a: Action) -> bool:
        return set(a.requires) <= self.flags and not (set(a.unless) & self.flags)

    def is_done(self, a: Action) -> bool:
        return a.done is not None and a.done in self.flags

    def goal_reached(self) -> bool:
        goal = self.scenario.goal
        on_screen = goal.screen is None or goal.screen == self.screen_id
        return on_screen and set(goal.flags) <= self.flags

    def hint(self) -> str | None:
        """The hint for this screen; none in assessment mode."""
        if self.mode == "kiem-tra" or not self.screen.hint:
            return None
        self.hints_used += 1
        return self.text(self.screen.hint)

    def next_action(self) -> str | None:
        """The action that leads to the goal fastest (what guided mode highlights)."""
        from kynangso.sims.solver import next_action

        return next_action(self.scenario, self.screen_id, frozenset(self.flags))

    def progress(self) -> tuple[int, int]:
        """(done, total): stages passed if the scenario has stages, else goal flags set."""
        s = self.scenario
        if self.completed:
            total = len(s.stages) or len(s.goal.flags) or 1
            return total, total
        if s.goal.flags:
            return len(set(s.goal.flags) & self.flags), len(s.goal.flags)
        if s.stages and self.screen.stage:
            return s.stages.index(self.screen.stage), len(s.stages)
        return 0, len(s.stages) or 1

    # --- actions -----------------------------------------------------------------------------------------------
    def restart(self) -> None:
        """Back to the first screen. In assessment mode mistakes made so far still count."""
        if self.mode == "kiem-tra":
            if self.transcript:
                self.transcript.append({"type": "restart"})
        else:
            self.transcript = []
            self.steps = self.mistakes = self.trap_count = self.hints_used = 0
            self.traps_hit = []
        self._go_to_start()

    def act(self, action_id: str, values: dict[str, Any] | None = None) -> Feedback:
        if self.completed:
            return Feedback("done", "Đã hoàn thành", self._goal_message())
        action = next((a for a in self.visible_actions() if a.id == action_id), None)
        if action is None or self.is_done(action):
            raise UnknownAction(f"màn hình '{self.screen_id}' không có nút '{action_id}' lúc này")
        entry: dict[str, Any] = {"type": "action", "screen": self.screen_id, "action": action.id}
        sent: dict[str, Any] = {}
        if action.submit:
            sent = {f.id: _clean(f, (values or {}).get(f.id)) for f in self.screen.fields}
            entry["values"] = sent
        self.transcript.append(entry)
        self.steps += 1
        if action.trap:
            return self._trap(action.trap, action.goto)
        if action.mistake:
            self.mistakes += 1
            self._move(action.goto)
            return self._explained("mistake", "Chưa đúng", self.text(action.mistake))
        if action.submit:
            problem = self._check(sent)
            if problem is not None:
                return problem
        self.flags |= set(action.sets)
        self._move(action.goto)
        if self.goal_reached():
            self.completed = True
            return Feedback("done", "Hoàn thành!", self._goal_message())
        say = self.text(action.say) if action.say and self.mode != "kiem-tra" else ""
        return Feedback("ok", "Đúng rồi" if say else "", say)

    def _move(self, goto: str | None) -> None:
        if goto:
            self.screen_id = goto

    def _goal_message(self) -> str:
        return self.text(self.scenario.goal.message or "Anh/chị đã hoàn thành mô phỏng.")

    def _trap(self, trap_id: str, goto: str | None) -> Feedback:
        self.mistakes += 1
        self.trap_count += 1
        if trap_id not in self.traps_hit:
            self.traps_hit.append(trap_id)
        self._move(goto)
        trap = self.scenario.traps[trap_id]
        return self._explained("trap", self.text(trap.title), self.text(trap.explain), trap_id)

    def _explained(self, kind: str, title: str, text: str, trap: str | None = None) -> Feedback:
        # In an exam the learner is not told why; the transcript keeps everything for the grader.
        if self.mode == "kiem-tra":
            return Feedback(kind, "", NEUTRAL, trap=None)
        return Feedback(kind, title, text, trap=trap)

    def _check(self, sent: dict[str, Any]) -> Feedback | None:
        errors: dict[str, str] = {}
        for f in self.screen.fields:
            value = sent[f.id]
            chosen = next((o for o in f.options if self.text(o.label) == value), None)
            if chosen is not None and chosen.trap:
                return self._trap(chosen.trap, None)
            if chosen is not None and chosen.mistake:
                # The author's explanation teaches the answer; an exam keeps only the platform's own messages.
                errors[f.id] = OPTION_REFUSED if self.mode == "kiem-tra" else self.text(chosen.mistake)
                continue
            message = self._field_error(f, value)
            if message:
                errors[f.id] = message
        if not errors:
            return None
        self.mistakes += 1
        title = "Thông tin chưa hợp lệ"
        text = " ".join(errors.values())
        return Feedback("invalid", title, text, errors=errors)

    def _field_error(self, f: Field, value: Any) -> str:
        label = self.text(f.label)
        if f.kind == "checkbox":
            return f"Anh/chị cần đánh dấu ô “{label}”." if f.required and value is not True else ""
        if not value:
            if not f.required:
                return ""
            verb = "chọn" if f.kind in ("select", "file") else "nhập"
            return f"Vui lòng {verb} “{label}”."
        if f.pattern and not _full_match(f.pattern, value):
            return self.text(f.error)
        if f.expect is not None and not self._matches_expect(f, value):
            return self.text(f.expect_error) or f"“{label}” chưa khớp với thông tin của hồ sơ."
        return ""

    def _matches_expect(self, f: Field, value: str) -> bool:
        want = normalize(self.text(f.expect or ""))
        got = value
        if f.ignore_case:
            want, got = want.casefold(), got.casefold()
        if f.expect_mode == "prefix":
            return got.startswith(want)
        return got == want

    def result(self) -> ReplayResult:
        score = 0.0
        if self.completed:
            p = self.scenario.scoring
            plain = self.mistakes - self.trap_count
            score = max(0.0, 1.0 - p.mistake_penalty * plain - p.trap_penalty * self.trap_count)
        critical = [t for t in self.traps_hit if self.scenario.traps[t].critical]
        return ReplayResult(self.completed, self.steps, self.mistakes, list(self.traps_hit), round(score, 2), critical)


def _clean(f: Field, value: Any) -> Any:
    if f.kind == "checkbox":
        return value is True
    return normalize(value) if isinstance(value, str) else ""


def _full_match(pattern: str, value: str) -> bool:
    import re

    return re.fullmatch(pattern, value) is not None
