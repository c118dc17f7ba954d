"""A practical task in the room: the simulation engine in assessment mode, drawn by the page from plain data.

The engine is pure (``kynangso.sims``), so the room runs it on the server, exactly as the notebook's widget
would, and keeps its transcript with the learner's answers. A run is rebuilt from that transcript after a
restart of the server; the submission carries the transcript that nbgrader's hidden test replays.
"""

from __future__ import annotations

import html
from typing import Any

from kynangso.exams.variants import practical_seed


def _session(scenario_id: str, seed: int, entries: list[dict[str, Any]]) -> Any:
    from kynangso.sims import Session, UnknownAction, load_scenario

    session = Session(load_scenario(scenario_id), "kiem-tra", seed)
    for entry in entries:
        if entry.get("type") == "restart":
            session.restart()
            continue
        try:
            session.act(entry["action"], entry.get("values"))
        except UnknownAction:
            break
    return session


class Practical:
    """One learner's run of one practical question."""

    def __init__(self, exam: str, question: dict[str, Any], learner: str, entries: list[dict[str, Any]]):
        self.question = question
        self.seed = practical_seed(exam, question["id"], learner)
        self.session = _session(question["scenario"], self.seed, entries)

    def document(self) -> dict[str, Any]:
        from kynangso.sims.replay import transcript_document

        return transcript_document(self.session)

    def act(self, index: str, values: dict[str, Any], turn: Any = None) -> Any:
        """Press the ``index``-th button of the screen the page shows (the page names buttons by position only,
        so an action's id cannot hint at what it does). Nothing happens if the page was drawn before another step."""
        from kynangso.sims import UnknownAction

        visible = self.session.visible_actions()
        if turn != len(self.session.transcript) or not index.isdigit() or int(index) >= len(visible):
            return None
        clean = {str(k): v for k, v in values.items() if isinstance(v, str | bool)}
        try:
            return self.session.act(visible[int(index)].id, clean)
        except UnknownAction:
            return None

    def restart(self) -> None:
        self.session.restart()

    def view(self, feedback: Any = None) -> dict[str, Any]:
        from kynangso.sims import style
        from kynangso.sims.text import inline, to_html

        se, sc = self.session, self.session.scenario
        screen = se.screen
        skin = sc.skins[screen.skin]
        fields = []
        for f in screen.fields:
            fields.append(
                {
                    "id": f.id,
                    "kind": f.kind,
                    "label": se.text(f.label),
                    "placeholder": f.placeholder,
                    "help": to_html(se.text(f.help)) if f.help else "",
                    "options": [se.text(o.label) for o in f.options],
                    "error": (feedback.errors.get(f.id, "") if feedback is not None else ""),
                }
            )
        actions = [
            {"id": str(i), "label": se.text(a.label), "style": a.style, "done": se.is_done(a)}
            for i, a in enumerate(se.visible_actions())
        ]
        done, total = se.progress()
        persona = "".join(f"<li>{inline(se.text(line))}</li>" for line in sc.persona)
        fb = ""
        if feedback is not None:
            fb = style.feedback(feedback.kind if feedback.title else "neutral", feedback.title, feedback.text)
        if se.completed:
            fb += style.feedback("done", "Đã hoàn thành", "Bài thực hành đã được lưu cùng bài làm.")
        return {
            "title": sc.title,
            "intro": to_html(se.text(sc.intro)) if sc.intro else "",
            "persona_title": html.escape(se.text(sc.persona_title) or "Thông tin của anh/chị"),
            "persona": f"<ul>{persona}</ul>" if persona else "",
            "skin": skin.kind,
            "screen_id": screen.id,
            "chrome": style.chrome(skin),
            "color": skin.color,
            "screen": style.notice(se.text(screen.notice)) + style.body(se.text(screen.title), se.text(screen.body)),
            "fields": fields,
            "actions": actions,
            "progress": style.progress(f"Đã xong {done}/{total}", done, total),
            "feedback": fb,
            "completed": se.completed,
            "turn": len(se.transcript),
        }
