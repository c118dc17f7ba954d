"""One problem found in a lesson: the file, the key or section to fix, and a Vietnamese sentence saying what."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    path: Path
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}"


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
