"""Thirty learners answering at once, at the protocol level: no error, and every submission complete.

The request times are measured and printed by ``bench/room_load.py``; a wall-clock limit here would fail on a busy
machine without saying anything about the room.
"""

from __future__ import annotations

import json

import pytest

from tests.room.crowd import sit_together
from tests.room.helpers import LEARNERS, Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PHONES = 30
EXAM = "econ-3"


def test_thirty_learners_at_once(shared_server: Server) -> None:
    root = shared_server.course.root
    learners = [lid for lid, _, _ in LEARNERS[:PHONES]]
    crowd = sit_together(shared_server, learners, EXAM)
    assert not crowd.failures, crowd.failures[:5]
    assert len(crowd.phones) == PHONES
    for learner in learners:
        nb = json.loads((root / "submitted" / learner / EXAM / f"{EXAM}.ipynb").read_text(encoding="utf-8"))
        filled = [c for c in nb["cells"] if c["metadata"].get("kynangso", {}).get("answer")]
        assert filled and all(not "".join(c["source"]).endswith("= ...") for c in filled), learner
