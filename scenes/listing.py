"""The chapter modules, ``scenes/chapter<N>.py``, and their numbers: one place for the scene
list (``python -m scenes``) and the title cards (``scenes.titles``) to find them."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def chapter_number(path: Path) -> int:
    """N of ``chapter<N>.py`` (0 if its name ends in no number)."""
    match = re.search(r"(\d+)$", Path(path).stem)
    return int(match.group(1)) if match else 0


def chapter_files() -> list[Path]:
    """Every ``scenes/chapter*.py``, in chapter order."""
    return sorted(PACKAGE_DIR.glob("chapter*.py"), key=lambda p: (chapter_number(p), p.name))
