"""kynangso.atomic: the one way files are replaced — whole or not at all, private when asked, no temp left."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kynangso import atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_replaces_the_content_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "thu-muc-moi" / "ket-qua.json"
    with pytest.raises(FileNotFoundError):  # like open(): a missing folder is an error unless asked for
        atomic.write_json(path, {})
    atomic.write_json(path, {"học viên": "Nguyễn Văn An", "điểm": 8}, parents=True, sort_keys=True)
    assert path.read_bytes() == '{\n "học viên": "Nguyễn Văn An",\n "điểm": 8\n}\n'.encode()
    atomic.write_text(path, "lần hai\r\n")
    assert path.read_bytes() == "lần hai\r\n".encode()  # newlines as given, on every OS
    assert atomic.write_bytes(path, b"\x00\x01") == path and path.read_bytes() == b"\x00\x01"
    assert _temps(path.parent) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_permissions_private_when_asked_kept_when_replacing_default_otherwise(tmp_path: Path) -> None:
    secret = atomic.write_text(tmp_path / "codes.json", "{}", mode=0o600)
    assert _mode(secret) == 0o600
    config = tmp_path / "nbgrader_config.py"
    config.write_text("c = 1\n")
    config.chmod(0o640)  # holds a database password
    atomic.write_text(config, "c = 2\n")
    assert _mode(config) == 0o640 and config.read_text() == "c = 2\n"
    # A new file gets what open() would give it: 0o666 less the umask, in a process with a known umask.
    code = "import os, sys; os.umask(0o027); from kynangso import atomic; atomic.write_text(sys.argv[1], 'x')"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "moi.txt")], check=True)
    assert _mode(tmp_path / "moi.txt") == 0o640


def test_failure_keeps_the_old_file_and_removes_the_temp(tmp_path: Path) -> None:
    path = tmp_path / "so-diem.json"
    atomic.write_json(path, {"cũ": True})
    with pytest.raises(TypeError):
        atomic.write_json(path, {"không ghi được": object()})  # fails while serialising, before any temp
    with pytest.raises(RuntimeError), atomic.replacing(path) as tmp:
        tmp.write_text("một nửa", encoding="utf-8")
        raise RuntimeError("máy tắt giữa chừng")
    assert json.loads(path.read_text(encoding="utf-8")) == {"cũ": True}
    assert _temps(tmp_path) == []
    folder = tmp_path / "la-thu-muc"
    (folder / "ben-trong").mkdir(parents=True)
    with pytest.raises(OSError):
        atomic.write_text(folder, "không thay được một thư mục")  # os.replace refuses
    assert _temps(tmp_path) == [] and (folder / "ben-trong").is_dir()


def test_replacing_hands_a_path_to_a_library_and_puts_it_in_place(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    with atomic.replacing(path) as tmp:
        assert tmp.parent == tmp_path and tmp.exists() and not path.exists()
        tmp.write_bytes(b"PK")
    assert path.read_bytes() == b"PK" and _temps(tmp_path) == []


def test_temp_name_is_unique_per_process_and_thread(tmp_path: Path) -> None:
    path = tmp_path / "tien-do.json"
    names: list[Path] = []
    together = threading.Barrier(4)  # all alive at once: a finished thread's id may be given to the next one

    def name() -> None:
        names.append(atomic.temp_name(path))
        together.wait(timeout=10)

    threads = [threading.Thread(target=name) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    code = (
        "import sys; from pathlib import Path; from kynangso import atomic; print(atomic.temp_name(Path(sys.argv[1])))"
    )
    other = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    names.append(Path(other.stdout.strip()))
    names.append(atomic.temp_name(path))
    assert len(set(names)) == len(names) and all(n.parent == tmp_path for n in names)


def test_readers_never_see_half_a_file_while_threads_write(tmp_path: Path) -> None:
    path = tmp_path / "phong-thi.json"
    payloads = [{"writer": w, "answers": ["đáp án"] * (2000 + 500 * w)} for w in range(6)]
    atomic.write_json(path, payloads[0])
    seen: set[int] = set()
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add(json.loads(path.read_text(encoding="utf-8"))["writer"])
            except ValueError as exc:
                errors.append(str(exc))

    def write(data: dict[str, object]) -> None:
        for _ in range(20):
            atomic.write_json(path, data, sync=False)

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    reader.join()
    assert errors == []
    assert json.loads(path.read_text(encoding="utf-8")) in payloads and seen <= set(range(6))
    assert _temps(tmp_path) == []
