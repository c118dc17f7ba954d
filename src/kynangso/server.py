"""Run one Jupyter server for a workshop: JupyterLab on the lessons, Voilà, nbgrader's Formgrader and Assignments.

The server runs supervised (``kynangso.supervise``): its log goes to a file, Ctrl-C stops it and its kernels.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from dataclasses import dataclass

from kynangso.course.config import ensure_course, write_server_config
from kynangso.reader import ENV as READER_ENV
from kynangso.reader import GALLERY_DOOR as READER_GALLERY_DOOR
from kynangso.reader import PATH as READER_PATH
from kynangso.supervise import Messages, supervise
from kynangso.workspace import Workspace

CULL_IDLE_SECONDS = 30 * 60


@dataclass(frozen=True)
class Addresses:
    lab: str
    reader: str
    gallery: str
    formgrader: str

    def lines(self) -> list[str]:
        return [
            f"  • Bài học (JupyterLab):        {self.lab}",
            f"  • Bài học trên điện thoại:     {self.reader}",
            f"  • Mô phỏng (Voilà):            {self.gallery}",
            f"  • Chấm thi (Formgrader):       {self.formgrader}",
            '  • Học viên nhận và nộp bài thi ở thẻ "Assignments" trong JupyterLab.',
        ]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def load_token(ws: Workspace) -> str:
    """A token kept between runs, so that links a trainer has shared keep working."""
    path = ws.data / "token"
    if path.exists():
        token = path.read_text(encoding="ascii").strip()
        if token:
            return token
    ws.data.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(token + "\n")
    return token


def prepare(ws: Workspace) -> None:
    """The embedded default course: SQLite gradebook and local exchange under the data folder, with the nine
    exams built from the question bank the first time (later changes: ``kynangso exam build``)."""
    ensure_course(ws.course, ws.exchange)
    source = ws.course / "source"
    if not any(p.is_dir() for p in source.iterdir()):
        from kynangso.course.course import init_course

        print("Đang chuẩn bị khóa học mặc định (9 bài thi)…", flush=True)
        init_course(ws.course, ws.exchange)
    write_server_config(ws.jupyter_config, ws.course, ws.exchange, ws.root / "bai-thi")


def server_command(ws: Workspace, port: int, ip: str, token: str) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ip={ip}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={ws.root}",
        f"--IdentityProvider.token={token}",
        # nbgrader's course lives in the hidden data folder; Formgrader links into it.
        "--ContentsManager.allow_hidden=True",
        "--LabApp.default_url=/lab/tree/curriculum",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # Compressed, cached responses for phones on the workshop's Wi-Fi (kynangso.webcache); the lesson reader
        # for phones (kynangso.reader).
        "--ServerApp.jpserver_extensions={'kynangso.webcache': True, 'kynangso.reader': True}",
        # A phone that sleeps or closes its tab never says goodbye: its lesson's kernel would run until the server
        # stops. Kernels nobody is connected to are stopped after half an hour without activity; an open
        # JupyterLab notebook or reader page stays connected and keeps its kernel.
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=300",
        "--MappingKernelManager.cull_connected=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def server_env(ws: Workspace) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(ws.jupyter_config)]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    # Kernels (lessons, Voilà apps) find the course and progress of this workspace through it.
    env["KYNANGSO_WORKSPACE"] = str(ws.root)
    # The gallery and "Tiến độ của tôi", run in those kernels, link lessons to the reader this server has.
    env[READER_ENV] = "/"
    return env


def addresses(host: str, port: int, token: str) -> Addresses:
    base = f"http://{host}:{port}"
    q = f"?token={token}"
    return Addresses(
        lab=f"{base}/lab/tree/curriculum{q}",
        reader=f"{base}/{READER_PATH}{q}",
        gallery=f"{base}/{READER_GALLERY_DOOR}{q}",
        formgrader=f"{base}/formgrader{q}",
    )


def lan_address() -> str | None:
    """The address other devices on the trainer's Wi-Fi can reach, if any (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            addr = str(s.getsockname()[0])
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def run(ws: Workspace, port: int | None = None, ip: str = "127.0.0.1", open_browser: bool = True) -> int:
    prepare(ws)
    port = port or 8888
    token = load_token(ws)
    local = addresses("127.0.0.1", port, token)

    def on_ready() -> None:
        print("Kỹ Năng Số đã sẵn sàng. Mở các địa chỉ sau trong trình duyệt:")
        print("\n".join(local.lines()))
        if ip in ("0.0.0.0", "::"):
            lan = lan_address()
            if lan:
                there = addresses(lan, port, token)
                print(f"Máy khác trong cùng mạng Wi-Fi mở: {there.lab}")
                print(f"Điện thoại của học viên mở bài học: {there.reader}")
        if open_browser:
            import webbrowser

            webbrowser.open(local.lab)

    messages = Messages(
        starting="Đang khởi động máy chủ Kỹ Năng Số",
        failed=f"Không khởi động được máy chủ (cổng {port} có thể đang bận; thử --port khác).",
        stopping="Đang dừng máy chủ…",
        stopped="Đã dừng máy chủ. Hẹn gặp lại!",
    )
    return supervise(
        server_command(ws, port, ip, token),
        server_env(ws),
        ws.root,
        ws.data / "logs" / "server.log",
        f"http://127.0.0.1:{port}/api/status?token={token}",
        messages,
        on_ready,
    )
