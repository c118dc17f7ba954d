"""The report's numbers, computed from members, levels and submissions; pure functions, no I/O.

Levels come from ``kynangso.certify.levels`` — the same function that decides certificates — so a report never
disagrees with the certificates issued from the same gradebook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kynangso.course.grades import Submission
from kynangso.course.roster import Member
from kynangso.fronts import LEVELS

GUIDE_LEVEL = 3
UNLISTED = "(chưa có trong danh sách học viên)"

Levels = Mapping[str, Mapping[str, int]]  # learner → front → level (1–3)


@dataclass
class Coverage:
    """Counts for one group of members: a commune or a village team."""

    province: str
    ward: str
    village: str = ""
    members: int = 0
    certified: int = 0
    guides: int = 0
    teams: int = 0
    teams_with_guide: int = 0
    by_highest_level: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def percent_certified(self) -> float:
        return 100.0 * self.certified / self.members if self.members else 0.0


@dataclass(frozen=True)
class Item:
    """How one graded cell (one question of one exam) went across learners."""

    exam: str
    grade_id: str
    label: str
    attempts: int
    full_marks: int
    mean_percent: float

    @property
    def percent_correct(self) -> float:
        return 100.0 * self.full_marks / self.attempts if self.attempts else 0.0


def highest(levels: Levels, learner: str) -> int:
    return max(levels.get(learner, {}).values(), default=0)


def _count(row: Coverage, member: Member, levels: Levels) -> None:
    top = highest(levels, member.learner_id)
    row.members += 1
    if top:
        row.certified += 1
        row.by_highest_level[top] += 1
    if top >= GUIDE_LEVEL:
        row.guides += 1


def by_team(members: Iterable[Member], levels: Levels) -> list[Coverage]:
    rows: dict[tuple[str, str, str], Coverage] = {}
    for m in members:
        key = (m.province, m.ward, m.village)
        _count(rows.setdefault(key, Coverage(m.province, m.ward, m.village)), m, levels)
    return [rows[k] for k in sorted(rows)]


def by_commune(members: Sequence[Member], levels: Levels) -> list[Coverage]:
    rows: dict[tuple[str, str], Coverage] = {}
    for m in members:
        _count(rows.setdefault((m.province, m.ward), Coverage(m.province, m.ward)), m, levels)
    for team in by_team(members, levels):
        row = rows[(team.province, team.ward)]
        row.teams += 1
        row.teams_with_guide += 1 if team.guides else 0
    return [rows[k] for k in sorted(rows)]


def front_by_level(members: Sequence[Member], levels: Levels, fronts: Sequence[str]) -> dict[str, dict[int, int]]:
    """Members at each level (0 = not yet certified) on each front."""
    table = {f: dict.fromkeys([0, *LEVELS], 0) for f in fronts}
    for m in members:
        for f in fronts:
            table[f][levels.get(m.learner_id, {}).get(f, 0)] += 1
    return table


def item_analysis(submissions: Iterable[Submission], labels: Mapping[str, str] | None = None) -> list[Item]:
    """Every graded cell with how many learners got it fully right, weakest first.

    Cells still waiting for a trainer's manual grade are left out: their score is not known yet; so are the
    submissions that do not count (failed, flagged, resubmitted): their scores are not the learner's.
    """
    seen: dict[tuple[str, str], list[tuple[bool, float]]] = defaultdict(list)
    for sub in submissions:
        if not sub.counts and sub.status != "needs_manual_grading":
            continue
        for cell in sub.cells:
            if cell.needs_manual or cell.max_score <= 0:
                continue
            seen[(sub.exam, cell.grade_id)].append((cell.full_marks, 100.0 * cell.score / cell.max_score))
    items = [
        Item(
            exam,
            gid,
            (labels or {}).get(gid, gid),
            len(marks),
            sum(1 for full, _ in marks if full),
            sum(p for _, p in marks) / len(marks),
        )
        for (exam, gid), marks in seen.items()
    ]
    return sorted(items, key=lambda i: (i.percent_correct, i.mean_percent, i.exam, i.grade_id))


def members_with_unlisted(members: Sequence[Member], learners: Iterable[str]) -> list[Member]:
    """The roster plus learners graded in nbgrader who were never imported, grouped apart so no one is lost."""
    known = {m.learner_id for m in members}
    extra = [
        Member(learner, learner, 0, UNLISTED, 0, UNLISTED, 0, UNLISTED, "thành viên")
        for learner in sorted(set(learners) - known)
    ]
    return [*members, *extra]


def not_counted(submissions: Iterable[Submission]) -> list[Submission]:
    """Submissions whose scores do not count toward a level, with the reason: what the department must see."""
    return sorted((s for s in submissions if not s.counts), key=lambda s: (s.learner, s.exam))
