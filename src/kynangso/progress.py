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


class Counter:
    """``[█████░░░] 45/200 · còn khoảng 12 giây`` for a long run of similar items, redrawn in place on a terminal
    (and every tenth of the way otherwise, so that a log is not flooded)."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 24) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done_count = 0
        self.started = time.monotonic()
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_step = -1

    def eta(self) -> float | None:
        if not self.done_count or self.done_count >= self.total:
            return None
        rate = (time.monotonic() - self.started) / self.done_count
        return rate * (self.total - self.done_count)

    def line(self) -> str:
        filled = round(self.width * self.done_count / self.total) if self.total else self.width
        bar = "█" * filled + "░" * (self.width - filled)
        left = self.eta()
        tail = f" · còn khoảng {_duration(left)}" if left is not None else ""
        return f"{self.label} [{bar}] {self.done_count}/{self.total}{tail}"

    def step(self, n: int = 1) -> None:
        self.done_count += n
        if self.live:
            self.stream.write("\r" + self.line().ljust(80))
            self.stream.flush()
            return
        tenth = 10 * self.done_count // self.total if self.total else 10
        if tenth != self._last_step:
            self._last_step = tenth
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def clear(self) -> None:
        """Before printing a normal line on a terminal, so that the bar does not mix with it."""
        if self.live:
            self.stream.write("\r" + " " * 80 + "\r")

    def finish(self) -> None:
        if self.live:
            self.stream.write("\r" + self.line().ljust(80) + "\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} giây"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} phút {rest} giây" if rest else f"{minutes} phút"
