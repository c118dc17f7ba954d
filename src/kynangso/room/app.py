"""The room's web server (tornado, the server Jupyter itself runs on): pages, a small JSON API, no kernel.

Why not one Voilà kernel per phone: Voilà lets the page's websocket send any code to its kernel, and a kernel
started in the course folder can read ``answer_keys/``; thirty kernels also do not fit a trainer's laptop. Here the
browser gets static pages and JSON built from the released exam only, and every action is checked on the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from pathlib import Path
from typing import Any, NoReturn

import tornado.web

from kynangso.assets import FONTS
from kynangso.room.codes import CodesError, learner_key
from kynangso.room.paper import AnswerError, RoomError, clean, public_data, takes_answer
from kynangso.room.service import Room, cookie_secret

STATIC = Path(__file__).resolve().parent / "static"
LEARNER_COOKIE = "phong_thi"
TRAINER_COOKIE = "giam_thi"
ONLINE_SECONDS = 120
GRACE_SECONDS = 30  # a save already on its way when the time runs out still counts


class Base(tornado.web.RequestHandler):
    @property
    def room(self) -> Room:
        room: Room = self.application.settings["room"]
        return room

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def prepare(self) -> None:
        # Only our own page sends this header; another site cannot make a phone post to the room.
        if self.request.method == "POST" and self.request.headers.get("X-Phong-Thi") != "1":
            raise tornado.web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Any failure the handlers did not foresee still reaches the phone as a sentence it can show.
        exc = kwargs.get("exc_info", (None, None))[1]
        detail = str(exc) if isinstance(exc, RoomError) else "lỗi không mong đợi"
        self.finish({"error": f"Máy chủ phòng thi gặp lỗi ({detail}). Câu trả lời đã lưu vẫn còn; báo giám thị."})

    def body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self.fail(400, "Yêu cầu không hợp lệ.")
        return data

    def fail(self, status: int, message: str, **extra: Any) -> NoReturn:
        self.set_status(status)
        self.finish({"error": message, **extra})
        raise tornado.web.Finish()

    def learner(self) -> str:
        raw = self.get_signed_cookie(LEARNER_COOKIE, max_age_days=2)
        learner = raw.decode() if raw else ""
        if not learner or learner not in self.room.codes.learners:
            self.fail(401, "Anh/chị hãy đăng nhập lại.")
        self.room.seen.setdefault(learner, {})["at"] = time.time()
        return learner

    def open_exam(self, exam: str) -> None:
        if exam not in self.room.store.open_exams():
            self.fail(403, "Bài thi này hiện chưa mở hoặc đã đóng. Anh/chị hãy hỏi giám thị.")


class Page(Base):
    def initialize(self, name: str) -> None:
        self.name = name

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish((STATIC / self.name).read_bytes())


class SignIn(Base):
    async def post(self) -> None:
        data = self.body()
        learner = learner_key(str(data.get("learner", ""))[:128])
        code = str(data.get("code", ""))[:32]
        keys = (f"hoc-vien:{learner}", f"may:{self.request.remote_ip}")
        try:
            self.room.refresh_codes()
        except CodesError as exc:  # a hand-edited file with a mistake: keep the codes already loaded
            logging.getLogger("kynangso.room").error("%s", exc)
        wait = self.room.throttle.wait(*keys)
        if wait > 0:
            self.fail(429, f"Nhập sai nhiều lần. Anh/chị chờ {int(wait) + 1} giây rồi thử lại.", wait=wait)
        ok = await asyncio.get_running_loop().run_in_executor(None, self.room.codes.check, learner, code)
        if not ok:
            delay = self.room.throttle.failed(*keys)
            extra = f" Lần sau hãy chờ {int(delay) + 1} giây." if delay else ""
            self.fail(403, "Mã học viên hoặc mã dự thi chưa đúng." + extra, wait=delay)
        self.room.throttle.succeeded(keys[0])
        self.set_signed_cookie(LEARNER_COOKIE, learner, expires_days=2, httponly=True, samesite="Strict")
        self.room.seen[learner] = {"at": time.time(), "signed_in": time.time()}
        self.finish({"learner": learner, "name": self.room.names.get(learner, learner)})


class SignOut(Base):
    def post(self) -> None:
        self.clear_cookie(LEARNER_COOKIE)
        self.finish({"ok": True})


class Me(Base):
    def get(self) -> None:
        learner = self.learner()
        exams = []
        for exam, info in sorted(self.room.store.open_exams().items()):
            state = self.room.store.state(learner, exam)
            done, total = self.room.progress(learner, exam)
            last = state["submissions"][-1] if state["submissions"] else None
            exams.append(
                {
                    "exam": exam,
                    "title": self.room.paper(learner, exam)["title"],
                    "minutes": info.get("minutes"),
                    "answered": done,
                    "total": total,
                    "receipt": last["receipt"] if last else None,
                }
            )
        self.finish({"learner": learner, "name": self.room.names.get(learner, learner), "exams": exams})


class Exam(Base):
    def get(self, exam: str) -> None:
        learner = self.learner()
        self.open_exam(exam)
        state = self.room.start(learner, exam)
        self.room.seen[learner]["exam"] = exam
        last = state["submissions"][-1] if state["submissions"] else None
        practical = {k: len(v.get("entries", [])) for k, v in state["practical"].items()}
        self.finish(
            {
                "paper": self.room.paper(learner, exam),
                "answers": state["answers"],
                "practical": practical,
                "current": state.get("current", 1),
                "remaining": self.room.remaining(state),
                "receipt": last["receipt"] if last else None,
            }
        )


class Answer(Base):
    def post(self, exam: str) -> None:
        learner = self.learner()
        self.open_exam(exam)
        data = self.body()
        state = self.room.start(learner, exam)
        left = self.room.remaining(state)
        if left is not None and left <= 0 and time.time() > state["deadline"] + GRACE_SECONDS:
            self.fail(409, "Đã hết giờ làm bài: câu trả lời mới không được lưu. Anh/chị bấm Nộp bài.")
        count = len(self.room.paper(learner, exam)["questions"])
        if isinstance(data.get("current"), int) and 1 <= data["current"] <= count:
            state["current"] = data["current"]
        if "question" in data:
            questions = {q["id"]: q for q in self.room.paper(learner, exam)["questions"]}
            q = questions.get(str(data["question"]))
            if q is None or not takes_answer(q):
                self.fail(400, "Không có câu hỏi này.")
            try:
                value = clean(q, data.get("value"))
            except AnswerError as exc:
                self.fail(422, str(exc))
            if value is None:
                state["answers"].pop(q["id"], None)
            else:
                state["answers"][q["id"]] = value
            state["dirty"] = True
        self.room.store.save(learner, exam)
        done, total = self.room.progress(learner, exam)
        self.finish({"ok": True, "answered": done, "total": total})


class Sim(Base):
    def _question(self, learner: str, exam: str, qid: str) -> dict[str, Any]:
        for q in self.room.paper(learner, exam)["questions"]:
            if q["id"] == qid and not takes_answer(q):
                return q
        self.fail(404, "Không có bài thực hành này.")

    def get(self, exam: str, qid: str) -> None:
        learner = self.learner()
        self.open_exam(exam)
        q = self._question(learner, exam, qid)
        self.finish(self.room.practical(learner, exam, q).view())

    def post(self, exam: str, qid: str) -> None:
        learner = self.learner()
        self.open_exam(exam)
        data = self.body()
        q = self._question(learner, exam, qid)
        state = self.room.start(learner, exam)
        left = self.room.remaining(state)
        if left is not None and left <= 0 and time.time() > state["deadline"] + GRACE_SECONDS:
            self.fail(409, "Đã hết giờ làm bài. Anh/chị bấm Nộp bài.")
        run = self.room.practical(learner, exam, q)
        feedback = None
        if data.get("restart"):
            run.restart()
        else:
            values = data.get("values") if isinstance(data.get("values"), dict) else {}
            feedback = run.act(str(data.get("action", "")), values or {}, data.get("turn"))
        state["practical"][qid] = {"entries": run.session.transcript}
        state["dirty"] = True
        self.room.store.save(learner, exam)
        done, total = self.room.progress(learner, exam)
        self.finish({**run.view(feedback), "answered": done, "total": total})


class Submit(Base):
    async def post(self, exam: str) -> None:
        learner = self.learner()
        self.open_exam(exam)
        done = await self.room.submit(learner, exam)
        self.finish({"receipt": done["receipt"], "timestamp": done["timestamp"]})


class TrainerSignIn(Base):
    async def post(self) -> None:
        code = str(self.body().get("code", ""))[:32]
        keys = ("giam-thi", f"may:{self.request.remote_ip}")
        wait = self.room.throttle.wait(*keys)
        if wait > 0:
            self.fail(429, f"Nhập sai nhiều lần. Chờ {int(wait) + 1} giây rồi thử lại.", wait=wait)
        ok = await asyncio.get_running_loop().run_in_executor(None, self.room.codes.check_trainer, code)
        if not ok:
            self.fail(403, "Mã giám thị chưa đúng.", wait=self.room.throttle.failed(*keys))
        self.room.throttle.succeeded(keys[0])
        self.set_signed_cookie(TRAINER_COOKIE, "1", expires_days=1, httponly=True, samesite="Strict")
        self.finish({"ok": True})


class TrainerBase(Base):
    def trainer(self) -> None:
        if self.get_signed_cookie(TRAINER_COOKIE, max_age_days=1) != b"1":
            self.fail(401, "Hãy nhập mã giám thị.")


class Status(TrainerBase):
    def get(self) -> None:
        self.trainer()
        room, now = self.room, time.time()
        opened = room.store.open_exams()
        exams = []
        for exam in room.available:
            title = exam
            with contextlib.suppress(RoomError):
                title = public_data(room.course, exam).get("title", exam)
            exams.append({"exam": exam, "title": title, "open": exam in opened, **opened.get(exam, {})})
        states: dict[str, list[dict[str, Any]]] = {}
        for state in room.store.known_states():
            states.setdefault(state["learner"], []).append(state)
        learners = []
        for learner in sorted(room.codes.learners):
            seen = room.seen.get(learner, {})
            papers = []
            for state in states.get(learner, []):
                if state["exam"] not in room.available or (state["started"] is None and not state["submissions"]):
                    continue  # listed on the learner's home page, never opened
                done, total = room.progress(learner, state["exam"])
                last = state["submissions"][-1] if state["submissions"] else None
                papers.append(
                    {
                        "exam": state["exam"],
                        "answered": done,
                        "total": total,
                        "submitted": len(state["submissions"]),
                        "receipt": last["receipt"] if last else None,
                        "pending": bool(state.get("dirty")),
                    }
                )
            learners.append(
                {
                    "learner": learner,
                    "name": room.names.get(learner, learner),
                    "online": now - seen.get("at", 0) < ONLINE_SECONDS,
                    "exam": seen.get("exam"),
                    "papers": papers,
                }
            )
        self.finish({"exams": exams, "learners": learners})


class OpenClose(TrainerBase):
    async def post(self, exam: str) -> None:
        self.trainer()
        data = self.body()
        try:
            self.room.check_exam(exam)
        except RoomError as exc:
            self.fail(404, str(exc))
        handed: list[str] = []
        if data.get("open"):
            minutes = data.get("minutes")
            if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= 600):
                self.fail(422, "Thời gian làm bài phải là số phút từ 1 đến 600, hoặc để trống.")
            self.room.store.set_open(exam, True, minutes)
        else:
            handed = await self.room.close(exam)
        self.finish({"ok": True, "handed_in": handed})


def make_app(room: Room) -> tornado.web.Application:
    routes: list[Any] = [
        (r"/", Page, {"name": "index.html"}),
        (r"/giam-thi", Page, {"name": "giam-thi.html"}),
        (r"/api/dang-nhap", SignIn),
        (r"/api/dang-xuat", SignOut),
        (r"/api/toi", Me),
        (r"/api/bai/([a-z]+-[0-9])", Exam),
        (r"/api/bai/([a-z]+-[0-9])/tra-loi", Answer),
        (r"/api/bai/([a-z]+-[0-9])/thuc-hanh/([a-z0-9-]+)", Sim),
        (r"/api/bai/([a-z]+-[0-9])/nop", Submit),
        (r"/api/giam-thi/dang-nhap", TrainerSignIn),
        (r"/api/giam-thi/trang-thai", Status),
        (r"/api/giam-thi/bai/([a-z]+-[0-9])", OpenClose),
        (r"/tinh/font/(.*)", tornado.web.StaticFileHandler, {"path": str(FONTS)}),
        (r"/tinh/(.*)", tornado.web.StaticFileHandler, {"path": str(STATIC)}),
    ]
    return tornado.web.Application(routes, room=room, cookie_secret=cookie_secret(room.course), xsrf_cookies=False)
