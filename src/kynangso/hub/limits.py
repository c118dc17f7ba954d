"""Per-user memory limits on one machine: each person's server and kernels share one memory cgroup.

JupyterHub's local process spawner only passes ``mem_limit`` on as an environment variable; nothing enforces it.
Here a cgroup is made per user *under the hub's own cgroup* (so a service manager or container that holds the hub
still holds its users) and the server joins it before it starts, so every kernel it launches is counted too:
a learner whose notebook eats memory loses that kernel, not the whole workshop. cgroup v1's memory controller
allows that nesting directly; on cgroup v2 the hub needs a delegated subtree (systemd ``Delegate=yes``), given as
``cgroup_parent``. Without either, limits are not enforced and the hub says so in its log.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup/memory")
V2_ROOT = Path("/sys/fs/cgroup")


def _own_cgroup(controller: str | None) -> str | None:
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if (controller is None and names == "") or (controller and controller in names.split(",")):
            return path
    return None


def default_parent() -> Path | None:
    """Where per-user cgroups can be made for this process, or None."""
    own = _own_cgroup("memory")
    if own is not None and (V1_ROOT / "memory.limit_in_bytes").exists():
        parent = V1_ROOT / own.lstrip("/")
        if os.access(parent, os.W_OK):
            return parent
    return None


class MemoryCgroup:
    """One user's cgroup (v1 ``memory.limit_in_bytes`` or v2 ``memory.max``)."""

    def __init__(self, parent: Path, name: str):
        self.path = parent / name
        self.v2 = (parent / "cgroup.controllers").exists()

    def create(self, limit_bytes: int) -> None:
        self.path.mkdir(exist_ok=True)
        if self.v2:
            (self.path / "memory.max").write_text(str(limit_bytes))
            (self.path / "memory.swap.max").write_text("0")
        else:
            (self.path / "memory.limit_in_bytes").write_text(str(limit_bytes))

    @property
    def limit(self) -> int:
        name = "memory.max" if self.v2 else "memory.limit_in_bytes"
        return int((self.path / name).read_text().strip())

    def join_fn(self) -> str:
        """The procs file a starting process writes its own pid to."""
        return str(self.path / "cgroup.procs")

    def remove(self) -> None:
        # Fails while a process is still inside (a kernel being killed): the next start reuses the folder.
        with contextlib.suppress(OSError):
            self.path.rmdir()


def members(pid: int) -> str | None:
    """The memory cgroup path a process is in (as /proc/PID/cgroup names it)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/cgroup").read_text(encoding="utf-8").splitlines():
            _, names, path = line.split(":", 2)
            if "memory" in names.split(",") or names == "":
                return path
    return None
