"""A small progress bar for multi-step commands, drawn on stderr only when a person is watching."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TextIO


class Steps:
    def __init__(self, names: Sequence[str], stream: TextIO | None = None, width: int = 24) -> None:
        self.names = list(names)
        self.stream = stream or sys.stderr
        self.width = width
        self.index = -1
        self.started = time.monotonic()
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def _draw(self, label: str, done: int) -> None:
        filled = round(self.width * done / len(self.names))
        bar = "█" * filled + "░" * (self.width - filled)
        line = f"[{bar}] {done}/{len(self.names)} {label}"
        if self.live:
            self.stream.write("\r" + line.ljust(80))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def next(self, label: str | None = None) -> None:
        self.index += 1
        self._draw((label or self.names[self.index]) + "…", self.index)

    def done(self) -> None:
        self._draw(f"xong sau {time.monotonic() - self.started:.1f} giây", len(self.names))
        if self.live:
            self.stream.write("\n")
