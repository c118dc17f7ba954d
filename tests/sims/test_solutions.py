"""Every scenario can be finished and every trap can be met, under several seeds; replay is deterministic and a
transcript made under one seed fails under another wherever the learner typed seeded data."""

from __future__ import annotations

from typing import Any

import pytest

from kynangso.sims import Scenario, Session, list_scenarios, load_scenario, replay
from kynangso.sims.solver import entry_for, next_action, right_value, shortest_path, solve, trap_routes

SCENARIOS = [i.id for i in list_scenarios()]
SEEDS = [0, 1, 424242]


def test_the_scenarios_cover_every_front() -> None:
    assert {"dvc-khai-sinh", "nhan-dien-lua-dao", "thanh-toan-vietqr"} <= set(SCENARIOS)
    fronts = {i.id: i.front for i in list_scenarios()}
    assert fronts["dvc-khai-sinh"] == "gov"
    assert fronts["nhan-dien-lua-dao"] == "society"
    assert fronts["thanh-toan-vietqr"] == "econ"


# Each front's simulations, as the lesson plan names them.
FRONT_SCENARIOS = {
    "gov": {
        "vneid-kich-hoat",
        "dvc-khai-sinh",
        "thong-bao-luu-tru",
        "vneid-giay-chung-nhan-dat",
        "phan-anh-hien-truong",
        "ho-tro-vneid",
    },
    "econ": {"thanh-toan-vietqr", "mo-mobile-money", "mo-gian-hang", "don-hang-giao-hang", "hop-tac-xa-len-san"},
    "society": {"so-suc-khoe-vneid", "nhan-dien-lua-dao", "nhom-zalo-thon", "ho-tro-nan-nhan-lua-dao"},
}


@pytest.mark.parametrize("front", sorted(FRONT_SCENARIOS))
def test_front_has_its_scenarios_each_with_a_critical_trap(front: str) -> None:
    found = {i.id for i in list_scenarios() if i.front == front}
    assert found >= FRONT_SCENARIOS[front], f"missing: {FRONT_SCENARIOS[front] - found}"
    for scenario_id in sorted(found):
        s = load_scenario(scenario_id)
        critical = sorted(t.id for t in s.traps.values() if t.critical)
        assert critical, f"{scenario_id} marks no trap critical"
        # Replay reports a critical trap as such, which is what fails a practical task whatever its score.
        route = trap_routes(s, 7)[critical[0]]
        assert replay(s, route, 7).critical == [critical[0]]


def test_society_level_3_case_is_a_decision_at_every_step() -> None:
    s = load_scenario("ho-tro-nan-nhan-lua-dao")
    for screen in s.screens.values():
        if screen.id == s.goal.screen:
            continue
        wrong = [a for a in screen.actions if a.is_wrong]
        wrong += [o for f in screen.fields for o in f.options if o.trap or o.mistake]
        assert len(wrong) >= 2 and any(not a.is_wrong for a in screen.actions), screen.id
    # In practice mode every trap tells the learner what it cost the resident.
    assert all(t.explain.startswith("Hậu quả") for t in s.traps.values())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_goal_is_reachable_without_mistakes(scenario_id: str, seed: int) -> None:
    s = load_scenario(scenario_id)
    transcript = solve(s, seed)
    assert transcript, f"{scenario_id}: the goal cannot be reached"
    result = replay(s, transcript, seed)
    assert result.completed
    assert result.mistakes == 0
    assert result.traps_hit == []
    assert result.score == 1.0
    assert result.steps == len(transcript)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_trap_is_reachable(scenario_id: str) -> None:
    s = load_scenario(scenario_id)
    routes = trap_routes(s, 5)
    assert set(routes) == set(s.traps), f"unreachable traps: {set(s.traps) - set(routes)}"
    for trap_id, route in routes.items():
        result = replay(s, route, 5)
        assert result.traps_hit == [trap_id]
        assert result.mistakes == 1
        assert not result.completed and result.score == 0.0


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_scenario_has_traps_hints_and_explanations(scenario_id: str) -> None:
    s = load_scenario(scenario_id)
    assert len(s.traps) >= 3
    for trap in s.traps.values():
        assert trap.explain and trap.title
    for screen in s.screens.values():
        assert screen.hint, f"{screen.id} has no hint"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_replay_is_deterministic(scenario_id: str) -> None:
    s = load_scenario(scenario_id)
    route = next(iter(trap_routes(s, 3).values()))
    full = route + solve_from(s, route, 3)
    first = replay(s, full, 3).to_dict()
    assert first == replay(s, full, 3).to_dict()
    assert first["completed"] and first["traps_hit"] and 0.0 < first["score"] < 1.0
    assert Session(s, "luyen-tap", 3).data == Session(s, "kiem-tra", 3).data


def solve_from(s: Scenario, prefix: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """The rest of a mistake-free run after ``prefix`` (which ended in a trap that kept us on the screen)."""
    session = Session(s, "kiem-tra", seed)
    for e in prefix:
        session.act(e["action"], e.get("values"))
    path = shortest_path(s, (session.screen_id, frozenset(session.flags)))
    assert path is not None
    return [entry_for(s, st[0], a, session.data) for st, a in path]


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_transcript_fails_under_another_seed(scenario_id: str) -> None:
    s = load_scenario(scenario_id)
    transcript = solve(s, 11)
    assert transcript is not None
    typed = [e for e in transcript if e.get("values")]
    assert typed, "a scenario where nothing seeded is typed cannot tell learners apart"
    for other in (12, 13, 999):
        result = replay(s, transcript, other)
        assert not result.completed
        assert result.score == 0.0


def test_seeds_give_different_citizens() -> None:
    s = load_scenario("dvc-khai-sinh")
    a, b = Session(s, seed=1).data, Session(s, seed=2).data
    assert a["cccd"] != b["cccd"] and a["otp"] != b["otp"] and a["ma_ho_so"] != b["ma_ho_so"]
    assert Session(s, seed=1).data == a


def test_qr_login_path_also_reaches_the_goal() -> None:
    s = load_scenario("dvc-khai-sinh")
    session = Session(s, "kiem-tra", 8)
    for action in ("dang-nhap", "vneid", "quet-qr", "mo-vneid", "quet"):
        session.act(action)
    assert session.screen_id == "vneid-xac-nhan"
    session.act("xac-nhan", {"passcode": session.data["passcode"]})
    assert session.screen_id == "da-dang-nhap"
    while not session.completed:
        nxt = next_action(s, session.screen_id, frozenset(session.flags))
        assert nxt is not None
        action = session.screen.action(nxt)
        assert action is not None
        values = {f.id: right_value(f, session.data) for f in session.screen.fields} if action.submit else None
        session.act(nxt, values)
    assert session.result().score == 1.0


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_following_guided_mode_reaches_the_goal(scenario_id: str) -> None:
    s = load_scenario(scenario_id)
    session = Session(s, "huong-dan", 21)
    for _ in range(200):
        if session.completed:
            break
        nxt = session.next_action()
        assert nxt is not None, f"guided mode has no next action on {session.screen_id}"
        action = session.screen.action(nxt)
        assert action is not None
        values = {f.id: right_value(f, session.data) for f in session.screen.fields} if action.submit else None
        session.act(nxt, values)
    assert session.completed
