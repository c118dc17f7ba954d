"""The kynangso command: Vietnamese help, and no heavy import before a subcommand runs (what keeps it fast).

How fast it answers is measured by ``bench/cli_help.py``, not asserted here: a wall-clock limit fails on a busy
machine and proves nothing about the cause.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kynangso import cli

HEAVY = (
    "nbformat",
    "nbgrader",
    "jupyter_server",
    "jupyterlab",
    "ipywidgets",
    "voila",
    "nbclient",
    "papermill",
    "jsonschema",
    "IPython",
    "sqlalchemy",
    "cryptography",
    "fpdf",
    "openpyxl",
    "matplotlib",
)
FLOW = [
    "start",
    "lessons",
    "course",
    "roster",
    "sims",
    "site",
    "exam",
    "grade",
    "feedback",
    "results",
    "keys",
    "certify",
    "revoke",
    "trust",
    "verify",
    "report",
    "demo",
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kynangso", *args], capture_output=True, text=True, timeout=60)


def test_help_is_vietnamese_and_lists_commands() -> None:
    res = _run("--help")
    assert res.returncode == 0
    assert "Cách dùng: kynangso" in res.stdout
    assert "hiện trợ giúp này rồi thoát" in res.stdout
    assert "usage:" not in res.stdout and "show this help" not in res.stdout
    for module in cli.command_modules():
        assert module.NAME in res.stdout


def test_commands_follow_the_flow() -> None:
    names = [m.NAME for m in cli.command_modules()]
    known = [n for n in FLOW if n in names]
    assert names[: len(known)] == known, "subcommands must be listed in the order of the flow"
    assert "start" in names


def _imported(stderr: str) -> set[str]:
    """Top-level packages named in ``python -X importtime`` output (one line per module imported)."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module and module != "imported package":
                names.add(module.split(".")[0])
    return names


def test_importtime_sees_what_the_command_imports() -> None:
    # The helper below must notice a heavy import, or the tests built on it could never fail.
    code = "import nbformat"
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, timeout=60)
    assert "nbformat" in _imported(res.stderr)


def test_help_through_the_real_entry_point_imports_nothing_heavy() -> None:
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kynangso", "--help"], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr[-2000:]
    loaded = _imported(res.stderr)
    assert "kynangso" in loaded
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


@pytest.mark.parametrize("name", [m.NAME for m in cli.command_modules()])
def test_every_subcommand_has_vietnamese_help_and_imports_nothing_heavy(name: str) -> None:
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kynangso", name, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "Cách dùng: kynangso " + name in res.stdout
    assert "usage:" not in res.stdout
    assert not _imported(res.stderr).intersection(HEAVY), sorted(_imported(res.stderr).intersection(HEAVY))


def test_unknown_command_fails_in_vietnamese() -> None:
    res = _run("khong-co-lenh-nay")
    assert res.returncode == 2
    assert "lỗi:" in res.stderr and "lựa chọn không hợp lệ" in res.stderr


def test_parsing_every_subcommand_imports_nothing_heavy() -> None:
    # Parsing (also a wrong or incomplete command line, which argparse answers with exit 2) happens before any
    # subcommand's run(): it must not pay for the heavy stack either.
    code = (
        "import sys, json\n"
        "from kynangso import cli\n"
        "parser = cli.build_parser()\n"
        "for m in cli.command_modules():\n"
        "    try:\n"
        "        parser.parse_args([m.NAME])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = {m.split(".")[0] for m in json.loads(res.stdout.splitlines()[-1])}
    assert "kynangso" in loaded
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))
