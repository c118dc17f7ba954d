"""How a lesson's problems name the place to fix (``Problem`` itself is the one of ``kynangso.problems``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kynangso.problems import Problem

__all__ = ["Problem", "cell_key", "strings"]


def cell_key(index: int, detail: str = "") -> str:
    """How a cell is named to a trainer: its number as JupyterLab counts (from 1)."""
    return f"ô {index + 1}" + (f" {detail}" if detail else "")


def strings(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """Every text inside a JSON value, with the key that names it (``metadata.kynangso.objectives[0]``)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{key}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{key}[{i}]")
