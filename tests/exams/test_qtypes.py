"""The question-type registry: every registered type goes from a bank entry to the exam's cells, to an answer the
room keeps, to the line written in the submitted notebook, read back without running it and graded; unknown types
are refused; and no code outside ``kynangso.exams.qtypes`` branches on a type's name."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kynangso.exams import qtypes
from kynangso.exams.bank import load_exam_file
from kynangso.exams.build import KEYS_DIR, PUBLIC_FILE, build_exam
from kynangso.exams.qtypes import AnsweredBy
from kynangso.fronts import all_exams

SRC = Path(__file__).resolve().parents[2] / "src" / "kynangso"
EXAM = "gov-1"
LEARNERS = ("nguyen-van-an-1985", "tran-thi-binh-1990", "le-van-cuong-1979")
HEAD = 'skill = "digcomp-4.2"\nexplanation = "Giải thích kiến thức, không nêu đáp án."\n'

# One bank entry per registered type, as a trainer writes it (two variants where the type has a key).
ENTRIES = {
    "single": """
type = "single"
points = 1
[[questions.variants]]
text = "Ai được đọc mã OTP?"
choices = ["Người gọi điện", "Chỉ chủ tài khoản", "Cả nhóm Zalo", "Người bán sim"]
answer = "B"
[[questions.variants]]
text = "Ai được nhập mã OTP của chị Hương?"
choices = ["Chị Hương", "Người hướng dẫn", "Hàng xóm"]
answer = "A"
""",
    "multiple": """
type = "multiple"
points = 2
[[questions.variants]]
text = "Dấu hiệu nào là lừa đảo?"
choices = ["Đòi mã OTP", "Hối chuyển tiền gấp", "Gọi từ số tổng đài chính thức", "Gửi đường link lạ"]
answer = ["A", "B", "D"]
[[questions.variants]]
text = "Việc nào giúp bảo vệ tài khoản?"
choices = ["Đặt mật khẩu dài", "Cho mượn điện thoại", "Bật xác thực hai lớp"]
answer = ["C", "A"]
""",
    "order": """
type = "order"
points = 2
[[questions.variants]]
text = "Sắp xếp các bước nộp hồ sơ khai sinh trực tuyến."
steps = ["Đăng nhập bằng VNeID", "Chọn dịch vụ đăng ký khai sinh", "Điền tờ khai", "Nộp lệ phí và gửi hồ sơ"]
[[questions.variants]]
text = "Sắp xếp các bước kích hoạt tài khoản."
steps = ["Tải ứng dụng", "Nhập số định danh", "Nhận mã OTP", "Đặt mật khẩu", "Đăng nhập lại"]
""",
    "numeric": """
type = "numeric"
points = 1
[[questions.variants]]
text = "Lệ phí là bao nhiêu đồng?"
answer = 150000
unit = "đồng"
[[questions.variants]]
text = "Lãi suất mỗi tháng là bao nhiêu phần trăm?"
answer = 0.5
tolerance = 0.01
""",
    "short": """
type = "short"
points = 1
[[questions.variants]]
text = "Số điện thoại khẩn cấp của công an là gì?"
answer = "113"
[[questions.variants]]
text = "Ứng dụng định danh điện tử quốc gia tên là gì?"
answer = ["VNeID", "vneid app"]
""",
    "practical": """
type = "practical"
points = 4
scenario = "dvc-khai-sinh"
[[questions.variants]]
text = "Giúp chị Lan nộp hồ sơ khai sinh cho con trên mô phỏng."
""",
    "open": """
