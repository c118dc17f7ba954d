"""Text helpers shared by the engine and the view: ``{placeholders}``, normalisation and the tiny markup.

Scenario text uses ``{key}`` for per-learner data and ``**bold**`` for the screen's own words; a blank line starts
a new paragraph and a line starting with ``- `` is a list item. Nothing else is markup, so trainers cannot break
the page with stray HTML: everything is escaped first.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def fill(text: str, data: Mapping[str, str]) -> str:
    """Replace ``{key}`` with the learner's data; unknown keys are left as written (the schema forbids them)."""
    return PLACEHOLDER.sub(lambda m: data.get(m.group(1), m.group(0)), text)


def normalize(value: str) -> str:
    """What the learner typed, compared fairly: NFC, no outer spaces, single inner spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def inline(text: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def to_html(text: str) -> str:
    """Scenario markup to safe HTML paragraphs and lists."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.startswith("- ") for ln in lines):
            items = "".join(f"<li>{inline(ln[2:])}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            # A single line break inside a paragraph is only the author's wrapping, as in Markdown.
            out.append("<p>" + " ".join(inline(ln) for ln in lines) + "</p>")
    return "".join(out)
