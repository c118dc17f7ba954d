"""The "Tiến độ của tôi" page: progress per part of the curriculum and what to do next.

``summarize`` is pure (lessons + progress record in, summary out) and ``render_html`` turns it into HTML; the
Voilà notebook only calls ``show()``.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kynangso.fronts import LEVELS, exam_name
from kynangso.lessons.catalogue import LessonInfo, find_curriculum, lessons
from kynangso.lessons.notebook import FRONT_NAMES, FRONT_ORDER
from kynangso.reader import lesson_url, reader_prefix

FONT = "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class LessonStatus:
    info: LessonInfo
    state: str  # "chua-hoc" | "dang-hoc" | "da-xong"
    checks_total: int
    checks_right: int


@dataclass
class FrontSummary:
    front: str
    name: str
    lessons: list[LessonStatus] = field(default_factory=list)
    sims_done: list[str] = field(default_factory=list)
    sims_todo: list[str] = field(default_factory=list)
    sim_titles: dict[str, str] = field(default_factory=dict)
    next_step: str = ""

    @property
    def finished(self) -> int:
        return sum(1 for s in self.lessons if s.state == "da-xong")


def count_checks(curriculum: Path, info: LessonInfo) -> int:
    from kynangso.lessons.notebook import read

    try:
        nb = read(curriculum / info.path)
    except Exception:
        return 0
    from kynangso.lessons.selfcheck import check_cells

    return sum(1 for found in check_cells(nb.cells) if isinstance(found.data, dict))


def scenario_index(folder: Path | None = None) -> dict[str, tuple[str, str]]:
    """Scenario id → (front, title), read from the scenario files themselves (no import of the engine)."""
    import tomllib

    from kynangso.lessons.validate import SCENARIOS_DIR

    folder = SCENARIOS_DIR if folder is None else folder
    index: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        index[path.stem] = (str(data.get("front", "")), str(data.get("title", path.stem)))
    return index


def _state(lesson_id: str, data: dict[str, Any]) -> str:
    entry = data.get("lessons", {}).get(lesson_id, {})
    if entry.get("finished"):
        return "da-xong"
    return "dang-hoc" if entry else "chua-hoc"


def summarize(
    items: list[LessonInfo],
    data: dict[str, Any],
    checks: dict[str, int] | None = None,
    scenarios: dict[str, tuple[str, str]] | None = None,
) -> list[FrontSummary]:
    checks = checks or {}
    scenarios = scenarios or {}
    sims_record = data.get("simulations", {})
    result = []
    for front in FRONT_ORDER:
        summary = FrontSummary(front, FRONT_NAMES[front])
        for info in (i for i in items if i.front == front):
            done = data.get("selfchecks", {}).get(info.id, {})
            right = sum(1 for v in done.values() if isinstance(v, dict) and v.get("ever_correct"))
            summary.lessons.append(LessonStatus(info, _state(info.id, data), checks.get(info.id, 0), right))
        # The simulations of a front: those its lessons embed and those whose scenario says it belongs here.
        sims = sorted(
            {s for st in summary.lessons for s in st.info.simulations}
            | {k for k, v in scenarios.items() if v[0] == front}
        )
        summary.sim_titles = {sid: scenarios.get(sid, ("", sid))[1] for sid in sims}
        completed = {
            s
            for s, modes in sims_record.items()
            if isinstance(modes, dict) and any(isinstance(m, dict) and m.get("completed") for m in modes.values())
        }
        summary.sims_done = [s for s in sims if s in completed]
        summary.sims_todo = [s for s in sims if s not in completed]
        summary.next_step = _next_step(summary)
        result.append(summary)
    return result


def _next_step(summary: FrontSummary) -> str:
    practise = "Luyện tập mô phỏng: " + ", ".join(f"“{summary.sim_titles.get(s, s)}”" for s in summary.sims_todo) + "."
    if not summary.lessons:
        return practise if summary.sims_todo else "Phần này đang được biên soạn."
    # A lesson already begun comes first: finishing it is the shortest way forward.
    begun = [s for s in summary.lessons if s.state == "dang-hoc"]
    todo = begun or [s for s in summary.lessons if s.state == "chua-hoc"]
    if todo:
        status = todo[0]
        verb = "Học tiếp" if status.state == "dang-hoc" else "Học bài"
        return f"{verb}: “{status.info.title}” (cấp độ {status.info.level} · {LEVELS[status.info.level].name})."
    if summary.sims_todo:
        return practise
    if summary.front == "orientation":
        return "Anh/chị đã xong phần Định hướng. Chọn một mặt trận để học tiếp."
    top = max(s.info.level for s in summary.lessons)
    return f"Sẵn sàng làm bài thi {exam_name(summary.front, top)}: hỏi giảng viên và mở thẻ “Assignments” để nhận đề."


_STATE_LABEL = {
    "chua-hoc": ("○", "Chưa học", "#666"),
    "dang-hoc": ("◐", "Đang học", "#b07d00"),
    "da-xong": ("●", "Đã xong", "#1e7b34"),
}


def lesson_href(info: LessonInfo, prefix: str = "/", reader: bool = False) -> str:
    """Where a lesson opens: its reader page when the server has the reader (``kynangso start``), else
    JupyterLab; under JupyterHub the server lives below the user's prefix."""
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    if reader:
        return lesson_url(info.id, prefix)
    return f"{prefix}lab/tree/curriculum/{quote(info.path.as_posix())}"


