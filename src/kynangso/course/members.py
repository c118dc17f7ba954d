"""The roster in the course's gradebook database: nbgrader's students plus a small table of our own.

Our table sits beside nbgrader's in the same database (SQLite by default, PostgreSQL on a hub), so reports can
join members to grades with one connection. A person is recognised on re-import by a salted hash of name and
birth date, which keeps learner ids stable without storing the full birth date.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date

import sqlalchemy as sa

from kynangso.course.roster import Candidate, Member, slug
from kynangso.course.units import fold

metadata = sa.MetaData()
meta_table = sa.Table(
    "kynangso_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)
members_table = sa.Table(
    "kynangso_member",
    metadata,
    sa.Column("learner_id", sa.String(128), primary_key=True),
    sa.Column("person_key", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("birth_year", sa.Integer, nullable=False),
    sa.Column("province", sa.String(128), nullable=False),
    sa.Column("province_code", sa.Integer, nullable=False),
    sa.Column("ward", sa.String(128), nullable=False),
    sa.Column("ward_code", sa.Integer, nullable=False),
    sa.Column("village", sa.String(255), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("email", sa.String(255), nullable=False, default=""),
)


def _engine(db_url: str) -> sa.Engine:
    """An engine on the gradebook database, with nbgrader's schema created first: nbgrader treats a database
    that already has tables but not its own as one to migrate, and would run alembic on it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url):
        pass
    engine = sa.create_engine(db_url)
    metadata.create_all(engine)
    return engine


def person_key(name: str, born: date, salt: str) -> str:
    return hashlib.sha256(f"{salt}|{fold(name)}|{born.isoformat()}".encode()).hexdigest()


def load_members(db_url: str) -> list[Member]:
    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(members_table).order_by(members_table.c.learner_id)).mappings().all()
    finally:
        engine.dispose()
    fields = list(Member.__dataclass_fields__)
    return [Member(**{f: r[f] for f in fields}) for r in rows]


def _salt(conn: sa.Connection) -> str:
    row = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "person_salt")).first()
    if row:
        return str(row[0])
    import secrets

    salt = secrets.token_hex(16)
    conn.execute(sa.insert(meta_table).values(key="person_salt", value=salt))
    return salt


def resolve_ids(candidates: Sequence[Candidate], db_url: str) -> tuple[list[Member], list[str]]:
    """Final learner ids: a known person keeps theirs; a new one takes the readable base id when it is free."""
    engine = _engine(db_url)
    try:
        with engine.begin() as conn:
            salt = _salt(conn)
            known = {
                r.person_key: r.learner_id
                for r in conn.execute(sa.select(members_table.c.person_key, members_table.c.learner_id))
            }
    finally:
        engine.dispose()
    keys = [person_key(c.member.name, c.born, salt) for c in candidates]
    taken = set(known.values())
    bases = [f"{slug(c.member.name)}-{c.member.birth_year}" for c in candidates]
    counts = Counter(bases)
    members = []
    for c, key, base in zip(candidates, keys, bases, strict=True):
        if key in known:
            learner_id = known[key]
        elif base not in taken and counts[base] == 1:
            learner_id = base
        else:
            learner_id = f"{base}-{c.phone[-4:]}"
        taken.add(learner_id)
        members.append(Member(**{**asdict(c.member), "learner_id": learner_id}))
    return members, keys


def save_members(members: Sequence[Member], keys: Sequence[str], db_url: str) -> None:
    """nbgrader's students first (idempotent upserts), then our table in one transaction: re-running after a
    crash completes the import."""
    from nbgrader.api import Gradebook, Student

    # nbgrader's own models, committed once: update_or_create_student commits per person, 20 s for 10,000.
    with Gradebook(db_url) as gb:
        existing = {s.id: s for s in gb.db.query(Student).all()}
        for m in members:
            family, given = m.family_and_given
            student = existing.get(m.learner_id)
            if student is None:
                gb.db.add(Student(id=m.learner_id, last_name=family, first_name=given, email=m.email or None))
            else:
                student.last_name, student.first_name, student.email = family, given, m.email or None
        gb.db.commit()
    engine = _engine(db_url)
    try:
        with engine.begin() as conn:
            ids = [m.learner_id for m in members]
            for start in range(0, len(ids), 500):
                conn.execute(sa.delete(members_table).where(members_table.c.learner_id.in_(ids[start : start + 500])))
            if members:
                conn.execute(
                    sa.insert(members_table),
                    [{**asdict(m), "person_key": k} for m, k in zip(members, keys, strict=True)],
                )
    finally:
        engine.dispose()
