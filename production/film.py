"""A chapter's film: its rendered parts (the title card, then the scenes) joined with PyAV into
one H.264 video that plays in a browser while it loads, with the whole film's subtitles
(.srt and .vtt), YouTube chapter marks and a thumbnail.

The sound is every part's sound track in turn (silence for a part without one), faded with
the picture at each dip so no join clicks, made -16 LUFS loud as a whole, no peak above -1 dBFS.

The parts are not overlapped: between two parts the picture dips through black (the last
frames of one fade out, the first frames of the next fade in), so the film lasts exactly the
sum of its parts and every cue of a part keeps its place, shifted by the part's start. The
film fades in at its start and out at its end as well.

Usage::

    film = build_film([FilmPart(card, card_srt, "Title"),
                       FilmPart(scene, scene_srt, "Forward pass"), ...],
                      Path("media/chapters/chapter1"), "Chapter 1: What is a neural network?")
"""

from __future__ import annotations

import html
import math
import os
import re
import secrets
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from itertools import islice
from pathlib import Path

import av
import numpy as np
import srt
from PIL import Image, ImageChops, ImageEnhance, ImageFilter, ImageOps

from network.atomic import atomic_write, check_target

from . import audio as sound

# Measured on 720p30 manim scenes (2 busy cores): "veryfast" encodes about as fast as
# "superfast" at half the size; "faster" is twice as slow. CRF 20 is about 47 dB PSNR
# against the scene files, which manim wrote at CRF 23: no visible loss.
PRESET = "veryfast"
CRF = "20"
AUDIO_RATE = 48_000          # Hz, stereo AAC
AUDIO_FRAME = 1024           # samples per AAC frame
THUMBNAIL_SIZE = (1280, 720)
THUMBNAIL_DIM = 0.3          # the background frame's brightness under the title,
THUMBNAIL_BLUR = 4           # and its blur (pixels): it says "this chapter", the title stands out
MIN_CHAPTER_SECONDS = 10     # YouTube ignores chapter marks if a chapter is shorter,
MIN_CHAPTERS = 3             # or if there are fewer than this
_BLACK = np.array([16, 128, 128], np.float32)  # Y, U, V of black in (limited-range) yuv420p


class FilmError(ValueError):
    """A part is missing, unreadable, or does not match the others."""


class FilmWarning(UserWarning):
    """The film was made, but something about it will not work everywhere (YouTube's marks)."""


@dataclass(frozen=True)
class FilmPart:
    video: Path              # an .mp4 manim rendered (H.264); the first part is the title card
    subtitles: Path | None   # the .srt manim wrote beside it (None or missing: no cues)
    mark: str                # the chapter-mark title of this part, e.g. "Forward pass"


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
class Source:
    """What a part's video file holds."""
    width: int
    height: int
    rate: Fraction           # frames per second
    has_audio: bool


# -- the film ------------------------------------------------------------------------------

def build_film(parts: list[FilmPart], out_stem: Path, chapter_title: str, *,
               transition: float = 0.3, thumbnail_frame: Path | None = None) -> Film:
    """Join ``parts`` (the title card first) into ``<out_stem>.mp4`` with ``.srt``, ``.vtt``,
    ``.chapters.txt`` and ``.thumbnail.png`` beside it, each written atomically. Between parts
    the picture dips through black for ``transition`` seconds (half from each part).

    Returns the Film: where its files are, its duration and each part's start (seconds).
    Raises FilmError if a part is missing, unreadable, or unlike the first in size or rate."""
    if not parts:
        raise FilmError(f"{chapter_title}: no parts to join")
    if transition < 0:
        raise FilmError(f"{chapter_title}: transition {transition} s is negative")
    sources = [probe(part.video) for part in parts]
    check_alike(parts, sources)
    chosen = still(thumbnail_frame) if thumbnail_frame is not None else None
    out_stem = Path(out_stem)
    paths = {kind: out_stem.with_name(out_stem.name + suffix) for kind, suffix in
             [("video", ".mp4"), ("srt", ".srt"), ("vtt", ".vtt"),
              ("chapters", ".chapters.txt"), ("thumbnail", ".thumbnail.png")]}
    rate = sources[0].rate
    counts = write_video(parts, sources, paths["video"], chapter_title,
                         fade=round(transition / 2 * rate))
    starts = [float(sum(counts[:i]) / rate) for i in range(len(parts))]
    duration = float(sum(counts) / rate)
    cues = film_cues(parts, starts, duration)
    write_text(paths["srt"], srt.compose(cues))
    write_text(paths["vtt"], vtt_text(cues))
    marks = chapter_marks(parts, starts)
    for problem in mark_problems(marks, duration):
        warnings.warn(f"{paths['chapters']}: {problem}", FilmWarning, stacklevel=2)
    write_text(paths["chapters"], marks_text(marks, duration))
    background = chosen if chosen is not None else middle_frame(parts, counts)
    write_png(paths["thumbnail"], thumbnail(last_frame(parts[0].video), background))
    return Film(duration=duration, starts=starts, **paths)


