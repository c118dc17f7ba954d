"""One trainer and three learners through a real JupyterHub: sign-in with card codes, release in Formgrader (the
course service), fetch and submit in each learner's own server (the Assignments tab's API), collect, `kynangso
grade`, feedback fetched back, certificates — with the gradebook on PostgreSQL and every learner under their own
system account. One hub for the whole file."""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hub.client import HubError, Person
from tests.hub.support import TRAINER, Hub, processes_of, running_hub
from tests.postgres import PostgresCluster
from tests.support import in_own_loop

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.e2e]

EXAM = "gov-1"
COURSE = "kynangso"


@pytest.fixture(scope="module")
def hub(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(postgres, learners=3, log_dir=tmp_path_factory.mktemp("hub-log")) as h:
        yield h


def run(coro):  # type: ignore[no-untyped-def]
    return in_own_loop(asyncio.wait_for(coro, 600))


async def signed_in(hub: Hub, name: str, code: str) -> Person:
    person = Person(hub.url, name)
    await person.login(code)
    await person.make_token()
    return person


def answered(course: Path, learner: str, notebook: dict, right: bool) -> dict:  # type: ignore[type-arg]
    """The exam notebook with this learner's answers typed in (right, or well-formed and wrong)."""
    from tests.exams.support import correct_answers, fill, wrong_answers

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{EXAM}.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        fill(path, (correct_answers if right else wrong_answers)(course, EXAM, learner))
        return json.loads(path.read_text(encoding="utf-8"))


class PeakConnections(threading.Thread):
    """The most connections the gradebook database had open at once while a command ran."""

    def __init__(self, pg: PostgresCluster, database: str):
        super().__init__(daemon=True)
        self.pg, self.database, self.peak, self.done = pg, database, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.pg.connections(self.database))
            time.sleep(0.1)


def test_wrong_code_is_refused_and_roles_are_kept_apart(hub: Hub) -> None:
    async def go() -> None:
        someone = Person(hub.url, hub.learners[0])
        with pytest.raises(HubError, match="sign-in refused"):
            await someone.login("000000" if hub.codes[hub.learners[0]] != "000000" else "111111")
        learner = await signed_in(hub, hub.learners[0], hub.codes[hub.learners[0]])
        trainer = await signed_in(hub, TRAINER, hub.trainer_code)
        # Formgrader is the course service's own page (no iframe: JupyterHub >= 4.1 forbids framing it).
        _, page, _ = await trainer.request("GET", f"/services/{COURSE}/formgrader", follow=True)
        assert "formgrader" in page.lower()
        status, _, _ = await learner.request("GET", f"/services/{COURSE}/formgrader", expect=(302, 403, 404))
        assert status in (302, 403, 404)
        # A learner's own server has the Assignments tab's API and no Formgrader.
        await learner.start_server()
        listed = await learner.user("GET", f"assignments?course_id={COURSE}")
        assert listed["success"], listed
        await learner.user("GET", "formgrader", expect=(404,))

    run(go())


def test_memory_limit_holds_each_learners_server(hub: Hub) -> None:
    from kynangso.hub.limits import default_parent, members

    if default_parent() is None:
        pytest.skip("no writable memory cgroup on this machine: limits are not enforced here (hub logs a warning)")
    learner = hub.learners[0]
    procs = processes_of(learner)
    assert procs, "the learner's server is not running"
    for p in procs:
        path = members(p.pid)  # type: ignore[attr-defined]
        assert path and path.endswith(f"/kynangso-{learner}"), path
    limit = Path(str(default_parent())) / f"kynangso-{learner}" / "memory.limit_in_bytes"
    assert int(limit.read_text()) == 2**30  # mem_limit = "1G"


