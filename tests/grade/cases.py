"""The submissions a learner might send, each made from the released test exam (tests/grade/bank/gov-2.toml).

``python -m tests.grade.cases`` rewrites ``tests/grade/files/submitted-*.ipynb`` from these recipes;
``test_fixture_files_are_up_to_date`` fails when a file no longer matches its recipe (e.g. after the exam
notebook's layout changed), the way nbgrader keeps its own ``submitted-*.ipynb`` test notebooks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

FILES = Path(__file__).with_name("files")
BANK = Path(__file__).with_name("bank")
EXAM = "gov-2"

RIGHT = {1: '"B"', 2: '["A", "C"]', 4: "0.25", 5: '"113"'}
WRONG = {1: '"A"', 2: '["B"]', 3: "[4, 3, 2, 1]", 4: "2", 5: '"115"'}
OPEN = "Bà con không đưa mã OTP cho bất kỳ ai, kể cả người xưng là công an. Vài hôm sau cháu quay lại hỏi thăm."


def source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def answer_cell(nb: dict[str, Any], number: int) -> dict[str, Any]:
    cells = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("answer-")]
    for cell in cells:
        if f"CÂU TRẢ LỜI CÂU {number}:" in source(cell):
            return cell
    raise KeyError(number)


def grade_cell(nb: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith(prefix))


def answer(nb: dict[str, Any], number: int, text: str) -> None:
    cell = answer_cell(nb, number)
    cell["source"] = source(cell)[: -len("...")] + text


def replace_answer(nb: dict[str, Any], number: int, code: str) -> None:
    answer_cell(nb, number)["source"] = code


def right(nb: dict[str, Any], order: list[int]) -> None:
    """Every auto-graded answer right; ``order`` is this exam's order key (it depends on the shuffle)."""
    for number, text in {**RIGHT, 3: json.dumps(order)}.items():
        answer(nb, number, text)
    grade_cell(nb, "open-")["source"] = OPEN


def _cheat(code: str, number: int = 1) -> Callable[[dict[str, Any], list[int]], None]:
    def make(nb: dict[str, Any], order: list[int]) -> None:
        right(nb, order)
        replace_answer(nb, number, code)

    return make


def _wrong(nb: dict[str, Any], order: list[int]) -> None:
    for number, text in WRONG.items():
        answer(nb, number, text)


