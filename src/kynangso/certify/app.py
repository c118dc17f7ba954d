"""The "Kiểm tra chứng nhận" Voilà app: upload a certificate PDF, a .jwt/.json file or a photo of its QR code and
see the verdict in Vietnamese, checked against the workspace's trust store (``$KYNANGSO_WORKSPACE``, else the
workspace the server runs in). The notebook ``voila_apps/kiem-tra-chung-nhan.ipynb`` only calls :func:`verifier`.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

from kynangso.certify.trust import TrustError
from kynangso.certify.truststore import TrustStore, default_root
from kynangso.certify.verify import Verdict, verify_file

COLOURS = {
    "valid": ("#e8f5e9", "#1b5e20", "✔"),
    "expired": ("#fff3e0", "#e65100", "⌛"),
    "revoked": ("#ffebee", "#b71c1c", "✖"),
    "forged": ("#ffebee", "#b71c1c", "✖"),
    "untrusted": ("#fff8e1", "#8d6e00", "?"),
    "unverifiable": ("#eceff1", "#37474f", "?"),
}
FONT = "font-family: DejaVu Sans, Noto Sans, Arial, sans-serif; line-height: 1.45;"
MAX_BYTES = 20 * 1024 * 1024


def check_upload(filename: str, content: bytes, store: Path | None = None) -> Verdict:
    """Verify one uploaded file against the trust store at ``store`` (default: the workspace's)."""
    if len(content) > MAX_BYTES:
        return Verdict("unverifiable", ["Tệp quá lớn (trên 20 MB); hãy chụp lại ảnh nhỏ hơn hoặc gửi tệp PDF."])
    try:
        trust = TrustStore(store or default_root()).load()
    except TrustError as exc:
        return Verdict("unverifiable", [str(exc)])
    if not trust.issuers:
        return Verdict(
            "unverifiable",
            ["Máy này chưa tin cậy đơn vị cấp nào; cán bộ quản trị cần chạy “kynangso trust add” với hồ sơ do Sở gửi."],
        )
    suffix = Path(filename).suffix.lower() or ".bin"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        return verify_file(path, trust)


def verdict_html(v: Verdict) -> str:
    bg, fg, mark = COLOURS[v.status]
    rows = [
        ("Số hiệu", v.serial),
        ("Người được cấp", v.name),
        ("Chứng nhận", v.achievement),
        ("Đơn vị cấp", v.issuer),
        ("Hiệu lực", f"{v.valid_from} – {v.valid_until}" if v.valid_from else ""),
        ("Dấu vân tay khóa ký", v.fingerprint),
    ]
    table = "".join(
        f"<tr><td style='padding:2px 12px 2px 0;color:#555'>{html.escape(k)}</td>"
        f"<td style='padding:2px 0'><b>{html.escape(val)}</b></td></tr>"
        for k, val in rows
        if val
    )
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in v.reasons)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in v.notes)
    advice = (
        "<p style='margin:8px 0 0'>Hãy đối chiếu họ tên, lĩnh vực và cấp độ in trên giấy với thông tin ở trên.</p>"
        if v.status == "valid"
        else ""
    )
    return (
        f"<div class='kns-verdict kns-{v.status}' style='{FONT} background:{bg}; color:#222; "
        f"border-left:6px solid {fg}; border-radius:8px; padding:12px 16px; margin-top:12px; max-width:640px'>"
        f"<div style='font-size:1.4em; font-weight:bold; color:{fg}'>{mark} {html.escape(v.label)}</div>"
        f"<ul style='margin:6px 0; padding-left:20px'>{reasons}</ul>"
        f"<table style='border-collapse:collapse'>{table}</table>"
        f"{f'<ul style=margin:6px 0>{notes}</ul>' if notes else ''}{advice}</div>"
    )


def _uploaded(value: Any) -> tuple[str, bytes] | None:
    # ipywidgets 8: a tuple of dicts {name, type, size, content: memoryview, last_modified}
    items = list(value.values()) if isinstance(value, dict) else list(value or ())
    if not items:
        return None
    item = items[-1]
    return str(item.get("name", "tep")), bytes(item["content"])


def verifier(store: Path | None = None) -> Any:
    """The whole app as one widget."""
    import ipywidgets as widgets

    title = widgets.HTML(
        f"<div style='{FONT}'><h2 style='margin:0 0 4px'>Kiểm tra chứng nhận Kỹ Năng Số</h2>"
        "<p style='margin:0'>Chọn tệp chứng nhận (PDF) hoặc chụp ảnh mã QR trên giấy chứng nhận. "
        "Việc kiểm tra diễn ra ngay trên máy này, không cần Internet.</p></div>"
    )
    upload = widgets.FileUpload(
        accept=".pdf,.jwt,.json,image/*",
        multiple=False,
        description="Chọn tệp hoặc ảnh",
        button_style="primary",
        layout=widgets.Layout(width="auto"),
    )
    result = widgets.HTML(f"<p style='{FONT} color:#555'>Chưa có tệp nào được chọn.</p>")

    def on_upload(change: dict[str, Any]) -> None:
        got = _uploaded(change["new"])
        if got is None:
            return
        result.value = f"<p style='{FONT} color:#555'>Đang kiểm tra “{html.escape(got[0])}”…</p>"
        result.value = verdict_html(check_upload(got[0], got[1], store))

    upload.observe(on_upload, names="value")
    return widgets.VBox([title, upload, result], layout=widgets.Layout(padding="8px"))
