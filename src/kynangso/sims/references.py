"""Cross references in a scenario: targets, traps, flags, skins, placeholders, reachability."""

from __future__ import annotations

from kynangso.sims.checker import Checker
from kynangso.sims.model import Scenario
from kynangso.sims.text import placeholders


def cross_check(c: Checker, s: Scenario) -> None:
    if s.start not in s.screens:
        c.err("start", f"màn hình '{s.start}' không có trong [screens]")
    if s.goal.screen and s.goal.screen not in s.screens:
        c.err("goal.screen", f"màn hình '{s.goal.screen}' không có trong [screens]")
    for flag in s.goal.flags:
        if flag not in s.flag_names:
            c.err("goal.flags", f"cờ '{flag}' chưa khai báo trong [flags]")
    used_traps: set[str] = set()
    data_keys = {d.key for d in s.data}
    texts = {"intro": s.intro, "goal.message": s.goal.message, "persona.title": s.persona_title}
    texts |= {f"persona.lines[{i}]": line for i, line in enumerate(s.persona, 1)}
    for tid, trap in s.traps.items():
        texts |= {f"traps.{tid}.title": trap.title, f"traps.{tid}.explain": trap.explain}
    for sid, screen in s.screens.items():
        path = f"screens.{sid}"
        if not screen.actions and sid != s.goal.screen:
            c.err(f"{path}.actions", "màn hình này không có nút nào: người học sẽ bị kẹt ([[screens.….actions]])")
        if screen.skin not in s.skins:
            c.err(f"{path}.skin", f"giao diện '{screen.skin}' không có trong [skins]")
        if screen.stage is not None and screen.stage not in s.stages:
            c.err(f"{path}.stage", f"giai đoạn '{screen.stage}' không có trong stages")
        texts |= {f"{path}.{k}": getattr(screen, k) for k in ("title", "body", "notice", "hint")}
        for fld in screen.fields:
            fpath = f"{path}.fields.{fld.id}"
            texts |= {f"{fpath}.{k}": getattr(fld, k) or "" for k in ("label", "help", "expect", "example", "error")}
            for o in fld.options:
                texts[f"{fpath}.options"] = texts.get(f"{fpath}.options", "") + o.label + (o.mistake or "")
                if o.trap:
                    used_traps.add(o.trap)
                    if o.trap not in s.traps:
                        c.err(f"{fpath}.options", f"bẫy '{o.trap}' không có trong [traps]")
        for i, a in enumerate(screen.actions, 1):
            apath = f"{path}.actions[{i}]"
            texts |= {f"{apath}.label": a.label, f"{apath}.say": a.say, f"{apath}.mistake": a.mistake or ""}
            if a.goto and a.goto not in s.screens:
                c.err(f"{apath}.goto", f"màn hình đích '{a.goto}' không có trong [screens]")
            if a.trap:
                used_traps.add(a.trap)
                if a.trap not in s.traps:
                    c.err(f"{apath}.trap", f"bẫy '{a.trap}' không có trong [traps]")
            for key in ("sets", "requires", "unless"):
                for flag in getattr(a, key):
                    if flag not in s.flag_names:
                        c.err(f"{apath}.{key}", f"cờ '{flag}' chưa khai báo trong [flags]")
            if a.done and a.done not in s.flag_names:
                c.err(f"{apath}.done", f"cờ '{a.done}' chưa khai báo trong [flags]")
    for key, text in texts.items():
        for name in placeholders(text):
            if name not in data_keys:
                c.err(key, f"chỗ trống {{{name}}} không có trong [data]")
    for tid in s.traps:
        if tid not in used_traps:
            c.err(f"traps.{tid}", "bẫy này không được nút hay lựa chọn nào dùng")
    reached = _reachable(s)
    for sid in s.screens:
        if sid not in reached:
            c.err(f"screens.{sid}", "không có đường nào dẫn tới màn hình này từ màn hình bắt đầu")


def _reachable(s: Scenario) -> set[str]:
    seen = {s.start}
    todo = [s.start]
    while todo:
        screen = s.screens.get(todo.pop())
        for a in screen.actions if screen else ():
            if a.goto and a.goto in s.screens and a.goto not in seen:
                seen.add(a.goto)
                todo.append(a.goto)
    return seen
