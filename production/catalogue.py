"""What there is to render: the chapters, their title cards and scenes, read from the scenes'
own command line (``python -m scenes list --json``), and where each render lands in ``media/``.

Quality names follow manim's flags: ``low`` (-ql, 480p15), ``medium`` (-qm, 720p30), ``high``
(-qh, 1080p60), ``4k`` (-qk, 2160p60). A render's folder name is manim's own, ``<height>p<fps>``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name: (manim flag, width, height, frames per second)
QUALITIES = {
    "low": ("-ql", 854, 480, 15),
    "medium": ("-qm", 1280, 720, 30),
    "high": ("-qh", 1920, 1080, 60),
    "4k": ("-qk", 3840, 2160, 60),
}


class CatalogueError(RuntimeError):
    """The scene list could not be read, or a requested chapter or scene does not exist."""


@dataclass(frozen=True)
class Quality:
    """How big and how fast a render is: a manim quality flag, maybe with another frame rate
    or resolution."""

    name: str = "medium"
    fps: int | None = None                      # None: the flag's own rate
    resolution: tuple[int, int] | None = None   # (width, height); None: the flag's own

    def __post_init__(self) -> None:
        if self.name not in QUALITIES:
            raise CatalogueError(f"unknown quality {self.name!r}: use one of {', '.join(QUALITIES)}")

    @property
    def flag(self) -> str:
        return QUALITIES[self.name][0]

    @property
    def frame_rate(self) -> int:
        return self.fps or QUALITIES[self.name][3]

    @property
    def size(self) -> tuple[int, int]:
        return self.resolution or QUALITIES[self.name][1:3]

    @property
    def folder(self) -> str:
        """manim's name for the render folder, e.g. ``720p30``."""
        return f"{self.size[1]}p{self.frame_rate}"

    def manim_args(self) -> list[str]:
        args = [self.flag]
        if self.fps:
            args += ["--fps", str(self.fps)]
        if self.resolution:
            args += ["-r", f"{self.resolution[0]},{self.resolution[1]}"]
        return args


@dataclass(frozen=True)
class SceneEntry:
    """One scene to render: its file (relative to the repository root), its class name, the
    title its chapter mark shows, its chapter's number (0 for none), and whether it shows the
    viewer's own digit (``NN_DIGIT``): None, ``"any"`` or ``"labelled"`` (needs its label)."""

    file: str
    scene: str
    title: str
    chapter: int
    own_digit: str | None = None

    @property
    def stem(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    slug: str
    title_card: SceneEntry
    scenes: list[SceneEntry] = field(default_factory=list)

    @property
    def parts(self) -> list[SceneEntry]:
        """The title card, then the scenes in story order: a film's and a deck's order."""
        return [self.title_card, *self.scenes]


def load_catalogue(python: str = sys.executable, root: Path = ROOT) -> list[Chapter]:
    """Every chapter, in order, from ``python -m scenes list --json``."""
    result = subprocess.run([python, "-m", "scenes", "list", "--json"], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise CatalogueError(f"could not list the scenes: {lines[-1] if lines else 'no output'}")
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as e:
        raise CatalogueError(f"could not read the scene list: {e}") from None
    chapters = []
    for c in data["chapters"]:
        card = c["title_card"]
        chapters.append(Chapter(
            number=c["number"], title=c["title"], slug=c["slug"],
            title_card=SceneEntry(card["file"], card["scene"], c["title"], c["number"]),
            scenes=[SceneEntry(c["file"], s["scene"], s["title"], c["number"], s.get("own_digit"))
                    for s in c["scenes"]]))
    return chapters


def select(chapters: list[Chapter], numbers: list[int] | None = None,
           names: list[str] | None = None) -> tuple[list[SceneEntry], list[Chapter]]:
    """The scenes to render and the chapters to assemble (films, decks) for ``--chapter``
    numbers and ``--scene`` names: every chapter when neither is given; a chapter asked for by
    number brings its title card and all its scenes; a scene asked for by name only itself."""
    by_number = {c.number: c for c in chapters}
    unknown = [n for n in numbers or [] if n not in by_number]
    if unknown:
        raise CatalogueError(f"no chapter {unknown[0]}: the chapters are "
                             f"{', '.join(str(n) for n in by_number)}")
    every = {p.scene: p for c in chapters for p in c.parts}
    missing = [n for n in names or [] if n not in every]
    if missing:
        raise CatalogueError(f"no scene named {missing[0]!r} (see: python -m scenes list)")
    wanted = [by_number[n] for n in dict.fromkeys(numbers)] if numbers else (
        [] if names else list(chapters))
    entries = [p for c in wanted for p in c.parts]
    entries += [every[n] for n in names or [] if every[n] not in entries]
    return entries, wanted


def video_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    """Where manim's layout puts a scene's video: ``videos/<file stem>/<720p30>/<Scene>.mp4``."""
    return media / "videos" / entry.stem / quality.folder / f"{entry.scene}.mp4"


def subtitles_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    return video_path(media, entry, quality).with_suffix(".srt")


def narration_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    """The beats a render recorded (``scenes.base``): names, subtitles, spoken forms, times."""
    video = video_path(media, entry, quality)
    return video.with_name(f"{video.stem}.narration.json")


def slides_root(media: Path) -> Path:
    """Slides live in ``slides/<720p30>/<Scene>.json`` with their videos in
    ``slides/<720p30>/files/<Scene>/``; the JSON's paths are relative to this folder."""
    return media / "slides"


def slides_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    return slides_root(media) / quality.folder / f"{entry.scene}.json"


def record_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    """The render's record: what it was made from, how long it took, how long it lasts."""
    return media / "renders" / quality.folder / f"{entry.scene}.json"


def log_path(media: Path, entry: SceneEntry, quality: Quality) -> Path:
    return media / "logs" / quality.folder / f"{entry.scene}.log"
