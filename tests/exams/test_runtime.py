"""The learner's side (show the own variant, check only the form of answers) and the hidden graders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kynangso.exams.answers import is_correct, parse_number, problem
from kynangso.exams.variants import current_learner, learner_from_path, variant_index


def test_learner_comes_from_the_grading_folder_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "autograded" / "tran-thi-binh-1990" / "gov-2"
    folder.mkdir(parents=True)
    assert learner_from_path(folder, "gov-2") == "tran-thi-binh-1990"
    monkeypatch.setenv("KYNANGSO_LEARNER", "nguyen-van-an-1985")
    assert current_learner("gov-2", folder) == "tran-thi-binh-1990"
    assert current_learner("gov-2", tmp_path) == "nguyen-van-an-1985"
    monkeypatch.delenv("KYNANGSO_LEARNER")
    monkeypatch.setenv("JUPYTERHUB_USER", "le-van-cuong")
    # getpass.getuser() reads LOGNAME first: the account the kernel runs as.
    monkeypatch.setenv("LOGNAME", "pham-thi-dung")
    assert current_learner("gov-2", tmp_path) == "pham-thi-dung"  # a hub user with its own system account
    monkeypatch.setenv("LOGNAME", "jovyan")
    assert current_learner("gov-2", tmp_path) == "le-van-cuong"  # inside a docker-stacks container
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert current_learner("gov-2", tmp_path) == "jovyan"


@pytest.mark.parametrize(
    ("qtype", "value", "size", "ok"),
    [
        ("single", ..., 4, False),
        ("single", "b", 4, True),
        ("single", "E", 4, False),
        ("single", ["A", "B"], 4, False),
        ("multiple", ["A", "C"], 5, True),
        ("multiple", "A, C", 5, True),
        ("multiple", ["A", "A"], 5, False),
        ("order", [2, 1, 3], 3, True),
        ("order", [1, 1, 3], 3, False),
        ("numeric", "2.400.000", 0, True),
        ("numeric", "nhiều", 0, False),
        ("short", "  Mã hồ sơ ", 0, True),
        ("short", None, 0, False),
    ],
)
def test_form_check(qtype: str, value: object, size: int, ok: bool) -> None:
    assert (problem(qtype, value, size) is None) is ok


def test_comparison_normalises_what_learners_type() -> None:
    assert (
        parse_number("2.400.000") == 2_400_000
        and parse_number("2,5") == 2.5
        and parse_number("150.000 đồng") == 150_000
    )
    assert is_correct("numeric", "340.000", 340000)
    assert is_correct("numeric", 0.5, 0.5, 0.01) and not is_correct("numeric", 5, 0.5, 0.01)
    assert is_correct("short", "MÃ HỒ SƠ.", ["mã hồ sơ"])
    assert is_correct("multiple", ["C", "a"], ["A", "C"]) and not is_correct("multiple", ["A"], ["A", "C"])
    assert is_correct("order", [3, 1, 2], [3, 1, 2]) and not is_correct("order", [1, 2, 3], [3, 1, 2])


def test_runtime_shows_the_own_variant_and_never_judges(
    exam_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    from kynangso.exams.runtime import LEARNER_FILE, BaiThi, CauTraLoiChuaHopLe

    shown: list[str] = []
    InteractiveShell.instance()
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    folder = tmp_path / "gov-1"
    shutil.copytree(exam_course / "release" / "gov-1", folder)
    data = json.loads((folder / "de-thi.json").read_text(encoding="utf-8"))
    for learner in ("nguyen-van-an-1985", "tran-thi-binh-1990"):
        monkeypatch.setenv("KYNANGSO_LEARNER", learner)
        exam = BaiThi("gov-1", folder)
        shown.clear()
        exam.cau(1)
        q = data["questions"][0]
        own = q["variants"][variant_index("gov-1", q["id"], learner, len(q["variants"]))]
        assert own["text"].split("?")[0][:30] in shown[0].replace("&quot;", '"')
        with pytest.raises(CauTraLoiChuaHopLe, match="Câu 1: chưa có câu trả lời"):
            exam.kiem_tra(1, ...)
        for letter in "ABCD":  # right or wrong, a well-formed answer passes silently
            assert exam.kiem_tra(1, letter) is None
        # The learner id is left beside the notebook, so grading can spot an exam submitted under another id.
        assert json.loads((folder / LEARNER_FILE).read_text(encoding="utf-8"))["learner"] == learner
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    (folder / LEARNER_FILE).unlink()
    BaiThi("gov-1", folder)
    assert not (folder / LEARNER_FILE).exists()


def test_hidden_grader_uses_the_learners_own_variant(exam_course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kynangso.exams.graders import KeysNotFound, cham
    from tests.exams.support import correct_answers

    an, binh = "nguyen-van-an-1985", "tran-thi-binh-1990"
    for learner in (an, binh):
        folder = exam_course / "autograded" / learner / "gov-1"
        folder.mkdir(parents=True, exist_ok=True)
    keys = json.loads((exam_course / "answer_keys" / "gov-1.json").read_text(encoding="utf-8"))["questions"]
    right = {who: correct_answers(exam_course, "gov-1", who) for who in (an, binh)}
    differs = [
        (qid, e) for qid, e in keys.items() if "keys" in e and right[an][e["number"]] != right[binh][e["number"]]
    ]
    assert differs, "the two learners share every key: pick other ids"
    monkeypatch.delenv("KYNANGSO_COURSE", raising=False)
    for qid, entry in differs:
        monkeypatch.chdir(exam_course / "autograded" / an / "gov-1")
        assert cham("gov-1", qid, eval(right[an][entry["number"]])) == entry["points"]
        monkeypatch.chdir(exam_course / "autograded" / binh / "gov-1")
        assert cham("gov-1", qid, eval(right[an][entry["number"]])) == 0.0  # the neighbour's answer
    monkeypatch.chdir(exam_course.parent)
    with pytest.raises(KeysNotFound):
        cham("gov-1", differs[0][0], "A")


def test_practical_task_embeds_the_simulation_with_the_learners_seed(
    exam_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kynangso.sims
    from kynangso.exams.runtime import BaiThi
    from kynangso.exams.variants import practical_seed

    folder = tmp_path / "gov-2"
    shutil.copytree(exam_course / "release" / "gov-2", folder)
    monkeypatch.setenv("KYNANGSO_LEARNER", "nguyen-van-an-1985")
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    calls: list[tuple[Any, ...]] = []
    real = kynangso.sims.embed
    monkeypatch.setattr(kynangso.sims, "embed", lambda *a, **k: calls.append((a, k)) or real(*a, **k))
    data = json.loads((folder / "de-thi.json").read_text(encoding="utf-8"))
    number = next(q["number"] for q in data["questions"] if q["type"] == "practical")
    qid = data["questions"][number - 1]["id"]
    exam = BaiThi("gov-2", folder)
    widget = exam.thuc_hanh(number)
    assert widget is not None
    (args, kwargs) = calls[0]
    assert args == ("dvc-khai-sinh",) and kwargs["mode"] == "kiem-tra"
    assert kwargs["seed"] == practical_seed("gov-2", qid, "nguyen-van-an-1985")
    assert Path(kwargs["transcript_path"]) == folder / f"{qid}.transcript.json"
    # While nbgrader validates or autogrades, no new session may overwrite the saved transcript.
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert exam.thuc_hanh(number) is None and len(calls) == 1
