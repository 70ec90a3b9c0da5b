"""Where the project keeps what it downloads and trains: one user cache folder."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "NN_EXPLAINED_CACHE"


def cache_dir() -> Path:
    """The cache folder: ``$NN_EXPLAINED_CACHE``, else ``$XDG_CACHE_HOME/nn-explained``,
    else ``~/.cache/nn-explained``. Not created here."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "nn-explained"
