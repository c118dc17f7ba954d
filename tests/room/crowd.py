"""Many phones sitting one exam at the same moment, at the protocol level (used by test_load and bench/room_load).

Every phone signs in when all are ready (a barrier), answers each question with a change of mind first, runs the
practical tasks, writes the open answers and submits; every request's time is kept on its client.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.room.helpers import Client, Server, right_answers, solve_practical


@dataclass
class Crowd:
    phones: list[Client]
    failures: list[str] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return sorted(t for p in self.phones for t in p.times)


def sit_together(server: Server, learners: list[str], exam: str) -> Crowd:
    start = threading.Barrier(len(learners), timeout=60)
    failures: list[str] = []

    def sit(learner: str) -> Client:
        phone = server.client()
        right = right_answers(server.course.root, exam, learner)
        start.wait()
        status, body = phone.sign_in(learner, server.course.codes[learner])
        if status != 200:
            failures.append(f"{learner} sign-in {status} {body}")
            return phone
        for q in phone.call(f"/api/bai/{exam}")[1]["paper"]["questions"]:
            if q["id"] in right:
                # A change of mind first, then the final answer: two saves per question.
                for value in (None, right[q["id"]]):
                    status, body = phone.call(f"/api/bai/{exam}/tra-loi", {"question": q["id"], "value": value})
                    if status != 200:
                        failures.append(f"{learner} {q['id']} {status} {body}")
            elif q["type"] == "practical":
                view = phone.call(f"/api/bai/{exam}/thuc-hanh/{q['id']}")[1]
                for index, values in solve_practical(exam, q["id"], q["scenario"], learner):
                    status, view = phone.call(
                        f"/api/bai/{exam}/thuc-hanh/{q['id']}",
                        {"action": str(index), "turn": view["turn"], "values": values},
                    )
                    if status != 200:
                        failures.append(f"{learner} practical {status} {view}")
                        break
            else:
                text = f"Bài tự luận của {learner}."
                status, body = phone.call(f"/api/bai/{exam}/tra-loi", {"question": q["id"], "value": text})
                if status != 200:
                    failures.append(f"{learner} {q['id']} {status} {body}")
        status, body = phone.call(f"/api/bai/{exam}/nop", {})
        if status != 200:
            failures.append(f"{learner} submit {status} {body}")
        return phone

    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        futures = [pool.submit(sit, learner) for learner in learners]
        phones = [f.result(timeout=240) for f in futures]
    return Crowd(phones, failures)
