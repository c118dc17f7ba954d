"""The phone exam room under a class sitting one exam at once: request times (median, p95, max) on this machine.

Each phone signs in at the same moment, saves every answer twice (a change of mind, then the final answer), runs
the practical tasks and submits (see tests/room/crowd.py, shared with tests/room/test_load.py, which checks that
nothing fails and every submission is complete). Target on 2 shared cores: p95 under 1 s.

Run: .venv/bin/python bench/room_load.py [--phones 30] [--exam econ-3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.room.crowd import sit_together  # noqa: E402
from tests.room.helpers import EXAMS, LEARNERS, make_course, room_server  # noqa: E402

TARGET_P95 = 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=30, help=f"at most {len(LEARNERS)}")
    parser.add_argument("--exam", default="econ-3", choices=EXAMS)
    args = parser.parse_args()
    learners = [lid for lid, _, _ in LEARNERS[: args.phones]]
    with tempfile.TemporaryDirectory(prefix="kynangso-room-load-") as tmp:
        course = make_course(Path(tmp) / "khoa-hoc")
        with room_server(course, Path(tmp) / "room.log") as server:
            crowd = sit_together(server, learners, args.exam)
    times = crowd.times
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"exam room, {len(learners)} phones at once on {args.exam}: {len(times)} requests")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    print(f"  failures: {len(crowd.failures)}" + (f" (first: {crowd.failures[0]})" if crowd.failures else ""))
    print(f"target: p95 under {TARGET_P95:.0f} s — {'met' if p95 < TARGET_P95 else 'NOT met'} on this machine now")


if __name__ == "__main__":
    main()