# -- the parts -----------------------------------------------------------------------------

def probe(path: Path) -> Source:
    """The size, frame rate and audio of the video at ``path``, checked by decoding its first
    frame. Raises FilmError naming ``path`` if it is missing or cannot be decoded."""
    if not Path(path).is_file():
        raise FilmError(f"{path}: no such video (render the scene first)")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise FilmError(f"{path}: not a readable video (it has no video stream)")
            stream = container.streams.video[0]
            rate = stream.guessed_rate or stream.average_rate  # constant: both the same
            first = next(container.decode(stream), None)
            if first is None or not rate:
                raise FilmError(f"{path}: not a readable video (no frames)")
            return Source(first.width, first.height, Fraction(rate),
                          bool(container.streams.audio))
    except av.FFmpegError as e:
        raise FilmError(f"{path}: not a readable video ({e})") from None


def check_alike(parts: list[FilmPart], sources: list[Source]) -> None:
    """Raise FilmError naming the first part whose size or frame rate differs from the
    first part's."""
    first, model = parts[0].video, sources[0]
    for part, source in zip(parts, sources):
        if (source.width, source.height) != (model.width, model.height):
            raise FilmError(f"{part.video}: {source.width}x{source.height} does not match the "
                            f"{model.width}x{model.height} of {first}")
        if source.rate != model.rate:
            raise FilmError(f"{part.video}: {float(source.rate):g} fps does not match the "
                            f"{float(model.rate):g} fps of {first}")


def video_frames(path: Path) -> Iterator[av.VideoFrame]:
    """The frames of the video at ``path``, in order, as yuv420p. Raises FilmError naming
    ``path`` if decoding fails part way."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                yield frame if frame.format.name == "yuv420p" else frame.reformat(format="yuv420p")
    except av.FFmpegError as e:
        raise FilmError(f"{path}: not a readable video ({e})") from None


def audio_samples(path: Path, has_audio: bool, count: int) -> np.ndarray:
    """The first ``count`` samples of the audio of ``path`` as 48 kHz stereo float32,
    shape (2, count): silence where it has no audio or its audio ends early."""
    samples = np.zeros((2, count), np.float32)
    if not has_audio:
        return samples
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
    chunks, held = [], 0
    try:
        with av.open(str(path)) as container:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
                    held += out.samples
                if held >= count:
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except av.FFmpegError as e:
        raise FilmError(f"{path}: unreadable audio ({e})") from None
    if chunks:
        audio = np.concatenate(chunks, axis=1)[:, :count]
        samples[:, :audio.shape[1]] = audio
    return samples


def film_gain(parts: list[FilmPart], sources: list[Source]) -> float:
    """The gain that makes the whole film's sound -16 LUFS (BS.1770, gated: the silences
    between lines do not count). Each scene's voice was made that loud already, so this only
    evens out what the parts' joins and rounding leave (1.0 for a silent film)."""
    powers = []
    for part, source in zip(parts, sources):
        if source.has_audio:
            length = round(_audio_seconds(part.video) * AUDIO_RATE)
            powers.append(sound.block_powers(audio_samples(part.video, True, length), AUDIO_RATE))
    loudness = sound.gated_loudness(np.concatenate(powers)) if powers else -math.inf
    if not math.isfinite(loudness):
        return 1.0
    return float(10 ** ((sound.TARGET_LUFS - loudness) / 20))


