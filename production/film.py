"""A chapter's film: its rendered parts (title card, then scenes) joined with PyAV into one
H.264 video, with the whole film's subtitles (.srt, .vtt), YouTube chapter marks and a
thumbnail.

The parts are not overlapped: between two parts the picture dips through black (the last
frames of one fade out, the first of the next fade in), so the film lasts exactly the sum of
its parts and every cue of a part keeps its place, shifted by the part's start.
"""

from __future__ import annotations

import os
import warnings
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import numpy as np

CRF = "18"                 # visually lossless for flat 3Blue1Brown-style frames
PRESET = "veryfast"        # measured: far quicker than "medium", files a little larger
MIN_CHAPTER_SECONDS = 10   # YouTube ignores chapter marks closer together than this


class FilmError(ValueError):
    """A part is missing, unreadable, or does not match the others."""


@dataclass(frozen=True)
class FilmPart:
    video: Path              # an .mp4 manim rendered; the first part is the chapter's title card
    subtitles: Path | None   # the .srt beside it, if any
    mark: str                # the chapter-mark title of this part


@dataclass(frozen=True)
class Film:
    video: Path
    srt: Path
    vtt: Path
    chapters: Path
    thumbnail: Path
    duration: float          # seconds
    starts: list[float]      # each part's start in the film, seconds


@dataclass(frozen=True)
class _Probe:
    size: tuple[int, int]
    rate: Fraction
    frames: int


def _probe(path: Path) -> _Probe:
    import av

    if not Path(path).is_file():
        raise FilmError(f"{path}: no such video (render the scene first)")
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            rate = stream.base_rate or stream.guessed_rate or stream.average_rate
            frames = stream.frames or sum(1 for _ in container.demux(stream) if _.size)
            return _Probe((stream.codec_context.width, stream.codec_context.height),
                          Fraction(rate), frames)
    except (av.error.FFmpegError, IndexError) as e:
        raise FilmError(f"{path}: not a readable video ({e})") from None


def _fade_in(frame: np.ndarray, index: int, fade: int) -> np.ndarray:
    """Frame ``index`` of a part, faded up from black over the part's first ``fade`` frames."""
    if index >= fade:
        return frame
    return (frame.astype(np.float32) * ((index + 1) / (fade + 1))).astype(np.uint8)


def _encode(output, stream, array: np.ndarray, pts: int, rate: Fraction) -> int:
    import av

    frame = av.VideoFrame.from_ndarray(array, format="rgb24")
    frame.pts = pts
    frame.time_base = 1 / rate
    for packet in stream.encode(frame):
        output.mux(packet)
    return pts + 1


def _atomic_target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")


def join_videos(parts: list[Path], out: Path, *, transition: float = 0.3) -> list[int]:
    """Decode every part, dip through black between them, encode ``out`` (H.264, yuv420p,
    constant rate, faststart). Returns each part's frame count."""
    import av

    probes = [_probe(p) for p in parts]
    first = probes[0]
    for path, probe in zip(parts, probes):
        if probe.size != first.size:
            raise FilmError(f"{path}: {probe.size[0]}x{probe.size[1]} does not match the "
                            f"{first.size[0]}x{first.size[1]} of {parts[0]}")
        if probe.rate != first.rate:
            raise FilmError(f"{path}: {float(probe.rate):g} fps does not match the "
                            f"{float(first.rate):g} fps of {parts[0]}")
    fade = int(round(float(first.rate) * transition / 2))
    tmp = _atomic_target(out)
    counts = []
    try:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as output:
            stream = output.add_stream("libx264", rate=first.rate)
            stream.width, stream.height = first.size
            stream.pix_fmt = "yuv420p"
            stream.options = {"crf": CRF, "preset": PRESET}
            stream.thread_type = "AUTO"
            pts = 0
            for path in parts:
                count = 0
                held: deque = deque()  # the last `fade` frames: they fade out if the part ends
                with av.open(str(path)) as source:
                    source.streams.video[0].thread_type = "AUTO"
                    for decoded in source.decode(video=0):
                        held.append(decoded.to_ndarray(format="rgb24"))
                        if len(held) > fade:
                            pts = _encode(output, stream, _fade_in(held.popleft(), count, fade),
                                          pts, first.rate)
                            count += 1
                for k, array in enumerate(held):  # the part's last frames: fade out
                    gain = min((len(held) - k) / (fade + 1), 1.0)
                    array = _fade_in(array, count, fade)
                    pts = _encode(output, stream, (array.astype(np.float32) * gain).astype(np.uint8),
                                  pts, first.rate)
                    count += 1
                counts.append(count)
            for packet in stream.encode():
                output.mux(packet)
        os.replace(tmp, out)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    return counts


def read_cues(path: Path | None) -> list:
    """The cues of an .srt file (none for None or an absent file)."""
    import srt

    if path is None or not Path(path).is_file():
        return []
    try:
        return list(srt.parse(Path(path).read_text(encoding="utf-8")))
    except (srt.SRTParseError, ValueError) as e:
        raise FilmError(f"{path}: not a readable .srt file ({e})") from None


