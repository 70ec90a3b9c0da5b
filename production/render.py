"""Render scenes in parallel: one manim process per scene, each in its own temporary folder.

``render_scenes(entries, quality, jobs=...)`` runs ``python -m manim render`` for every scene
whose fingerprint (``production.fingerprint``) differs from its last render's record, up to
``jobs`` at a time, longest first (by the last measured render time), and moves each finished
video, its subtitles and its slides into ``media/``. Each process has its own media folder, so
no two share a TeX or partial-movie folder; the shared TeX cache (``media/Tex``) is copied in
before and the new formulas copied back after, so a formula is compiled once, ever. A scene
that fails leaves its log (``media/logs/<720p30>/<Scene>.log``) and its earlier outputs; the
others still finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from network.atomic import atomic_write

from .catalogue import (ROOT, Quality, SceneEntry, log_path, narration_path, record_path,
                        slides_path, slides_root, subtitles_path, video_path)
from .fingerprint import scene_fingerprint
from .voice import VoiceChoice, warnings_in

DEFAULT_SECONDS = 60.0          # expected render time of a scene never rendered before
ANIMATION_LINE = re.compile(rb"Animation \d+ : Partial movie file written")


@dataclass
class Outcome:
    """What became of one scene: ``status`` is "rendered", "up to date" or "failed"."""

    entry: SceneEntry
    status: str = "waiting"
    video_length: float = 0.0   # seconds of video
    render_time: float = 0.0    # seconds of wall time this render took (0 when skipped)
    peak_memory: int = 0        # bytes: the manim process's peak resident memory
    log: Path | None = None
    error: str = ""
    fingerprint: str = ""
    animations: int = 0         # partial movies written so far (progress)
    expected_animations: int = 0
    expected_time: float = DEFAULT_SECONDS
    started: float = 0.0
    voice_warnings: list[str] = field(default_factory=list)  # missing, silent, stale takes

    @property
    def real_time_factor(self) -> float:
        return self.render_time / self.video_length if self.video_length else 0.0

    @property
    def progress(self) -> float:
        """0…1: how far along this scene is (animations written / expected, else time)."""
        if self.status in ("rendered", "up to date", "failed"):
            return 1.0
        if self.status != "running":
            return 0.0
        if self.expected_animations:
            return min(self.animations / self.expected_animations, 0.99)
        return min((time.monotonic() - self.started) / max(self.expected_time, 1.0), 0.95)


def read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None  # none yet, or damaged: render again


def write_json(path: Path, obj) -> None:
    """Write ``obj`` to ``path`` as JSON, atomically."""
    with atomic_write(path, "w") as f:
        json.dump(obj, f, indent=1, default=str)


def video_duration(path: Path) -> float:
    """The length in seconds of ``path``'s video stream (PyAV)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / 1e6


def up_to_date(entry: SceneEntry, quality: Quality, fingerprint: str, media: Path,
               slides: bool) -> dict | None:
    """The render record if ``entry`` was last rendered from exactly these inputs and its
    outputs are all still there, else None."""
    record = read_record(record_path(media, entry, quality))
    if not record or record.get("fingerprint") != fingerprint:
        return None
    needed = [video_path(media, entry, quality)]
    if slides:
        needed.append(slides_path(media, entry, quality))
    return record if all(p.is_file() for p in needed) else None


def _copy_tree_new(src: Path, dst: Path) -> None:
    """Copy the files of ``src`` that ``dst`` lacks (hard links where possible), atomically
    per file."""
    if not src.is_dir():
        return
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if not path.is_file() or path.suffix not in (".svg", ".tex"):
            continue
        target = dst / path.name
        if target.exists():
            continue
        tmp = dst / f".{path.name}.{os.getpid()}.{threading.get_ident()}.part"
        try:
            os.link(path, tmp)
        except OSError:
            shutil.copyfile(path, tmp)
        os.replace(tmp, target)


def _replace_tree(src: Path, dst: Path) -> None:
    """Put folder ``src`` at ``dst``, replacing what was there, without a moment with neither."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    old = dst.with_name(f".{dst.name}.old.{os.getpid()}.{threading.get_ident()}")
    if dst.exists():
        os.replace(dst, old)
    shutil.move(str(src), str(dst))
    shutil.rmtree(old, ignore_errors=True)


def _move_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.part")
    shutil.move(str(src), str(tmp))
    os.replace(tmp, dst)


def _collect(workdir: Path, entry: SceneEntry, quality: Quality, media: Path,
             slides: bool) -> None:
    """Move a finished render's outputs from its temporary folder into ``media``."""
    produced = workdir / "media" / "videos" / entry.stem / quality.folder
    video = produced / f"{entry.scene}.mp4"
    if not video.is_file():
        raise RuntimeError(f"manim finished but wrote no {video.name}")
    for made, target in ((produced / f"{entry.scene}.srt", subtitles_path(media, entry, quality)),
                         (produced / f"{entry.scene}.narration.json",
                          narration_path(media, entry, quality))):
        if made.is_file():
            _move_file(made, target)
        else:
            target.unlink(missing_ok=True)
    _move_file(video, video_path(media, entry, quality))
    if slides:
        _collect_slides(workdir / "slides", entry, quality, media)
    _copy_tree_new(workdir / "media" / "Tex", media / "Tex")