type = "open"
points = 3
[[questions.rubric]]
criterion = "Nêu đủ các bước"
points = 2
[[questions.rubric]]
criterion = "Nhắc người dân tự nhập mã OTP"
points = 1
required = true
[[questions.variants]]
text = "Trình bày cách anh/chị hướng dẫn bà con kích hoạt VNeID."
""",
}


def _bank_file(folder: Path, qtype: str) -> Path:
    path = folder / f"{EXAM}.toml"
    entry = ENTRIES[qtype].replace("\n[[", f"\n{HEAD}[[", 1)
    path.write_text(f'exam = "{EXAM}"\n\n[[questions]]\nid = "cau-{qtype}"{entry}', encoding="utf-8")
    return path


@pytest.fixture
def built(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Any, Path]:
    """The one-question exam of the type under test, built and with its public file placed as released."""
    qtype = request.param
    exam, issues = load_exam_file(_bank_file(tmp_path, qtype))
    assert exam is not None, issues
    course = tmp_path / "khoa-hoc"
    build_exam(exam, course)
    shutil.copytree(course / "source" / EXAM, course / "release" / EXAM)
    return exam.questions[0], course


def test_every_type_has_a_sample_entry() -> None:
    assert set(ENTRIES) == set(qtypes.names())


def _cells(course: Path) -> dict[str, dict[str, Any]]:
    nb = json.loads((course / "source" / EXAM / f"{EXAM}.ipynb").read_text(encoding="utf-8"))
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"] if "nbgrader" in c["metadata"]}


def _submitted_value(course: Path, qid: str, learner: str, answer: Any, exam: str = EXAM) -> Any:
    """What the grader reads from the notebook the room submits with ``answer``: the room keeps the answer, writes
    its literal in the answer cell, and the grader parses that cell (never runs it)."""
    from kynangso.grade.literal import Answer, as_typed, read_answer
    from kynangso.room.paper import clean, paper
    from kynangso.room.submit import fill_notebook

    sheet = paper(course, exam, learner)
    question = next(q for q in sheet["questions"] if q["id"] == qid)
    kept = clean(question, answer)
    nb = json.loads((course / "source" / exam / f"{exam}.ipynb").read_text(encoding="utf-8"))
    filled = fill_notebook(nb, sheet, {qid: kept})
    cell = next(c for c in filled["cells"] if c["metadata"].get("kynangso", {}).get("answer") == qid)
    read = read_answer(cell["source"], question["number"])
    assert isinstance(read, Answer), read
    return as_typed(read, question["type"])


@pytest.mark.parametrize(
    "built", [n for n in qtypes.names() if qtypes.get(n).answered_by is AnsweredBy.CELL], indirect=True
)
def test_answer_cell_type_round_trips(built: tuple[Any, Path]) -> None:
    from kynangso.demo.learners import answer_keys, right_answer
    from kynangso.exams.graders import score_answer
    from kynangso.exams.runtime import BaiThi

    q, course = built
    qtype = qtypes.get(q.type)
    cells = _cells(course)
    assert f"answer-{q.id}" in cells and cells[f"answer-{q.id}"]["metadata"]["nbgrader"]["solution"]
    test_cell = cells[q.grade_id]
    assert q.grade_id == f"q-{q.id}" and test_cell["metadata"]["nbgrader"]["points"] == q.points
    assert f"cham('{EXAM}', '{q.id}', tra_loi_1)" in test_cell["source"]
    assert qtype.label in cells[f"heading-{q.id}"]["source"]
    entry = answer_keys(course, EXAM)[q.id]
    for learner in LEARNERS:
        notebook = BaiThi(EXAM, course / "release" / EXAM, learner=learner)
        right = right_answer(entry, EXAM, q.id, learner)
        value = _submitted_value(course, q.id, learner, right)
        assert notebook.form_problem(1, value) is None
        assert score_answer(EXAM, q.id, entry, learner, value) == q.points
        wrongs = qtype.wrong_answers(right)
        assert wrongs
        for wrong in wrongs:
            value = _submitted_value(course, q.id, learner, wrong)
            assert notebook.form_problem(1, value) is None, wrong  # well-formed, so graded
            assert score_answer(EXAM, q.id, entry, learner, value) < q.points, wrong


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped question bank, built, with its public files placed as released."""
    from kynangso.exams.bank import default_bank_folder, load_bank
    from kynangso.exams.build import build_all

    course = tmp_path_factory.mktemp("khoa-hoc")
    exams = load_bank(default_bank_folder())
    build_all(exams, course)
    for name in exams:
        shutil.copytree(course / "source" / name, course / "release" / name)
    return course


@pytest.mark.parametrize("exam", all_exams())
def test_shipped_questions_score_right_and_wrong_answers(shipped: Path, exam: str) -> None:
    """Every auto-graded question of the shipped bank: the simulated learner's right answer scores full marks and
    each of its wrong answers less, through the room, the submitted notebook and the grader."""
    from kynangso.demo.learners import answer_keys, right_answer
    from kynangso.exams.graders import score_answer

    graded = 0
    for qid, entry in answer_keys(shipped, exam).items():
        if qtypes.get(entry["type"]).answered_by is not AnsweredBy.CELL:
            continue
        for learner in LEARNERS:
            right = right_answer(entry, exam, qid, learner)
            value = _submitted_value(shipped, qid, learner, right, exam)
            assert score_answer(exam, qid, entry, learner, value) == entry["points"], (qid, right)
            for wrong in qtypes.get(entry["type"]).wrong_answers(right):
                value = _submitted_value(shipped, qid, learner, wrong, exam)
                assert score_answer(exam, qid, entry, learner, value) < entry["points"], (qid, wrong)
        graded += 1
    assert graded >= 5