def _audio_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        if stream.duration is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / 1e6


# -- the dip through black -----------------------------------------------------------------

def gains(index: int, count: float, fade: int) -> float:
    """The brightness of frame ``index`` of a part of ``count`` frames that fades in over its
    first ``fade`` frames (the first one black) and out over its last (the last one black)."""
    if fade <= 0:
        return 1.0
    return min(1.0, index / fade, (count - 1 - index) / fade)


def dimmed(frame: av.VideoFrame, gain: float) -> av.VideoFrame:
    """``frame`` (yuv420p) faded towards black: ``gain`` 1 leaves it, 0 makes it black."""
    if gain >= 1:
        return frame
    planes = frame.to_ndarray().astype(np.float32)  # Y rows, then the U and V rows
    height = frame.height
    planes[:height] = _BLACK[0] + (planes[:height] - _BLACK[0]) * gain
    planes[height:] = _BLACK[1] + (planes[height:] - _BLACK[1]) * gain
    return av.VideoFrame.from_ndarray(np.clip(np.rint(planes), 0, 255).astype(np.uint8),
                                      format="yuv420p")


def faded(frames: Iterator[av.VideoFrame], fade: int) -> Iterator[av.VideoFrame]:
    """``frames`` faded in from black over the first ``fade`` and out over the last ``fade``.
    The last frames are held back until the part ends, so its length need not be known."""
    held: deque[av.VideoFrame] = deque()
    index = 0
    for frame in frames:
        held.append(frame)
        if len(held) > fade:
            yield dimmed(held.popleft(), gains(index, math.inf, fade))
            index += 1
    count = index + len(held)
    for frame in held:
        yield dimmed(frame, gains(index, count, fade))
        index += 1


def ramped(samples: np.ndarray, fade: int) -> np.ndarray:
    """``samples`` (2, n) faded in over the first ``fade`` samples and out over the last, as
    the picture is: no click at a cut."""
    count = samples.shape[1]
    if fade <= 0 or count == 0:
        return samples
    index = np.arange(count)
    ramp = np.minimum(1.0, np.minimum(index, count - 1 - index) / fade)
    return samples * ramp.astype(np.float32)


# -- writing the video ---------------------------------------------------------------------

@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; on success it replaces ``path`` in one step,
    on error it is removed."""
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def add_video_stream(container, source: Source):
    """An H.264 yuv420p stream at ``source``'s size and constant frame rate."""
    stream = container.add_stream("libx264", rate=source.rate,
                                  options={"preset": PRESET, "crf": CRF})
    stream.width, stream.height = source.width, source.height
    stream.pix_fmt = "yuv420p"
    stream.codec_context.time_base = 1 / source.rate
    stream.thread_type = "AUTO"
    return stream


def add_audio_stream(container):
    """A 48 kHz stereo AAC stream."""
    stream = container.add_stream("aac", rate=AUDIO_RATE)
    stream.layout = "stereo"
    stream.format = "fltp"
    return stream


def write_audio(container, stream, fifo: av.AudioFifo, samples: np.ndarray | None,
                first: int = 0) -> None:
    """Queue ``samples`` (2, n), which start at sample ``first`` of the film, and encode what
    fills whole AAC frames of 1024 samples; with ``samples`` None, encode the rest."""
    if samples is not None:
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format="fltp",
                                           layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts = first
        frame.time_base = Fraction(1, AUDIO_RATE)
        fifo.write(frame)
    while fifo.samples >= AUDIO_FRAME or (samples is None and fifo.samples):
        container.mux(stream.encode(fifo.read(min(AUDIO_FRAME, fifo.samples))))
    if samples is None:
        container.mux(stream.encode(None))