def render_html(summaries: list[FrontSummary], prefix: str = "/", reader: bool = False) -> str:
    e = html.escape
    total = sum(len(s.lessons) for s in summaries)
    done = sum(s.finished for s in summaries)
    parts = [
        f'<div style="font-family:{FONT};font-size:17px;line-height:1.5;max-width:760px">',
        f"<p>Anh/chị đã học xong <b>{done}/{total}</b> bài.</p>",
    ]
    first_next = next((s for s in summaries if s.finished < len(s.lessons) or s.sims_todo), None)
    if first_next:
        parts.append(
            "<div style='background:#eef4fb;border-left:6px solid #1f5fa8;border-radius:8px;padding:8px 12px;margin:8px 0'>"
            f"<b>Việc nên làm tiếp:</b> {e(first_next.next_step)}</div>"
        )
    for s in summaries:
        pct = round(100 * s.finished / len(s.lessons)) if s.lessons else 0
        parts.append(
            "<div style='border:1px solid #c9d3e0;border-radius:12px;padding:10px 14px;margin:12px 0;background:#fbfcfe'>"
            f"<h3 style='margin:2px 0'>{e(s.name)}</h3>"
            f"<div style='background:#e3e8ef;border-radius:6px;height:14px;margin:6px 0' aria-label='{pct}%'>"
            f"<div style='background:#1e7b34;width:{pct}%;height:14px;border-radius:6px'></div></div>"
            f"<div>{s.finished}/{len(s.lessons)} bài đã xong</div><ul style='padding-left:18px;margin:6px 0'>"
        )
        for st in s.lessons:
            mark, label, colour = _STATE_LABEL[st.state]
            score = f" · tự kiểm tra đúng {st.checks_right}/{st.checks_total}" if st.checks_total else ""
            parts.append(
                f"<li style='list-style:none;margin:4px 0'><span style='color:{colour}'>{mark} {label}</span> — "
                f"<a href='{e(lesson_href(st.info, prefix, reader))}' target='_blank'>{e(st.info.title)}</a> "
                f"<span style='color:#555'>(cấp {st.info.level}{score})</span></li>"
            )
        parts.append("</ul>")
        if s.sims_done or s.sims_todo:
            total_sims = len(s.sims_done) + len(s.sims_todo)
            parts.append(
                f"<div>Mô phỏng đã hoàn thành: {len(s.sims_done)}/{total_sims}</div><ul style='padding-left:18px;margin:6px 0'>"
            )
            for sid in sorted(s.sims_done + s.sims_todo):
                mark, label, colour = _STATE_LABEL["da-xong" if sid in s.sims_done else "chua-hoc"]
                label = "Đã hoàn thành" if sid in s.sims_done else "Chưa làm"
                parts.append(
                    f"<li style='list-style:none;margin:4px 0'><span style='color:{colour}'>{mark} {label}</span> — "
                    f"{e(s.sim_titles.get(sid, sid))}</li>"
                )
            parts.append("</ul>")
        parts.append(f"<div style='margin-top:6px'><b>Tiếp theo:</b> {e(s.next_step)}</div></div>")
    parts.append("</div>")
    return "".join(parts)


def page_html(curriculum: Path | None = None) -> str:
    from kynangso.lessons import progress

    curriculum = curriculum or find_curriculum()
    if curriculum is None:
        return f'<div style="font-family:{FONT}">Không tìm thấy thư mục bài học (curriculum).</div>'
    items = lessons(curriculum)
    checks = {i.id: count_checks(curriculum, i) for i in items}
    reader = reader_prefix()
    prefix = reader or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    return render_html(summarize(items, progress.load(), checks, scenario_index()), prefix, reader is not None)


def show(curriculum: str | Path | None = None) -> Any:
    """The page as a widget, with a button to refresh after studying in another tab."""
    import ipywidgets as widgets

    folder = Path(curriculum) if curriculum is not None else None
    view = widgets.HTML(page_html(folder))
    button = widgets.Button(
        description="Cập nhật tiến độ",
        icon="refresh",
        layout=widgets.Layout(width="100%", max_width="760px", height="auto", min_height="48px"),
    )
    button.style.font_size = "17px"

    def refresh(_b: Any) -> None:
        view.value = page_html(folder)

    button.on_click(refresh)
    return widgets.VBox([view, button])
