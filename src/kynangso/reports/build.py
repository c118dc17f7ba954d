"""Gather what a report shows from a course folder: roster, submissions (optionally filtered), levels."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kynangso.course.grades import Submission, read_submissions
from kynangso.course.roster import Member
from kynangso.reports.figures import Levels, members_with_unlisted


@dataclass
class ReportData:
    course: Path
    members: list[Member]
    submissions: list[Submission]
    levels: Levels
    fronts: list[str]
    labels: dict[str, str]
    start: date | None = None
    end: date | None = None


def question_labels(course: Path) -> dict[str, str]:
    """``q-<id>`` → a short Vietnamese label from the question bank the course was built from."""
    from kynangso.exams.bank import BankError, default_bank_folder, load_bank

    try:
        bank = load_bank(default_bank_folder())
    except BankError:
        return {}
    labels = {}
    for exam in bank.values():
        for q in exam.questions:
            text = q.variants[0].text.replace("\n", " ").strip()
            labels[f"{q.kind}-{q.id}"] = f"{q.id}: {text[:90]}{'…' if len(text) > 90 else ''}"
    return labels


def gather(
    course: Path,
    policy_path: Path,
    start: date | None = None,
    end: date | None = None,
    wards: Collection[str] | None = None,
) -> ReportData:
    from kynangso.certify.levels import assess_submissions
    from kynangso.certify.policy import load_policy
    from kynangso.course.locate import course_settings
    from kynangso.course.members import load_members

    policy = load_policy(policy_path)
    db_url = course_settings(course)["db_url"]
    submissions = [s for s in read_submissions(db_url, course) if s.on(start, end)]
    members = members_with_unlisted(load_members(db_url), {s.learner for s in submissions})
    if wards:
        members = [m for m in members if m.ward in wards]
        keep = {m.learner_id for m in members}
        submissions = [s for s in submissions if s.learner in keep]
    names = {m.learner_id: m.name for m in members}
    levels: dict[str, dict[str, int]] = {}
    for a in assess_submissions(names, submissions, policy):
        if a.level:
            levels.setdefault(a.learner, {})[a.front] = a.level
    return ReportData(course, members, submissions, levels, list(policy.fronts), question_labels(course), start, end)
