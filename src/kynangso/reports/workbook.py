"""The department's XLSX workbook: one sheet per view, Vietnamese headers, numbers as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.fronts import FRONTS, LEVELS
from kynangso.reports.build import ReportData
from kynangso.reports.figures import by_commune, by_team, front_by_level, highest, item_analysis, not_counted

WEAKEST = 30


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5F8B")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append(list(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_workbook(data: ReportData, path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    level_names = [LEVELS[lv].name for lv in LEVELS]

    communes = by_commune(data.members, data.levels)
    _sheet(
        wb,
        "Theo xã",
        [
            "Tỉnh/Thành phố",
            "Xã/Phường/Đặc khu",
            "Số tổ",
            "Thành viên",
            "Đã có chứng nhận",
            "Tỷ lệ (%)",
            *[f"Cao nhất: {n}" for n in level_names],
            "Hướng dẫn viên",
            "Tổ có Hướng dẫn viên",
        ],
        [
            [
                c.province,
                c.ward,
                c.teams,
                c.members,
                c.certified,
                round(c.percent_certified, 1),
                *[c.by_highest_level[lv] for lv in LEVELS],
                c.guides,
                c.teams_with_guide,
            ]
            for c in communes
        ],
        [22, 26, 8, 11, 14, 10, 14, 14, 16, 14, 18],
    )

    teams = by_team(data.members, data.levels)
    _sheet(
        wb,
        "Theo tổ",
        [
            "Tỉnh/Thành phố",
            "Xã/Phường/Đặc khu",
            "Thôn/Bản/Tổ dân phố",
            "Thành viên",
            "Đã có chứng nhận",
            "Tỷ lệ (%)",
            "Hướng dẫn viên",
        ],
        [
            [t.province, t.ward, t.village, t.members, t.certified, round(t.percent_certified, 1), t.guides]
            for t in teams
        ],
        [22, 26, 24, 11, 14, 10, 14],
    )

    table = front_by_level(data.members, data.levels, data.fronts)
    _sheet(
        wb,
        "Mặt trận × cấp độ",
        ["Mặt trận", "Chưa đạt", *level_names, "Tổng"],
        [[FRONTS[f].name, table[f][0], *[table[f][lv] for lv in LEVELS], sum(table[f].values())] for f in data.fronts],
        [20, 10, 10, 12, 16, 8],
    )

    items = item_analysis(data.submissions, data.labels)
    _sheet(
        wb,
        "Câu hỏi sai nhiều",
        [
            "Bài thi",
            "Câu hỏi",
            "Nội dung",
            "Số lượt làm",
            "Làm đúng hoàn toàn",
            "Tỷ lệ đúng (%)",
            "Điểm trung bình (%)",
        ],
        [
            [
                i.exam,
                i.grade_id,
                i.label,
                i.attempts,
                i.full_marks,
                round(i.percent_correct, 1),
                round(i.mean_percent, 1),
            ]
            for i in items
        ],
        [10, 22, 70, 12, 18, 14, 18],
    )

    _sheet(
        wb,
        "Học viên",
        [
            "Mã học viên",
            "Họ và tên",
            "Xã/Phường/Đặc khu",
            "Thôn/Bản/Tổ dân phố",
            "Vai trò",
            *[FRONTS[f].name for f in data.fronts],
            "Cấp cao nhất",
        ],
        [
            [
                m.learner_id,
                m.name,
                m.ward,
                m.village,
                m.role,
                *[_level_name(data.levels.get(m.learner_id, {}).get(f, 0)) for f in data.fronts],
                _level_name(highest(data.levels, m.learner_id)),
            ]
            for m in data.members
        ],
        [28, 26, 24, 22, 12, 16, 16, 16, 16],
    )

    from kynangso.grade.status import LABELS

    _sheet(
        wb,
        "Bài chưa tính",
        ["Mã học viên", "Bài thi", "Trạng thái", "Lý do"],
        [[s.learner, s.exam, LABELS.get(s.status, s.status), s.reason] for s in not_counted(data.submissions)],
        [28, 10, 22, 100],
    )

    about = [
        ["Khóa học", str(data.course)],
        ["Từ ngày", data.start.strftime("%d/%m/%Y") if data.start else "(từ đầu)"],
        ["Đến ngày", data.end.strftime("%d/%m/%Y") if data.end else "(đến nay)"],
        ["Cách tính cấp độ", "Theo grading/policy.toml — cùng quy tắc dùng để cấp chứng nhận"],
        ["Bài chưa tính", "Bài không chấm được, chờ giảng viên xem xét hoặc đã nộp lại: không tính vào cấp độ"],
        ["Câu hỏi sai nhiều", f"Xếp từ câu có tỷ lệ làm đúng thấp nhất; {WEAKEST} câu đầu là chỗ nên dạy lại"],
    ]
    _sheet(wb, "Ghi chú", ["Mục", "Nội dung"], about, [22, 90])
    with atomic.replacing(path, parents=True) as tmp:
        wb.save(tmp)
    return path


def _level_name(level: int) -> str:
    return LEVELS[level].name if level else "Chưa đạt"
