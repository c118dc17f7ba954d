"""The spawner of a Kỹ Năng Số hub: JupyterHub's local process spawner, plus per-role Jupyter settings and an
enforced memory limit per user (see :mod:`kynangso.hub.limits`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Dict, Unicode

from kynangso.hub.limits import MemoryCgroup, default_parent

_warned = False
PORTS_FROM = 20000


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def server_port() -> int:
    """A free port below the ephemeral range for a person's server.

    JupyterHub's own choice comes from the ephemeral range, where every kernel's five ports come from too: with
    30 learners starting at once a kernel was seen taking the port just chosen for a server, which then failed.
    """
    import random
    import socket

    high = max(PORTS_FROM + 1000, _ephemeral_low())
    for _ in range(200):
        port = random.randrange(PORTS_FROM, high)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS_FROM}-{high}")


class WorkshopSpawner(LocalProcessSpawner):
    config_root = Unicode(help="the hub's per-role Jupyter config folders (learner/, trainer/, common/)").tag(
        config=True
    )
    roles = Dict(help="account -> role ('trainer'; anyone else is a learner)").tag(config=True)
    cgroup_parent = Unicode("", help="a delegated cgroup folder for per-user memory limits (default: automatic)").tag(
        config=True
    )

    @property
    def role(self) -> str:
        return str(self.roles.get(self.user.name, "learner"))

    def get_env(self) -> dict[str, Any]:
        env = super().get_env()
        root = Path(self.config_root)
        # A learner's server has the Assignments tab and no Formgrader; a trainer's adds the course list.
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(root / self.role), str(root / "common")])
        env["KYNANGSO_ROLE"] = self.role
        return env

    def _cgroup(self) -> MemoryCgroup | None:
        global _warned
        if not self.mem_limit:
            return None
        parent = Path(self.cgroup_parent) if self.cgroup_parent else default_parent()
        if parent is None:
            if not _warned:
                self.log.warning("No writable memory cgroup: mem_limit is not enforced (see deploy/README.md)")
                _warned = True
            return None
        return MemoryCgroup(parent, f"kynangso-{self.user.name}")

    def make_preexec_fn(self, name: str) -> Any:
        setuid = super().make_preexec_fn(name)
        group = self._cgroup()
        if group is None:
            return setuid
        group.create(int(self.mem_limit))
        procs = group.join_fn()

        def preexec() -> None:
            # Still root here: join the user's cgroup, then become the user.
            with open(procs, "w") as f:
                f.write(str(os.getpid()))
            setuid()

        return preexec

    async def start(self) -> Any:
        if not getattr(self, "port", 0):
            self.port = server_port()
        return await super().start()

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        group = self._cgroup()
        if group is not None:
            group.remove()
