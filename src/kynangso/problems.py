"""One problem a validator found: the file, where in it, and what to fix — the same shape for every validator.

Lessons, scenarios, rosters, the certification policy and the question bank (``exams.bank.Issue``, which also
keeps the question and field its key is made of) report through it. ``file`` may be empty when the caller names the file once above a list of
problems (a roster's rows); ``key`` may be empty when the problem is the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: Path | str
    key: str  # where: a metadata key, a cell, a TOML key path, a row and column
    message: str  # what is wrong and how to fix it, in Vietnamese

    def __str__(self) -> str:
        return ": ".join(str(part) for part in (self.file, self.key, self.message) if str(part))
