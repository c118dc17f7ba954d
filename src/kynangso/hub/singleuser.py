"""A person's Jupyter server on the hub: lay the lessons and simulations out in their home once, then become
``jupyterhub-singleuser``.

Runs as the person (the spawner has already switched accounts), so the copy is theirs to run and edit; files they
changed are never overwritten when the hub's content is updated.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

WORKSPACE = "KyNangSo"


def lay_out_content(home: Path) -> Path:
    from kynangso.workspace import bundled_content, checkout_root, lay_out

    target = home / WORKSPACE
    source = checkout_root() or bundled_content()
    if source is not None:
        # Lessons and simulations only: a learner's home has no business with the question bank.
        lay_out(target, source, names=("curriculum", "voila_apps"))
    return target


def main() -> None:
    home = Path(os.environ.get("HOME") or Path.home())
    lay_out_content(home)
    os.environ.setdefault("KYNANGSO_WORKSPACE", str(home / WORKSPACE))
    # By module, not by script: the script's first line may name another Python than the one running here.
    os.execv(
        sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={home}", *sys.argv[1:]]
    )


if __name__ == "__main__":
    main()
