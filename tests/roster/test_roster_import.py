"""Roster import: good files in every form Excel writes, every bad input reported by row, all or nothing."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from kynangso import cli
from kynangso.course.members import load_members
from tests.roster.conftest import GOOD, HEADER, random_rows, write_csv


def kns(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command in this process (nbgrader is imported once for the whole module)."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def test_real_command_line(tmp_path: Path, course: Path) -> None:
    csv_path = write_csv(tmp_path / "a.csv", GOOD)
    res = subprocess.run(
        [sys.executable, "-m", "kynangso", "roster", "import", str(csv_path), "--course", str(course)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "Đã nhập 3 học viên" in res.stdout


def students(db_url: str) -> list[str]:
    with Gradebook(db_url) as gb:
        return sorted(s.id for s in gb.students)


def test_good_csv_goes_into_the_gradebook(tmp_path: Path, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(write_csv(tmp_path / "ds.csv", GOOD)), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "Đã nhập 3 học viên" in res.stdout
    assert students(db_url) == ["hoang-minh-chau-2001", "lo-thi-binh-1990", "nguyen-van-an-1985"]
    members = {m.learner_id: m for m in load_members(db_url)}
    an = members["nguyen-van-an-1985"]
    assert (an.province, an.ward, an.village, an.role) == ("Thành phố Hà Nội", "Xã Phú Cát", "Thôn Đông", "tổ trưởng")
    assert members["hoang-minh-chau-2001"].province == "Đắk Lắk"  # typed "tinh Dak Lak"
    with Gradebook(db_url) as gb:
        st = gb.find_student("lo-thi-binh-1990")
        assert (st.last_name, st.first_name, st.email) == ("Lò", "Thị Bình", "binh@example.vn")


def test_phone_and_full_birth_date_are_not_stored(tmp_path: Path, course: Path) -> None:
    kns("roster", "import", str(write_csv(tmp_path / "ds.csv", GOOD)), "--course", str(course))
    blob = (course / "gradebook.db").read_bytes()
    for secret in (b"912345678", b"0912 345 678", b"987654321", b"05/03/1985", b"1985-03-05"):
        assert secret not in blob


def test_command_acts_on_the_course_folder_it_runs_in(tmp_path: Path, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(write_csv(tmp_path / "ds.csv", GOOD[:1])), cwd=course / "source")
    assert res.returncode == 0, res.stderr
    assert students(db_url) == ["nguyen-van-an-1985"]
    listed = kns("roster", "list", cwd=course)
    assert "nguyen-van-an-1985" in listed.stdout and "Tổng cộng: 1 học viên" in listed.stdout


def test_outside_a_course_the_error_says_what_to_do(tmp_path: Path) -> None:
    res = kns("roster", "import", str(write_csv(tmp_path / "ds.csv", GOOD)), cwd=tmp_path)
    assert res.returncode == 2
    assert "Không tìm thấy khóa học" in res.stderr and "--course" in res.stderr


@pytest.mark.parametrize("variant", ["no-bom", "semicolon", "cp1258"])
def test_csv_as_excel_writes_it(tmp_path: Path, course: Path, db_url: str, variant: str) -> None:
    path = tmp_path / "ds.csv"
    if variant == "no-bom":
        write_csv(path, GOOD, bom=False)
    elif variant == "semicolon":
        write_csv(path, GOOD, delimiter=";")
    else:
        text = "\n".join(",".join(r) for r in [HEADER, *GOOD]) + "\n"
        path.write_bytes(to_cp1258(text))
    res = kns("roster", "import", str(path), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert len(students(db_url)) == 3


def test_xlsx_with_excel_dates_and_numeric_phones(tmp_path: Path, course: Path, db_url: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["Nguyễn Văn An", datetime(1985, 3, 5), 912345678, "Hà Nội", "Xã Phú Cát", "Thôn Đông", "tổ trưởng"])
    ws.append(["Lò Thị Bình", "12/07/1990", "0987654321", "Lào Cai", "Phường Lào Cai", "Tổ 5", "thành viên"])
    wb.save(tmp_path / "ds.xlsx")
    res = kns("roster", "import", str(tmp_path / "ds.xlsx"), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert students(db_url) == ["lo-thi-binh-1990", "nguyen-van-an-1985"]


def test_nfd_names_are_stored_in_nfc(tmp_path: Path, course: Path, db_url: str) -> None:
    rows = [[unicodedata.normalize("NFD", c) for c in GOOD[0]]]
    res = kns("roster", "import", str(write_csv(tmp_path / "ds.csv", rows)), "--course", str(course))
    assert res.returncode == 0, res.stderr
    (member,) = load_members(db_url)
    assert member.name == "Nguyễn Văn An" and unicodedata.is_normalized("NFC", member.village)
    assert member.learner_id == "nguyen-van-an-1985"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Excel writes it: a letter (with ^, ˘ or horn), then a combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return out


BAD_ROWS = [
    (
        ["Nguyễn Văn An", "31/02/1985", "0912345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Ngày sinh",
        "không đúng dạng",
    ),
    (
        ["Nguyễn Văn An", "05/03/2020", "0912345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Ngày sinh",
        "không hợp lý",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "012345", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Số điện thoại",
        "không phải số di động",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0212345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Số điện thoại",
        "không phải số di động",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Hà Nội", "Xã Phú Kat", "Thôn Đông", "thành viên", ""],
        "Xã/Phường/Đặc khu",
        "có phải “Xã Phú Cát”",
    ),
    (
        [
            "Nguyễn Văn An",
            "05/03/1985",
            "0912345678",
            "Hà Nội",
            "Xã Phú Cát, huyện Quốc Oai",
            "Thôn Đông",
            "thành viên",
            "",
        ],
        "Xã/Phường/Đặc khu",
        "không còn cấp huyện",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Yên Bái", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Tỉnh/Thành phố",
        "tên tỉnh cũ; từ 01/07/2025 thuộc “Lào Cai”",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Lao Cay", "Xã Phú Cát", "Thôn Đông", "thành viên", ""],
        "Tỉnh/Thành phố",
        "có phải “Lào Cai”",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Hà Nội", "Phường Sài Gòn", "Thôn Đông", "thành viên", ""],
        "Xã/Phường/Đặc khu",
        "thuộc Thành phố Hồ Chí Minh",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Hà Nội", "Xã Phú Cát", "", "thành viên", ""],
        "Thôn/Bản/Tổ dân phố",
        "chưa ghi",
    ),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "chủ tịch", ""],
        "Vai trò",
        "không rõ",
    ),
    (["An", "05/03/1985", "0912345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", ""], "Họ và tên", "đủ họ"),
    (
        ["Nguyễn Văn An", "05/03/1985", "0912345678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên", "an@"],
        "Email",
        "không đúng dạng",
    ),
]


@pytest.mark.parametrize(("row", "column", "reason"), BAD_ROWS, ids=[f"{c}-{r[:12]}" for _, c, r in BAD_ROWS])
def test_bad_row_is_reported_and_nothing_is_imported(
    tmp_path: Path, course: Path, db_url: str, row: list[str], column: str, reason: str
) -> None:
    path = write_csv(tmp_path / "ds.csv", [GOOD[1], row, GOOD[2]])
    res = kns("roster", "import", str(path), "--course", str(course))
    assert res.returncode == 1
    assert f"Dòng 3, cột “{column}”" in res.stderr, res.stderr
    assert reason in res.stderr, res.stderr
    assert "chưa nhập dòng nào" in res.stderr
    assert students(db_url) == [] and load_members(db_url) == []


def test_duplicates_are_found(tmp_path: Path, course: Path, db_url: str) -> None:
    same_person = [*GOOD[0][:2], "0900000001", *GOOD[0][3:]]
    same_phone = ["Trần Thị Hoa", "01/01/1970", GOOD[1][2], "Hà Nội", "Xã Phú Cát", "Thôn Tây", "thành viên", ""]
    res = kns(
        "roster",
        "import",
        str(write_csv(tmp_path / "ds.csv", [*GOOD, same_person, same_phone])),
        "--course",
        str(course),
    )
    assert res.returncode == 1
    assert "Dòng 5, cột “Họ và tên”: trùng người ở dòng 2" in res.stderr
    assert "Dòng 6, cột “Số điện thoại”: trùng số điện thoại với dòng 3" in res.stderr
    assert students(db_url) == []


@pytest.mark.parametrize("content", ["", "\n\n", ",,,\n"], ids=["empty", "blank-lines", "empty-cells"])
def test_empty_file(tmp_path: Path, course: Path, content: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(content, encoding="utf-8")
    res = kns("roster", "import", str(path), "--course", str(course))
    assert res.returncode == 1 and "tệp trống" in res.stderr


def test_header_only_and_missing_columns(tmp_path: Path, course: Path) -> None:
    res = kns("roster", "import", str(write_csv(tmp_path / "a.csv", [])), "--course", str(course))
    assert res.returncode == 1 and "chỉ có dòng tiêu đề" in res.stderr
    header = [h for h in HEADER if h not in ("Ngày sinh", "Vai trò")]
    res = kns("roster", "import", str(write_csv(tmp_path / "b.csv", [], header=header)), "--course", str(course))
    assert res.returncode == 1 and "thiếu cột Ngày sinh, Vai trò" in res.stderr


def test_not_a_spreadsheet(tmp_path: Path, course: Path) -> None:
    broken = tmp_path / "ds.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    res = kns("roster", "import", str(broken), "--course", str(course))
    assert res.returncode == 1 and "không mở được tệp Excel" in res.stderr
    res = kns("roster", "import", str(tmp_path / "ds.pdf"), "--course", str(course))
    assert res.returncode == 1 and "không tìm thấy tệp" in res.stderr


def test_ids_are_stable_across_imports(tmp_path: Path, course: Path, db_url: str) -> None:
    kns("roster", "import", str(write_csv(tmp_path / "a.csv", GOOD)), "--course", str(course))
    # A second Nguyễn Văn An born in 1985 (another person) arrives later: the first keeps his id.
    namesake = ["Nguyễn Văn An", "17/09/1985", "0977123456", "Cà Mau", "Xã Tân Thuận", "Ấp 3", "thành viên", ""]
    res = kns("roster", "import", str(write_csv(tmp_path / "b.csv", [*GOOD, namesake])), "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert students(db_url) == [
        "hoang-minh-chau-2001",
        "lo-thi-binh-1990",
        "nguyen-van-an-1985",
        "nguyen-van-an-1985-3456",
    ]
    assert all(i.isascii() for i in students(db_url))


@pytest.mark.slow
def test_ten_thousand_rows(tmp_path: Path, course: Path, db_url: str) -> None:
    res = kns("roster", "import", str(write_csv(tmp_path / "big.csv", random_rows(10_000))), "--course", str(course))
    assert res.returncode == 0, res.stderr[-2000:]
    assert len(students(db_url)) == 10_000
    assert "… và 9970 người nữa" in res.stdout
