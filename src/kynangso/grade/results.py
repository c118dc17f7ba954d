"""The results table: one row per learner and exam, with a status nbgrader's own export cannot give
(a corrupt or tampered submission is "không chấm được" with its reason, not an ordinary 0)."""

from __future__ import annotations

import csv
from pathlib import Path

from kynangso.course.course import students as course_students
from kynangso.grade import status as st

COLUMNS = ["hoc_vien", "bai_thi", "trang_thai", "ma_trang_thai", "diem", "diem_toi_da", "ty_le_phan_tram", "ly_do"]
HEADERS = ["Học viên", "Bài thi", "Trạng thái", "Mã trạng thái", "Điểm", "Điểm tối đa", "Tỷ lệ (%)", "Lý do"]


def rows(root: Path, exams: list[str], students: list[str] | None = None) -> list[dict[str, object]]:
    table: list[dict[str, object]] = []
    with st.Statuses(root) as statuses:
        records = [statuses.refresh(exam, student) for student in students or course_students(root) for exam in exams]
    for rec in records:
        counted = rec.status in (st.GRADED, st.NEEDS_MANUAL, st.FLAGGED) and rec.score is not None
        percent: object = ""
        if counted and rec.score is not None and rec.max_score:
            percent = round(100 * rec.score / rec.max_score, 1)
        table.append(
            {
                "hoc_vien": rec.student,
                "bai_thi": rec.exam,
                "trang_thai": rec.label,
                "ma_trang_thai": rec.status,
                "diem": rec.score if counted else "",
                "diem_toi_da": rec.max_score if counted else "",
                "ty_le_phan_tram": percent,
                "ly_do": rec.reason,
            }
        )
    return table


def write_csv(table: list[dict[str, object]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: Excel on Windows then shows Vietnamese letters correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for row in table:
            writer.writerow([row[c] for c in COLUMNS])
    return path


def write_xlsx(table: list[dict[str, object]], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fills = {
        st.FAILED: "F8D7DA",
        st.FLAGGED: "FFE5B4",
        st.NEEDS_MANUAL: "FFF3CD",
        st.MISSING: "E2E3E5",
        st.UNGRADED: "E2E3E5",
    }
    for row in table:
        ws.append([row[c] for c in COLUMNS])
        colour = fills.get(str(row["ma_trang_thai"]))
        if colour:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor=colour)
    for column, width in zip("ABCDEFGH", (24, 12, 20, 22, 8, 12, 10, 80), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
