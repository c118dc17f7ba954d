"""The commands: keys init/rotate (mode 0600, refused inside a checkout or course), certify, revoke, verify."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.cli import main
from tests.certify.conftest import POLICY, learners
from tests.certify.gradebook import build
from tests.support import REPO


def test_keys_init_writes_private_key_0600_and_public_jwks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "khoa"
    assert main(["keys", "init", "--keys-dir", str(keys), "--policy", str(POLICY)]) == 0
    pems = list(keys.glob("key-*.pem"))
    assert len(pems) == 1
    assert stat.S_IMODE(pems[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    profile = (keys / "issuer.json").read_text(encoding="utf-8")
    assert '"jwks"' in profile and "PRIVATE" not in profile and '"d"' not in profile
    assert "Đã tạo khóa ký" in capsys.readouterr().out
    # Initialising twice would orphan every certificate already issued: refused.
    assert main(["keys", "init", "--keys-dir", str(keys), "--policy", str(POLICY)]) == 2
    assert "keys rotate" in capsys.readouterr().err
    assert main(["keys", "rotate", "--keys-dir", str(keys), "--policy", str(POLICY)]) == 0
    assert len(list(keys.glob("key-*.pem"))) == 2
    assert main(["keys", "show", "--keys-dir", str(keys)]) == 0
    assert "đang dùng" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["checkout", "course"])
def test_keys_refused_inside_checkout_or_course(tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    if where == "checkout":
        target = REPO / "src" / "khoa-bi-mat-thu"
    else:
        course = tmp_path / "khoa-hoc"
        course.mkdir()
        (course / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
        target = course / "keys"
    assert main(["keys", "init", "--keys-dir", str(target), "--policy", str(POLICY)]) == 2
    err = capsys.readouterr().err
    assert "không được đặt khóa bí mật" in err and str(target) in err
    assert not target.exists()


def test_certify_revoke_verify_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = build(tmp_path / "gradebook.db", learners())
    keys, out, ws = tmp_path / "keys", tmp_path / "chung-nhan", tmp_path / "may-cua-so"
    common = ["--keys-dir", str(keys), "--policy", str(POLICY)]
    assert main(["keys", "init", *common]) == 0
    printed = capsys.readouterr().out
    assert printed.count("ký chứng nhận)") == 1 and printed.count("ký mã QR)") == 1  # fingerprints to read out
    assert main(["certify", "--db-url", url, "--out", str(out), "--workspace", str(ws), *common]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Đã cấp KNS-") == 4 and "Nguyễn Văn An — Xã hội số, cấp độ 3 (Hướng dẫn viên)" in printed
    assert "Máy này tin cậy khóa của Sở Khoa học và Công nghệ tỉnh Thái Nguyên" in printed
    assert main(["certify", "--db-url", url, "--out", str(out), "--workspace", str(ws), *common]) == 0
    assert "Không có chứng nhận mới nào cần cấp." in capsys.readouterr().out

    # The issuing machine trusts its own keys (from its keys folder), and reads its status list from --out.
    jwt_file = sorted(out.glob("KNS-*.jwt"))[0]
    assert main(["verify", str(jwt_file), "--workspace", str(ws)]) == 0
    assert "Kết quả: HỢP LỆ" in capsys.readouterr().out
    assert main(["revoke", jwt_file.stem.lower(), "--reason", "Nhầm người", "--out", str(out), *common]) == 0
    assert "Đã thu hồi" in capsys.readouterr().out
    assert main(["verify", str(jwt_file.with_suffix(".pdf")), "--workspace", str(ws)]) == 3
    printed = capsys.readouterr().out
    assert "ĐÃ THU HỒI" in printed and "Nhầm người" in printed

    forged = tmp_path / "gia.jwt"
    text = jwt_file.read_text(encoding="ascii")
    forged.write_text(text[:-10] + ("A" if text[-10] != "A" else "B") + text[-9:], encoding="ascii")
    assert main(["verify", str(forged), "--workspace", str(ws)]) == 1
    assert "GIẢ MẠO" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "khong-co.pdf"), "--workspace", str(ws)]) == 4
    capsys.readouterr()
    # Another machine that trusts nobody: the genuine certificate, with issuer.json beside it, is not "valid".
    assert main(["verify", str(jwt_file.with_suffix(".pdf")), "--workspace", str(tmp_path / "may-khac")]) == 5
    printed = capsys.readouterr().out
    assert "KHÔNG RÕ ĐƠN VỊ CẤP" in printed and "Dấu vân tay khóa ký:" in printed
    # The old way of trusting a folder is refused with the new way spelled out.
    assert main(["verify", str(jwt_file), "--trust", str(out)]) == 4
    assert "kynangso trust add" in capsys.readouterr().err


def test_certify_errors_name_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys"
    common = ["--keys-dir", str(keys), "--policy", str(POLICY)]
    assert (
        main(["certify", "--db-url", f"sqlite:///{tmp_path}/gradebook.db", "--out", str(tmp_path / "o"), *common]) == 2
    )
    assert "keys.json" in capsys.readouterr().err  # no key yet
    assert main(["keys", "init", *common]) == 0
    assert (
        main(["certify", "--db-url", f"sqlite:///{tmp_path}/gradebook.db", "--out", str(tmp_path / "o"), *common]) == 2
    )
    assert f"{tmp_path}/gradebook.db: không tìm thấy sổ điểm" in capsys.readouterr().err
    assert main(["revoke", "KNS-AAAA-AAAA", "--reason", "x", "--out", str(tmp_path / "o"), *common]) == 2
    assert "sai ký tự kiểm tra" in capsys.readouterr().err
    from kynangso.certify.credential import new_serial

    assert main(["revoke", new_serial(), "--reason", "x", "--out", str(tmp_path / "o"), *common]) == 2
    assert "registry.sqlite: chưa có sổ đăng ký" in capsys.readouterr().err


def test_console_script_exit_code(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "kynangso", "verify", str(tmp_path / "x.jwt"), "--workspace", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 4 and "KHÔNG KIỂM TRA ĐƯỢC" in proc.stdout


def test_certify_acts_on_the_course_folder_it_runs_in(tmp_path: Path) -> None:
    from kynangso.certify.paths import places
    from kynangso.course.config import ensure_course

    course = tmp_path / "lop"
    ensure_course(course, tmp_path / "trao-doi")
    old = Path.cwd()
    try:
        os.chdir(course / "source")
        where = places()
    finally:
        os.chdir(old)
    assert where.course == course.resolve()
    assert where.gradebook_url == f"sqlite:///{course.resolve() / 'gradebook.db'}"


def test_certify_on_a_workspace_it_cannot_write_still_issues(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hub's grader runs certify in a shared checkout it may not write to: the certificates are what matters.
    url = build(tmp_path / "gradebook.db", learners())
    keys, out, ws = tmp_path / "keys", tmp_path / "chung-nhan", tmp_path / "may-chung"
    ws.mkdir()
    (ws / ".kynangso").write_text("không phải thư mục\n", encoding="utf-8")  # unwritable even for root
    common = ["--keys-dir", str(keys), "--policy", str(POLICY)]
    assert main(["keys", "init", *common]) == 0
    capsys.readouterr()
    assert main(["certify", "--db-url", url, "--out", str(out), "--workspace", str(ws), *common]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Đã cấp KNS-") == 4 and len(list(out.glob("KNS-*.pdf"))) == 4
    assert "chưa tự thêm đơn vị cấp vào danh sách tin cậy" in printed and "kynangso trust add" in printed