def _collect_slides(folder: Path, entry: SceneEntry, quality: Quality, media: Path) -> None:
    """manim-slides wrote ``slides/<Scene>.json`` and ``slides/files/<Scene>/`` in the work
    folder, paths relative to it; move them under ``media/slides/<720p30>/`` and rewrite the
    paths relative to ``media/slides`` (manim-slides resolves them against the JSON's
    grandparent)."""
    config = folder / f"{entry.scene}.json"
    if not config.is_file():
        raise RuntimeError(f"manim-slides wrote no {config.name}")
    data = json.loads(config.read_text())
    for slide in data.get("slides", []):
        for key in ("file", "rev_file"):
            if slide.get(key):
                slide[key] = f"{quality.folder}/files/{entry.scene}/{Path(slide[key]).name}"
    target = slides_path(media, entry, quality)
    _replace_tree(folder / "files" / entry.scene, slides_root(media) / quality.folder / "files" / entry.scene)
    write_json(target, data)


def manim_command(entry: SceneEntry, quality: Quality, workdir: Path,
                  root: Path = ROOT) -> list[str]:
    return [sys.executable, "-m", "manim", "render", *quality.manim_args(),
            "--config_file", str(root / "manim.cfg"), "--media_dir", str(workdir / "media"),
            "--progress_bar", "none", "--disable_caching",
            str(root / entry.file), entry.scene]


