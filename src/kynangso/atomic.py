"""One way to replace a file's content: a reader, or a crash, sees the old file or the new one, never half of one.

Every write goes the same way:

1. a temp file is created in the target's own folder (same file system, so the rename is atomic), named
   ``.<name>.<pid>.<thread id>.tmp``, so two processes or two threads writing the same file never share one;
2. its permission bits are set before any data goes in (``mode``, else those of the file it replaces, else the
   usual ``0o666`` less the umask), so a secret is never readable by others, not even for a moment;
3. the data is written and the temp file is fsynced;
4. ``os.replace`` puts it in place of the target;
5. the folder is fsynced, so that the rename itself survives a power cut (skipped where the OS cannot
   open a folder, e.g. Windows).

``sync=False`` skips both fsyncs (steps 3 and 5): still atomic, but a power cut may bring back the previous
version. On any failure the temp file is removed and the old file is left as it was. A missing folder is an
error, as with ``open``, unless ``parents=True``.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["replacing", "temp_name", "write_bytes", "write_json", "write_text"]


def temp_name(path: Path) -> Path:
    """The temp file beside ``path`` for this process and thread."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _final_mode(path: Path, mode: int | None) -> int | None:
    """The permission bits the new file gets, or None for the default (0o666 less the umask)."""
    if mode is not None:
        return mode
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a folder cannot be opened on Windows; the rename is durable there anyway
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open_temp(path: Path, mode: int | None) -> tuple[Path, int]:
    tmp = temp_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
    except FileExistsError:  # left by a killed writer whose pid and thread id this one now has
        tmp.unlink()
        fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
    if mode is not None and os.name != "nt":
        os.fchmod(fd, mode)
    return tmp, fd


def _commit(tmp: Path, path: Path, sync: bool) -> None:
    os.replace(tmp, path)
    if sync:
        _fsync_folder(path.parent)


def write_bytes(path: Path, data: bytes, mode: int | None = None, sync: bool = True, parents: bool = False) -> Path:
    """Replace ``path``'s content with ``data`` (see the module docstring for how and when it fsyncs)."""
    path = Path(path)
    if parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _open_temp(path, _final_mode(path, mode))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        _commit(tmp, path, sync)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_text(
    path: Path, text: str, mode: int | None = None, sync: bool = True, parents: bool = False, encoding: str = "utf-8"
) -> Path:
    """Replace ``path``'s content with ``text`` (newlines written as given, on every OS)."""
    return write_bytes(path, text.encode(encoding), mode, sync, parents)


def write_json(
    path: Path,
    data: Any,
    mode: int | None = None,
    sync: bool = True,
    parents: bool = False,
    *,
    indent: int | None = 1,
    sort_keys: bool = False,
) -> Path:
    """Replace ``path``'s content with ``data`` as UTF-8 JSON (non-ASCII kept as is) and a final newline."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys) + "\n"
    return write_text(path, text, mode, sync, parents)


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = None, sync: bool = True, parents: bool = False) -> Iterator[Path]:
    """For a library that writes to a path of its own (``wb.save(tmp)``): yields the temp path, then puts it in
    place as ``write_bytes`` does. The temp file exists, empty, with its final permission bits, when yielded."""
    path = Path(path)
    if parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _open_temp(path, _final_mode(path, mode))
    os.close(fd)
    try:
        yield tmp
        if sync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _commit(tmp, path, sync)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
