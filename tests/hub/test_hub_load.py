"""30 learners at once on one hub, at the protocol level (REST API and kernel websockets on 127.0.0.1): each signs
in with their card code, starts their own server, opens a simulation and completes it click by click. Bounded:
30 learners, one simulation each (a fixed number of requests), a time limit on the whole run and on every call.
Prints the p95 latency, the time to a running server, and memory per learner (their server and kernel); then the
idle culler must stop every server by itself. One hub for the whole file."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator

import pytest

from tests.hub.client import HubError, Person, Timings, percentile
from tests.hub.sims import complete_simulation
from tests.hub.support import Hub, memory_mib, processes_of, running_hub, wait_until
from tests.postgres import PostgresCluster
from tests.support import in_own_loop

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.e2e]

LEARNERS = 30
SCENARIO = "dvc-khai-sinh"
RUN_LIMIT = 900.0  # seconds for all 30 learners, sign-in to completed simulation
# Longer than the slowest of 30 servers takes to start on two busy cores: a server the hub has not yet heard from
# must not be culled while its learner is still waiting for it.
IDLE_TIMEOUT, CULL_EVERY = 150, 5


@pytest.fixture(scope="module")
def hub(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(
        postgres,
        learners=LEARNERS,
        log_dir=tmp_path_factory.mktemp("hub-load-log"),
        idle_timeout=IDLE_TIMEOUT,
        cull_every=CULL_EVERY,
    ) as h:
        yield h


async def one_learner(hub: Hub, name: str, seed: int, timings: Timings) -> tuple[float, float, float, int]:
    t0 = time.perf_counter()
    me = Person(hub.url, name, timings)
    await me.login(hub.codes[name])
    await me.make_token()
    spawn = await me.start_server()
    kernel, replaced = await me.answering_kernel()
    score = await complete_simulation(kernel, SCENARIO, seed)
    # The kernel stays open, as a learner's tab would: memory is measured with it.
    return time.perf_counter() - t0, spawn, score, replaced


def test_thirty_learners_complete_a_simulation_at_once(hub: Hub) -> None:
    timings = Timings()
    assert len(hub.learners) == LEARNERS

    async def everyone() -> list[tuple[float, float, float, int]]:
        jobs = [one_learner(hub, name, seed, timings) for seed, name in enumerate(hub.learners, start=1)]
        return list(await asyncio.wait_for(asyncio.gather(*jobs), RUN_LIMIT))

    started = time.perf_counter()
    try:
        results = in_own_loop(everyone())
    except HubError as exc:
        # Say what the hub saw of that learner (spawn, cull, kernel death), not only what the client saw.
        name = str(exc).split(":", 1)[0]
        log = hub.log.read_text(encoding="utf-8", errors="replace").splitlines()
        raise AssertionError(f"{exc}\n" + "\n".join([line for line in log if name in line][-40:])) from exc
    wall = time.perf_counter() - started
    assert [r[2] for r in results] == [1.0] * LEARNERS  # every learner reached the goal, no mistake

    memory = [memory_mib(name) for name in hub.learners]
    rss = [m[0] for m in memory]
    uss = [m[1] for m in memory]
    requests = timings.all()
    lines = [
        f"[hub-load] {LEARNERS} learners, {len(requests)} requests and widget messages in {wall:.1f} s, no error",
        f"[hub-load] p95 latency: all {percentile(requests, 95) * 1000:.0f} ms"
        + "".join(f", {k} {percentile(v, 95) * 1000:.0f} ms" for k, v in sorted(timings.samples.items())),
        f"[hub-load] server start (sign-in to ready): median {statistics.median(r[1] for r in results):.1f} s, "
        f"p95 {percentile([r[1] for r in results], 95):.1f} s; whole learner p95 {percentile([r[0] for r in results], 95):.1f} s",
        f"[hub-load] memory per learner (server + simulation kernel): RSS mean {statistics.mean(rss):.0f} MiB "
        f"(max {max(rss):.0f}), USS mean {statistics.mean(uss):.0f} MiB (max {max(uss):.0f})",
    ]
    replaced = sum(r[3] for r in results)
    lines.append(f"[hub-load] kernels that never answered and were replaced (a learner's reload): {replaced}")
    print("\n" + "\n".join(lines))
    # One stuck kernel start in 30 has been seen under a loaded CI (kernel_info never answered); more is a defect.
    assert replaced <= 1
    assert all(r > 0 for r in rss)
    assert max(rss) < 1024  # under the 1 GiB per-user limit with room to spare

    # Nobody touches anything now: the idle culler stops every server by itself, and their processes end.
    wait_until(
        lambda: not any(processes_of(name) for name in hub.learners),
        IDLE_TIMEOUT + 6 * CULL_EVERY + 60,
        "idle servers culled",
        step=5.0,
    )
    log = hub.log.read_text(encoding="utf-8", errors="replace")
    assert log.count("Culling server") >= LEARNERS, log[-2000:]
