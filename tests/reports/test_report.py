"""Department report figures checked against a small cohort computed by hand."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from kynangso.course.grades import read_submissions
from kynangso.reports.build import gather
from kynangso.reports.figures import by_commune, by_team, front_by_level, item_analysis
from tests.reports.conftest import IDS, POLICY


def test_levels_match_the_hand_computation(course: Path) -> None:
    data = gather(course, POLICY)
    assert data.levels == {
        "nguyen-van-an-1985": {"gov": 3},
        "tran-thi-binh-1990": {"gov": 1},
        "lo-van-dung-1980": {"econ": 2, "society": 1},
        "hoang-thi-em-1999": {"econ": 1},
    }


def test_coverage_by_commune(course: Path) -> None:
    data = gather(course, POLICY)
    phu_cat, lao_cai = sorted(by_commune(data.members, data.levels), key=lambda c: c.ward, reverse=True)
    assert (phu_cat.ward, phu_cat.teams, phu_cat.members, phu_cat.certified) == ("Xã Phú Cát", 2, 3, 2)
    assert (phu_cat.guides, phu_cat.teams_with_guide) == (1, 1)
    assert phu_cat.by_highest_level == {1: 1, 2: 0, 3: 1}
    assert (lao_cai.ward, lao_cai.teams, lao_cai.members, lao_cai.certified) == ("Phường Lào Cai", 2, 3, 2)
    assert (lao_cai.guides, lao_cai.teams_with_guide) == (0, 0)
    assert lao_cai.by_highest_level == {1: 1, 2: 1, 3: 0}
    assert round(phu_cat.percent_certified, 1) == 66.7


def test_coverage_by_team(course: Path) -> None:
    data = gather(course, POLICY)
    teams = {t.village: (t.members, t.certified, t.guides) for t in by_team(data.members, data.levels)}
    assert teams == {"Thôn Đông": (2, 2, 1), "Thôn Tây": (1, 0, 0), "Tổ 5": (2, 2, 0), "Tổ 6": (1, 0, 0)}


def test_front_by_level(course: Path) -> None:
    data = gather(course, POLICY)
    table = front_by_level(data.members, data.levels, data.fronts)
    assert table["gov"] == {0: 4, 1: 1, 2: 0, 3: 1}
    assert table["econ"] == {0: 4, 1: 1, 2: 1, 3: 0}
    assert table["society"] == {0: 5, 1: 1, 2: 0, 3: 0}


def test_item_analysis_puts_the_weakest_first(course: Path) -> None:
    items = item_analysis(read_submissions(_url(course)))
    first = [(i.exam, i.grade_id, i.attempts, i.full_marks) for i in items[:4]]
    # gov-1 q-6..q-8: Bình right, Châu wrong (50%, mean 50%); econ-2 practical: Dũng 4/4, Em 2/4 (50%, mean 75%).
    assert first == [
        ("gov-1", "q-6", 2, 1),
        ("gov-1", "q-7", 2, 1),
        ("gov-1", "q-8", 2, 1),
        ("econ-2", "practical-dvc-khai-sinh", 2, 1),
    ]
    assert items[3].mean_percent == 75.0
    assert all(i.percent_correct == 100.0 for i in items[4:])


def test_filters_by_date_and_commune(course: Path) -> None:
    early = gather(course, POLICY, end=dt.date(2026, 11, 10))
    # Only level-1 exams were sat before 10/11: An's gov-3 and Dũng's econ-2 do not count yet.
    assert early.levels == {
        "tran-thi-binh-1990": {"gov": 1},
        "lo-van-dung-1980": {"society": 1},
        "hoang-thi-em-1999": {"econ": 1},
    }
    lao_cai = gather(course, POLICY, wards={"Phường Lào Cai"})
    assert {m.learner_id for m in lao_cai.members} == set(IDS[3:])
    assert set(lao_cai.levels) == {"lo-van-dung-1980", "hoang-thi-em-1999"}


def test_report_command_writes_workbook_and_charts(course: Path, tmp_path: Path, output_dir: Path) -> None:
    from openpyxl import load_workbook

    res = subprocess.run(
        [sys.executable, "-m", "kynangso", "report", "--course", str(course), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "3/3" in res.stderr  # the progress bar reached its end
    wb = load_workbook(tmp_path / "bao-cao.xlsx")
    assert wb.sheetnames == [
        "Theo xã",
        "Theo tổ",
        "Mặt trận × cấp độ",
        "Câu hỏi sai nhiều",
        "Học viên",
        "Bài chưa tính",
        "Ghi chú",
    ]
    communes = {r[1]: r for r in wb["Theo xã"].iter_rows(min_row=2, values_only=True)}
    assert communes["Xã Phú Cát"][2:6] == (2, 3, 2, 66.7)
    assert communes["Xã Phú Cát"][-2:] == (1, 1)
    fronts = {r[0]: r for r in wb["Mặt trận × cấp độ"].iter_rows(min_row=2, values_only=True)}
    assert fronts["Kinh tế số"] == ("Kinh tế số", 4, 1, 1, 0, 6)
    weakest = next(wb["Câu hỏi sai nhiều"].iter_rows(min_row=2, values_only=True))
    assert weakest[:2] == ("gov-1", "q-6") and weakest[5] == 50.0
    for png in ("do-phu-theo-xa.png", "cap-do-theo-mat-tran.png", "cau-hoi-sai-nhieu.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        (output_dir / png).write_bytes((tmp_path / png).read_bytes())


def test_report_outside_a_course(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "kynangso", "report"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert res.returncode == 2 and "Không tìm thấy khóa học" in res.stderr


def _url(course: Path) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"
