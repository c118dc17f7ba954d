"""The ipywidgets view: draws the session's screen like the app or site it copies and sends the learner's actions.

Thin on purpose: every decision is the engine's. Tests drive it without a kernel through ``fields``, ``buttons``
and ``tools`` (``.value = …``, ``.click()``), and read the HTML it produced.
"""

from __future__ import annotations

import contextlib
import html
import os
import secrets
from pathlib import Path
from typing import Any

import ipywidgets as w

from kynangso import atomic
from kynangso.sims import load_scenario, style
from kynangso.sims.engine import Feedback, Session
from kynangso.sims.model import MODE_NAMES, MODES, Field
from kynangso.sims.replay import transcript_document
from kynangso.sims.text import inline, to_html

EMPTY = ""


def _field_widget(f: Field, label: str, options: list[str]) -> w.Widget:
    full = w.Layout(width="100%")
    if f.kind == "password":
        return w.Password(placeholder=f.placeholder, layout=full)
    if f.kind == "textarea":
        return w.Textarea(placeholder=f.placeholder, layout=full)
    if f.kind == "select":
        return w.Dropdown(options=[("— Chọn —", EMPTY), *[(o, o) for o in options]], value=EMPTY, layout=full)
    if f.kind == "file":
        return w.ToggleButtons(options=options, value=None, layout=full)
    if f.kind == "checkbox":
        return w.Checkbox(value=False, description=label, indent=False, layout=full)
    return w.Text(placeholder=f.placeholder, layout=full)


