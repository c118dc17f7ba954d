"""The department dashboard (a Voilà app): coverage by commune, levels by front, the weakest questions.

Filters by commune and by date re-read the gradebook, so the numbers are those ``kynangso report`` would write.
"""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path
from typing import Any

from kynangso.fronts import FRONTS, LEVELS
from kynangso.reports.build import ReportData, gather
from kynangso.reports.figures import by_commune, front_by_level, item_analysis

ALL = "Tất cả các xã"
FONT = "font-family: 'DejaVu Sans', Arial, sans-serif;"
STYLE = f"""<style>
.kns-dash {{ {FONT} font-size: 16px; color: #1c2833; }}
.kns-dash h2 {{ font-size: 22px; margin: 8px 0; }} .kns-dash h3 {{ font-size: 18px; margin: 16px 0 6px; }}
.kns-cards {{ display: flex; flex-wrap: wrap; gap: 8px; }}
.kns-card {{ flex: 1 1 150px; background: #eaf2f8; border-radius: 10px; padding: 10px 12px; }}
.kns-card b {{ display: block; font-size: 26px; color: #1b4f72; }}
.kns-dash table {{ border-collapse: collapse; width: 100%; font-size: 15px; }}
.kns-dash th, .kns-dash td {{ border-bottom: 1px solid #d5dbdb; padding: 6px 4px; text-align: left; }}
.kns-dash th {{ background: #1f5f8b; color: white; }}
.kns-bar {{ background: #d6eaf8; border-radius: 4px; height: 10px; }}
.kns-bar span {{ display: block; height: 10px; border-radius: 4px; background: #2e86c1; }}
.kns-wrap {{ overflow-x: auto; }}
</style>"""


def default_course() -> Path:
    if os.environ.get("KYNANGSO_COURSE"):
        return Path(os.environ["KYNANGSO_COURSE"])
    from kynangso.workspace import find_workspace

    return find_workspace().course


def _bar(percent: float) -> str:
    return f'<div class="kns-bar"><span style="width:{max(0.0, min(100.0, percent)):.0f}%"></span></div>'


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="kns-wrap"><table><tr>{head}</tr>{body}</table></div>'


def render(data: ReportData) -> str:
    """The dashboard's HTML for the data; plain HTML so it reads well on a phone and prints."""
    communes = by_commune(data.members, data.levels)
    members = sum(c.members for c in communes)
    certified = sum(c.certified for c in communes)
    guides = sum(c.guides for c in communes)
    teams = sum(c.teams for c in communes)
    teams_guided = sum(c.teams_with_guide for c in communes)
    cards = [
        ("Thành viên", members),
        ("Đã có chứng nhận", certified),
        ("Hướng dẫn viên", guides),
        ("Tổ có Hướng dẫn viên", f"{teams_guided}/{teams}"),
    ]
    scope = (
        (f"{data.start:%d/%m/%Y}" if data.start else "từ đầu") + " – " + (f"{data.end:%d/%m/%Y}" if data.end else "nay")
    )
    parts = [STYLE, f'<div class="kns-dash"><p>Bài nộp {html.escape(scope)}.</p><div class="kns-cards">']
    parts += [f'<div class="kns-card"><b>{v}</b>{html.escape(k)}</div>' for k, v in cards]
    parts.append("</div><h3>Độ phủ theo xã</h3>")
    parts.append(
        _table(
            ["Xã/Phường", "Số tổ", "Thành viên", "Có chứng nhận", "Tỷ lệ", "", "Tổ có HDV"],
            [
                [
                    html.escape(c.ward),
                    str(c.teams),
                    str(c.members),
                    str(c.certified),
                    f"{c.percent_certified:.0f}%",
                    _bar(c.percent_certified),
                    str(c.teams_with_guide),
                ]
                for c in communes
            ],
        )
    )
    table = front_by_level(data.members, data.levels, data.fronts)
    parts.append("<h3>Cấp độ theo mặt trận</h3>")
    parts.append(
        _table(
            ["Mặt trận", "Chưa đạt", *[LEVELS[lv].name for lv in LEVELS]],
            [[html.escape(FRONTS[f].name), *[str(table[f][lv]) for lv in (0, *LEVELS)]] for f in data.fronts],
        )
    )
    items = item_analysis(data.submissions, data.labels)[:10]
    parts.append("<h3>Câu hỏi sai nhiều nhất (nên dạy lại)</h3>")
    if items:
        parts.append(
            _table(
                ["Bài thi", "Câu hỏi", "Tỷ lệ đúng", ""],
                [
                    [html.escape(i.exam), html.escape(i.label), f"{i.percent_correct:.0f}%", _bar(i.percent_correct)]
                    for i in items
                ],
            )
        )
    else:
        parts.append("<p>Chưa có bài thi nào được chấm trong khoảng đã chọn.</p>")
    parts.append("</div>")
    return "".join(parts)


class Dashboard:
    """Filters on top, the report below; ``widget`` is what the notebook displays."""

    def __init__(self, course: Path, policy: Path) -> None:
        import ipywidgets as w

        self.course, self.policy = course, policy
        self.commune = w.Dropdown(options=[ALL], value=ALL, description="Xã:", layout=w.Layout(width="320px"))
        self.start = w.DatePicker(description="Từ ngày:")
        self.end = w.DatePicker(description="Đến ngày:")
        self.refresh = w.Button(description="Cập nhật", button_style="primary", icon="refresh")
        self.output = w.HTML()
        self.refresh.on_click(lambda _: self.update())
        filters = w.HBox(
            [self.commune, self.start, self.end, self.refresh], layout=w.Layout(flex_flow="row wrap", gap="6px")
        )
        self.widget = w.VBox([filters, self.output])
        self.update(first=True)

    def update(self, first: bool = False) -> None:
        try:
            wards = None if self.commune.value == ALL else {self.commune.value}
            data = gather(self.course, self.policy, _day(self.start.value), _day(self.end.value), wards)
        except Exception as exc:  # the officer sees why, in Vietnamese, instead of a traceback
            self.output.value = f'<div style="{FONT} color:#922b21">Chưa đọc được khóa học {html.escape(str(self.course))}: {html.escape(str(exc))}</div>'
            return
        if first:
            self.commune.options = [ALL, *sorted({m.ward for m in data.members})]
        self.output.value = render(data)


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def show(course: str | Path | None = None, policy: str | Path | None = None) -> None:
    from IPython.display import HTML, display

    from kynangso.certify.paths import places

    course_path = Path(course) if course else default_course()
    if not (course_path / "nbgrader_config.py").is_file():
        message = (
            f'<div style="{FONT} font-size:16px">Chưa có khóa học ở <code>{html.escape(str(course_path))}</code>. '
            "Tạo khóa học bằng <b>kynangso course init</b>, nhập danh sách bằng <b>kynangso roster import</b>, "
            "rồi mở lại trang này.</div>"
        )
        display(HTML(message))
        return
    display(Dashboard(course_path, Path(policy) if policy else places().policy).widget)
