"""When a render is up to date: a fingerprint of everything a scene's pictures depend on.

A scene's fingerprint hashes its chapter file and every project module it imports, directly or
not (found by reading the ``import`` statements, so a change to chapter 3's code leaves
chapter 1 alone, and a change to a shared mobject re-renders every scene that uses it), the
trained model's identity (configuration, data and the stored weights' bytes), the quality, the
look and network settings from the environment, ``manim.cfg``, the versions of manim and
manim-slides, the voice (its mode, engine and settings, and the scene's recorded takes), and
for a scene that shows it, the viewer's own digit (``NN_DIGIT``: the photo's bytes, its
label). Same fingerprint, same video: the render is skipped.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .catalogue import ROOT, Quality, SceneEntry

PROJECT_PACKAGES = ("scenes", "network")
# The environment the scenes read (scenes.settings) that changes what they draw.
SCENE_ENV = ("NN_PRESET", "NN_LAYERS", "NN_ACTIVATION", "NN_COST", "NN_PALETTE", "NN_STOCK_MANIM")


def _module_file(name: str, root: Path) -> Path | None:
    """The file of project module ``name`` (``scenes.ch1.forward``), or None if it is not one."""
    if name.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(path: Path, root: Path) -> str:
    if not path.is_relative_to(root):
        return ""  # a scene file outside the project: its relative imports are not ours
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    else:
        parts = parts[:-1]
    return ".".join(parts)


def _imported_names(path: Path, root: Path) -> set[str]:
    """Every module name ``path`` imports (``from a import b`` counts ``a`` and ``a.b``, since
    ``b`` may be a submodule), with relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    package = _package_of(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".") if package else []
                base_parts = base_parts[:len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base:
                names.add(base)
            names.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
    # importing a.b.c runs a/__init__ and a/b/__init__ too
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return names


def source_files(start: Path, root: Path = ROOT) -> list[Path]:
    """``start`` and every project file it imports, directly or through others, sorted."""
    seen: set[Path] = set()
    todo = [start.resolve()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported_names(path, root):
            found = _module_file(name, root)
            if found is not None and found not in seen:
                todo.append(found)
    return sorted(seen)


@lru_cache(maxsize=None)
def _sources_digest(start: str, root: str) -> str:
    digest = hashlib.sha256()
    for path in source_files(Path(start), Path(root)):
        name = path.relative_to(root) if path.is_relative_to(root) else path
        digest.update(name.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def scene_fingerprint(entry: SceneEntry, quality: Quality, model_identity: str, *,
                      slides: bool, root: Path = ROOT, environ=os.environ,
                      voice: dict | None = None) -> str:
    """The hex SHA-256 of everything ``entry``'s render at ``quality`` depends on; ``voice``
    is what its sound depends on (``production.voice.VoiceChoice.facts``, default silent)."""
    config_file = root / "manim.cfg"
    facts = {
        "scene": entry.scene, "file": entry.file, "title": entry.title,  # a title card draws it
        "sources": _sources_digest(str((root / entry.file).resolve()), str(root.resolve())),
        "model": model_identity,
        "quality": quality.manim_args(), "slides": slides,
        "env": {name: environ.get(name, "") for name in SCENE_ENV},
        "manim.cfg": config_file.read_text() if config_file.exists() else "",
        "manim": _version("manim"), "manim-slides": _version("manim-slides") if slides else "",
        "voice": voice or {"mode": "none"},
    }
    photo = environ.get("NN_DIGIT", "")
    if entry.own_digit and photo:  # the viewer's digit: its bytes and label (else left out)
        facts["digit"] = {"photo": file_digest(Path(photo)),
                          "label": environ.get("NN_DIGIT_LABEL", "")}
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def combined(fingerprints: list[str], *extra: str) -> str:
    """One fingerprint for a film or deck made of parts with these fingerprints."""
    return hashlib.sha256("\n".join([*fingerprints, *extra]).encode()).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
