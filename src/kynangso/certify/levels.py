"""A learner's level on each front, computed from the nbgrader gradebook with the certification policy.

This is the ONE place that decides levels (:func:`assess_results`): ``kynangso certify`` calls
:func:`compute_levels` / :func:`assess` on the gradebook, the department reports call :func:`assess_submissions`
on submissions they have already read and filtered (``kynangso.course.grades``).

Cells are recognised by the prefix of their nbgrader grade_id: ``q-`` (auto-graded answers), ``practical-``
(simulation task graded by replay), ``open-`` (open answer graded by hand). A submission with any cell that still
needs manual grading earns no level that depends on it; since the total score depends on every cell, such a
submission earns nothing until the trainer has finished grading it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from kynangso.certify.policy import LevelRule, Policy
from kynangso.fronts import LEVELS, exam_name

if TYPE_CHECKING:
    from kynangso.course.grades import Submission


class GradebookError(RuntimeError):
    """The gradebook cannot be read (Vietnamese message naming the database)."""


@dataclass(frozen=True)
class ExamResult:
    """One learner's graded submission of one exam, summarised by cell kind."""

    exam: str
    score: float
    max_score: float
    practical: tuple[tuple[str, float, float], ...]  # (grade_id, score, max)
    open: tuple[tuple[str, float, float], ...]
    pending_manual: tuple[str, ...]  # grade_ids that still need manual grading
    status: str = "graded"  # the submission's grading status (kynangso.grade.status); only "graded" counts
    status_reason: str = ""
    critical: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (practical grade_id, critical errors made)
    criteria: tuple[tuple[str, float, float], ...] = ()  # required criteria of open answers, scored by the trainer

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score > 0 else 0.0


@dataclass
class Assessment:
    """Why a learner has (or has not) a level on one front."""

    learner: str
    name: str
    front: str
    level: int  # 0 = no level yet
    percent: float | None = None  # total score (%) of the exam that earned the level
    notes: list[str] = field(default_factory=list)  # Vietnamese, one per exam that did not earn its level


def check_rule(result: ExamResult, rule: LevelRule) -> str | None:
    """None when the exam result earns the rule's level, else the reason (Vietnamese)."""
    if result.status not in ("graded", "needs_manual_grading"):  # open answers pending: said just below
        from kynangso.grade.status import LABELS

        why = f": {result.status_reason}" if result.status_reason else ""
        return f"bài {result.exam} {LABELS.get(result.status, result.status)}{why}"
    if result.pending_manual:
        return f"bài {result.exam} còn {len(result.pending_manual)} câu chờ giảng viên chấm tay"
    if result.max_score <= 0:
        return f"bài {result.exam} chưa có điểm"
    if result.percent + 1e-9 < rule.min_percent:
        return f"bài {result.exam} đạt {result.percent:.0f}%, cần từ {rule.min_percent:g}%"
    if rule.require_practical and rule.critical_errors_fail:
        for grade_id, errors in result.critical:
            if errors:
                return f"bài thực hành “{grade_id}” của bài {result.exam} có lỗi nghiêm trọng: {'; '.join(errors)}"
    if rule.require_open and rule.required_criteria:
        for grade_id, score, max_score in result.criteria:
            if max_score > 0 and score + 1e-9 < max_score:
                return f"câu trả lời mở của bài {result.exam} chưa đạt tiêu chí bắt buộc “{grade_id}”"
    for required, cells, threshold, what in (
        (rule.require_practical, result.practical, rule.practical_pass_percent, "bài thực hành"),
        (rule.require_open, result.open, rule.open_pass_percent, "câu trả lời mở"),
    ):
        if not required:
            continue
        if not cells:
            return f"bài {result.exam} không có {what} (cấp độ này bắt buộc)"
        for grade_id, score, max_score in cells:
            if max_score <= 0 or 100.0 * score / max_score + 1e-9 < threshold:
                return f"{what} “{grade_id}” của bài {result.exam} chưa đạt {threshold:g}%"
    return None