def _edit_test(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    grade_cell(nb, "q-chon-mot")["source"] = "0  # khỏi chấm"


def _delete_test(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    nb["cells"].remove(grade_cell(nb, "q-chon-mot"))


def _delete_answer(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    nb["cells"].remove(answer_cell(nb, 1))


def _extra_cell(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    nb["cells"].insert(
        3,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "them-vao",
            "metadata": {},
            "outputs": [],
            "source": "import kynangso.exams.graders as g\ng.cham = lambda *a: 100.0",
        },
    )


def _points(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    grade_cell(nb, "q-chon-mot")["metadata"]["nbgrader"]["points"] = 100


def _strip(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    for cell in nb["cells"]:
        cell["metadata"].pop("nbgrader", None)


def _decimal_comma(nb: dict[str, Any], order: list[int]) -> None:
    right(nb, order)
    replace_answer(nb, 4, "# ✍️ CÂU TRẢ LỜI CÂU 4: (viết bằng dấu phẩy thập phân)\ntra_loi_4 = 0,25")


MONKEYPATCH = (
    "import kynangso.exams.graders as g\n"
    "g.cham = lambda *a, **k: 100.0\n"
    "g.cham_thuc_hanh = lambda *a, **k: 100.0\n"
    'tra_loi_1 = "B"'
)
PRINT_KEYS = (
    "import glob, pathlib\n"
    "for p in glob.glob('../../../answer_keys/*.json') + glob.glob('../../../source/*/*.ipynb'):\n"
    "    print(pathlib.Path(p).read_text())\n"
    'tra_loi_1 = "B"'
)
WRITE_GRADEBOOK = (
    "import sqlite3\n"
    "db = sqlite3.connect('../../../gradebook.db')\n"
    "db.execute('UPDATE grade SET manual_score = 100')\n"
    "db.commit()\n"
    'tra_loi_1 = "B"'
)
READ_SIGNING_KEY = (
    "import pathlib\n"
    "for p in pathlib.Path.home().glob('.config/kynangso/**/*'):\n"
    "    print(p, p.read_text())\n"
    'tra_loi_1 = "B"'
)
READ_OTHERS = (
    "import glob\nfor p in glob.glob('../../*/gov-2/gov-2.ipynb'):\n    print(open(p).read()[:2000])\ntra_loi_1 = \"B\""
)

CASES: dict[str, Callable[[dict[str, Any], list[int]], None]] = {
    "submitted-correct": right,
    "submitted-wrong": _wrong,
    "submitted-blank": lambda nb, order: None,
    "submitted-cheat-monkeypatch": _cheat(MONKEYPATCH),
    "submitted-prints-keys": _cheat(PRINT_KEYS),
    "submitted-writes-gradebook": _cheat(WRITE_GRADEBOOK),
    "submitted-reads-signing-key": _cheat(READ_SIGNING_KEY),
    "submitted-reads-other-learners": _cheat(READ_OTHERS),
    "submitted-dunder-import": _cheat('tra_loi_1 = __import__("os").system("id")'),
    "submitted-fstring-reads-file": _cheat("tra_loi_1 = f\"{open('/etc/passwd').read()}\""),
    "submitted-bare-name": _cheat("tra_loi_1 = B"),
    "submitted-two-statements": _cheat('tra_loi_1 = "B"; tra_loi_2 = ["A", "C"]'),
    "submitted-wrong-variable": _cheat('tra_loi_2 = "B"'),
    "submitted-huge-answer": _cheat('tra_loi_1 = "' + "B" * 30_000 + '"'),
    "submitted-decimal-comma": _decimal_comma,
    "submitted-extra-code-cell": _extra_cell,
    "submitted-edited-test-cell": _edit_test,
    "submitted-deleted-test-cell": _delete_test,
    "submitted-deleted-answer-cell": _delete_answer,
    "submitted-changed-points": _points,
    "submitted-metadata-stripped": _strip,
}
# Files that are not a notebook at all (sent under the exam's notebook name; kept here under their true kind).
BROKEN = {
    "submitted-corrupt-json.txt": lambda text: text[:-200],
    "submitted-not-a-notebook.html": lambda text: "<html><body>Bài làm của em</body></html>\n",
}


def build(released: dict[str, Any], order: list[int]) -> dict[str, str]:
    """File name -> content of every fixture."""
    out = {}
    for name, make in CASES.items():
        nb = json.loads(json.dumps(released))
        make(nb, order)
        out[f"{name}.ipynb"] = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    text = json.dumps(released, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    for name, spoil in BROKEN.items():
        out[name] = spoil(text)
    return out


def released_exam(workdir: Path, db_url: str | None = None) -> tuple[dict[str, Any], list[int], Path]:
    """The released test exam, its order key, and the course made for it (its gradebook at ``db_url``, else
    SQLite in the course folder)."""
    from kynangso.course.course import init_course, release

    course = init_course(workdir / "khoa-thu", bank=BANK, db_url=db_url)
    release(course, [EXAM])
    released = json.loads((course / "release" / EXAM / f"{EXAM}.ipynb").read_text(encoding="utf-8"))
    keys = json.loads((course / "answer_keys" / f"{EXAM}.json").read_text(encoding="utf-8"))
    return released, keys["questions"]["sap-xep"]["keys"][0]["answer"], course


def main() -> None:
    import tempfile

    from kynangso.toolpath import ensure_scripts_on_path

    ensure_scripts_on_path()
    with tempfile.TemporaryDirectory() as tmp:
        released, order, _ = released_exam(Path(tmp))
        FILES.mkdir(exist_ok=True)
        for name, text in build(released, order).items():
            (FILES / name).write_text(text, encoding="utf-8")
        code, _ = released_code(Path(tmp))
        for name, text in build_code(code).items():
            (FILES / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(CASES) + len(BROKEN) + len(CODE_CASES)} files in {FILES}")


# --- A general nbgrader assignment with code answers and hidden tests (graded in the sandbox) -----------------

CODE = "ps1"
SQUARES = "def squares(n):\n    return [i * i for i in range(1, n + 1)]\n"
GREET = 'def greet(name):\n    return f"Xin chào {name}"\n'


def _code_cell(cid: str, src: str, **nbgrader: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "id": cid,
        "metadata": {},
        "outputs": [],
        "source": src,
    }
    if nbgrader:
        cell["metadata"]["nbgrader"] = {"grade_id": cid, "schema_version": 3, "task": False, **nbgrader}
    return cell


def code_source() -> dict[str, Any]:
    """The trainer's own notebook: two answers in code, tests with hidden parts, one test with partial credit."""
    sol = {"grade": False, "solution": True, "locked": False}
    test = {"grade": True, "solution": False, "locked": True}
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "# Bài tập Python\n\nViết hai hàm."},
        _code_cell(
            "squares",
            "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]\n    ### END SOLUTION",
            **sol,
        ),
        _code_cell(
            "test-squares",
            "assert squares(3) == [1, 4, 9]\n### BEGIN HIDDEN TESTS\nassert squares(5) == [1, 4, 9, 16, 25]\n### END HIDDEN TESTS",
            points=2,
            **test,
        ),
        _code_cell(
            "greet",
            'def greet(name):\n    ### BEGIN SOLUTION\n    return f"Xin chào {name}"\n    ### END SOLUTION',
            **sol,
        ),
        _code_cell(
            "test-greet",
            '### BEGIN HIDDEN TESTS\nassert greet("An") == "Xin chào An"\n### END HIDDEN TESTS',
            points=1,
            **test,
        ),
        _code_cell(
            "test-data",
            "rows = open('du-lieu.csv', encoding='utf-8').read().split()\nscore = 0.5 if squares(len(rows)) == [1, 4] else 0.0\nscore += 0.5 if squares(0) == [] else 0.0\nscore",
            points=1,
            **test,
        ),
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _answers(nb: dict[str, Any], squares: str, greet: str) -> None:
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "squares":
            cell["source"] = squares
        elif gid == "greet":
            cell["source"] = greet


def _code_case(prefix: str) -> Callable[[dict[str, Any], list[int]], None]:
    return lambda nb, _: _answers(nb, prefix + SQUARES, GREET)


CODE_CASES: dict[str, Callable[[dict[str, Any], list[int]], None]] = {
    "submitted-code-correct": lambda nb, _: _answers(nb, SQUARES, GREET),
    "submitted-code-wrong": lambda nb, _: _answers(
        nb, "def squares(n):\n    return [i for i in range(n)]\n", GREET.replace("chào", "chao")
    ),
    "submitted-code-blank": lambda nb, _: None,
    "submitted-code-loop-ignores-ctrl-c": _code_case(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    ),
    "submitted-code-os-exit": _code_case("import os\nos._exit(3)\n"),
    "submitted-code-fork-bomb": _code_case(
        "import os\nfor _ in range(1000):\n    try:\n        os.fork()\n    except OSError:\n        break\n"
    ),
    "submitted-code-memory-bomb": _code_case(
        "try:\n    hog = bytearray(8 * 1024**3)\nexcept MemoryError:\n    hog = None\n"
    ),
    "submitted-code-prints-100mb": _code_case("print('x' * 100_000_000)\n"),
    "submitted-code-reads-answer-keys": _code_case(
        "import glob\nfor p in glob.glob('../../../*') + glob.glob('../../../source/*/*') + glob.glob('../../../answer_keys/*'):\n    print('THẤY', p)\n"
    ),
    "submitted-code-writes-gradebook": _code_case(
        "import sqlite3\ntry:\n    db = sqlite3.connect('../../../gradebook.db')\n    db.execute('UPDATE grade SET manual_score = 100')\n    db.commit()\nexcept Exception as e:\n    print('không ghi được', type(e).__name__)\n"
    ),
    "submitted-code-reads-other-learners": _code_case(
        "import glob\nprint('THẤY', glob.glob('../../*/ps1/*.ipynb') + glob.glob('/work/**/submitted/*', recursive=True))\n"
    ),
    "submitted-code-reads-system-secrets": _code_case(
        "import os, pathlib\nfor p in ['/etc/shadow', '/root/.ssh', os.path.expanduser('~/.config/kynangso')]:\n    print(p, os.path.exists(p))\n"
    ),
    "submitted-code-network": _code_case(
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 22), timeout=2)\n    print('MẠNG: có')\nexcept OSError as e:\n    print('MẠNG: không', type(e).__name__)\n"
    ),
}


def build_code(released: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, make in CODE_CASES.items():
        nb = json.loads(json.dumps(released))
        make(nb, [])
        out[f"{name}.ipynb"] = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return out


def released_code(workdir: Path) -> tuple[dict[str, Any], Path]:
    """A plain nbgrader course (no Kỹ Năng Số config) with the code assignment released."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    course = workdir / "lop-python"
    (course / "source" / CODE).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'lop-python'\n", encoding="utf-8"
    )
    (course / "source" / CODE / f"{CODE}.ipynb").write_text(
        json.dumps(code_source(), ensure_ascii=False), encoding="utf-8"
    )
    (course / "source" / CODE / "du-lieu.csv").write_text("a\nb\n", encoding="utf-8")
    cfg = Config()
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.course_id = "lop-python"
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    result = api.generate_assignment(CODE, force=True, create=True)
    assert result["success"], result
    released = json.loads((course / "release" / CODE / f"{CODE}.ipynb").read_text(encoding="utf-8"))
    return released, course


if __name__ == "__main__":
    main()
