"""``kynangso sims serve``: a standalone Voilà server for a workshop of about 30 people on one laptop.

Preheated kernels (each notebook is already executed in a waiting kernel) make an app interactive in about a
second; idle-kernel culling gives back the memory of learners who walked away. The server runs supervised
(``kynangso.supervise``), so Ctrl-C stops it and its kernels cleanly.
Voilà's own (English) log goes to ``.kynangso/logs/sims-serve.log`` or to ``$KYNANGSO_SIMS_LOG``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from kynangso.server import lan_address
from kynangso.supervise import Messages, supervise
from kynangso.voila_extensions import EXTENSION_DENYLIST

GALLERY = "voila/render/gallery.ipynb"
CROWD_REFILL_SECONDS = 30


def voila_command(
    apps: Path, port: int, ip: str, pool_size: int, cull_seconds: int, pools: Mapping[str, int] | None = None
) -> list[str]:
    """``pools``: kernels kept ready for one app (scenario id → count), e.g. the app a class of 30 opens at once;
    every other app keeps ``pool_size``."""
    cmd = [
        sys.executable,
        "-m",
        "kynangso.webcache",  # Voilà with compressed, cached responses (see kynangso.webcache)
        str(apps),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--show_tracebacks=False",
        # An idle kernel is one with no execution and no widget message: a learner who is clicking keeps theirs.
        # Kernels started together (a pool being filled) run their notebooks together: on a small laptop their
        # output can take longer than nbclient's default 4 s, and an app rendered without it would be blank.
        "--VoilaExecutor.iopub_timeout=60",
        f"--MappingKernelManager.cull_idle_timeout={max(cull_seconds, 1)}",
        f"--MappingKernelManager.cull_interval={min(max(cull_seconds, 1), 60)}",
        "--MappingKernelManager.cull_connected=True",
        f"--VoilaConfiguration.extension_denylist={list(EXTENSION_DENYLIST)!r}",
    ]
    if pool_size > 0 or any(n > 0 for n in (pools or {}).values()):
        cmd += ["--preheat_kernel=True", f"--pool_size={max(pool_size, 0)}"]
    if pools:
        config = {"default": {"pool_size": max(pool_size, 0)}}
        config |= {f"{app}.ipynb": {"pool_size": max(n, 0)} for app, n in pools.items()}
        cmd.append(f"--VoilaKernelManager.kernel_pools_config={json.dumps(config)}")
        # A class arrives within a minute: refilling the pool at once would start a kernel per arrival, taking the
        # CPU from the learners just as they open the app. Refill once the crowd has settled.
        cmd.append(f"--VoilaKernelManager.fill_delay={CROWD_REFILL_SECONDS}")
    return cmd


def serve(
    apps: Path,
    port: int = 8866,
    ip: str = "127.0.0.1",
    pool_size: int = 1,
    cull_minutes: int = 15,
    log: Path | None = None,
    pools: Mapping[str, int] | None = None,
) -> int:
    if not (apps / "gallery.ipynb").is_file():
        print(f"Không tìm thấy {apps / 'gallery.ipynb'}: thư mục voila_apps/ chưa đúng.", file=sys.stderr)
        return 2
    missing = [app for app in pools or {} if not (apps / f"{app}.ipynb").is_file()]
    if missing:
        print(f"Không có mô phỏng {', '.join(missing)} trong {apps} (xem: kynangso sims list).", file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    log = log or Path(os.environ.get("KYNANGSO_SIMS_LOG") or apps.parent / ".kynangso" / "logs" / "sims-serve.log")

    def on_ready() -> None:
        print("Máy chủ mô phỏng đã sẵn sàng. Mở địa chỉ sau trong trình duyệt:")
        print(f"  • Thư viện mô phỏng: http://127.0.0.1:{port}/{GALLERY}")
        if ip in ("0.0.0.0", "::"):
            lan = lan_address()
            if lan:
                print(f"  • Học viên trong cùng mạng Wi-Fi mở: http://{lan}:{port}/{GALLERY}")
        if pool_size > 0:
            print(f"Mỗi mô phỏng có {pool_size} nhân khởi động sẵn; nhân bỏ không quá {cull_minutes} phút sẽ được tắt.")
        for app, n in (pools or {}).items():
            print(f"Mô phỏng {app}: {n} nhân khởi động sẵn cho cả lớp mở cùng lúc.")

    messages = Messages(
        starting="Đang khởi động máy chủ mô phỏng",
        failed=f"Không khởi động được máy chủ mô phỏng (cổng {port} có thể đang bận; thử --port khác).",
        stopping="Đang dừng máy chủ mô phỏng…",
        stopped="Đã dừng máy chủ mô phỏng. Hẹn gặp lại!",
    )
    cmd = voila_command(apps, port, ip, pool_size, cull_minutes * 60, pools)
    return supervise(cmd, env, apps, log, f"http://127.0.0.1:{port}/", messages, on_ready)
