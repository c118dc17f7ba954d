"""Search the scenario graph: the next right action (guided mode), a full solution and a way into every trap.

A state is (screen, flags). Only right actions (no trap, no mistake) move the solver; traps are then entered from
states the right path can reach. The tests use this to prove that every scenario can be finished and every trap
can be met, whatever the seed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from kynangso.sims.data import generate
from kynangso.sims.model import Action, Field, Scenario
from kynangso.sims.text import fill

State = tuple[str, frozenset[str]]


def _moves(s: Scenario, state: State) -> Iterator[tuple[Action, State]]:
    screen_id, flags = state
    for a in s.screens[screen_id].actions:
        if a.is_wrong or not set(a.requires) <= flags or set(a.unless) & flags:
            continue
        if a.done is not None and a.done in flags:
            continue
        new = (a.goto or screen_id, flags | frozenset(a.sets))
        if new != state:
            yield a, new


def _is_goal(s: Scenario, state: State) -> bool:
    return (s.goal.screen is None or s.goal.screen == state[0]) and set(s.goal.flags) <= state[1]


def _bfs(s: Scenario, start: State) -> dict[State, tuple[State, Action] | None]:
    parents: dict[State, tuple[State, Action] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for action, new in _moves(s, state):
            if new not in parents:
                parents[new] = (state, action)
                queue.append(new)
    return parents


def _path(parents: Mapping[State, tuple[State, Action] | None], end: State) -> list[tuple[State, Action]]:
    steps: list[tuple[State, Action]] = []
    node = parents[end]
    while node is not None:
        steps.append(node)
        node = parents[node[0]]
    return steps[::-1]


def shortest_path(s: Scenario, start: State) -> list[tuple[State, Action]] | None:
    parents = _bfs(s, start)
    goals = [st for st in parents if _is_goal(s, st)]
    if not goals:
        return None
    # BFS order of the dict keys means the first goal found is the nearest.
    return _path(parents, goals[0])


def next_action(s: Scenario, screen_id: str, flags: frozenset[str]) -> str | None:
    path = shortest_path(s, (screen_id, flags))
    return path[0][1].id if path else None


def right_value(f: Field, data: Mapping[str, str]) -> Any:
    """A value the platform accepts and that matches the learner's data."""
    if f.kind == "checkbox":
        return True
    if f.example is not None:
        return fill(f.example, data)
    if f.expect is not None:
        return fill(f.expect, data)
    good = [o for o in f.options if not (o.trap or o.mistake)]
    return fill(good[0].label, data) if good else ""


def entry_for(s: Scenario, screen_id: str, a: Action, data: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "action", "screen": screen_id, "action": a.id}
    if a.submit:
        entry["values"] = {f.id: right_value(f, data) for f in s.screens[screen_id].fields}
    return entry


def solve(s: Scenario, seed: int) -> list[dict[str, Any]] | None:
    """A transcript that reaches the goal without a single mistake, or None if the goal cannot be reached."""
    data = generate(s.id, s.data, seed)
    path = shortest_path(s, (s.start, frozenset()))
    if path is None:
        return None
    return [entry_for(s, state[0], a, data) for state, a in path]


def trap_routes(s: Scenario, seed: int) -> dict[str, list[dict[str, Any]]]:
    """For each trap, a transcript that walks the right way and then falls into it."""
    data = generate(s.id, s.data, seed)
    parents = _bfs(s, (s.start, frozenset()))
    routes: dict[str, list[dict[str, Any]]] = {}
    for state in parents:  # BFS order: the first route found to a trap is a short one
        screen = s.screens[state[0]]
        prefix: list[dict[str, Any]] | None = None
        for a in screen.actions:
            if not set(a.requires) <= state[1] or set(a.unless) & state[1]:
                continue
            triggers: list[tuple[str, dict[str, Any]]] = []
            if a.trap:
                triggers.append((a.trap, entry_for(s, state[0], a, data)))
            if a.submit and not a.is_wrong:
                for f in screen.fields:
                    for o in f.options:
                        if o.trap:
                            entry = entry_for(s, state[0], a, data)
                            entry["values"][f.id] = fill(o.label, data)
                            triggers.append((o.trap, entry))
            for trap_id, entry in triggers:
                if trap_id in routes:
                    continue
                if prefix is None:
                    prefix = [entry_for(s, st[0], act, data) for st, act in _path(parents, state)]
                routes[trap_id] = [*prefix, entry]
    return routes