def write_video(parts: list[FilmPart], sources: list[Source], path: Path, title: str, *,
                fade: int) -> list[int]:
    """Decode every part, dip through black at its ends (``fade`` frames each side), and
    encode them one after another into ``path``: H.264, yuv420p, constant frame rate,
    faststart, with AAC audio if any part has audio. Returns each part's frame count."""
    rate = sources[0].rate
    with_audio = any(source.has_audio for source in sources)
    gain = film_gain(parts, sources) if with_audio else 1.0
    counts: list[int] = []
    options = {"movflags": "+faststart",
               "max_interleave_delta": "0"}  # wait for a part's audio to interleave it finely
    with replacing(path) as tmp:
        with av.open(str(tmp), "w", format="mp4", container_options=options) as container:
            container.metadata["title"] = title
            video = add_video_stream(container, sources[0])
            audio = add_audio_stream(container) if with_audio else None
            fifo = av.AudioFifo()
            for part, source in zip(parts, sources):
                first = sum(counts)
                count = 0
                for frame in faded(video_frames(part.video), fade):
                    frame.pts = first + count
                    frame.time_base = 1 / rate
                    frame.pict_type = av.video.frame.PictureType.NONE  # let x264 choose
                    container.mux(video.encode(frame))
                    count += 1
                if count == 0:
                    raise FilmError(f"{part.video}: not a readable video (no frames)")
                counts.append(count)
                if audio is not None:
                    begin, end = (round(n * AUDIO_RATE / rate) for n in (first, first + count))
                    samples = audio_samples(part.video, source.has_audio, end - begin)
                    if gain != 1.0:
                        samples = sound.limit(samples * gain, AUDIO_RATE)
                    write_audio(container, audio, fifo,
                                ramped(samples, round(fade * AUDIO_RATE / rate)), begin)
            container.mux(video.encode(None))
            if audio is not None:
                write_audio(container, audio, fifo, None)
    return counts


# -- subtitles -----------------------------------------------------------------------------

def read_cues(path: Path | None) -> list[srt.Subtitle]:
    """The cues of the .srt file at ``path``, in order of start (none for None or a missing
    file). Raises FilmError naming ``path`` if it cannot be parsed."""
    if path is None or not Path(path).is_file():
        return []
    try:
        return sorted(srt.parse(Path(path).read_text(encoding="utf-8")), key=lambda c: c.start)
    except (srt.SRTParseError, UnicodeDecodeError, ValueError) as e:
        raise FilmError(f"{path}: not a readable .srt file ({e})") from None


def film_cues(parts: list[FilmPart], starts: list[float], duration: float) -> list[srt.Subtitle]:
    """Every part's cues moved to the film's time line, each clipped to its own part (so to
    the film) and numbered from 1: in order, none overlapping the next part."""
    cues: list[srt.Subtitle] = []
    ends = starts[1:] + [duration]
    for part, start, end in zip(parts, starts, ends):
        offset, stop = timedelta(seconds=start), timedelta(seconds=end)
        for cue in read_cues(part.subtitles):
            begin, finish = cue.start + offset, min(cue.end + offset, stop)
            if begin < finish:
                cues.append(srt.Subtitle(len(cues) + 1, begin, finish, cue.content))
    return cues


def vtt_time(t: timedelta) -> str:
    """``t`` as WebVTT writes it, ``HH:MM:SS.mmm`` (milliseconds floored, as in the .srt)."""
    ms = t // timedelta(milliseconds=1)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


_TAG = re.compile(r"(</?[biu]>)")  # the formatting tags .srt and WebVTT share


def vtt_cue_text(content: str) -> str:
    """``content`` as WebVTT cue text: the same text, with ``&``, ``<`` and ``>`` escaped
    (outside <b>, <i>, <u> tags) and no blank lines, which would end the cue."""
    pieces = _TAG.split(content)
    text = "".join(p if _TAG.fullmatch(p) else html.escape(p, quote=False) for p in pieces)
    return "\n".join(line for line in text.splitlines() if line.strip())


def vtt_text(cues: list[srt.Subtitle]) -> str:
    """WebVTT of ``cues``: the ``WEBVTT`` header, then each cue's number, its
    ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` times and its text."""
    blocks = ["WEBVTT"] + [f"{c.index}\n{vtt_time(c.start)} --> {vtt_time(c.end)}\n"
                           f"{vtt_cue_text(c.content)}" for c in cues]
    return "\n\n".join(blocks) + "\n"


# -- chapter marks -------------------------------------------------------------------------

