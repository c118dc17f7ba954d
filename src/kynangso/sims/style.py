"""How the simulation looks: one stylesheet and small HTML pieces. Pure strings, no widgets.

Proportional fonts (monospace renders Vietnamese badly), touch targets of at least 44 px, inputs at 16 px so a
phone does not zoom, and a layout that fits 390 px wide as well as a desktop.
"""

from __future__ import annotations

import html

from kynangso.sims.model import Skin
from kynangso.sims.text import to_html

CSS = """
<style>
.kns-sim { font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; font-size: 16px;
  line-height: 1.45; color: #1d2733; max-width: 980px; margin: 0 auto; box-sizing: border-box; width: 100%; }
.kns-sim * { box-sizing: border-box; }
.kns-sim .widget-html, .kns-sim .widget-html-content, .kns-sim .widget-label { font-family: inherit;
  font-size: 16px; line-height: 1.45; white-space: normal; height: auto; }
.kns-sim .widget-html, .kns-sim .widget-box { width: 100%; max-width: 100%; margin: 0; }
.kns-sim .widget-vbox { gap: 8px; }
.kns-head h2 { font-size: 1.25em; margin: 4px 0 2px; }
.kns-head .kns-meta { color: #52606d; font-size: .9em; }
.kns-intro, .kns-persona { background: #f5f7fa; border-radius: 10px; padding: 8px 14px; }
.kns-intro summary, .kns-persona summary { font-weight: bold; cursor: pointer; min-height: 32px; line-height: 32px; }
.kns-persona ul, .kns-intro ul, .kns-body ul { margin: 6px 0; padding-left: 20px; }
.kns-intro p, .kns-body p, .kns-persona p { margin: 6px 0; }
.kns-progress { font-size: .95em; color: #334; }
.kns-bar { height: 8px; background: #e3e8ef; border-radius: 4px; overflow: hidden; margin-top: 4px; }
.kns-bar > div { height: 100%; background: #2e7d32; }
.kns-device { border: 1px solid #c9d2dc; border-radius: 12px; overflow: hidden; background: #fff;
  margin: 4px auto !important; box-shadow: 0 2px 8px rgba(0,0,0,.08); }
.kns-device.kns-app, .kns-device.kns-phone { max-width: 420px !important; border-radius: 26px;
  border: 8px solid #222; }
.kns-chrome { padding: 10px 14px; color: #fff; }
.kns-chrome .kns-addr { background: rgba(255,255,255,.92); color: #234; border-radius: 16px; padding: 3px 12px;
  font-size: .85em; display: inline-block; margin-bottom: 6px; max-width: 100%; overflow-wrap: anywhere; }
.kns-chrome .kns-app-name { font-weight: bold; font-size: 1.05em; }
.kns-status { display: flex; justify-content: space-between; font-size: .75em; opacity: .9; }
.kns-screen { padding: 4px 14px 14px !important; }
.kns-notice { background: #fff8e1; border-left: 5px solid #f9a825; border-radius: 8px; padding: 8px 12px;
  font-size: .95em; margin: 10px 0 0; }
.kns-body h3 { font-size: 1.15em; margin: 10px 0 4px; }
.kns-field-label { font-weight: bold; margin-top: 6px; }
.kns-field-error { color: #b3261e; font-size: .92em; }
.kns-sim .widget-text, .kns-sim .widget-password, .kns-sim .widget-textarea, .kns-sim .widget-dropdown {
  width: 100% !important; max-width: 100%; margin: 0 !important; }
.kns-sim input[type=text], .kns-sim input[type=password], .kns-sim textarea, .kns-sim select {
  font-family: inherit; font-size: 16px !important; min-height: 44px; height: auto !important;
  padding: 6px 10px; border: 1px solid #9aa5b1; border-radius: 8px; width: 100%; }
.kns-sim textarea { min-height: 72px; }
.kns-sim .widget-checkbox { width: 100% !important; height: auto !important; }
.kns-sim .widget-checkbox label { white-space: normal !important; font-size: 16px; }
.kns-sim .widget-checkbox input { width: 24px; height: 24px; margin-right: 10px; flex: none; }
.kns-sim .widget-button, .kns-sim .widget-toggle-button { font-family: inherit; font-size: 16px;
  white-space: normal !important; height: auto !important; min-height: 46px; margin: 0 !important;
  border-radius: 10px; padding: 8px 14px; line-height: 1.3; }
.kns-actions .widget-button { width: 100% !important; text-align: left; }
.kns-actions { gap: 10px !important; margin-top: 8px !important; }
.kns-file .widget-toggle-button { width: 100% !important; text-align: left; margin: 0 0 6px 0 !important; }
.kns-file, .kns-file > div { display: flex; flex-direction: column; width: 100%; }
.kns-mode .widget-toggle-button { width: auto !important; min-width: 120px; text-align: center; }
.kns-mode { width: auto !important; flex: 0 0 auto; }
.kns-mode .widget-toggle-button.mod-active { background: #1f5fa8 !important; color: #fff !important; }
.kns-btn-primary { color: #fff !important; font-weight: bold;
  text-align: center !important; }
.kns-btn-secondary { background: #fff !important; color: #1d2733 !important; border: 1px solid #9aa5b1 !important; }
.kns-btn-danger { background: #fff !important; color: #b3261e !important; border: 1px solid #b3261e !important; }
.kns-btn-link { background: #f7f9fb !important; color: #0b4f9c !important; border: 1px solid #d5dde6 !important; }
.kns-sim .widget-button:disabled { opacity: .75; background: #eef6ee !important; color: #2e5e31 !important; }
.kns-next { outline: 4px solid #f9a825 !important; outline-offset: 2px; animation: kns-pulse 1.6s infinite; }
@keyframes kns-pulse { 50% { outline-color: #ffe082; } }
.kns-guide input, .kns-guide textarea, .kns-guide select { border: 2px solid #f9a825 !important; }
.kns-feedback { border-radius: 10px; padding: 10px 14px; }
.kns-feedback:empty { display: none; }
.kns-fb-ok { background: #e8f5e9; border-left: 5px solid #2e7d32; }
.kns-fb-hint { background: #e3f2fd; border-left: 5px solid #1565c0; }
.kns-fb-mistake, .kns-fb-invalid { background: #fff3e0; border-left: 5px solid #ef6c00; }
.kns-fb-trap { background: #ffebee; border-left: 5px solid #b3261e; }
.kns-fb-done { background: #e8f5e9; border-left: 5px solid #1b5e20; }
.kns-fb-neutral { background: #f5f7fa; border-left: 5px solid #78909c; }
.kns-feedback b.kns-fb-title { display: block; margin-bottom: 2px; }
.kns-tools .widget-button { text-align: center; }
.kns-tools { flex-wrap: wrap; gap: 8px; align-items: center; }
.kns-tools > .widget-button { flex: 1 1 140px; width: auto !important; }
.kns-foot { color: #6b7785; font-size: .85em; }
@media (max-width: 480px) {
  .kns-device.kns-app, .kns-device.kns-phone { border-width: 0; border-radius: 12px; }
  .kns-screen { padding: 4px 10px 12px !important; }
  .kns-sim { font-size: 16px; }
}
</style>
"""


