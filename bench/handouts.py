"""How long the one-page handouts take for the whole curriculum, learner and trainer kind, and what trying the
smallest font scale first, once a page has overflowed, saves over trying every scale in turn on every try (the same PDF bytes either way).

Run: .venv/bin/python bench/handouts.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kynangso.lessons import handout_page, handouts, handouts_trainer
from kynangso.lessons.catalogue import notebook_paths
from kynangso.lessons.handout_page import SCALES, Page

CURRICULUM = Path(__file__).resolve().parents[1] / "curriculum"
draws = 0


def every_scale(draw: Callable[[float], Page], overflowed: bool = False) -> Page | None:
    """The search before: every scale from the largest, on every try."""
    for scale in SCALES:
        page = draw(scale)
        if page.fits:
            return page
    return None


def counting(init: Callable[..., None]) -> Callable[..., None]:
    def wrapped(self: Page, *args: object) -> None:
        global draws
        draws += 1
        init(self, *args)

    return wrapped


def run(render: Callable[[Path], bytes], paths: list[Path]) -> tuple[float, int, list[bytes]]:
    global draws
    draws = 0
    start = time.perf_counter()
    out = [render(p) for p in paths]
    return time.perf_counter() - start, draws, out


def main() -> None:
    paths = notebook_paths(CURRICULUM)
    Page.__init__ = counting(Page.__init__)  # type: ignore[method-assign]
    print(f"{len(paths)} lessons")
    print(f"{'handout':<10}{'search':<18}{'seconds':>10}{'pages drawn':>14}{'time ratio':>12}")
    for name, module in (("learner", handouts), ("trainer", handouts_trainer)):
        module.fit = every_scale  # type: ignore[attr-defined]
        slow, slow_draws, slow_out = run(module.render, paths)
        module.fit = handout_page.fit  # type: ignore[attr-defined]
        fast, fast_draws, fast_out = run(module.render, paths)
        assert slow_out == fast_out, "both searches must print the same PDFs"
        print(f"{name:<10}{'every scale':<18}{slow:>10.1f}{slow_draws:>14}{1.0:>12.1f}")
        print(f"{name:<10}{'smallest first':<18}{fast:>10.1f}{fast_draws:>14}{slow / fast:>12.1f}")


if __name__ == "__main__":
    main()