class SimApp(w.VBox):
    """One simulation on screen; ``session`` is the engine, the rest is drawing."""

    def __init__(
        self,
        scenario_id: str,
        mode: str = "luyen-tap",
        seed: int | None = None,
        transcript_path: str | os.PathLike[str] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"chế độ '{mode}' không có (chọn một trong: {', '.join(MODES)})")
        self.scenario = load_scenario(scenario_id)
        self.seed = secrets.randbelow(1_000_000) if seed is None else int(seed)
        self.transcript_path = Path(transcript_path or Path.cwd() / f"{scenario_id}.transcript.json")
        self.session = Session(self.scenario, mode, self.seed)
        self.recorded = False
        self.fields: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.buttons: dict[str, w.Button] = {}

        self.head = w.HTML()
        self.intro = w.HTML()
        self.persona = w.HTML()
        self.progress = w.HTML()
        self.chrome = w.HTML()
        self.screen_html = w.HTML()
        self.form = w.VBox()
        self.actions_box = w.VBox()
        self.actions_box.add_class("kns-actions")
        self.screen_box = w.VBox([self.screen_html, self.form, self.actions_box])
        self.screen_box.add_class("kns-screen")
        self.device = w.VBox([self.chrome, self.screen_box])
        self.device.add_class("kns-device")
        self.feedback = w.HTML()
        self.tools: dict[str, w.Widget] = {}
        self.hint_button = w.Button(description="Gợi ý", icon="lightbulb-o")
        self.hint_button.on_click(lambda _: self._show_hint())
        self.restart_button = w.Button(description="Làm lại từ đầu", icon="refresh")
        self.restart_button.on_click(lambda _: self.restart())
        self.tools = {"hint": self.hint_button, "restart": self.restart_button}
        children: list[w.Widget] = [self.hint_button, self.restart_button]
        if mode != "kiem-tra":
            self.mode_toggle = w.ToggleButtons(
                options=[(MODE_NAMES[m], m) for m in ("huong-dan", "luyen-tap")], value=mode
            )
            self.mode_toggle.observe(self._on_mode, names="value")
            self.mode_toggle.add_class("kns-mode")
            self.tools["mode"] = self.mode_toggle
            children.insert(0, self.mode_toggle)
        for b in (self.hint_button, self.restart_button):
            b.add_class("kns-btn-secondary")
        tool_row = w.HBox(children)
        tool_row.add_class("kns-tools")
        self.foot = w.HTML()
        super().__init__(
            [
                w.HTML(style.CSS),
                self.head,
                self.intro,
                self.persona,
                self.progress,
                self.device,
                self.feedback,
                tool_row,
                self.foot,
            ]
        )
        self.add_class("kns-sim")
        self._draw_static()
        self.render()

    # --- drawing -----------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self.session.mode

    def _draw_static(self) -> None:
        s, t = self.scenario, self.session.text
        mode_name = MODE_NAMES[self.mode]
        self.head.value = (
            f'<div class="kns-head"><h2>{html.escape(s.title)}</h2>'
            f'<div class="kns-meta">Mô phỏng · chế độ <b>{mode_name}</b> · khoảng {s.minutes} phút</div></div>'
        )
        lines = "".join(f"<li>{inline(t(line))}</li>" for line in s.persona)
        title = html.escape(t(s.persona_title) or "Thông tin của anh/chị")
        self.persona.value = (
            f'<details class="kns-persona" open><summary>{title}</summary><ul>{lines}</ul></details>' if lines else ""
        )
        self.hint_button.layout.display = "none" if self.mode == "kiem-tra" else None
        self.foot.value = f'<div class="kns-foot">Mã đề (seed): {self.seed}</div>'

    def render(self, fb: Feedback | None = None, hint: str | None = None) -> None:
        se = self.session
        screen = se.screen
        skin = self.scenario.skins[screen.skin]
        # Classes name the skin and the screen: CSS draws the skin, browser tests wait for the screen.
        for cls in [c for c in self.device._dom_classes if c != "kns-device"]:
            self.device.remove_class(cls)
        self.device.add_class(f"kns-{skin.kind}")
        self.device.add_class(f"kns-screen-{screen.id}")
        if se.completed:
            self.device.add_class("kns-completed")
        self.chrome.value = style.chrome(skin)
        self.screen_html.value = style.notice(se.text(screen.notice)) + style.body(
            se.text(screen.title), se.text(screen.body)
        )
        if self.scenario.intro:
            # The story is open until the first click, then folds away to leave the phone screen in view.
            state = " open" if se.steps == 0 else ""
            story = to_html(se.text(self.scenario.intro))
            self.intro.value = f'<details class="kns-intro"{state}><summary>Tình huống</summary>{story}</details>'
        guided = self.mode == "huong-dan" and not se.completed
        nxt = se.next_action() if guided else None
        next_action = screen.action(nxt) if nxt else None
        self.fields, self.errors, rows = {}, {}, []
        for f in screen.fields:
            label = se.text(f.label)
            widget = _field_widget(f, label, [se.text(o.label) for o in f.options])
            widget.add_class(f"kns-field-{f.id}")
            if f.kind == "file":
                widget.add_class("kns-file")
            if guided and next_action is not None and next_action.submit:
                widget.add_class("kns-guide")
            self.fields[f.id] = widget
            err = w.HTML()
            if fb is not None and f.id in fb.errors:
                err.value = f'<div class="kns-field-error">{html.escape(fb.errors[f.id])}</div>'
            self.errors[f.id] = err
            head = [] if f.kind == "checkbox" else [w.HTML(f'<div class="kns-field-label">{html.escape(label)}</div>')]
            helper = [w.HTML(f'<div class="kns-foot">{to_html(se.text(f.help))}</div>')] if f.help else []
            rows += [*head, widget, *helper, err]
        self.form.children = rows
        self.buttons, buttons = {}, []
        for a in se.visible_actions():
            finished = se.is_done(a)
            b = w.Button(description=("✓ " if finished else "") + se.text(a.label), disabled=finished or se.completed)
            b.add_class(f"kns-btn-{a.style}")
            b.add_class(f"kns-action-{a.id}")
            if a.style == "primary":
                b.style.button_color = skin.color
            if guided and a.id == nxt:
                b.add_class("kns-next")
            b.on_click(lambda _b, aid=a.id: self.act(aid))
            self.buttons[a.id] = b
            buttons.append(b)
        self.actions_box.children = buttons
        done, total = se.progress()
        label = f"Đã xử lý {done}/{total} việc" if self.scenario.goal.flags else self._stage_label(done, total)
        self.progress.value = style.progress(label, done, total)
        self.feedback.value = self._feedback_html(fb, hint, guided)

    def _stage_label(self, done: int, total: int) -> str:
        stage = self.session.screen.stage
        if self.session.completed or not stage:
            return "Hoàn thành" if self.session.completed else ""
        return f"Bước {done + 1}/{total}: {stage}"

    def _feedback_html(self, fb: Feedback | None, hint: str | None, guide: bool) -> str:
        se = self.session
        parts = []
        if fb is not None:
            kind = fb.kind if fb.title else "neutral"
            parts.append(style.feedback(kind, fb.title, fb.text))
        if se.completed:
            parts.append(self._result_html())
        elif hint:
            parts.append(style.feedback("hint", "Gợi ý", hint))
        elif guide and se.screen.hint:
            parts.append(style.feedback("hint", "Hướng dẫn", se.text(se.screen.hint)))
        return "".join(parts)

    def _result_html(self) -> str:
        se, r = self.session, self.session.result()
        if self.mode == "kiem-tra":
            return style.feedback("done", "Đã hoàn thành", f"Bài làm đã được lưu vào tệp {self.transcript_path.name}.")
        lines = [f"Số bước: {r.steps} · Số lần chưa đúng: {r.mistakes} · Điểm: {round(r.score * 100)}/100"]
        for tid in r.traps_hit:
            trap = self.scenario.traps[tid]
            lines.append(f"- **{se.text(trap.title)}**: {se.text(trap.explain)}")
        if r.traps_hit:
            lines.insert(1, "\nNhững bẫy anh/chị đã mắc, cần nhớ:\n")
        return style.feedback("done", "Kết quả", "\n".join(lines))

    # --- actions -----------------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fid, widget in self.fields.items():
            value = getattr(widget, "value", EMPTY)
            out[fid] = EMPTY if value is None else value
        return out

    def act(self, action_id: str) -> Feedback:
        fb = self.session.act(action_id, self.values())
        problem = self._save()
        if self.session.completed and not self.recorded:
            self.recorded = True
            self._record_progress()
        self.render(fb)
        if problem:
            self.feedback.value += style.feedback("trap", "Chưa lưu được bài làm", problem)
        return fb

    def _save(self) -> str:
        """Write the exam transcript; a message for the learner if the disk refuses (nothing is lost in memory)."""
        if self.mode != "kiem-tra":
            return ""
        try:
            # Atomic, so a crash never leaves half a transcript for nbgrader to collect.
            atomic.write_json(self.transcript_path, transcript_document(self.session), parents=True)
        except OSError as exc:
            return f"Không ghi được tệp {self.transcript_path} ({exc.strerror or exc}). Báo ngay cho giám thị."
        return ""

    def _record_progress(self) -> None:
        from kynangso.lessons.progress import record_simulation

        r = self.session.result()
        # Progress is a convenience for the learner; a full or read-only disk must never break the simulation.
        with contextlib.suppress(OSError):
            record_simulation(self.scenario.id, self.mode, completed=True, score=r.score)

    def _show_hint(self) -> None:
        self.render(hint=self.session.hint() or "Màn hình này không có gợi ý.")

    def restart(self) -> None:
        self.session.restart()
        self.recorded = False
        problem = self._save()
        self.render()
        if problem:
            self.feedback.value += style.feedback("trap", "Chưa lưu được bài làm", problem)

    def _on_mode(self, change: dict[str, Any]) -> None:
        # Switching between guided and practice starts over with the same citizen (same seed).
        self.session = Session(self.scenario, change["new"], self.seed)
        self.recorded = False
        self._draw_static()
        self.render()