def chrome(skin: Skin) -> str:
    """The top of the copied app or website: an address bar for a site, a status bar for a phone app."""
    name = html.escape(skin.name)
    if skin.kind == "web":
        addr = f'<div class="kns-addr">https://{html.escape(skin.address)}</div>' if skin.address else ""
        return f'<div class="kns-chrome" style="background:{skin.color}">{addr}<div class="kns-app-name">{name}</div></div>'
    status = '<div class="kns-status"><span>9:41</span><span>4G ▮▮▮</span></div>'
    return (
        f'<div class="kns-chrome" style="background:{skin.color}">{status}<div class="kns-app-name">{name}</div></div>'
    )


def notice(text: str) -> str:
    return f'<div class="kns-notice">{to_html(text)}</div>' if text else ""


def body(title: str, text: str) -> str:
    return f'<div class="kns-body"><h3>{html.escape(title)}</h3>{to_html(text)}</div>'


def feedback(kind: str, title: str, text: str) -> str:
    if not (title or text):
        return ""
    head = f'<b class="kns-fb-title">{html.escape(title)}</b>' if title else ""
    return f'<div class="kns-feedback kns-fb-{kind}">{head}{to_html(text)}</div>'


def progress(label: str, done: int, total: int) -> str:
    pct = 0 if total <= 0 else round(100 * done / total)
    return (
        f'<div class="kns-progress">{html.escape(label)}'
        f'<div class="kns-bar" role="progressbar" aria-valuenow="{pct}"><div style="width:{pct}%"></div></div></div>'
    )
