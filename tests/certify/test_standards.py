"""The reference files under tests/data/standards/ are the published ones their PROVENANCE.md names."""

from __future__ import annotations

import hashlib

from tests.certify.conftest import STANDARDS


def _provenance_rows() -> dict[str, list[str]]:
    rows = {}
    for line in (STANDARDS / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    return rows


def test_every_reference_file_has_its_source_commit_and_checksums() -> None:
    rows = _provenance_rows()
    files = sorted(p.name for p in STANDARDS.iterdir() if p.name != "PROVENANCE.md")
    assert sorted(rows) == files
    for name in files:
        data = (STANDARDS / name).read_bytes()
        _, _, repository, path, commit, blob, sha256 = rows[name]
        assert repository and path.strip("`") and len(commit) == 40, name
        assert hashlib.sha256(data).hexdigest() == sha256, name
        # The git blob id lets anyone check the copy against the source repository with `git cat-file`.
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == blob, name
