"""kynangso sims — list the simulations, grade a transcript by replay, serve the simulations with Voilà."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "sims"
ORDER = 30
HELP = "mô phỏng: xem danh sách, chấm lại bản ghi thao tác, mở máy chủ mô phỏng (Voilà) cho lớp học"
DESCRIPTION = (
    "Các mô phỏng ứng dụng và trang web thật (Cổng Dịch vụ công, VNeID, nhận diện lừa đảo…).\n"
    "  kynangso sims list                               danh sách mô phỏng\n"
    "  kynangso sims replay MÔ_PHỎNG TỆP --seed N       chấm lại tệp ghi thao tác, in kết quả dạng JSON\n"
    "  kynangso sims serve --port 8866                  mở máy chủ mô phỏng cho cả lớp (Ctrl-C để dừng)"
)


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="sims_command")
    ls = sub.add_parser("list", help="liệt kê các mô phỏng")
    ls.add_argument("--json", action="store_true", help="in dạng JSON (cho máy đọc)")
    rp = sub.add_parser("replay", help="chấm lại một tệp ghi thao tác; in kết quả dạng JSON")
    rp.add_argument("scenario", metavar="MÔ_PHỎNG", help="mã mô phỏng, ví dụ dvc-khai-sinh")
    rp.add_argument("transcript", metavar="TỆP", help="tệp ghi thao tác (.transcript.json)")
    rp.add_argument("--seed", type=int, required=True, metavar="N", help="mã đề (seed) của người học")
    sv = sub.add_parser(
        "serve",
        help="mở máy chủ Voilà riêng cho mô phỏng, có nhân (kernel) khởi động sẵn",
        description="Mở máy chủ Voilà trên thư mục voila_apps/ với nhân khởi động sẵn và tự tắt nhân bỏ không.",
    )
    sv.add_argument("--port", type=int, default=8866, metavar="CỔNG", help="cổng (mặc định 8866)")
    sv.add_argument(
        "--ip",
        default="127.0.0.1",
        metavar="ĐỊA_CHỈ",
        help="địa chỉ lắng nghe; 0.0.0.0 để máy khác trong Wi-Fi vào được",
    )
    sv.add_argument(
        "--pool-size", type=int, default=1, metavar="SỐ", help="số nhân khởi động sẵn cho mỗi mô phỏng (mặc định 1)"
    )
    sv.add_argument(
        "--pool-for",
        action="append",
        default=[],
        metavar="MÔ_PHỎNG=SỐ",
        help="giữ sẵn SỐ nhân cho một mô phỏng cả lớp sẽ mở cùng lúc, ví dụ dvc-khai-sinh=30 (mỗi nhân khoảng 55 MB)",
    )
    sv.add_argument(
        "--cull-minutes",
        type=int,
        default=15,
        metavar="PHÚT",
        help="tắt nhân của người học bỏ không quá số phút này (mặc định 15)",
    )
    sv.add_argument(
        "--workspace", default=None, metavar="THƯ_MỤC", help="thư mục chứa voila_apps/ (mặc định: bản hiện tại)"
    )
    p.set_defaults(_parser=p)


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "sims_command", None)
    if command == "list":
        return _list(args)
    if command == "replay":
        return _replay(args)
    if command == "serve":
        from pathlib import Path

        from kynangso.sims.serve import serve
        from kynangso.workspace import find_workspace

        pools: dict[str, int] = {}
        for item in args.pool_for:
            app, _, count = item.partition("=")
            if not app or not count.isdigit():
                print(f"--pool-for {item}: cần dạng MÔ_PHỎNG=SỐ, ví dụ dvc-khai-sinh=30", file=sys.stderr)
                return 2
            pools[app] = int(count)
        ws = find_workspace(Path(args.workspace) if args.workspace else None)
        return serve(
            ws.voila_apps,
            port=args.port,
            ip=args.ip,
            pool_size=args.pool_size,
            cull_minutes=args.cull_minutes,
            pools=pools,
        )
    args._parser.print_help()
    return 0


def _list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from kynangso.fronts import FRONTS
    from kynangso.sims import ScenarioError, list_scenarios

    try:
        infos = list_scenarios()
    except ScenarioError as exc:
        print(f"Lỗi trong tệp mô phỏng:\n{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([asdict(i) for i in infos], ensure_ascii=False, indent=2))
        return 0
    for i in infos:
        print(f"{i.id}\n  {i.title}\n  {FRONTS[i.front].name} · khoảng {i.minutes} phút\n")
    print(f"Tổng cộng {len(infos)} mô phỏng.")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from kynangso.sims import ScenarioError, TranscriptError, UnknownScenario, replay

    try:
        result = replay(args.scenario, args.transcript, seed=args.seed)
    except (TranscriptError, UnknownScenario, ScenarioError) as exc:
        print(f"Không chấm được: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"scenario": args.scenario, "seed": args.seed, **result.to_dict()}, ensure_ascii=False, indent=2))
    return 0
