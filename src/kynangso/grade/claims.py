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


def take(session: Any, exam: str, student: str, me: str | None = None, lease: timedelta = LEASE) -> bool:
    """Take the submission for this grader; False when another live grader holds it. Commits."""
    me = me or owner()
    now = _now()
    key = (table.c.assignment == exam) & (table.c.student == student)
    row = session.execute(sa.select(table.c.claim, table.c.claim_until).where(key)).first()
    try:
        if row is None:
            session.execute(
                sa.insert(table).values(
                    assignment=exam,
                    student=student,
                    status="grading",
                    reason="",
                    details="{}",
                    submission_sha256="",
                    claim=me,
                    claim_until=now + lease,
                )
            )
            session.commit()
            return True
        free = (table.c.claim.is_(None)) | (table.c.claim_until < now) | (table.c.claim == me)
        if row.claim and row.claim != me and _gone(row.claim):
            free = free | (table.c.claim == row.claim)
        done = session.execute(sa.update(table).where(key & free).values(claim=me, claim_until=now + lease))
        session.commit()
        return bool(done.rowcount)
    except sa.exc.IntegrityError:  # another grader inserted the row first
        session.rollback()
        return False


def release(session: Any, exam: str, student: str, me: str | None = None) -> None:
    me = me or owner()
    key = (table.c.assignment == exam) & (table.c.student == student) & (table.c.claim == me)
    session.execute(sa.update(table).where(key).values(claim=None, claim_until=None))
    session.commit()
