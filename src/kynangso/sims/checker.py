"""The checker every part of scenario validation shares: it collects ``file: key.path: message`` problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kynangso.problems import Problem

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATA_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` lists every problem (``file: key: message``)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class Checker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    def err(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.filename, path, message))

    def table(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.err(path, "phải là một bảng (table) TOML")
            return {}
        return value

    def keys(self, table: Mapping[str, Any], allowed: Mapping[str, bool], path: str) -> None:
        prefix = f"{path}." if path else ""
        for key in table:
            if key not in allowed:
                valid = ", ".join(sorted(allowed))
                self.err(f"{prefix}{key}", f"khóa không được hỗ trợ (các khóa hợp lệ: {valid})")
        for key, needed in allowed.items():
            if needed and key not in table:
                self.err(f"{prefix}{key}", "thiếu khóa bắt buộc")

    def text(self, table: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.err(f"{path}.{key}" if path else key, "phải là một chuỗi chữ (đặt trong dấu ngoặc kép)")
            return default
        return value

    def flag(self, table: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.err(f"{path}.{key}", "phải là true hoặc false")
            return default
        return value

    def strings(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(f"{path}.{key}" if path else key, 'phải là một danh sách chuỗi, ví dụ ["a", "b"]')
            return ()
        return tuple(value)

    def ident(self, value: str, path: str, pattern: re.Pattern[str] = ID) -> None:
        if not pattern.match(value):
            rule = "chữ thường không dấu, số, dấu - hoặc _" if pattern is ID else "chữ thường không dấu, số, _"
            self.err(path, f"mã '{value}' không hợp lệ (chỉ dùng {rule})")


def check_regex(c: Checker, pattern: str, path: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        c.err(path, f"biểu thức chính quy (regex) không hợp lệ: {exc}")