def _transcript(course: Path, q: Any, learner: str, entries: list[dict[str, Any]]) -> Path:
    from kynangso.exams.graders import transcript_name
    from kynangso.exams.variants import practical_seed
    from kynangso.sims import Session, load_scenario
    from kynangso.sims.replay import transcript_document

    session = Session(load_scenario(q.scenario), "kiem-tra", practical_seed(EXAM, q.id, learner))
    for step in entries:
        session.act(step["action"], step.get("values"))
    path = course / learner / transcript_name(q.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(transcript_document(session), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "built", [n for n in qtypes.names() if qtypes.get(n).answered_by is AnsweredBy.SIMULATION], indirect=True
)
def test_simulation_type_round_trips(built: tuple[Any, Path]) -> None:
    from kynangso.demo.learners import answer_keys
    from kynangso.exams.graders import practical_points, replay_practical
    from kynangso.exams.variants import practical_seed

    q, course = built
    qtype = qtypes.get(q.type)
    cells = _cells(course)
    assert f"sim-{q.id}" in cells and f"answer-{q.id}" not in cells
    assert f"cham_thuc_hanh('{EXAM}', '{q.id}')" in cells[q.grade_id]["source"]
    entry = answer_keys(course, EXAM)[q.id]
    assert "keys" not in entry and entry["scenario"] == q.scenario
    learner = LEARNERS[0]
    right = qtype.right_answer({"scenario": q.scenario, "seed": practical_seed(EXAM, q.id, learner)})
    replayed = replay_practical(EXAM, q.id, entry, learner, _transcript(course, q, learner, right))
    assert practical_points(entry, replayed) == q.points
    for wrong in qtype.wrong_answers(right):
        replayed = replay_practical(EXAM, q.id, entry, learner, _transcript(course, q, learner, wrong))
        assert practical_points(entry, replayed) < q.points


@pytest.mark.parametrize(
    "built", [n for n in qtypes.names() if qtypes.get(n).answered_by is AnsweredBy.HAND], indirect=True
)
def test_hand_graded_type_round_trips(built: tuple[Any, Path]) -> None:
    """Graded by a trainer: the rubric is in a hidden region, each required criterion has its own task cell, and
    the learner's text reaches the submitted notebook; no automatic score exists to compare."""
    from kynangso.demo.learners import answer_keys
    from kynangso.room.paper import clean, paper
    from kynangso.room.submit import fill_notebook

    q, course = built
    qtype = qtypes.get(q.type)
    cells = _cells(course)
    graded = cells[q.grade_id]
    assert graded["cell_type"] == "markdown" and graded["metadata"]["nbgrader"]["points"] == 2
    assert "### BEGIN HIDDEN TESTS" in graded["source"] and "Nêu đủ các bước" in graded["source"]
    task = cells[f"tieu-chi-{q.id}-2"]["metadata"]["nbgrader"]
    assert task["task"] and task["points"] == 1
    entry = answer_keys(course, EXAM)[q.id]
    right = qtype.right_answer(entry["rubric"])
    sheet = paper(course, EXAM, LEARNERS[0])
    question = sheet["questions"][0]
    for answer in (right, *qtype.wrong_answers(right)):
        kept = clean(question, answer)
        nb = json.loads((course / "source" / EXAM / f"{EXAM}.ipynb").read_text(encoding="utf-8"))
        filled = fill_notebook(nb, sheet, {q.id: kept})
        written = next(c for c in filled["cells"] if c["metadata"]["nbgrader"]["grade_id"] == q.grade_id)
        assert kept in written["source"]
        assert not qtype.is_correct(kept, None)  # never scored by a machine


@pytest.mark.parametrize("built", list(qtypes.names()), indirect=True)
def test_room_receives_only_public_fields(built: tuple[Any, Path]) -> None:
    from kynangso.room.paper import paper

    q, course = built
    keys = json.loads((course / KEYS_DIR / f"{EXAM}.json").read_text(encoding="utf-8"))["questions"][q.id]
    public = json.loads((course / "release" / EXAM / PUBLIC_FILE).read_text(encoding="utf-8"))
    for learner in LEARNERS:
        sent = paper(course, EXAM, learner)["questions"][0]
        assert sent["type"] == q.type and sent["text"] in {v["text"] for v in public["questions"][0]["variants"]}
        assert set(sent) <= {"number", "id", "type", "points", "text", "choices", "steps", "unit", "scenario"}
        assert "answer" not in sent and "rubric" not in sent and "explanation" not in sent
        for key in keys.get("keys", []):
            assert json.dumps(key["answer"], ensure_ascii=False) not in json.dumps(sent, ensure_ascii=False)


def test_unknown_type_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = _bank_file(tmp_path, "single")
    path.write_text(path.read_text(encoding="utf-8").replace('type = "single"', 'type = "matching"'), "utf-8")
    exam, issues = load_exam_file(path, f"{EXAM}.toml")
    assert exam is None
    assert [str(i) for i in issues] == [
        f"{EXAM}.toml: câu 'cau-single', trường 'type': phải là một trong: "
        "single, multiple, order, numeric, short, practical, open"
    ]
    with pytest.raises(qtypes.UnknownQuestionType, match=r"'matching'.*single, multiple"):
        qtypes.get("matching")


def test_unknown_type_in_a_released_exam_names_the_file_and_key(tmp_path: Path) -> None:
    from kynangso.room.paper import RoomError, paper

    folder = tmp_path / "release" / EXAM
    folder.mkdir(parents=True)
    question = {"number": 1, "id": "cau-1", "type": "matching", "points": 1, "variants": [{"text": "?"}]}
    (folder / PUBLIC_FILE).write_text(json.dumps({"exam": EXAM, "questions": [question]}), encoding="utf-8")
    with pytest.raises(RoomError, match=r"de-thi\.json: questions\.cau-1\.type: không có loại câu hỏi 'matching'"):
        paper(tmp_path, EXAM, LEARNERS[0])


def test_registry_register_get_names() -> None:
    single = qtypes.get("single")
    assert qtypes.names()[:2] == ("single", "multiple")
    with pytest.raises(ValueError, match="another name"):
        qtypes.register("chon-mot", single)
    qtypes.register("single", single)  # registering again under its own name replaces it in place
    assert qtypes.get("single") is single and qtypes.names()[0] == "single"


# Lesson self-checks have kinds of their own, some with the same names ("single", "short", …): they are another
# concept, with its own registry in kynangso/lessons/selfcheck.py.
OTHER_CONCEPTS = ("lessons/", "commands/lessons.py", "commands/_lessons_authoring.py")


def _strings(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(set(), *(_strings(e) for e in node.elts))
    return set()


def branches_on_type_names(source: str) -> list[tuple[int, str]]:
    """Where code compares with a type's name (``==``, ``in``, ``match``) or keys a table by two or more of them."""
    names = set(qtypes.names())
    found = []
    for node in ast.walk(ast.parse(source)):
        hit: set[str] = set()
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                hit |= _strings(side) & names
        elif isinstance(node, ast.Dict):
            keys = set().union(set(), *(_strings(k) for k in node.keys if k is not None)) & names
            hit |= keys if len(keys) >= 2 else set()
        elif isinstance(node, ast.MatchValue):
            hit |= _strings(node.value) & names
        found.extend((getattr(node, "lineno", 0), name) for name in hit)
    return sorted(found)


def test_the_scan_finds_branches_on_type_names() -> None:
    code = (
        'if q["type"] == "numeric": pass\n'
        'if kind in ("single", "multiple"): pass\n'
        'LABELS = {"order": 1, "short": 2}\n'
        'match kind:\n    case "open": pass\n'
        'state = {"open": {}}\nif data.get("open"): pass\n'
    )
    assert branches_on_type_names(code) == [
        (1, "numeric"),
        (2, "multiple"),
        (2, "single"),
        (3, "order"),
        (3, "short"),
        (5, "open"),
    ]


def test_no_branch_on_a_type_name_outside_the_registry() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("exams/qtypes/") or rel.startswith(OTHER_CONCEPTS):
            continue
        found += [f"{rel}:{line}: {name}" for line, name in branches_on_type_names(path.read_text(encoding="utf-8"))]
    assert not found, "so sánh với tên loại câu hỏi ngoài kynangso/exams/qtypes/:\n" + "\n".join(found)
