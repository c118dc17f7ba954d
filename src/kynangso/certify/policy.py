"""The certification policy (``grading/policy.toml``): which exam results earn which level, who issues, validity.

Every problem is reported as a :class:`PolicyError` whose Vietnamese message names the file and the key, so a
department officer can fix the file without reading code.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kynangso.fronts import FRONTS, LEVELS
from kynangso.problems import Problem
from kynangso.versions import VersionKeyConflict, schema_version

POLICY_VERSION = 1


class PolicyError(ValueError):
    """A policy file that cannot be used; ``problem`` names the file, the key and what to fix (Vietnamese)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class Issuer:
    name: str
    province: str
    url: str
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""


@dataclass(frozen=True)
class LevelRule:
    level: int
    min_percent: float
    require_practical: bool
    practical_pass_percent: float
    require_open: bool
    open_pass_percent: float
    critical_errors_fail: bool = True  # one critical error in a practical task fails it, whatever its score
    required_criteria: bool = True  # a required criterion of the open answer not met fails it
    requires: tuple[int, ...] = ()  # levels of the same front the learner must hold first


@dataclass(frozen=True)
class Policy:
    issuer: Issuer
    validity_years: int
    fronts: tuple[str, ...]
    levels: dict[int, LevelRule] = field(default_factory=dict)
    source: str = "policy.toml"


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


class _Reader:
    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def fail(self, key: str, why: str) -> PolicyError:
        return PolicyError(Problem(self.source, f"khóa “{key}”", why))

    def table(self, key: str) -> dict[str, Any]:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise self.fail(key, "bị thiếu.")
            node = node[part]
        if not isinstance(node, dict):
            raise self.fail(key, "phải là một bảng [..].")
        return node

    def get(self, table: str, name: str, kind: type, default: Any = None) -> Any:
        node = self.table(table)
        key = f"{table}.{name}"
        if name not in node:
            if default is None:
                raise self.fail(key, "bị thiếu.")
            return default
        value = node[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is bool and not isinstance(value, bool):
            raise self.fail(key, "phải là true hoặc false.")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = {str: "một chuỗi chữ", int: "một số nguyên", float: "một số", list: "một danh sách"}
            raise self.fail(key, f"phải là {names.get(kind, kind.__name__)}.")
        return _nfc(value) if isinstance(value, str) else value

    def percent(self, table: str, name: str, default: float | None = None) -> float:
        value = float(self.get(table, name, float, default))
        if not 0 < value <= 100:
            raise self.fail(f"{table}.{name}", f"phải nằm trong khoảng 0–100 (đang là {value:g}).")
        return value


def parse_policy(data: dict[str, Any], source: str = "policy.toml") -> Policy:
    r = _Reader(data, source)
    try:
        version = schema_version(data, "version", POLICY_VERSION)
    except VersionKeyConflict as exc:
        raise PolicyError(Problem(source, "khóa “schema_version”", str(exc))) from None
    if version != POLICY_VERSION:
        raise r.fail("schema_version", f"phải bằng {POLICY_VERSION} (đang là {version!r}).")

    name = r.get("issuer", "name", str)
    province = r.get("issuer", "province", str)
    url = r.get("issuer", "url", str)
    for key, value in (("name", name), ("province", province)):
        if not value or "…" in value or "..." in value:
            raise r.fail(f"issuer.{key}", "phải ghi rõ tên đơn vị/tỉnh, không để trống hay dấu “…”.")
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise r.fail("issuer.url", f"phải là một địa chỉ https://… (đang là “{url}”).")
    issuer = Issuer(
        name=name,
        province=province,
        url=url.rstrip("/"),
        signer_title=r.get("issuer", "signer_title", str, "GIÁM ĐỐC"),
        signer_name=r.get("issuer", "signer_name", str, ""),
    )

    years = r.get("validity", "years", int)
    if not 1 <= years <= 20:
        raise r.fail("validity.years", f"phải từ 1 đến 20 năm (đang là {years}).")

    fronts = r.get("fronts", "certify", list)
    for front in fronts:
        if front not in FRONTS:
            raise r.fail("fronts.certify", f"có lĩnh vực lạ “{front}”; chỉ dùng {', '.join(FRONTS)}.")
    if not fronts:
        raise r.fail("fronts.certify", "không được để trống.")

    levels_table = r.table("levels")
    rules: dict[int, LevelRule] = {}
    for key in levels_table:
        if not key.isdigit() or int(key) not in LEVELS:
            raise r.fail(f"levels.{key}", f"không phải cấp độ hợp lệ; chỉ dùng {', '.join(map(str, LEVELS))}.")
    for number in LEVELS:
        t = f"levels.{number}"
        if str(number) not in levels_table:
            raise r.fail(t, "bị thiếu.")
        require_practical = r.get(t, "require_practical", bool, False)
        require_open = r.get(t, "require_open", bool, False)
        requires = r.get(t, "requires", list, [number - 1] if number == 3 else [])
        if any(not isinstance(x, int) or isinstance(x, bool) or not 1 <= x < number for x in requires):
            raise r.fail(f"{t}.requires", f"chỉ được ghi các cấp độ thấp hơn {number}, ví dụ [{number - 1}].")
        rules[number] = LevelRule(
            level=number,
            min_percent=r.percent(t, "min_percent"),
            require_practical=require_practical,
            practical_pass_percent=r.percent(t, "practical_pass_percent", 75.0 if not require_practical else None),
            require_open=require_open,
            open_pass_percent=r.percent(t, "open_pass_percent", 50.0 if not require_open else None),
            critical_errors_fail=r.get(t, "critical_errors_fail", bool, True),
            required_criteria=r.get(t, "required_criteria", bool, True),
            requires=tuple(sorted(set(requires))),
        )
    return Policy(issuer=issuer, validity_years=years, fronts=tuple(fronts), levels=rules, source=source)


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(Problem(path, "", "không tìm thấy tệp chính sách cấp chứng nhận.")) from None
    except UnicodeDecodeError:
        raise PolicyError(Problem(path, "", "tệp phải được lưu dạng UTF-8.")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(Problem(path, "", f"sai cú pháp TOML ({exc}).")) from None
    return parse_policy(data, str(path))