def render_one(outcome: Outcome, quality: Quality, media: Path, *, slides: bool,
               root: Path = ROOT, environ=None, voice: VoiceChoice = VoiceChoice()) -> Outcome:
    """Render ``outcome.entry`` in a fresh temporary folder; fill in and return ``outcome``."""
    entry = outcome.entry
    log = log_path(media, entry, quality)
    log.parent.mkdir(parents=True, exist_ok=True)
    outcome.log = log
    env = dict(os.environ if environ is None else environ)
    env["NN_SLIDES"] = "1" if slides else "0"
    env.update(voice.environ(media))
    env.setdefault("PYTHONUNBUFFERED", "1")
    media.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".render-{entry.scene}-", dir=media) as tmp:
        workdir = Path(tmp)
        _copy_tree_new(media / "Tex", workdir / "media" / "Tex")
        outcome.status, outcome.started = "running", time.monotonic()
        with open(log, "wb") as out:
            process = subprocess.Popen(manim_command(entry, quality, workdir, root), cwd=workdir,
                                       env=env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
            done = threading.Event()
            watcher = threading.Thread(target=_count_animations, args=(log, outcome, done),
                                       daemon=True)
            watcher.start()
            code, outcome.peak_memory = _wait_measured(process)
            done.set()
            watcher.join()
        outcome.render_time = time.monotonic() - outcome.started
        outcome.voice_warnings = warnings_in(log)
        if code != 0:
            outcome.status = "failed"
            outcome.error = _last_error(log) or f"manim exited with code {code}"
            return outcome
        try:
            _collect(workdir, entry, quality, media, slides)
            outcome.video_length = video_duration(video_path(media, entry, quality))
        except Exception as e:  # noqa: BLE001 -- reported per scene, the others go on
            outcome.status, outcome.error = "failed", f"{type(e).__name__}: {e}"
            return outcome
    outcome.status = "rendered"
    write_json(record_path(media, entry, quality), {
        "scene": entry.scene, "file": entry.file, "fingerprint": outcome.fingerprint,
        "video_length": outcome.video_length, "render_time": outcome.render_time,
        "animations": outcome.animations, "quality": quality.folder,
        "peak_memory": outcome.peak_memory,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S")})
    return outcome


def _wait_measured(process: subprocess.Popen) -> tuple[int, int]:
    """Wait for ``process``; return its exit code and its peak resident memory in bytes
    (``wait4``'s ``ru_maxrss``, which Linux gives in KiB; 0 where there is no ``wait4``)."""
    if not hasattr(os, "wait4"):
        return process.wait(), 0
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, int(usage.ru_maxrss) * 1024


def _count_animations(log: Path, outcome: Outcome, done: threading.Event) -> None:
    """Follow the log while manim runs (until ``done`` is set), counting the partial movies
    it has written. Lines are counted whole: a line split across two reads counts once."""
    with open(log, "rb") as f:
        pending = b""
        while True:
            finished = done.is_set()
            chunk = f.read(65536)
            if chunk:
                pending += chunk
                complete, _, pending = pending.rpartition(b"\n")
                outcome.animations += len(ANIMATION_LINE.findall(complete))
                continue
            if finished:
                outcome.animations += len(ANIMATION_LINE.findall(pending))
                return
            time.sleep(0.25)


def _last_error(log: Path) -> str:
    """The last line of a failed render's log that says what went wrong."""
    try:
        lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    for line in reversed(lines):
        if re.match(r"^[│|]?\s*\w*(Error|Exception)\b", line) or line.startswith("error:"):
            return line.strip("│| ")
    return lines[-1].strip("│| ") if lines else ""


@dataclass
class RenderRun:
    """Every outcome of one ``render_scenes`` call, in the order asked, and its wall time."""

    outcomes: list[Outcome] = field(default_factory=list)
    wall_time: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def as_json(self) -> dict:
        return {"wall_time": self.wall_time, "scenes": [
            {"scene": o.entry.scene, "chapter": o.entry.chapter, "status": o.status,
             "video_length": o.video_length, "render_time": o.render_time,
             "real_time_factor": o.real_time_factor, "peak_memory": o.peak_memory,
             "log": str(o.log) if o.log else None, "voice_warnings": o.voice_warnings,
             "error": o.error} for o in self.outcomes]}


def plan(entries: list[SceneEntry], quality: Quality, model_identity: str, media: Path, *,
         slides: bool, force: bool = False, root: Path = ROOT,
         voice: VoiceChoice = VoiceChoice()) -> list[Outcome]:
    """An outcome per entry: "up to date" (with its recorded figures) or "waiting"."""
    outcomes = []
    for entry in entries:
        o = Outcome(entry, fingerprint=scene_fingerprint(entry, quality, model_identity,
                                                         slides=slides, root=root,
                                                         voice=voice.facts(entry.scene)))
        record = None if force else up_to_date(entry, quality, o.fingerprint, media, slides)
        if record:
            o.status = "up to date"
            o.video_length = float(record.get("video_length", 0.0))
            o.log = log_path(media, entry, quality)
            o.voice_warnings = warnings_in(o.log)
        else:
            previous = _any_previous_record(media, entry)
            if previous:
                o.expected_time = float(previous.get("render_time") or DEFAULT_SECONDS)
                o.expected_animations = int(previous.get("animations") or 0)
        outcomes.append(o)
    return outcomes


def _any_previous_record(media: Path, entry: SceneEntry) -> dict | None:
    """The newest record of ``entry`` at any quality: its render time orders the queue."""
    records = sorted((media / "renders").glob(f"*/{entry.scene}.json"),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for path in records:
        record = read_record(path)
        if record:
            return record
    return None


def render_scenes(outcomes: list[Outcome], quality: Quality, media: Path, *, jobs: int,
                  slides: bool, on_change=None, root: Path = ROOT,
                  voice: VoiceChoice = VoiceChoice()) -> RenderRun:
    """Render every "waiting" outcome, ``jobs`` at a time, longest expected first.
    ``on_change(outcomes)`` is called from worker threads when a scene starts or ends."""
    start = time.monotonic()
    waiting = sorted((o for o in outcomes if o.status == "waiting"),
                     key=lambda o: o.expected_time, reverse=True)

    def work(o: Outcome) -> Outcome:
        try:
            render_one(o, quality, media, slides=slides, root=root, voice=voice)
        except Exception as e:  # noqa: BLE001 -- one scene's failure must not stop the rest
            o.status, o.error = "failed", f"{type(e).__name__}: {e}"
        if on_change:
            on_change(outcomes)
        return o

    if waiting:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(work, waiting))
    return RenderRun(outcomes, time.monotonic() - start)


def model_identity(log=print) -> str:
    """Train or load the configured network once, before any render, and return its identity:
    a hash of its configuration, its data and its stored weights."""
    from network import config_from_env, load_mnist, load_trained
    from network.store import model_key

    config = config_from_env()
    data = load_mnist(progress=False, log=log)
    model = load_trained(config, data, progress=sys.stderr.isatty(), log=log)
    weights = hashlib.sha256()
    for array in (*model.network.weights, *model.network.biases):
        weights.update(array.tobytes())
    return f"{model_key(config, data.identity)}:{weights.hexdigest()[:16]}"

