"""Roster headings read the way a person reads them, from real CSV files and the same tables saved as XLSX."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from kynangso.course.headers import ALIASES, header_key, match_headers
from tests.roster.test_roster_import import kns, students
from tests.support import REPO

RosterFile = Callable[[str], Path]  # a case file's name -> the file, as CSV or as XLSX
FILES = REPO / "tests" / "data" / "roster"
IMPORTED = ["hoang-minh-chau-2001", "lo-thi-binh-1990", "nguyen-van-an-1985"]
ACCEPTED = sorted(
    f.name
    for f in FILES.glob("headers-*.csv")
    if f.name not in ("headers-thon-xom-unknown.csv",)  # the one file whose village column cannot be recognised
)


def as_xlsx(source: Path, target: Path) -> Path:
    """The same table saved from Excel: every cell a string, as a department types them."""
    text = source.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), csv.Sniffer().sniff(text[:4096], delimiters=",;")))
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(target)
    return target


@pytest.fixture(params=["csv", "xlsx"])
def roster_file(request: pytest.FixtureRequest, tmp_path: Path) -> RosterFile:
    def get(name: str) -> Path:
        source = FILES / name
        if request.param == "csv":
            return Path(shutil.copy(source, tmp_path / name))
        return as_xlsx(source, tmp_path / f"{source.stem}.xlsx")

    return get


@pytest.mark.parametrize("name", ACCEPTED)
def test_common_spellings_of_headings_are_imported(
    name: str, roster_file: RosterFile, course: Path, db_url: str
) -> None:
    res = kns("roster", "import", str(roster_file(name)), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "Đã nhập 3 học viên" in res.stdout
    assert students(db_url) == IMPORTED


def test_unknown_village_heading_names_the_closest_column(roster_file: RosterFile, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(roster_file("headers-thon-xom-unknown.csv")), "--course", str(course))
    assert res.returncode == 1
    assert "thiếu cột Thôn/Bản/Tổ dân phố" in res.stderr
    assert "cột “Thon xom” không rõ — có phải “Thôn/Bản/Tổ dân phố”?" in res.stderr
    assert students(db_url) == []


def test_an_extra_column_is_noted_and_the_rest_imported(roster_file: RosterFile, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(roster_file("headers-extra-column-ignored.csv")), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "Lưu ý: cột “Trình độ học vấn” không rõ, bỏ qua" in res.stderr
    assert students(db_url) == IMPORTED


def test_a_second_phone_column_is_noted_and_the_first_one_used(roster_file: RosterFile, course: Path) -> None:
    res = kns("roster", "import", str(roster_file("headers-two-phone-columns.csv")), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "Lưu ý: cột “Điện thoại” trùng nghĩa với cột “SĐT” — chỉ dùng cột “SĐT”" in res.stderr


def test_birth_year_alone_is_refused_with_the_reason(roster_file: RosterFile, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(roster_file("birth-year-only.csv")), "--course", str(course))
    assert res.returncode == 1
    assert "Dòng 2, cột “Ngày sinh”: chỉ có năm sinh “1985”: cần đủ ngày/tháng/năm" in res.stderr
    assert students(db_url) == []


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Họ tên", "name"),
        ("Họ và tên", "name"),
        ("HỌ VÀ TÊN", "name"),
        ("Năm sinh", "birth_date"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("SĐT", "phone"),
        ("sdt", "phone"),
        ("Số điện thoại", "phone"),
        ("Điện thoại", "phone"),
        ("Thôn/Tổ dân phố", "village"),
        ("Thôn, bản", "village"),
        ("Thôn/Bản/Tổ dân phố", "village"),
        ("Xã/Phường", "ward"),
        ("Xã, phường", "ward"),
        ("Xã - Phường - Đặc khu", "ward"),
        ("Tỉnh / TP", "province"),
        ("E-mail", "email"),
    ],
)
def test_each_spelling_finds_its_column(heading: str, column: str) -> None:
    assert match_headers([heading]).index == {column: 0}


def test_no_spelling_belongs_to_two_columns() -> None:
    keys = Counter(header_key(name) for names in ALIASES.values() for name in set(names))
    owners = {header_key(n): c for c, names in ALIASES.items() for n in names}
    assert [k for k, n in keys.items() if n > 1] == [] and len(owners) == sum(keys.values())