def shifted_cues(parts: list[FilmPart], starts: list[float], duration: float) -> list:
    """Every part's cues moved to the film's time line, clipped to the film, renumbered."""
    import srt

    cues = []
    for part, start in zip(parts, starts):
        offset = timedelta(seconds=start)
        for cue in read_cues(part.subtitles):
            begin = cue.start + offset
            end = min(cue.end + offset, timedelta(seconds=duration))
            if begin < end:
                cues.append(srt.Subtitle(len(cues) + 1, begin, end, cue.content))
    return cues


def _vtt_time(t: timedelta) -> str:
    ms = int(round(t.total_seconds() * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt_text(cues) -> str:
    """WebVTT of ``cues``: a header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` and the text."""
    blocks = ["WEBVTT"]
    blocks += [f"{_vtt_time(c.start)} --> {_vtt_time(c.end)}\n{c.content}" for c in cues]
    return "\n\n".join(blocks) + "\n"


def mark_time(seconds: float, long: bool) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if long else f"{s // 60:02d}:{s % 60:02d}"


def chapter_marks(parts: list[FilmPart], starts: list[float], duration: float) -> str:
    """YouTube chapter marks: one line per scene, ``MM:SS Title``. The title card has no mark
    of its own (YouTube wants the first at 00:00 and every chapter 10 s or longer): the first
    scene's mark is at 00:00 and covers the card."""
    long = duration >= 3600
    scenes = list(zip(parts, starts))[1:] or list(zip(parts, starts))
    times = [0.0] + [start for _, start in scenes[1:]]
    ends = times[1:] + [duration]
    for (part, _), begin, end in zip(scenes, times, ends):
        if end - begin < MIN_CHAPTER_SECONDS:
            warnings.warn(f"chapter mark {part.mark!r} lasts {end - begin:.1f} s, under YouTube's "
                          f"{MIN_CHAPTER_SECONDS} s", stacklevel=2)
    return "".join(f"{mark_time(t, long)} {part.mark}\n" for (part, _), t in zip(scenes, times))


def _frame_at(path: Path, fraction: float | None):
    """A frame of ``path`` as a PIL image: the last one (``fraction`` None) or at
    ``fraction`` of the way through. Decodes up to that frame, keeping only one."""
    import av

    wanted = None if fraction is None else int(fraction * max(_probe(path).frames - 1, 0))
    image = None
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if wanted is None or index <= wanted:
                image = frame
            if wanted is not None and index >= wanted:
                break
    if image is None:
        raise FilmError(f"{path}: has no frames")
    return image.to_image()


def thumbnail(title_card: Path, background, out: Path, size=(1280, 720)) -> None:
    """The title card's last frame (light text on black) over a blurred, darkened
    ``background`` frame, ``size`` pixels."""
    from PIL import Image, ImageChops, ImageEnhance, ImageFilter

    title = _frame_at(title_card, None).convert("RGB").resize(size, Image.LANCZOS)
    back = background.convert("RGB").resize(size, Image.LANCZOS)
    # Blurred and dimmed, so the frame says "this chapter" without competing with the title.
    back = back.filter(ImageFilter.GaussianBlur(radius=size[0] / 320))
    back = ImageEnhance.Brightness(back).enhance(0.3)
    tmp = _atomic_target(out)
    ImageChops.lighter(back, title).save(tmp, format="PNG")
    os.replace(tmp, out)


def _write_text(path: Path, text: str) -> None:
    tmp = _atomic_target(path)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_film(parts: list[FilmPart], out_stem: Path, chapter_title: str, *,
               transition: float = 0.3, thumbnail_frame: Path | None = None) -> Film:
    """Join ``parts`` (the title card first) into ``<out_stem>.mp4`` with its ``.srt``,
    ``.vtt``, ``.chapters.txt`` and ``.thumbnail.png``; return where they are and the film's
    time line. ``chapter_title`` names the film in errors and the video's metadata."""
    import srt

    if not parts:
        raise FilmError(f"{chapter_title}: no parts to join")
    out_stem = Path(out_stem)
    video = out_stem.with_suffix(".mp4")
    counts = join_videos([p.video for p in parts], video, transition=transition)
    rate = float(_probe(video).rate)
    starts = list(np.cumsum([0, *counts[:-1]]) / rate)
    duration = sum(counts) / rate
    cues = shifted_cues(parts, starts, duration)
    srt_path = out_stem.with_suffix(".srt")
    vtt_path = out_stem.with_suffix(".vtt")
    marks = out_stem.with_name(out_stem.name + ".chapters.txt")
    thumb = out_stem.with_name(out_stem.name + ".thumbnail.png")
    _write_text(srt_path, srt.compose(cues))
    _write_text(vtt_path, vtt_text(cues))
    _write_text(marks, chapter_marks(parts, starts, duration))
    if thumbnail_frame is not None:
        from PIL import Image
        background = Image.open(thumbnail_frame)
    else:
        longest = max(range(1, len(parts)) or [0], key=lambda i: counts[i])
        background = _frame_at(parts[longest].video, 0.5)
    thumbnail(parts[0].video, background, thumb)
    return Film(video, srt_path, vtt_path, marks, thumb, duration, [float(s) for s in starts])
