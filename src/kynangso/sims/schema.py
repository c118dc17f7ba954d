"""Read and check a scenario file; every author mistake is reported with the file and the key path.

Messages are Vietnamese because the authors are trainers, e.g.
``dvc-khai-sinh.toml: screens.dang-nhap.fields.cccd.pattern: biểu thức chính quy (regex) không hợp lệ: …``.
All problems in a file are reported at once, so an author fixes them in one pass.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from kynangso.fronts import FRONTS
from kynangso.problems import Problem
from kynangso.sims.checker import DATA_KEY, Checker, ScenarioError
from kynangso.sims.model import DATA_KINDS, SKIN_KINDS, DataSpec, Goal, Scenario, Scoring, Skin, Trap
from kynangso.sims.references import cross_check
from kynangso.sims.schema_screens import read_screen
from kynangso.versions import VersionKeyConflict, schema_version

__all__ = ["ScenarioError", "load_file", "parse"]

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
TOP_KEYS = {
    "schema_version": False,
    "schema": False,  # the old spelling of schema_version, still read for one release
    "id": True,
    "title": True,
    "front": True,
    "minutes": True,
    "teaches": True,
    "intro": True,
    "start": True,
    "goal": True,
    "stages": False,
    "persona": False,
    "data": False,
    "flags": False,
    "skins": True,
    "screens": True,
    "traps": False,
    "scoring": False,
}

DATA_PARAMS: dict[str, dict[str, bool]] = {
    "name": {"gender": False, "surname": False},
    "digits": {"length": True, "prefix": False},
    "phone": {"prefixes": False},
    "password": {"length": False},
    "choice": {"options": True},
    "amount": {"min": True, "max": True, "step": False},
    "pattern": {"template": False, "templates": False},
    "date": {"start": True, "end": True},
}


def _data(c: Checker, raw: Any) -> tuple[DataSpec, ...]:
    specs = []
    for key, spec in c.table(raw, "data").items():
        path = f"data.{key}"
        c.ident(key, path, DATA_KEY)
        spec = c.table(spec, path)
        kind = spec.get("kind")
        if kind not in DATA_KINDS:
            c.err(f"{path}.kind", f"loại dữ liệu '{kind}' không có (chọn một trong: {', '.join(DATA_KINDS)})")
            continue
        params = {k: v for k, v in spec.items() if k != "kind"}
        c.keys(params, DATA_PARAMS[kind], path)
        if kind == "choice" and not (isinstance(params.get("options"), list) and params["options"]):
            c.err(f"{path}.options", "phải là một danh sách không rỗng")
        if kind == "pattern" and not ("template" in params or "templates" in params):
            c.err(f"{path}.template", "cần template (hoặc templates)")
        if kind == "password" and not 8 <= int(params.get("length", 10)) <= 20:
            c.err(f"{path}.length", "mật khẩu VNeID dài từ 8 đến 20 ký tự")
        if kind == "date":
            for k in ("start", "end"):
                try:
                    date.fromisoformat(str(params.get(k)))
                except ValueError:
                    c.err(f"{path}.{k}", "phải là ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-01-31")
        specs.append(DataSpec(key, str(kind), params))
    return tuple(specs)


def parse(raw: dict[str, Any], filename: str, expected_id: str | None = None) -> Scenario:
    """Build a :class:`Scenario` from parsed TOML, or raise :class:`ScenarioError` listing every problem."""
    c = Checker(filename)
    c.keys(raw, TOP_KEYS, "")
    try:
        if schema_version(raw, "schema", 1) != 1:
            c.err("schema_version", "phiên bản định dạng không được hỗ trợ (chỉ có 1)")
    except VersionKeyConflict as exc:
        c.err("schema_version", str(exc))
    sid = c.text(raw, "id", "")
    if expected_id is not None and sid != expected_id:
        c.err("id", f"phải trùng tên tệp ('{expected_id}')")
    front = c.text(raw, "front", "")
    if front not in FRONTS:
        c.err("front", f"mặt trận '{front}' không có (chọn: {', '.join(FRONTS)})")
    minutes = raw.get("minutes", 0)
    if not isinstance(minutes, int) or minutes <= 0:
        c.err("minutes", "phải là số phút (số nguyên dương)")
        minutes = 0
    goal_raw = c.table(raw.get("goal", {}), "goal")
    c.keys(goal_raw, {"screen": False, "flags": False, "message": False}, "goal")
    if "goal" in raw and not (goal_raw.get("screen") or goal_raw.get("flags")):
        c.err("goal", "cần screen (màn hình đích) hoặc flags (các việc phải xong)")
    persona = c.table(raw.get("persona", {}), "persona")
    c.keys(persona, {"title": False, "lines": False}, "persona")
    flags = c.table(raw.get("flags", {}), "flags")
    for fid, name in flags.items():
        c.ident(fid, f"flags.{fid}")
        if not isinstance(name, str):
            c.err(f"flags.{fid}", "phải là tên hiển thị của việc này (chuỗi)")
    skins: dict[str, Skin] = {}
    for kid, skin_raw in c.table(raw.get("skins", {}), "skins").items():
        kpath = f"skins.{kid}"
        k = c.table(skin_raw, kpath)
        c.keys(k, {"kind": True, "name": True, "address": False, "color": False}, kpath)
        skin = Skin(kid, c.text(k, "kind", kpath), c.text(k, "name", kpath), c.text(k, "address", kpath))
        if skin.kind not in SKIN_KINDS:
            c.err(f"{kpath}.kind", f"chọn một trong: {', '.join(SKIN_KINDS)}")
        color = c.text(k, "color", kpath, "#1f5fa8")
        if not COLOR.match(color):
            c.err(f"{kpath}.color", "màu dạng #RRGGBB, ví dụ #b71c1c")
        skins[kid] = Skin(kid, skin.kind, skin.name, skin.address, color)
    traps: dict[str, Trap] = {}
    for tid, trap_raw in c.table(raw.get("traps", {}), "traps").items():
        tpath = f"traps.{tid}"
        c.ident(tid, tpath)
        t = c.table(trap_raw, tpath)
        c.keys(t, {"title": True, "explain": True, "critical": False}, tpath)
        critical = t.get("critical", False)
        if not isinstance(critical, bool):
            c.err(f"{tpath}.critical", "phải là true hoặc false")
            critical = False
        traps[tid] = Trap(tid, c.text(t, "title", tpath), c.text(t, "explain", tpath), critical)
    scoring_raw = c.table(raw.get("scoring", {}), "scoring")
    c.keys(scoring_raw, {"mistake_penalty": False, "trap_penalty": False}, "scoring")
    penalties = {}
    for key in ("mistake_penalty", "trap_penalty"):
        value = scoring_raw.get(key, getattr(Scoring(), key))
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            c.err(f"scoring.{key}", "phải là số từ 0 đến 1")
            value = getattr(Scoring(), key)
        penalties[key] = float(value)
    screens = {sid_: read_screen(c, sid_, s) for sid_, s in c.table(raw.get("screens", {}), "screens").items()}
    scenario = Scenario(
        id=sid,
        title=c.text(raw, "title", ""),
        front=front,
        minutes=minutes,
        teaches=c.text(raw, "teaches", ""),
        intro=c.text(raw, "intro", ""),
        start=c.text(raw, "start", ""),
        goal=Goal(
            screen=goal_raw.get("screen") if isinstance(goal_raw.get("screen"), str) else None,
            flags=c.strings(goal_raw, "flags", "goal"),
            message=c.text(goal_raw, "message", "goal"),
        ),
        skins=skins,
        screens=screens,
        traps=traps,
        data=_data(c, raw.get("data", {})),
        persona_title=c.text(persona, "title", "persona"),
        persona=c.strings(persona, "lines", "persona"),
        stages=c.strings(raw, "stages", ""),
        flag_names={k: v for k, v in flags.items() if isinstance(v, str)},
        scoring=Scoring(**penalties),
        source=filename,
    )
    cross_check(c, scenario)
    if c.problems:
        raise ScenarioError(c.problems)
    return scenario


def _nfc(value: Any) -> Any:
    # Authors cannot see NFC vs NFD in an editor; comparing typed answers needs one form, so fix it here.
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _nfc(v) for k, v in value.items()}
    return value


def load_file(path: Path) -> Scenario:
    try:
        raw = _nfc(tomllib.loads(path.read_bytes().decode("utf-8")))
    except UnicodeDecodeError:
        raise ScenarioError([Problem(path.name, "", "tệp phải được lưu bằng mã UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib already says where ("at line 12, column 3"); a repeated key lands here too.
        raise ScenarioError([Problem(path.name, "", f"lỗi cú pháp TOML (có thể một khóa bị lặp lại): {exc}")]) from None
    return parse(raw, path.name, expected_id=path.stem)
