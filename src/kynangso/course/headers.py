"""Roster column headers matched the way a person reads them.

Case, diacritics (đ → d), spaces and punctuation do not count: “Thôn, bản”, “THON/BAN” and “thôn bản” are one
heading. Every spelling a department is known to use sits in one alias table; a heading that matches none is
named with the closest known column (difflib), so the trainer can rename it instead of guessing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kynangso.course.units import fold

# Column → the headings people write for it; the first one is how the project itself spells it.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("Họ và tên", "Họ tên", "Họ và tên học viên", "Họ tên thành viên", "Tên", "Full name", "Name"),
    "birth_date": (
        "Ngày sinh",
        "Ngày tháng năm sinh",
        "Năm sinh",
        "Sinh ngày",
        "Date of birth",
        "DOB",
    ),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "ĐT", "Điện thoại di động", "Di động", "Phone"),
    "province": ("Tỉnh/Thành phố", "Tỉnh", "Tỉnh thành", "Tỉnh/TP", "Province"),
    "ward": ("Xã/Phường/Đặc khu", "Xã/Phường", "Xã", "Phường", "Commune", "Ward"),
    "village": (
        "Thôn/Bản/Tổ dân phố",
        "Thôn/Tổ dân phố",
        "Thôn/Bản",
        "Thôn",
        "Bản",
        "Tổ dân phố",
        "Thôn/Tổ",
        "Village",
    ),
    "role": ("Vai trò", "Vai trò trong tổ", "Chức vụ", "Chức danh", "Role"),
    "email": ("Email", "Thư điện tử", "Gmail"),
}
# Columns a roster often has that the course does not need: not reported as unknown.
IGNORED = ("STT", "TT", "Số thứ tự", "Ghi chú", "Giới tính", "Dân tộc")
LABELS = {column: names[0] for column, names in ALIASES.items()}


def header_key(text: object) -> str:
    """The heading as a person reads it: lowercase ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold("" if text is None else str(text)))


_BY_KEY = {header_key(name): column for column, names in ALIASES.items() for name in names}
_IGNORED = {header_key(name) for name in IGNORED}


@dataclass
class HeaderMatch:
    index: dict[str, int] = field(default_factory=dict)  # column → position in the row
    notes: list[str] = field(default_factory=list)  # Vietnamese, one per heading not used

    def missing(self, required: tuple[str, ...]) -> list[str]:
        return [column for column in required if column not in self.index]


def closest(heading: str, among: set[str]) -> str | None:
    """The column among ``among`` whose known spellings look most like ``heading``, if any is close."""
    keys = [key for key, column in _BY_KEY.items() if column in among]
    found = difflib.get_close_matches(header_key(heading), keys, n=1, cutoff=0.6)
    return _BY_KEY[found[0]] if found else None


def match_headers(cells: list[object]) -> HeaderMatch:
    """Which position holds which column; a heading used twice keeps its first column and is noted."""
    match = HeaderMatch()
    unknown: list[str] = []
    for i, cell in enumerate(cells):
        heading = " ".join(str(cell if cell is not None else "").split())
        key = header_key(heading)
        if not key or key in _IGNORED:
            continue
        column = _BY_KEY.get(key)
        if column is None:
            unknown.append(heading)
        elif column in match.index:
            first = cells[match.index[column]]
            match.notes.append(f"cột “{heading}” trùng nghĩa với cột “{first}” — chỉ dùng cột “{first}”")
        else:
            match.index[column] = i
    free = set(ALIASES) - set(match.index)
    for heading in unknown:
        guess = closest(heading, free)
        if guess:
            match.notes.append(f"cột “{heading}” không rõ — có phải “{LABELS[guess]}”?")
        else:
            match.notes.append(f"cột “{heading}” không rõ, bỏ qua")
    return match
