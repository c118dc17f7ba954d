"""Reading screens, their fields and their buttons from a scenario file."""

from __future__ import annotations

from typing import Any

from kynangso.sims.checker import Checker, check_regex
from kynangso.sims.model import FIELD_KINDS, Action, Field, Option, Screen
from kynangso.sims.text import placeholders

SCREEN_KEYS = {"skin": True, "title": True, "body": False, "notice": False, "hint": True, "stage": False}
SCREEN_KEYS |= {"fields": False, "actions": False}
FIELD_KEYS = {
    "label": True,
    "kind": False,
    "placeholder": False,
    "help": False,
    "required": False,
    "pattern": False,
    "error": False,
    "expect": False,
    "expect_mode": False,
    "expect_error": False,
    "ignore_case": False,
    "example": False,
    "options": False,
}
ACTION_KEYS = {"id": True, "label": True, "goto": False, "style": False, "submit": False, "trap": False}
ACTION_KEYS |= {"mistake": False, "say": False, "sets": False, "requires": False, "unless": False, "done": False}
STYLES = ("primary", "secondary", "danger", "link")


def _options(c: Checker, raw: Any, path: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        c.err(path, "phải là một danh sách lựa chọn không rỗng")
        return ()
    out = []
    for i, item in enumerate(raw, 1):
        ipath = f"{path}[{i}]"
        if isinstance(item, str):
            out.append(Option(item))
            continue
        item = c.table(item, ipath)
        c.keys(item, {"label": True, "trap": False, "mistake": False}, ipath)
        out.append(Option(c.text(item, "label", ipath), item.get("trap"), item.get("mistake")))
    labels = [o.label for o in out]
    for label in {x for x in labels if labels.count(x) > 1}:
        c.err(path, f"lựa chọn '{label}' bị trùng")
    return tuple(out)


def _field(c: Checker, fid: str, raw: Any, path: str) -> Field:
    c.ident(fid, path)
    t = c.table(raw, path)
    c.keys(t, FIELD_KEYS, path)
    kind = c.text(t, "kind", path, "text")
    if kind not in FIELD_KINDS:
        c.err(f"{path}.kind", f"loại ô '{kind}' không có (chọn một trong: {', '.join(FIELD_KINDS)})")
    pattern = t.get("pattern")
    if pattern is not None:
        if isinstance(pattern, str):
            check_regex(c, pattern, f"{path}.pattern")
        else:
            c.err(f"{path}.pattern", "phải là một chuỗi")
        if not t.get("error"):
            c.err(f"{path}.error", "ô có pattern cần câu báo lỗi (error) cho người học")
    options: tuple[Option, ...] = ()
    if kind in ("select", "file"):
        options = _options(c, t.get("options"), f"{path}.options")
        expect = t.get("expect")
        if isinstance(expect, str) and not placeholders(expect) and expect not in [o.label for o in options]:
            c.err(f"{path}.expect", "phải là một trong các lựa chọn (options)")
    elif "options" in t:
        c.err(f"{path}.options", "chỉ ô select hoặc file mới có options")
    if kind in ("text", "password", "number", "textarea") and "expect" not in t and "example" not in t:
        c.err(path, "ô nhập chữ cần expect (giá trị phải gõ) hoặc example (một giá trị hợp lệ mẫu)")
    mode = c.text(t, "expect_mode", path, "exact")
    if mode not in ("exact", "prefix"):
        c.err(f"{path}.expect_mode", "chỉ nhận 'exact' hoặc 'prefix'")
    return Field(
        id=fid,
        label=c.text(t, "label", path),
        kind=kind,
        placeholder=c.text(t, "placeholder", path),
        help=c.text(t, "help", path),
        required=c.flag(t, "required", path, True),
        pattern=pattern if isinstance(pattern, str) else None,
        error=c.text(t, "error", path),
        expect=t.get("expect") if isinstance(t.get("expect"), str) else None,
        expect_mode=mode,
        expect_error=c.text(t, "expect_error", path),
        ignore_case=c.flag(t, "ignore_case", path, False),
        example=t.get("example") if isinstance(t.get("example"), str) else None,
        options=options,
    )


def _action(c: Checker, raw: Any, path: str) -> Action:
    t = c.table(raw, path)
    c.keys(t, ACTION_KEYS, path)
    aid = c.text(t, "id", path)
    c.ident(aid, f"{path}.id")
    style = c.text(t, "style", path, "primary")
    if style not in STYLES:
        c.err(f"{path}.style", f"kiểu nút '{style}' không có (chọn: {', '.join(STYLES)})")
    action = Action(
        id=aid,
        label=c.text(t, "label", path),
        goto=t.get("goto") if isinstance(t.get("goto"), str) else None,
        style=style,
        submit=c.flag(t, "submit", path, False),
        trap=t.get("trap") if isinstance(t.get("trap"), str) else None,
        mistake=t.get("mistake") if isinstance(t.get("mistake"), str) else None,
        say=c.text(t, "say", path),
        sets=c.strings(t, "sets", path),
        requires=c.strings(t, "requires", path),
        unless=c.strings(t, "unless", path),
        done=t.get("done") if isinstance(t.get("done"), str) else None,
    )
    if action.trap and action.mistake:
        c.err(path, "một nút không thể vừa là bẫy (trap) vừa là lỗi (mistake)")
    if not (action.goto or action.trap or action.mistake or action.sets):
        c.err(path, "nút không làm gì: cần goto, trap, mistake hoặc sets")
    return action


def read_screen(c: Checker, sid: str, raw: Any) -> Screen:
    path = f"screens.{sid}"
    c.ident(sid, path)
    t = c.table(raw, path)
    c.keys(t, SCREEN_KEYS, path)
    fields = tuple(_field(c, fid, f, f"{path}.fields.{fid}") for fid, f in c.table(t.get("fields", {}), path).items())
    raw_actions = t.get("actions", [])
    if not isinstance(raw_actions, list):
        c.err(f"{path}.actions", "phải là danh sách nút ([[screens.….actions]])")
        raw_actions = []
    actions = tuple(_action(c, a, f"{path}.actions[{i}]") for i, a in enumerate(raw_actions, 1))
    seen: set[str] = {f.id for f in fields}
    for i, a in enumerate(actions, 1):
        if a.id in seen:
            c.err(f"{path}.actions[{i}].id", f"mã '{a.id}' bị trùng trong màn hình này")
        seen.add(a.id)
    return Screen(
        id=sid,
        skin=c.text(t, "skin", path),
        title=c.text(t, "title", path),
        body=c.text(t, "body", path),
        notice=c.text(t, "notice", path),
        hint=c.text(t, "hint", path),
        stage=t.get("stage") if isinstance(t.get("stage"), str) else None,
        fields=fields,
        actions=actions,
    )
