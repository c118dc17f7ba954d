"""Runs inside the learner's browser (Pyodide): keep progress in the browser's storage.

Pyodide's files live in memory and vanish with the tab. ``prepare()`` (the first, hidden cell of every site page)
mounts Emscripten's IDBFS, a folder backed by the browser's IndexedDB, at the progress folder, loads what earlier
visits saved, and asks ``kynangso.lessons.progress`` to flush the folder back after each save. IDBFS works in the
kernel's web worker with no service worker, so it works on any static host. Outside Pyodide it does nothing.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

HOME = "/home/pyodide/.kynangso"  # also the IndexedDB database name: the site's home page reads it from there
_mounted = False
_pending: set[asyncio.Future[None]] = set()  # a task nobody holds may be collected before it runs


def _fs() -> Any:
    import pyodide_js  # exists only in Pyodide

    return pyodide_js.FS


async def _sync(populate: bool) -> None:
    from pyodide.ffi import create_once_callable

    done: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    _fs().syncfs(populate, create_once_callable(lambda err=None: done.set_result(err)))
    err = await done
    if err:
        raise OSError(f"IndexedDB: {err}")


def _flush(_path: Path) -> None:
    # Saving must not wait for IndexedDB: the write is already in memory, the copy to storage follows.
    task = asyncio.ensure_future(_sync(False))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def prepare() -> None:
    global _mounted
    if sys.platform != "emscripten":
        return
    os.environ["KYNANGSO_HOME"] = HOME
    if _mounted:
        return
    from kynangso.lessons import progress

    fs = _fs()
    fs.mkdirTree(HOME)
    fs.mount(fs.filesystems.IDBFS, {}, HOME)
    await _sync(True)
    progress.SAVED.append(_flush)
    _mounted = True
