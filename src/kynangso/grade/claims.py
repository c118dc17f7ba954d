"""Who is grading a submission right now: a lease in the status table, so that two graders on one gradebook (two
trainers, or a grader restarted after ``kill -9``) never grade the same submission twice at once.

A grader takes a submission with one atomic UPDATE (or INSERT) that succeeds only when nobody holds it, the holder's
lease has run out, or the holder was a process of this machine that no longer exists. Writing the graded status
(:func:`kynangso.grade.status.write`) releases it in the same transaction as the grades.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kynangso.grade.status import table

LEASE = timedelta(minutes=30)


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _gone(holder: str) -> bool:
    """Whether ``holder`` was a process of this machine that has ended."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def take_many(
    session: Any, keys: list[tuple[str, str]], me: str | None = None, lease: timedelta = LEASE
) -> set[tuple[str, str]]:
    """Take the (exam, student) submissions this grader can have, in one transaction; returns those taken."""
    me = me or owner()
    taken = set()
    try:
        for exam, student in keys:
            if _take(session, exam, student, me, lease):
                taken.add((exam, student))
        session.commit()
    except sa.exc.IntegrityError:  # another grader inserted a row first: take them one by one
        session.rollback()
        taken = {key for key in keys if take(session, *key, me=me, lease=lease)}
    return taken


def take(session: Any, exam: str, student: str, me: str | None = None, lease: timedelta = LEASE) -> bool:
    """Take one submission for this grader; False when another live grader holds it. Commits."""
    try:
        done = _take(session, exam, student, me or owner(), lease)
        session.commit()
        return done
    except sa.exc.IntegrityError:  # another grader inserted the row first
        session.rollback()
        return False


def _take(session: Any, exam: str, student: str, me: str, lease: timedelta) -> bool:
    now = _now()
    key = (table.c.assignment == exam) & (table.c.student == student)
    row = session.execute(sa.select(table.c.claim, table.c.claim_until).where(key)).first()
    if row is None:
        values = {"status": "grading", "reason": "", "details": "{}", "submission_sha256": ""}
        session.execute(
            sa.insert(table).values(assignment=exam, student=student, claim=me, claim_until=now + lease, **values)
        )
        return True
    free = (table.c.claim.is_(None)) | (table.c.claim_until < now) | (table.c.claim == me)
    if row.claim and row.claim != me and _gone(row.claim):
        free = free | (table.c.claim == row.claim)
    done = session.execute(sa.update(table).where(key & free).values(claim=me, claim_until=now + lease))
    return bool(done.rowcount)


def release(session: Any, exam: str, student: str, me: str | None = None) -> None:
    me = me or owner()
    key = (table.c.assignment == exam) & (table.c.student == student) & (table.c.claim == me)
    session.execute(sa.update(table).where(key).values(claim=None, claim_until=None))
    session.commit()
