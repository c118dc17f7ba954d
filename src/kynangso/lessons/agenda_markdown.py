"""Agenda TOML → ``curriculum/trainer-kit/chuong-trinh-<name>.md``, byte for byte reproducible.

Lessons appear by title, linked to their notebook, with their minutes from the lesson metadata, so the printed
agenda changes when a lesson does. Lessons the course leaves out are listed for self-study.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kynangso import atomic
from kynangso.lessons.agenda import Agenda, AgendaError, ExamInfo, Session, clock, load_all
from kynangso.lessons.catalogue import LessonInfo
from kynangso.lessons.notebook import FRONT_NAMES
from kynangso.sims.model import MODE_NAMES

HEADER = (
    "<!-- Tệp này được tạo tự động bằng lệnh `kynangso lessons agenda` từ {source} và thông tin trong từng bài "
    "học. Đừng sửa tay: hãy sửa tệp .toml rồi chạy lại lệnh. -->"
)
NONE = "—"


def target_of(agenda_path: Path) -> Path:
    """``trainer-kit/agendas/1-ngay.toml`` → ``trainer-kit/chuong-trinh-1-ngay.md``."""
    return agenda_path.parent.parent / f"chuong-trinh-{agenda_path.stem}.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(info: LessonInfo) -> str:
    return f"[{_cell(info.title)}](../{info.path.as_posix()})"


def _lesson_cell(session: Session) -> str:
    parts = [f"{_link(i)} ({i.minutes_teaching + i.minutes_practice} phút)" for i in session.lessons]
    if session.materials:
        parts.append(_cell(session.materials))
    return "; ".join(parts) or NONE


def _sim_cell(session: Session) -> str:
    if not session.simulations:
        return NONE
    sims = ", ".join(f"`{s}`" for s in session.simulations)
    return f"{sims} ({MODE_NAMES[session.mode].lower()})" if session.mode else sims


def _exam_cell(session: Session, exams: Mapping[str, ExamInfo]) -> str:
    if not session.exams:
        return NONE
    names = " hoặc ".join(f"`{e}`" for e in session.exams)
    longest = max(exams[e].minutes for e in session.exams)
    return f"{names} ({longest} phút)"


def _row(session: Session, exams: Mapping[str, ExamInfo]) -> str:
    hours = f"{clock(session.start)}–{clock(session.end)}"
    if session.is_break:
        return f"| {hours} | _{_cell(session.title)}_ | | | |"
    cells = (_cell(session.title), _lesson_cell(session), _sim_cell(session), _exam_cell(session, exams))
    return f"| {hours} | " + " | ".join(cells) + " |"


def render(agenda: Agenda, exams: Mapping[str, ExamInfo]) -> str:
    source = f"`{agenda.path.parent.name}/{agenda.path.name}`"
    lines = [HEADER.format(source=source), "", f"# {agenda.title}", ""]
    for label, value in (
        ("Dành cho", agenda.audience),
        ("Kết quả", agenda.outcome),
        ("Thiết bị", agenda.equipment),
        ("Giờ học", agenda.hours),
    ):
        if value:
            lines.append(f"**{label}:** {value}  ")
    if lines[-1].endswith("  "):
        lines[-1] = lines[-1].rstrip()
    if agenda.known:
        lines += ["", "**Học viên cần biết trước** (chương trình không dạy lại):", ""]
        titles = {i.id: i for i in agenda.catalogue}
        lines += [f"- {_link(titles[lesson_id])}: {why}" for lesson_id, why in agenda.known.items()]
    for day in agenda.days:
        if len(agenda.days) > 1 or day.title:
            lines += ["", f"## {day.title}" if day.title else "## Lịch học"]
        taught = sum(i.minutes_teaching + i.minutes_practice for s in day.sessions for i in s.lessons)
        lines += [
            "",
            f"Thời lượng bài học trong ngày: {taught} phút (giảng và thực hành, theo thông tin của từng bài).",
            "",
            "| Giờ | Phiên | Bài học | Mô phỏng | Bài thi |",
            "|---|---|---|---|---|",
        ]
        lines += [_row(s, exams) for s in day.sessions]
    if agenda.notes:
        lines += ["", "## Ghi chú", ""]
        lines += [f"- {note}" for note in agenda.notes]
    rest = agenda.left_for_self_study
    lines += ["", "## Tự học sau khóa", ""]
    if not rest:
        lines.append("Chương trình đã dạy mọi bài của giáo trình.")
    else:
        lines += [
            agenda.self_study
            or "Các bài dưới đây không có trong chương trình; học viên tự học sau khóa, theo thứ tự trên trang "
            "“Tiến độ của tôi”.",
            "",
        ]
        for front, name in FRONT_NAMES.items():
            group = [i for i in rest if i.front == front]
            if group:
                entries = ", ".join(
                    f"{_link(i)} (cấp {i.level}, {i.minutes_teaching + i.minutes_practice} phút)" for i in group
                )
                lines.append(f"- **{name}:** {entries}")
    lines.append("")
    return "\n".join(lines)


def generate(curriculum: Path, bank: Path | None = None) -> dict[Path, str]:
    """Target Markdown file → its text, for every agenda; raises :class:`AgendaError` when one is wrong."""
    from kynangso.lessons.agenda import exam_catalogue

    exams = exam_catalogue(bank)
    return {target_of(a.path): render(a, exams) for a in load_all(curriculum, exams)}


def write(curriculum: Path, bank: Path | None = None) -> list[Path]:
    """Write every agenda's Markdown (nothing when one is wrong); the files whose content changed."""
    changed = []
    for target, text in generate(curriculum, bank).items():
        data = text.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            continue
        atomic.write_bytes(target, data)
        changed.append(target)
    return changed


def stale(curriculum: Path, bank: Path | None = None) -> list[Path]:
    """Agenda Markdown files that differ from what their TOML and the lessons give."""
    return [
        target
        for target, text in generate(curriculum, bank).items()
        if not target.exists() or target.read_bytes() != text.encode("utf-8")
    ]


__all__ = ["AgendaError", "generate", "render", "stale", "target_of", "write"]
