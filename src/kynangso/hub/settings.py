"""The settings of one hub, kept in ``kynangso-hub.toml`` in the hub folder (written by ``kynangso hub init``).

Everything JupyterHub needs to know about the course, the accounts and the limits is here, as data that a trainer
or a province's administrator can read and edit; ``jupyterhub_config.py`` holds no settings of its own.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kynangso import atomic

SETTINGS_FILE = "kynangso-hub.toml"
FORMAT = 1


class SettingsError(RuntimeError):
    """A hub settings file that cannot be used, naming the file and the key."""


@dataclass
class HubSettings:
    folder: Path  # the hub folder: settings, JupyterHub's state, per-role Jupyter config
    course_id: str
    course: Path  # the nbgrader course root (owned by the grader account)
    exchange: Path  # the shared nbgrader exchange
    grader: str  # the account that owns the course and runs Formgrader
    trainers: list[str] = field(default_factory=list)
    learners: list[str] = field(default_factory=list)
    ip: str = "0.0.0.0"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    service_port: int = 9999
    room_port: int = 8870  # the phone exam room, a service the hub starts; 0 = no room
    proxy: str = "configurable-http-proxy"
    hub_db_url: str = ""  # JupyterHub's own state; empty = SQLite in the hub folder
    mem_limit: str = "1G"  # per user: their server and every kernel it starts
    cpu_limit: float = 1.0
    idle_timeout: int = 3600  # seconds without activity before a learner's server is stopped
    cull_every: int = 300
    start_timeout: int = 300  # 30 learners signing in at once on two cores take a while
    concurrent_spawn_limit: int = 40
    formgrader_iframe: bool = False  # True only with subdomains or trusted users (see deploy/README.md)

    @property
    def path(self) -> Path:
        return self.folder / SETTINGS_FILE

    @property
    def jupyter(self) -> Path:
        return self.folder / "jupyter"

    @property
    def staff_codes(self) -> Path:
        return self.state / "staff-codes.json"  # state/ is root's alone

    @property
    def state(self) -> Path:
        return self.folder / "state"

    def role(self, account: str) -> str:
        if account == self.grader:
            return "grader"
        return "trainer" if account in self.trainers else "learner"

    def to_toml(self) -> str:
        lines = [
            "# Settings of a Kỹ Năng Số JupyterHub (written by `kynangso hub init`; safe to edit, then restart the hub).",
            f"format = {FORMAT}",
        ]
        for key, value in asdict(self).items():
            if key == "folder":
                continue
            lines.append(f"{key} = {_toml(value)}")
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic.write_text(self.path, self.to_toml())


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(str(v), ensure_ascii=False) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def load(folder: Path | str) -> HubSettings:
    folder = Path(folder).resolve()
    path = folder / SETTINGS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: không đọc được ({exc.strerror or exc}); tạo bằng “kynangso hub init”") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: sai cú pháp TOML ({exc})") from None
    if data.pop("format", None) != FORMAT:
        raise SettingsError(f"{path}: format: cần giá trị {FORMAT}")
    known = {f.name: f for f in fields(HubSettings)}
    values: dict[str, Any] = {"folder": folder}
    for key, value in data.items():
        if key not in known or key == "folder":
            raise SettingsError(f"{path}: {key}: khóa không có trong cấu hình hub")
        kind = known[key].type
        if kind == "Path":
            value = Path(value)
        elif kind == "int" and not isinstance(value, int):
            raise SettingsError(f"{path}: {key}: cần một số nguyên")
        elif kind == "list[str]" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise SettingsError(f"{path}: {key}: cần một danh sách tên tài khoản")
        values[key] = value
    for name in ("course_id", "course", "exchange", "grader"):
        if name not in values:
            raise SettingsError(f"{path}: thiếu khóa {name}")
    return HubSettings(**values)