def chapter_marks(parts: list[FilmPart], starts: list[float]) -> list[tuple[int, str]]:
    """YouTube chapter marks, (second, title): one per scene, floored to seconds. The title
    card has none of its own (YouTube wants the first mark at 0:00 and every chapter 10 s or
    longer, and the card is short): the first scene's mark is at 0:00 and covers the card."""
    if len(parts) == 1:
        return [(0, parts[0].mark)]
    return [(0, parts[1].mark)] + [(math.floor(start), part.mark)
                                   for part, start in zip(parts[2:], starts[2:])]


def mark_problems(marks: list[tuple[int, str]], duration: float) -> list[str]:
    """Why YouTube would ignore ``marks`` in a film of ``duration`` seconds: a chapter under
    10 s, or fewer than three chapters. Empty if it would take them."""
    problems = []
    ends = [second for second, _ in marks[1:]] + [duration]
    for (second, title), end in zip(marks, ends):
        if end - second < MIN_CHAPTER_SECONDS:
            problems.append(f"chapter {title!r} at {mark_time(second, duration)} lasts "
                            f"{end - second:.1f} s, under YouTube's {MIN_CHAPTER_SECONDS} s")
    if len(marks) < MIN_CHAPTERS:
        problems.append(f"{len(marks)} chapter(s), under YouTube's {MIN_CHAPTERS}")
    return problems


def mark_time(second: int, duration: float) -> str:
    """``second`` as a YouTube mark: ``MM:SS``, or ``H:MM:SS`` in a film an hour or longer."""
    if duration >= 3600:
        return f"{second // 3600}:{second // 60 % 60:02d}:{second % 60:02d}"
    return f"{second // 60:02d}:{second % 60:02d}"


def marks_text(marks: list[tuple[int, str]], duration: float) -> str:
    """The .chapters.txt file: one ``MM:SS Title`` line per mark."""
    return "".join(f"{mark_time(second, duration)} {title}\n" for second, title in marks)


# -- the thumbnail -------------------------------------------------------------------------

def last_frame(path: Path) -> Image.Image:
    """The last frame of the video at ``path``, as an RGB image."""
    last = deque(video_frames(path), maxlen=1)
    if not last:
        raise FilmError(f"{path}: not a readable video (no frames)")
    return last[0].to_image()


def nth_frame(path: Path, index: int) -> Image.Image:
    """Frame ``index`` of the video at ``path`` (its last if it is shorter), as RGB."""
    frame = deque(islice(video_frames(path), index + 1), maxlen=1)
    if not frame:
        raise FilmError(f"{path}: not a readable video (no frames)")
    return frame[0].to_image()


def middle_frame(parts: list[FilmPart], counts: list[int]) -> Image.Image:
    """The middle frame of the longest scene (of the title card if there is no scene)."""
    longest = max(range(1, len(parts)), key=lambda i: counts[i], default=0)
    return nth_frame(parts[longest].video, counts[longest] // 2)


def still(path: Path) -> Image.Image:
    """The image at ``path`` (a PNG), loaded as RGB. Raises FilmError naming ``path`` if it
    cannot be read."""
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except OSError as e:
        raise FilmError(f"{path}: not a readable image ({e})") from None


def thumbnail(title: Image.Image, background: Image.Image) -> Image.Image:
    """A 1280x720 thumbnail: the light pixels of ``title`` (text drawn on black) over
    ``background`` blurred and dimmed to 30 %, both scaled (and cropped) to 16:9."""
    title = ImageOps.fit(title.convert("RGB"), THUMBNAIL_SIZE, Image.LANCZOS)
    back = ImageOps.fit(background.convert("RGB"), THUMBNAIL_SIZE, Image.LANCZOS)
    back = back.filter(ImageFilter.GaussianBlur(radius=THUMBNAIL_BLUR))
    return ImageChops.lighter(ImageEnhance.Brightness(back).enhance(THUMBNAIL_DIM), title)


# -- files ---------------------------------------------------------------------------------

def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, atomically."""
    with atomic_write(path) as f:
        f.write(text.encode("utf-8"))


def write_png(path: Path, image: Image.Image) -> None:
    """Write ``image`` to ``path`` as a PNG, atomically."""
    with atomic_write(path) as f:
        image.save(f, format="PNG")
