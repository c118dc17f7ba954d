"""Training agendas as data (``curriculum/trainer-kit/agendas/*.toml``), checked against the lessons' metadata.

An agenda is days of timed sessions; a session names its lessons, simulations and exams by id, or is a break.
Checking refuses what would make the printed agenda untrue: an unknown id, a slot shorter than its lessons (plus
its exam), times that overlap or run backwards, a lesson taught before one it requires (unless the agenda marks
that prerequisite as already known). Every refusal is a :class:`Problem` naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kynangso.lessons.catalogue import LessonInfo, lessons
from kynangso.lessons.notebook import nfc
from kynangso.lessons.problems import Problem
from kynangso.sims.model import MODES

AGENDA_FOLDER = Path("trainer-kit") / "agendas"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TOP_KEYS = {"title", "audience", "outcome", "equipment", "hours", "known", "notes", "self_study", "day"}
_DAY_KEYS = {"title", "session"}
_SESSION_KEYS = {"start", "end", "title", "lessons", "simulations", "exams", "mode", "materials", "break"}


@dataclass(frozen=True)
class Session:
    key: str  # "day[1].session[2]", how a trainer finds it in the file
    start: int  # minutes after midnight
    end: int
    title: str
    lessons: tuple[LessonInfo, ...] = ()
    simulations: tuple[str, ...] = ()
    exams: tuple[str, ...] = ()  # alternatives: each learner sits one of them
    mode: str = ""
    materials: str = ""
    is_break: bool = False

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Day:
    title: str
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class Agenda:
    path: Path
    title: str
    audience: str
    outcome: str
    equipment: str
    hours: str
    known: dict[str, str]  # lesson id -> why the class is assumed to know it
    notes: tuple[str, ...]
    self_study: str
    days: tuple[Day, ...]
    catalogue: tuple[LessonInfo, ...] = field(repr=False, default=())

    @property
    def scheduled(self) -> list[LessonInfo]:
        return [info for day in self.days for s in day.sessions for info in s.lessons]

    @property
    def left_for_self_study(self) -> list[LessonInfo]:
        taken = {info.id for info in self.scheduled} | set(self.known)
        return [info for info in self.catalogue if info.id not in taken]


class AgendaError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ExamInfo:
    minutes: int
    asks: tuple[str, ...]  # the lessons its questions are taught in (``taught_in`` in the question bank)


def exam_catalogue(bank: Path | None = None) -> dict[str, ExamInfo]:
    """Exam id -> minutes and lessons asked, from the question bank the course's exams are built from."""
    from kynangso.exams.bank import BankError, default_bank_folder, load_bank

    try:
        exams = load_bank(bank or default_bank_folder(), require_all=False)
    except BankError:
        return {}
    return {
        name: ExamInfo(exam.minutes, tuple(dict.fromkeys(t for q in exam.questions for t in q.taught_in)))
        for name, exam in exams.items()
    }


def clock(value: int) -> str:
    return f"{value // 60}:{value % 60:02d}"


class _Reader:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def err(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, key, message))

    def text(self, table: Mapping[str, Any], name: str, key: str, required: bool = False) -> str:
        value = table.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.err(f"{key}{name}", "cần một dòng chữ" + (" (không được để trống)" if required else ""))
            return ""
        return nfc(value.strip())

    def ids(self, table: Mapping[str, Any], name: str, key: str) -> list[str]:
        value = table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(f"{key}.{name}", 'cần một danh sách mã, ví dụ ["gov-01-vneid"]')
            return []
        return list(value)

    def time(self, table: Mapping[str, Any], name: str, key: str) -> int | None:
        value = table.get(name)
        match = _TIME.match(value) if isinstance(value, str) else None
        if match is None:
            self.err(f"{key}.{name}", f'giờ phải viết dạng "07:30" (đang là {value!r})')
            return None
        return int(match.group(1)) * 60 + int(match.group(2))

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        for name in sorted(set(table) - allowed):
            self.err(f"{key}{name}", f"không có mục này (các mục dùng được: {', '.join(sorted(allowed))})")


