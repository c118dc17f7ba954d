"""``python -m kynangso.room room|cards ...``: the two commands, before (or beside) ``kynangso exam``."""

from __future__ import annotations

import argparse
import sys

from kynangso.room.cli import CARDS_HELP, ROOM_HELP, configure_cards, configure_room, run_cards, run_room


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kynangso.room", description="Phòng thi trên điện thoại")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    configure_room(sub.add_parser("room", help=ROOM_HELP))
    configure_cards(sub.add_parser("cards", help=CARDS_HELP))
    args = parser.parse_args(argv)
    return run_room(args) if args.command == "room" else run_cards(args)


if __name__ == "__main__":
    sys.exit(main())
