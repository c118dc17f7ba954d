"""Grading worker: ``python -m kynangso.grade.worker COURSE CELL_TIMEOUT EXAM/STUDENT...``.

Autogrades each submission with nbgrader's own API (the code path of ``nbgrader autograde``) and reports one JSON
line per submission on stdout. The parent (:mod:`kynangso.grade.runner`) bounds each submission in time and kills
this process and its kernels if a submission hangs, then starts a new worker for the rest.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    root, cell_timeout, *jobs = argv
    # Keep stdout for our protocol: nbgrader logs go to the captured log it returns.
    out = sys.stdout
    sys.stdout = sys.stderr
    logging.disable(logging.WARNING)
    from kynangso.course.course import nbgrader_api

    api = nbgrader_api(Path(root), **{"Execute.timeout": int(cell_timeout)})
    for job in jobs:
        exam, _, student = job.partition("/")
        print(json.dumps({"event": "start", "job": job}), file=out, flush=True)
        result = api.autograde(exam, student, force=True, create=True)
        record = {
            "event": "done",
            "job": job,
            "success": bool(result.get("success")),
            "log": (result.get("log") or "")[-4000:],
            "error": (result.get("error") or "")[-4000:],
        }
        print(json.dumps(record), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
