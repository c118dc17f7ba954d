"""Completing a simulation over the kernel websocket, as a learner's browser would: the app notebook's code runs,
then each step of the scenario's solution is typed into the widgets and clicked, message by message."""

from __future__ import annotations

from typing import Any

from tests.hub.client import HubError, Kernel


async def complete_simulation(kernel: Kernel, scenario_id: str, seed: int) -> float:
    """Open the simulation and reach its goal without a mistake; returns the score the app computed."""
    from kynangso.sims import load_scenario
    from kynangso.sims.solver import solve

    await kernel.execute(
        f"from kynangso.sims import embed\napp = embed({scenario_id!r}, mode='luyen-tap', seed={seed})\ndisplay(app)"
    )
    steps = solve(load_scenario(scenario_id), seed)
    assert steps, f"{scenario_id}: no solution for seed {seed}"
    for step in steps:
        for field_id, value in (step.get("values") or {}).items():
            await _type(kernel, f"kns-field-{field_id}", value)
        await kernel.click(kernel.widget_with_class(f"kns-action-{step['action']}"))
    out = await kernel.execute("print(app.session.completed, app.session.result().score)")
    done, score = out.split()
    if done != "True":
        raise HubError(f"{kernel.person.name}: {scenario_id} not completed after {len(steps)} steps")
    return float(score)


async def _type(kernel: Kernel, css_class: str, value: Any) -> None:
    comm = kernel.widget_with_class(css_class)
    state = kernel.widgets[comm]
    labels = state.get("_options_labels")
    if labels is not None:
        # Dropdowns and toggle buttons sync the chosen index, not the value.
        data = {"method": "update", "state": {"index": list(labels).index(str(value))}, "buffer_paths": []}
        await kernel._send_and_wait(kernel._message("comm_msg", {"comm_id": comm, "data": data}))
    else:
        await kernel.set_value(comm, value)
