"""Roster import: a CSV or XLSX of team members, as exported from Excel, checked row by row.

All or nothing: a file with any bad row imports nobody, and every bad row is reported with its row number and
the reason. Only what the course needs is kept: name, birth year, commune, village, team role and an optional
e-mail. The phone number and full birth date serve to check the row and to tell people apart, and are not stored.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kynangso.course.headers import LABELS, match_headers
from kynangso.course.units import fold, match_province, match_ward
from kynangso.problems import Problem

REQUIRED = ("name", "birth_date", "phone", "province", "ward", "village", "role")
ROLES = {"to truong": "tổ trưởng", "thanh vien": "thành viên", "to pho": "tổ phó"}
MOBILE = re.compile(r"^0(3|5|7|8|9)\d{8}$")
YEAR = re.compile(r"^(19|20)\d{2}(\.0)?$")  # Excel turns 1985 into 1985.0
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(Exception):
    """The file as a whole cannot be read (not a row problem)."""


@dataclass(frozen=True)
class Member:
    learner_id: str
    name: str
    birth_year: int
    province: str
    province_code: int
    ward: str
    ward_code: int
    village: str
    role: str
    email: str = ""

    @property
    def family_and_given(self) -> tuple[str, str]:
        parts = self.name.split(" ")
        return parts[0], " ".join(parts[1:])


@dataclass(frozen=True)
class Candidate:
    """A good row: the member (learner id still to be given) and what tells the person apart."""

    member: Member
    born: date
    phone: str


@dataclass
class Checked:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file left empty: the caller names it once


def nfc(text: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", "" if text is None else str(text))).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass
class Table:
    rows: list[dict[str, object]]
    notes: list[str]  # headings not used, each naming the closest known column when there is one


def read_rows(path: Path) -> list[dict[str, object]]:
    """Rows keyed by canonical column, with their spreadsheet row numbers under ``_row``."""
    return read_table(path).rows


def read_table(path: Path) -> Table:
    """The rows, and a note for every heading that was not used (see ``kynangso.course.headers``)."""
    if not path.is_file():
        raise RosterError(f"{path}: không tìm thấy tệp")
    table: list[list[object]]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        table = list(_read_csv(path))
    else:
        raise RosterError(f"{path}: chỉ nhận tệp .csv hoặc .xlsx (tệp này là “{path.suffix or 'không đuôi'}”)")
    table = [r for r in table if any(nfc(c) for c in r)]
    if not table:
        raise RosterError(f"{path}: tệp trống, không có dòng nào")
    header = match_headers([nfc(h) for h in table[0]])
    missing = [LABELS[k] for k in header.missing(REQUIRED)]
    if missing:
        hints = "".join(f"; {note}" for note in header.notes)
        raise RosterError(
            f"{path}: thiếu cột {', '.join(missing)}{hints} "
            f"(dòng tiêu đề phải có: {', '.join(LABELS[k] for k in REQUIRED)})"
        )
    if len(table) == 1:
        raise RosterError(f"{path}: chỉ có dòng tiêu đề, chưa có thành viên nào")
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        row: dict[str, object] = {"_row": n}
        for key, i in header.index.items():
            row[key] = raw[i] if i < len(raw) else None
        rows.append(row)
    return Table(rows, header.notes)


def _read_csv(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost anything
        raise RosterError(f"{path}: không đọc được bảng mã; hãy lưu lại dạng “CSV UTF-8”")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RosterError(f"{path}: không mở được tệp Excel ({exc.__class__.__name__})") from exc
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = nfc(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_phone(value: object) -> str | None:
    text = re.sub(r"[\s.\-()]", "", nfc(value))
    if text.endswith(".0"):  # Excel stores 0912345678 as the number 912345678.0
        text = text[:-2]
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    elif len(text) == 9 and text.isdigit():
        text = "0" + text
    return text if MOBILE.match(text) else None


def check(rows: Iterable[dict[str, object]], today: date | None = None) -> Checked:
    today = today or date.today()
    out = Checked()
    seen_person: dict[tuple[str, date], int] = {}
    seen_phone: dict[str, int] = {}
    for row in rows:
        n = int(row["_row"])  # type: ignore[call-overload]
        errors: list[Problem] = []

        def bad(column: str, reason: str, n: int = n, errors: list[Problem] = errors) -> None:
            errors.append(Problem("", f"Dòng {n}, cột “{LABELS[column]}”", reason))

        name = nfc(row.get("name"))
        if len(name.split(" ")) < 2 or any(ch.isdigit() for ch in name):
            bad("name", f"họ và tên chưa đúng (“{name}”): cần ghi đủ họ và tên, không có chữ số")
        born = parse_date(row.get("birth_date"))
        if born is None and YEAR.match(nfc(row.get("birth_date"))):
            bad(
                "birth_date",
                f"chỉ có năm sinh “{nfc(row.get('birth_date'))}”: cần đủ ngày/tháng/năm (ví dụ 05/03/1985) "
                "để phân biệt người trùng họ tên",
            )
        elif born is None:
            bad(
                "birth_date",
                f"ngày sinh “{nfc(row.get('birth_date'))}” không đúng dạng ngày/tháng/năm (ví dụ 05/03/1985)",
            )
        elif not 15 <= (today - born).days // 365 <= 100:
            bad("birth_date", f"ngày sinh {born:%d/%m/%Y} không hợp lý (tuổi phải từ 15 đến 100)")
        phone = parse_phone(row.get("phone"))
        if phone is None:
            bad(
                "phone",
                f"số điện thoại “{nfc(row.get('phone'))}” không phải số di động Việt Nam 10 chữ số (ví dụ 0912 345 678)",
            )
        province = match_province(nfc(row.get("province")))
        if province.unit is None:
            bad("province", province.problem)
            ward = None
        else:
            found = match_ward(nfc(row.get("ward")), province.unit)
            if found.unit is None:
                bad("ward", found.problem)
            ward = found.unit
        village = nfc(row.get("village"))
        if not village:
            bad("village", "chưa ghi thôn/bản/tổ dân phố")
        role = ROLES.get(fold(nfc(row.get("role"))))
        if role is None:
            bad("role", f"vai trò “{nfc(row.get('role'))}” không rõ: ghi “tổ trưởng”, “tổ phó” hoặc “thành viên”")
        email = nfc(row.get("email")).lower()
        if email and not EMAIL.match(email):
            bad("email", f"email “{email}” không đúng dạng")
        if born and name and (fold(name), born) in seen_person:
            bad("name", f"trùng người ở dòng {seen_person[(fold(name), born)]} (cùng họ tên và ngày sinh)")
        if phone and phone in seen_phone:
            bad("phone", f"trùng số điện thoại với dòng {seen_phone[phone]}")
        if born and name:
            seen_person.setdefault((fold(name), born), n)
        if phone:
            seen_phone.setdefault(phone, n)
        out.problems.extend(errors)
        if errors or born is None or phone is None or province.unit is None or ward is None or role is None:
            continue
        member = Member(
            "", name, born.year, province.unit.name, province.unit.code, ward.name, ward.code, village, role, email
        )
        out.candidates.append(Candidate(member, born, phone))
    return out
