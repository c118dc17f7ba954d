"""Administrative units after 01/07/2025 (34 provinces, 3,321 communes), matched from what people type.

People write "TP. Hồ Chí Minh", "tinh Lao Cai", "Yên Bái" (a province merged into Lào Cai in 2025) or
"xã Tân Lập, huyện Đan Phượng" (districts no longer exist); we match generously and suggest the official name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Provinces merged by Nghị quyết 202/2025/QH15 (in force 12/06/2025; units from 01/07/2025): old → new.
MERGED_PROVINCES = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
    "Thừa Thiên Huế": "Huế",
}

_PROVINCE_PREFIX = re.compile(r"^(thanh pho|tinh|tp\.?)\s+")
_WARD_PREFIX = re.compile(r"^(xa|phuong|dac khu|thi tran|p\.|x\.)\s+")
# "huyện" is unambiguous; "quận"/"thị xã" fold to words that also occur in commune names ("Quan Sơn"), so they
# count only after a comma.
_OLD_PARTS = re.compile(r"(,\s*(huyen|quan|thi xa|thanh pho)\b|\s+huyen\b).*$")


def fold(text: str) -> str:
    """Lowercase ASCII key: no diacritics (đ → d), single spaces, no punctuation at the ends."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[\s_]+", " ", text.replace("–", "-"))
    return text.strip(" .,;")


def province_key(text: str) -> str:
    return _PROVINCE_PREFIX.sub("", fold(text)).replace("-", " ").replace("  ", " ")


def ward_key(text: str) -> str:
    text = _OLD_PARTS.sub("", fold(text))
    return _WARD_PREFIX.sub("", text).replace("-", " ").strip()


@dataclass(frozen=True)
class Unit:
    code: int
    name: str


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    problem: str = ""


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Unit]:
    from vietnam_provinces import Province

    return {province_key(p.name): Unit(int(p.code), p.name) for p in Province.iter_all()}


@lru_cache(maxsize=1)
def _wards() -> dict[int, dict[str, Unit]]:
    from vietnam_provinces import Ward

    out: dict[int, dict[str, Unit]] = {}
    for w in Ward.iter_all():
        name = re.sub(r"\s+", " ", w.name).strip()
        out.setdefault(int(w.province_code), {})[ward_key(name)] = Unit(int(w.code), name)
    return out


def _suggest(key: str, choices: dict[str, Unit]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=2, cutoff=0.75)
    return " hoặc ".join(f"“{choices[c].name}”" for c in close)


def match_province(text: str) -> Match:
    if not text.strip():
        return Match(None, "chưa ghi tỉnh/thành phố")
    key = province_key(text)
    provinces = _provinces()
    if key in provinces:
        return Match(provinces[key])
    merged = {province_key(old): new for old, new in MERGED_PROVINCES.items()}
    if key in merged:
        new = provinces[province_key(merged[key])]
        return Match(None, f"“{text.strip()}” là tên tỉnh cũ; từ 01/07/2025 thuộc “{new.name}” — hãy ghi “{new.name}”")
    hint = _suggest(key, provinces)
    return Match(None, f"không có tỉnh/thành phố “{text.strip()}”" + (f"; có phải {hint}?" if hint else ""))


def match_ward(text: str, province: Unit) -> Match:
    if not text.strip():
        return Match(None, "chưa ghi xã/phường/đặc khu")
    key = ward_key(text)
    wards = _wards().get(province.code, {})
    if key in wards:
        found = wards[key]
        if _OLD_PARTS.search(fold(text)):
            return Match(None, f"không còn cấp huyện từ 01/07/2025 — hãy ghi “{found.name}”")
        return Match(found)
    elsewhere = [
        p
        for code, ws in _wards().items()
        if code != province.code and key in ws
        for p in _provinces().values()
        if p.code == code
    ]
    if elsewhere:
        return Match(None, f"“{text.strip()}” không thuộc {province.name} mà thuộc {elsewhere[0].name}")
    hint = _suggest(key, wards)
    return Match(None, f"{province.name} không có xã/phường “{text.strip()}”" + (f"; có phải {hint}?" if hint else ""))
