"""Sign-in with the code on the learner's card: the same codes as the phone exam room, checked against their
salted hashes in the course (``exam_room/codes.json``); trainers have codes of their own in the hub folder.

No password to invent, remember or reset: a member who lost the card gets a new one from the trainer
(``kynangso exam cards MÃ_HỌC_VIÊN``), which also ends the old code. Wrong codes slow sign-in down per account
and per address, as in the exam room.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Float, Unicode

from kynangso.room.codes import CodeBook, CodesError, Throttle


class StaffCodes(CodeBook):
    """The trainers' codes: the codes file format of the exam room, kept in the hub folder."""

    def __init__(self, path: Path):
        self.path = path
        self.data = {"format": 1, "kdf": {"name": "scrypt"}, "learners": {}}
        if path.exists():
            self._load()


class RosterCodeAuthenticator(Authenticator):
    course = Unicode(help="the nbgrader course root whose exam_room/codes.json holds the learners' codes").tag(
        config=True
    )
    staff_codes = Unicode(help="the trainers' codes file (kynangso hub init writes it)").tag(config=True)
    wait_base = Float(2.0, help="seconds to wait after three wrong codes in a row, doubled at each further one").tag(
        config=True
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._throttle = Throttle(base=self.wait_base)

    def _book(self, username: str) -> CodeBook:
        # Read at each sign-in: cards printed while the hub runs work at once, and old ones stop working.
        if username in (self.admin_users or set()):
            return StaffCodes(Path(self.staff_codes))
        return CodeBook(Path(self.course))

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        username = self.normalize_username(str(data.get("username", "")).strip())
        code = str(data.get("password", ""))
        address = handler.request.remote_ip if handler is not None else ""
        keys = (f"user:{username}", f"ip:{address}")
        wait = self._throttle.wait(*keys)
        if wait > 0:
            self.log.warning("Sign-in for %s from %s refused: %.0f s left after wrong codes", username, address, wait)
            return None
        try:
            book = self._book(username)
        except CodesError as exc:
            self.log.error("%s", exc)
            return None
        # scrypt takes tens of milliseconds: off the event loop, so 30 learners signing in at once do not stall it.
        ok = await asyncio.get_running_loop().run_in_executor(None, book.check, username, code)
        if not ok:
            self._throttle.failed(*keys)
            self.log.warning("Wrong sign-in code for %s from %s", username, address)
            return None
        self._throttle.succeeded(keys[0])
        return username
