"""System accounts for the hub's people: one per learner and trainer, one grader account per course.

JupyterHub's local process spawner runs each person's server under their own system account, and nbgrader names
a submission after that account, so an account is named exactly like the learner id in the gradebook.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from pathlib import Path

from kynangso import atomic

# What Debian's useradd accepts by default (NAME_REGEX), within its 32-character limit.
ACCOUNT = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
CREATED_FILE = "accounts-created.json"


class AccountError(RuntimeError):
    """A person or account that cannot be set up, explained in Vietnamese."""


def invalid_accounts(names: list[str]) -> list[str]:
    return [n for n in names if not ACCOUNT.match(n)]


def check_names(names: list[str]) -> None:
    bad = invalid_accounts(names)
    if bad:
        raise AccountError(
            "Các mã sau không dùng làm tài khoản máy được (tối đa 32 ký tự: chữ thường không dấu, số, '-' và '_'): "
            + ", ".join(bad)
            + ". Sửa mã học viên trong danh sách lớp rồi chạy lại."
        )


def exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def create(names: list[str], homes: Path, record: Path) -> list[str]:
    """Create the missing system accounts, each with a private home under ``homes``; returns the new ones.

    Every account made is written to ``record`` first, so that ``kynangso hub remove-accounts`` can undo a
    workshop machine's setup even after a crash midway.
    """
    check_names(names)
    if not is_root():
        raise AccountError("Tạo tài khoản máy cần quyền root: chạy lại bằng sudo, hoặc thêm --khong-tao-tai-khoan")
    made = load_created(record)
    new = []
    homes.mkdir(parents=True, exist_ok=True)
    os.chmod(homes, 0o755)
    for name in names:
        if exists(name):
            continue
        made.append(name)
        _save_created(record, made)
        home = homes / name
        done = subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AccountError(f"useradd {name}: {done.stderr.strip() or done.returncode}")
        os.chmod(home, 0o700)
        new.append(name)
    return new


def load_created(record: Path) -> list[str]:
    try:
        return list(json.loads(record.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise AccountError(f"{record}: không đọc được danh sách tài khoản đã tạo ({exc})") from None


def _save_created(record: Path, names: list[str]) -> None:
    atomic.write_json(record, names, parents=True)


def remove_created(record: Path) -> list[str]:
    """Delete every account this hub created (with its home and files); returns the names removed."""
    if not is_root():
        raise AccountError("Xóa tài khoản máy cần quyền root: chạy lại bằng sudo")
    names = load_created(record)
    removed = []
    for name in names:
        if not exists(name):
            continue
        # A server the hub left behind would make userdel refuse: end that account's processes first.
        _end_processes(name)
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True, check=False)
        if done.returncode not in (0, 12):  # 12: the home was already gone
            raise AccountError(f"userdel {name}: {done.stderr.strip() or done.returncode}")
        removed.append(name)
    record.unlink(missing_ok=True)
    return removed


def _end_processes(account: str) -> None:
    import pwd

    import psutil

    uid = pwd.getpwnam(account).pw_uid
    procs = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(procs, timeout=10)


def chown_tree(path: Path, account: str) -> None:
    import pwd

    entry = pwd.getpwnam(account)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
    os.lchown(path, entry.pw_uid, entry.pw_gid)