def load(
    path: Path,
    catalogue: list[LessonInfo],
    scenarios: set[str],
    exams: Mapping[str, ExamInfo],
) -> Agenda:
    """The agenda in ``path``, checked; raises :class:`AgendaError` listing every problem."""
    r = _Reader(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AgendaError([Problem(path, "tệp", f"không đọc được tệp ({exc})")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise AgendaError([Problem(path, "tệp", f"không phải TOML hợp lệ ({exc})")]) from exc
    by_id = {info.id: info for info in catalogue}
    r.unknown_keys(raw, _TOP_KEYS, "")
    known_raw = raw.get("known", {})
    known: dict[str, str] = {}
    if not isinstance(known_raw, dict):
        r.err("known", 'cần một bảng: mã bài = "vì sao học viên đã biết"')
    else:
        for lesson_id, why in known_raw.items():
            if lesson_id not in by_id:
                r.err(f"known.{lesson_id}", f"không có bài học mã '{lesson_id}' trong curriculum/")
            elif not isinstance(why, str) or not why.strip():
                r.err(f"known.{lesson_id}", "cần ghi vì sao học viên đã biết bài này")
            else:
                known[lesson_id] = nfc(why.strip())
    notes = raw.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        r.err("notes", "cần một danh sách ghi chú (mỗi ghi chú một dòng chữ)")
        notes = []
    days_raw = raw.get("day", [])
    if not isinstance(days_raw, list) or not days_raw:
        r.err("day", "chương trình cần ít nhất một ngày ([[day]]) có các phiên ([[day.session]])")
        days_raw = []
    learned = set(known)
    placed: dict[str, str] = {}
    days = []
    for d, day_raw in enumerate(days_raw, 1):
        day_key = f"day[{d}]"
        if not isinstance(day_raw, dict):
            r.err(day_key, "mỗi ngày là một bảng [[day]]")
            continue
        r.unknown_keys(day_raw, _DAY_KEYS, f"{day_key}.")
        sessions = []
        previous: Session | None = None
        for n, raw_session in enumerate(day_raw.get("session", []) or [], 1):
            session = _session(r, raw_session, f"{day_key}.session[{n}]", by_id, scenarios, exams)
            if session is None:
                continue
            _check_time(r, session, previous)
            _check_minutes(r, session, exams)
            _check_order(r, session, learned, placed, days_raw, exams)
            sessions.append(session)
            previous = session
        if not sessions and not any(p.key.startswith(day_key) for p in r.problems):
            r.err(day_key, "ngày này chưa có phiên nào ([[day.session]])")
        days.append(Day(r.text(day_raw, "title", f"{day_key}."), tuple(sessions)))
    agenda = Agenda(
        path=path,
        title=r.text(raw, "title", "", required=True),
        audience=r.text(raw, "audience", ""),
        outcome=r.text(raw, "outcome", ""),
        equipment=r.text(raw, "equipment", ""),
        hours=r.text(raw, "hours", ""),
        known=known,
        notes=tuple(nfc(n.strip()) for n in notes),
        self_study=r.text(raw, "self_study", ""),
        days=tuple(days),
        catalogue=tuple(catalogue),
    )
    if r.problems:
        raise AgendaError(r.problems)
    return agenda


def _check_order(
    r: _Reader,
    session: Session,
    learned: set[str],
    placed: dict[str, str],
    days_raw: list[Any],
    exams: Mapping[str, ExamInfo],
) -> None:
    """Each lesson once, after what it requires; each exam after the lessons it asks about. Updates ``learned``
    and ``placed`` (lesson id -> session key) with this session's lessons."""
    for i, info in enumerate(session.lessons):
        where = f"{session.key}.lessons[{i + 1}]"
        if info.id in placed:
            r.err(where, f"bài '{info.id}' đã xếp ở {placed[info.id]}; mỗi bài chỉ xếp một lần")
            continue
        missing = [req for req in info.requires if req not in learned]
        for req in missing:
            where_later = _find(days_raw, req)
            later = f" (đang xếp sau, ở {where_later})" if where_later else ""
            r.err(
                where,
                f"trước bài '{info.id}' phải học bài '{req}' (mục requires của bài), nhưng bài '{req}' "
                f"chưa được xếp trước phiên này{later}; hãy xếp bài '{req}' sớm hơn, hoặc ghi nó vào "
                "[known] nếu học viên đã biết",
            )
        placed[info.id] = session.key
        learned.add(info.id)
    for i, exam in enumerate(session.exams):
        for asked in (a for a in exams[exam].asks if a not in learned):
            r.err(
                f"{session.key}.exams[{i + 1}]",
                f"đề '{exam}' hỏi điều dạy trong bài '{asked}' (taught_in trong ngân hàng câu hỏi), nhưng bài "
                "đó chưa được học trước phiên thi; hãy xếp bài sớm hơn, ghi nó vào [known] nếu học viên đã "
                "học, hoặc để bài thi cho buổi sau",
            )


def _find(days_raw: list[Any], lesson_id: str) -> str:
    """Where a lesson is scheduled in the raw file (for a message), or ""."""
    for d, day in enumerate(days_raw, 1):
        for n, s in enumerate(day.get("session", []) if isinstance(day, dict) else [], 1):
            if isinstance(s, dict) and isinstance(s.get("lessons"), list) and lesson_id in s["lessons"]:
                return f"day[{d}].session[{n}]"
    return ""


def _session(
    r: _Reader,
    raw: Any,
    key: str,
    by_id: Mapping[str, LessonInfo],
    scenarios: set[str],
    exams: Mapping[str, ExamInfo],
) -> Session | None:
    if not isinstance(raw, dict):
        r.err(key, "mỗi phiên là một bảng [[day.session]]")
        return None
    r.unknown_keys(raw, _SESSION_KEYS, f"{key}.")
    start, end = r.time(raw, "start", key), r.time(raw, "end", key)
    title = r.text(raw, "title", f"{key}.", required=True)
    is_break = raw.get("break", False)
    if not isinstance(is_break, bool):
        r.err(f"{key}.break", "ghi break = true cho giờ giải lao, nghỉ trưa")
        is_break = False
    found: list[LessonInfo] = []
    for i, lesson_id in enumerate(r.ids(raw, "lessons", key), 1):
        if lesson_id in by_id:
            found.append(by_id[lesson_id])
        else:
            r.err(f"{key}.lessons[{i}]", f"không có bài học mã '{lesson_id}' trong curriculum/")
    sims = r.ids(raw, "simulations", key)
    for i, sim in enumerate(sims, 1):
        if sim not in scenarios:
            r.err(
                f"{key}.simulations[{i}]",
                f"không có mô phỏng '{sim}' (không thấy tệp src/kynangso/sims/scenarios/{sim}.toml)",
            )
    exam_ids = r.ids(raw, "exams", key)
    for i, exam in enumerate(exam_ids, 1):
        if exam not in exams:
            r.err(
                f"{key}.exams[{i}]",
                f"không có bài thi '{exam}' trong ngân hàng câu hỏi (có: {', '.join(exams) or 'chưa có bài nào'})",
            )
    mode = raw.get("mode", "")
    if mode and mode not in MODES:
        r.err(f"{key}.mode", f"chế độ mô phỏng '{mode}' không có (dùng một trong: {', '.join(MODES)})")
    if is_break and (found or sims or exam_ids):
        r.err(key, "giờ giải lao không xếp bài học, mô phỏng hay bài thi")
    if start is None or end is None:
        return None
    return Session(
        key=key,
        start=start,
        end=end,
        title=title,
        lessons=tuple(found),
        simulations=tuple(sims),
        exams=tuple(e for e in exam_ids if e in exams),
        mode=mode if mode in MODES else "",
        materials=r.text(raw, "materials", f"{key}."),
        is_break=is_break,
    )


def _check_time(r: _Reader, session: Session, previous: Session | None) -> None:
    if session.end <= session.start:
        r.err(
            f"{session.key}.end",
            f"giờ kết thúc {clock(session.end)} phải sau giờ bắt đầu {clock(session.start)} (phiên “{session.title}”)",
        )
    if previous is not None and session.start < previous.end:
        what = "chồng lên" if session.start > previous.start else "đứng trước"
        r.err(
            f"{session.key}.start",
            f"phiên “{session.title}” bắt đầu {clock(session.start)}, {what} phiên trước "
            f"“{previous.title}” ({clock(previous.start)}–{clock(previous.end)}); các phiên phải theo thứ tự giờ, "
            "không chồng lên nhau",
        )


def needed_minutes(session: Session, exams: Mapping[str, ExamInfo]) -> int:
    """What a session must hold: its lessons' teaching and practice, plus the longest of its (alternative) exams."""
    lessons_total = sum(i.minutes_teaching + i.minutes_practice for i in session.lessons)
    return lessons_total + max((exams[e].minutes for e in session.exams), default=0)


def _check_minutes(r: _Reader, session: Session, exams: Mapping[str, ExamInfo]) -> None:
    need = needed_minutes(session, exams)
    if session.end > session.start and session.minutes < need:
        parts = [f"{i.id}: {i.minutes_teaching} + {i.minutes_practice}" for i in session.lessons]
        parts += [f"bài thi {e}: {exams[e].minutes}" for e in session.exams]
        r.err(
            f"{session.key}.end",
            f"phiên “{session.title}” dài {session.minutes} phút ({clock(session.start)}–{clock(session.end)}) "
            f"nhưng cần {need} phút ({'; '.join(parts)}); hãy kéo dài phiên hoặc bớt bài",
        )


def agenda_files(curriculum: Path) -> list[Path]:
    folder = curriculum / AGENDA_FOLDER
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_all(curriculum: Path, exams: Mapping[str, ExamInfo] | None = None) -> list[Agenda]:
    """Every agenda of a curriculum folder; raises :class:`AgendaError` with the problems of all of them."""
    from kynangso.lessons.validate import known_scenarios

    catalogue = lessons(curriculum)
    scenarios = known_scenarios()
    exams = exam_catalogue() if exams is None else exams
    found: list[Agenda] = []
    problems: list[Problem] = []
    for path in agenda_files(curriculum):
        try:
            found.append(load(path, catalogue, scenarios, exams))
        except AgendaError as exc:
            problems += exc.problems
    if problems:
        raise AgendaError(problems)
    return found