def test_release_fetch_submit_collect_grade_feedback_certify(hub: Hub, postgres: PostgresCluster) -> None:
    an, binh, chi = hub.learners

    async def trainer_releases() -> Person:
        trainer = await signed_in(hub, TRAINER, hub.trainer_code)
        api = f"/services/{COURSE}/formgrader/api/assignment/{EXAM}"
        _, done, _ = await trainer.request("POST", f"{api}/assign")
        assert done["success"], done
        _, done, _ = await trainer.request("POST", f"{api}/release")
        assert done["success"], done
        return trainer

    async def learner_sits(name: str, right: bool) -> None:
        me = await signed_in(hub, name, hub.codes[name])
        await me.start_server()
        listed = await me.user("GET", f"assignments?course_id={COURSE}")
        assert any(a["assignment_id"] == EXAM and a["status"] == "released" for a in listed["value"]), listed
        form = {"course_id": COURSE, "assignment_id": EXAM}
        done = await me.user("POST", "assignments/fetch", form=form)
        assert done["success"], done
        path = f"api/contents/{COURSE}/{EXAM}/{EXAM}.ipynb"
        model = await me.user("GET", path)
        notebook = answered(hub.course, name, model["content"], right)
        await me.user("PUT", path, {"type": "notebook", "format": "json", "content": notebook})
        done = await me.user("POST", "assignments/submit", form=form)
        assert done["success"], done

    async def first_half() -> Person:
        trainer = await trainer_releases()
        await asyncio.gather(learner_sits(an, True), learner_sits(binh, False), learner_sits(chi, True))
        _, done, _ = await trainer.request("POST", f"/services/{COURSE}/formgrader/api/assignment/{EXAM}/collect")
        assert done["success"], done
        return trainer

    run(first_half())
    assert sorted(p.name for p in (hub.course / "submitted").iterdir()) == sorted([an, binh, chi])

    watch = PeakConnections(postgres, hub.db_name)
    watch.start()
    graded = hub.as_grader("grade", EXAM)
    watch.done.set()
    watch.join()
    assert graded.returncode == 0, graded.stdout + graded.stderr
    print(graded.stdout)
    print(f"\n[hub] peak gradebook connections during `kynangso grade` of 3 submissions: {watch.peak}")
    assert watch.peak <= 20  # far below max_connections: a large class cannot exhaust them at this rate

    released = hub.as_grader("feedback", EXAM, "--release")
    assert released.returncode == 0, released.stdout + released.stderr
    if "Đã gửi 3 phiếu kết quả" not in released.stdout:
        stock = hub.as_grader("generate_feedback", EXAM, "--force", module="nbgrader")
        raise AssertionError(released.stdout + released.stderr + stock.stdout[-3000:] + stock.stderr[-3000:])

    async def learner_reads_feedback(name: str) -> str:
        me = await signed_in(hub, name, hub.codes[name])
        form = {"course_id": COURSE, "assignment_id": EXAM}
        done = await me.user("POST", "assignments/fetch_feedback", form=form)
        assert done["success"], done
        folder = await me.user("GET", f"api/contents/{COURSE}/{EXAM}/feedback")
        (stamp,) = [item["name"] for item in folder["content"]]
        page = await me.user("GET", f"api/contents/{COURSE}/{EXAM}/feedback/{quote(stamp)}/{EXAM}.html")
        return str(page["content"])

    page = run(learner_reads_feedback(an))
    assert "BEGIN HIDDEN TESTS" not in page and EXAM in page

    keys = f"/home-of-keys-{time.time_ns()}"  # outside the course: never readable by a learner
    keys_dir = str(Path(hub.env_for(hub.grader)["HOME"]) / keys.strip("/"))
    made = hub.as_grader("keys", "init", "--keys-dir", keys_dir)
    assert made.returncode == 0, made.stderr
    out = str(Path(hub.env_for(hub.grader)["HOME"]) / "chung-nhan")
    issued = hub.as_grader("certify", "--keys-dir", keys_dir, "--out", out)
    assert issued.returncode == 0, issued.stdout + issued.stderr
    assert issued.stdout.count("Đã cấp KNS-") == 2, issued.stdout  # An and Chi passed gov-1; Bình did not
    assert "Chính quyền số, cấp độ 1" in issued.stdout
    assert postgres.connections(hub.db_name) <= 1  # only Formgrader's own session stays open


def test_exam_room_is_served_for_phones(hub: Hub) -> None:
    from tests.support import http_get

    status, page = http_get(hub.room_url + "/")
    assert status == 200 and "<html" in page.lower()