def _sqlite_path(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL (``sqlite:////abs/path`` is absolute), else None."""
    prefix = "sqlite:///"
    return Path(unquote(url[len(prefix) :])) if url.startswith(prefix) else None


def read_results(
    gradebook_url: str, course: Path | None = None
) -> tuple[dict[str, str], dict[str, dict[str, ExamResult]]]:
    """Learner names and every graded exam result: ({learner: name}, {learner: {exam: result}})."""
    path = _sqlite_path(gradebook_url)
    if path is not None and not path.is_file():
        raise GradebookError(f"{path}: không tìm thấy sổ điểm nbgrader (gradebook.db).")
    from kynangso.course.grades import read_gradebook  # imports nbgrader: only when levels are computed

    try:
        names, submissions = read_gradebook(gradebook_url, course)
    except Exception as exc:  # SQLAlchemy raises many kinds; the officer needs the database and the cause
        raise GradebookError(f"{gradebook_url}: không đọc được sổ điểm nbgrader ({exc}).") from exc
    results: dict[str, dict[str, ExamResult]] = {learner: {} for learner in names}
    results.update(results_from_submissions(submissions))
    return names, results


def assess_results(
    names: dict[str, str], results: dict[str, dict[str, ExamResult]], policy: Policy
) -> list[Assessment]:
    """Every (learner, front) pair of the policy's fronts, with the level reached and the reasons."""
    out: list[Assessment] = []
    for learner in sorted(results):
        for front in policy.fronts:
            a = Assessment(learner=learner, name=names.get(learner, learner), front=front, level=0)
            for level in sorted(LEVELS, reverse=True):
                result = results[learner].get(exam_name(front, level))
                if result is None:
                    continue
                rule = policy.levels[level]
                reason = check_rule(result, rule) or _missing_levels(results[learner], front, rule, policy)
                if reason is None:
                    a.level, a.percent = level, result.percent
                    break
                a.notes.append(reason)
            out.append(a)
    return out


def _missing_levels(results: dict[str, ExamResult], front: str, rule: LevelRule, policy: Policy) -> str | None:
    """Why the levels this rule requires first (e.g. level 2 before level 3) are not held, or None."""
    for needed in rule.requires:
        earlier = results.get(exam_name(front, needed))
        if earlier is None or check_rule(earlier, policy.levels[needed]) is not None:
            return (
                f"cấp độ {rule.level} ({LEVELS[rule.level].name}) cần đạt cấp độ {needed} "
                f"({LEVELS[needed].name}) của lĩnh vực này trước (bài {exam_name(front, needed)})"
            )
    return None


def assess(gradebook_url: str, policy: Policy, course: Path | None = None) -> list[Assessment]:
    """Every (learner, front) pair of the policy's fronts, read from the gradebook, with levels and reasons.
    With ``course``, a resubmission not yet regraded does not count on its earlier scores."""
    names, results = read_results(gradebook_url, course)
    return assess_results(names, results, policy)


def compute_levels(gradebook_url: str, policy: Policy) -> dict[str, dict[str, int]]:
    """{learner_id: {front: level}} for every learner with at least one level (levels 1–3; fronts without one omitted)."""
    levels: dict[str, dict[str, int]] = {}
    for a in assess(gradebook_url, policy):
        if a.level:
            levels.setdefault(a.learner, {})[a.front] = a.level
    return levels


CRITERION = "tieu-chi-"


def _open_answers(sub: Submission) -> tuple[tuple[str, float, float], ...]:
    """Each open question's answer with its required criteria (``tieu-chi-<question>-<n>``) counted in: the share
    of the question's points is what the policy's open_pass_percent is about."""
    totals: dict[str, tuple[float, float]] = {}
    for c in sub.cells:
        if c.grade_id.startswith("open-"):
            qid = c.grade_id.removeprefix("open-")
        elif c.grade_id.startswith(CRITERION):
            qid = c.grade_id.removeprefix(CRITERION).rpartition("-")[0]
        else:
            continue
        score, max_score = totals.get(f"open-{qid}", (0.0, 0.0))
        totals[f"open-{qid}"] = (score + c.score, max_score + c.max_score)
    return tuple((gid, s, m) for gid, (s, m) in sorted(totals.items()))


def results_from_submissions(submissions: Iterable[Submission]) -> dict[str, dict[str, ExamResult]]:
    """{learner: {exam: result}} from graded submissions read cell by cell (see ``kynangso.course.grades``)."""
    results: dict[str, dict[str, ExamResult]] = {}
    for sub in submissions:
        results.setdefault(sub.learner, {})[sub.exam] = ExamResult(
            exam=sub.exam,
            score=sum(c.score for c in sub.cells),
            max_score=sum(c.max_score for c in sub.cells),
            practical=tuple(
                (c.grade_id, c.score, c.max_score) for c in sub.cells if c.grade_id.startswith("practical-")
            ),
            open=_open_answers(sub),
            pending_manual=tuple(c.grade_id for c in sub.cells if c.needs_manual),
            status=sub.status,
            status_reason=sub.reason,
            critical=tuple((gid, tuple(errors)) for gid, errors in sorted(sub.critical.items())),
            criteria=tuple((c.grade_id, c.score, c.max_score) for c in sub.cells if c.grade_id.startswith(CRITERION)),
        )
    return results


def assess_submissions(names: dict[str, str], submissions: Iterable[Submission], policy: Policy) -> list[Assessment]:
    """Like :func:`assess`, on submissions already read (and perhaps filtered by date or commune)."""
    results: dict[str, dict[str, ExamResult]] = {learner: {} for learner in names}
    results.update(results_from_submissions(submissions))
    return assess_results(names, results, policy)
