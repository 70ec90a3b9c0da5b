"""Chapter films: parts joined with PyAV into one browser-ready video whose length, frames,
subtitles and chapter marks follow the parts exactly.

Most clips are made here with PyAV (tiny, fast); one test renders a real tiny manim scene."""

from __future__ import annotations

import html
import subprocess
import sys
import warnings
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")
srt = pytest.importorskip("srt")

from production.audio import TARGET_LUFS, integrated_loudness  # noqa: E402
from production.film import (FilmError, FilmPart, FilmWarning, build_film,  # noqa: E402
                             marks_text, mark_problems)

RATE = 15
SIZE = (160, 96)
TITLE_BOX = (slice(30, 60), slice(40, 120))   # rows, columns of the title card's "text"
SQUARE = (slice(20, 76), slice(30, 130))      # where a scene draws its grey square
FADE = 2                                      # frames: 0.3 s / 2 at 15 fps, rounded


# -- clips made with PyAV ------------------------------------------------------------------

def picture(i: int, level: int, title: bool = False, size=SIZE) -> np.ndarray:
    """Frame ``i`` of a clip: on black, the title card's white box, or a grey square of
    brightness ``level`` with a bar that moves one pixel a frame (so frames differ)."""
    array = np.zeros((size[1], size[0], 3), np.uint8)
    if title:
        array[TITLE_BOX] = 255
    else:
        array[SQUARE] = level
        array[:, 4 + i % (size[0] - 8)] = 255
    return array


def write_clip(path: Path, frames: int, level: int = 120, *, title: bool = False, size=SIZE,
               rate: int = RATE, tone: float | None = None) -> Path:
    """An H.264 clip of ``frames`` frames, as manim writes them; with a ``tone`` (Hz) also a
    mono 44.1 kHz AAC sine of the clip's length, so the film has to resample it."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=rate)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        audio = out.add_stream("aac", rate=44_100) if tone else None
        if audio is not None:
            audio.layout = "mono"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(picture(i, level, title, size), format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if audio is not None:
            n = frames * 44_100 // rate
            wave = (0.5 * np.sin(2 * np.pi * tone * np.arange(n) / 44_100)).astype(np.float32)
            for k in range(0, n, 1024):
                frame = av.AudioFrame.from_ndarray(wave[None, k:k + 1024].copy(), format="fltp",
                                                   layout="mono")
                frame.sample_rate, frame.pts = 44_100, k
                out.mux(audio.encode(frame))
            out.mux(audio.encode(None))
    return path


def write_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    path.write_text(srt.compose([srt.Subtitle(i + 1, timedelta(seconds=a), timedelta(seconds=b), t)
                                 for i, (a, b, t) in enumerate(cues)]), encoding="utf-8")
    return path


def decode(path: Path) -> tuple[np.ndarray, list[int]]:
    """Every frame of ``path`` as RGB, and their pts."""
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
    rgb = np.stack([f.to_ndarray(format="rgb24") for f in frames]).astype(float)
    return rgb, [f.pts for f in frames]


def top_boxes(path: Path) -> list[str]:
    """The types of the MP4's top-level boxes, in file order."""
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, kind = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[at + 8:at + 16], "big")
        boxes.append(kind)
        if size < 8:
            break
        at += size
    return boxes


def parse_vtt(text: str) -> list[tuple[timedelta, timedelta, str]]:
    """The cues of a WebVTT file: (start, end, text), the text unescaped."""
    def time(s: str) -> timedelta:
        h, m, rest = s.split(":")
        sec, ms = rest.split(".")
        return timedelta(hours=int(h), minutes=int(m), seconds=int(sec), milliseconds=int(ms))

    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if "-->" not in lines[0]:
            lines = lines[1:]  # the cue's number
        start, end = lines[0].split(" --> ")
        cues.append((time(start), time(end), html.unescape("\n".join(lines[1:]))))
    return cues


# -- one chapter, joined once for most tests -----------------------------------------------

LENGTHS = [30, 160, 165, 180]                   # frames: a 2 s card, then 10.7, 11, 12 s scenes
MARKS = ["Card", "Scene one", "Scene two", "Scene three"]
CUES = [
    [(0.0, 1.5, "Chapter 9: a test")],
    [(0.0, 4.0, "one, first"), (4.0, 10.0, "x < y & z, <i>shown</i>"),
     (10.0, 15.0, "runs past the scene's end"), (11.0, 12.0, "starts after it: dropped")],
    None,                                       # a scene with no subtitles
    [(1.0, 2.5, "three, first"), (2.5, 11.9, "three, second\nin two lines")],
]


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chapter")
    parts = []
    for n, (frames, mark, cues) in enumerate(zip(LENGTHS, MARKS, CUES)):
        video = write_clip(folder / f"part{n}.mp4", frames, level=60 + 50 * n, title=n == 0)
        subtitles = write_srt(folder / f"part{n}.srt", cues) if cues else None
        parts.append(FilmPart(video, subtitles, mark))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FilmWarning)  # four chapters over 10 s: YouTube takes them
        film = build_film(parts, folder / "chapters" / "chapter9", "Chapter 9: a test")
    starts = list(np.cumsum([0, *LENGTHS[:-1]]) / RATE)
    return parts, starts, film


def test_the_files_are_named_after_the_stem(chapter):
    _, _, film = chapter
    names = sorted(p.name for p in film.video.parent.iterdir())
    assert names == ["chapter9.chapters.txt", "chapter9.mp4", "chapter9.srt",
                     "chapter9.thumbnail.png", "chapter9.vtt"], "and no temporary files left"
    stem = film.video.parent / "chapter9"
    suffixes = [".mp4", ".srt", ".vtt"]
    assert [film.video, film.srt, film.vtt] == [stem.with_suffix(s) for s in suffixes]


def test_film_has_every_frame_of_its_parts_at_a_constant_rate(chapter):
    _, starts, film = chapter
    frames, pts = decode(film.video)
    assert len(frames) == sum(LENGTHS)
    assert film.duration == pytest.approx(sum(LENGTHS) / RATE, abs=1 / RATE)
    assert film.starts == pytest.approx(starts)
    assert len(set(np.diff(pts))) == 1, "constant frame rate"
    with av.open(str(film.video)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        assert stream.average_rate == RATE and (stream.width, stream.height) == SIZE
        assert container.duration / 1e6 == pytest.approx(film.duration, abs=1 / RATE)
        assert not container.streams.audio, "no part has audio: the film has none"
        assert container.metadata.get("title") == "Chapter 9: a test"


def test_film_is_faststart(chapter):
    boxes = top_boxes(chapter[2].video)
    assert boxes[0] == "ftyp" and "moov" in boxes and "mdat" in boxes
    assert boxes.index("moov") < boxes.index("mdat"), "moov first: a browser plays it while loading"


def test_middle_frames_are_unchanged_and_the_parts_dip_through_black(chapter):
    parts, _, film = chapter
    frames, _ = decode(film.video)
    start = 0
    for part, length in zip(parts, LENGTHS):
        source, _ = decode(part.video)
        middle = length // 2
        assert np.abs(frames[start + middle] - source[middle]).mean() < 3
        first, last = frames[start], frames[start + length - 1]
        assert first.mean() < 2 and last.mean() < 2, "black at both ends of every part"
        halfway = frames[start + 1][SQUARE].mean()
        assert 0.3 * source[1][SQUARE].mean() < halfway < 0.7 * source[1][SQUARE].mean()
        assert np.abs(frames[start + FADE] - source[FADE]).mean() < 3, "the fade is over"
        start += length


def test_subtitles_are_the_parts_cues_in_the_films_time_line(chapter):
    parts, starts, film = chapter
    cues = list(srt.parse(film.srt.read_text(encoding="utf-8")))
    expected = []
    for part, start, length in zip(parts, starts, LENGTHS):
        for cue in srt.parse(part.subtitles.read_text()) if part.subtitles else []:
            if cue.start.total_seconds() < length / RATE:
                expected.append((cue, start, length))
    assert [c.content for c in cues] == [source.content for source, _, _ in expected]
    for cue, (source, start, length) in zip(cues, expected):
        shifted = source.start.total_seconds() + start
        assert cue.start.total_seconds() == pytest.approx(shifted, abs=1e-3)
        end = min(source.end.total_seconds(), length / RATE) + start  # clipped to its part
        assert cue.end.total_seconds() == pytest.approx(end, abs=1e-3)
    times = [(c.start.total_seconds(), c.end.total_seconds()) for c in cues]
    assert all(0 <= a < b <= film.duration for a, b in times), "inside the film"
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(times, times[1:])), "monotone"
    assert [c.index for c in cues] == list(range(1, len(cues) + 1))


def test_webvtt_holds_the_same_cues(chapter):
    film = chapter[2]
    text = film.vtt.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    assert "x &lt; y &amp; z, <i>shown</i>" in text, "escaped as WebVTT needs, tags kept"
    cues = list(srt.parse(film.srt.read_text(encoding="utf-8")))
    assert parse_vtt(text) == [(c.start, c.end, c.content) for c in cues]


def test_chapter_marks_start_at_zero_one_per_scene(chapter):
    _, starts, film = chapter
    assert starts[2] == pytest.approx(190 / 15) and starts[3] == pytest.approx(355 / 15)
    assert film.chapters.read_text() == "00:00 Scene one\n00:12 Scene two\n00:23 Scene three\n"


def test_chapter_marks_of_long_films_and_short_chapters():
    marks = [(0, "One"), (3700, "Two"), (3720, "Three")]
    assert marks_text(marks, 3725.0) == "0:00:00 One\n1:01:40 Two\n1:02:00 Three\n"
    assert marks_text([(0, "A"), (75, "B")], 600.0) == "00:00 A\n01:15 B\n"
    problems = mark_problems(marks, 3725.0)
    assert problems == ["chapter 'Three' at 1:02:00 lasts 5.0 s, under YouTube's 10 s"]
    assert mark_problems([(0, "A"), (20, "B")], 40.0) == ["2 chapter(s), under YouTube's 3"]


def test_thumbnail_is_the_title_over_the_dimmed_longest_scene(chapter):
    from PIL import Image

    parts, _, film = chapter
    image = Image.open(film.thumbnail)
    assert image.size == (1280, 720)
    gray = np.asarray(image.convert("L"), dtype=float)
    scale = 720 / SIZE[1]
    title = gray[int(34 * scale):int(56 * scale), int(44 * scale):int(116 * scale)]
    assert title.mean() > 240, "the title card's light pixels over the frame"
    square = gray[int(22 * scale):int(28 * scale), int(32 * scale):int(38 * scale)]
    level = 60 + 50 * 3  # the longest scene is the last, its square this bright
    assert square.mean() == pytest.approx(0.3 * level, abs=8), "dimmed to 30 %"
    assert gray[:int(18 * scale), :int(20 * scale)].mean() < 5, "black stays black"


def test_mismatched_missing_or_broken_parts_are_refused_naming_the_file(tmp_path):
    a = write_clip(tmp_path / "a.mp4", 6, title=True)
    small = write_clip(tmp_path / "small.mp4", 6, size=(128, 96))
    fast = write_clip(tmp_path / "fast.mp4", 6, rate=30)
    (tmp_path / "junk.mp4").write_bytes(b"not a video at all")
    cases = [(small, r"small\.mp4: 128x96 does not match the 160x96 of .*a\.mp4"),
             (fast, r"fast\.mp4: 30 fps does not match the 15 fps of .*a\.mp4"),
             (tmp_path / "missing.mp4", r"missing\.mp4: no such video"),
             (tmp_path / "junk.mp4", r"junk\.mp4: not a readable video")]
    for bad, message in cases:
        with pytest.raises(FilmError, match=message) as raised:
            build_film([FilmPart(a, None, "A"), FilmPart(bad, None, "B")],
                       tmp_path / "out" / "x", "x")
        assert "\n" not in str(raised.value)
        assert isinstance(raised.value, ValueError)
    out = tmp_path / "out"
    assert not out.exists() or not list(out.iterdir()), "nothing written"


def test_audio_is_resampled_padded_and_kept_in_the_time_line(tmp_path):
    from PIL import Image

    parts = [FilmPart(write_clip(tmp_path / "card.mp4", 15, title=True), None, "Card"),  # silent
             FilmPart(write_clip(tmp_path / "a.mp4", 30, tone=440.0), None, "A"),
             FilmPart(write_clip(tmp_path / "b.mp4", 23, tone=880.0), None, "B")]
    frame = tmp_path / "frame.png"
    Image.fromarray(np.full((300, 400, 3), 200, np.uint8)).save(frame)  # not 16:9: cropped
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        film = build_film(parts, tmp_path / "chapter9", "x", thumbnail_frame=frame)
    assert [str(w.message).split(": ", 1)[1] for w in caught if w.category is FilmWarning] == [
        "chapter 'A' at 00:00 lasts 3.0 s, under YouTube's 10 s",
        "chapter 'B' at 00:03 lasts 1.5 s, under YouTube's 10 s",
        "2 chapter(s), under YouTube's 3"]
    assert all(Path(str(w.message).split(": ")[0]) == film.chapters for w in caught)
    with av.open(str(film.video)) as container:
        stream = container.streams.audio[0]
        kind = (stream.codec_context.name, stream.rate, stream.layout.name)
        assert kind == ("aac", 48_000, "stereo")
        samples = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    assert samples.shape[0] == 2
    assert samples.shape[1] == pytest.approx(film.duration * 48_000, abs=1024)
    ends = [*film.starts[1:], film.duration]
    for (start, end), tone in zip(zip(film.starts, ends), (None, 440.0, 880.0)):
        inner = samples[0, int((start + 0.2) * 48_000):int((end - 0.2) * 48_000)]
        if tone is None:
            assert np.abs(inner).max() < 1e-3, "silence where a part has no audio"
        else:
            peak = np.argmax(np.abs(np.fft.rfft(inner))) * 48_000 / len(inner)
            assert peak == pytest.approx(tone, abs=5)
            assert np.sqrt(np.mean(inner ** 2)) > 0.05, "the part's sound is there"
    # no click where one part's tone meets the next's: both fade to nothing at the join (a
    # cut would jump by up to the tones' amplitude, about 0.1 here)
    for join in film.starts[1:]:
        at = round(join * 48_000)
        assert np.abs(np.diff(samples[:, at - 240:at + 240], axis=1)).max() < 0.005
    # the whole film made -16 LUFS loud (the tones were -6 LUFS), peaks below full scale
    assert integrated_loudness(samples, 48_000) == pytest.approx(TARGET_LUFS, abs=0.5)
    assert np.abs(samples).max() < 1.0
    thumb = np.asarray(Image.open(film.thumbnail).convert("L"), dtype=float)
    assert thumb.shape == (720, 1280)
    assert thumb[:100, :100].mean() == pytest.approx(0.3 * 200, abs=3), "the given frame, dimmed"


SCENE = '''
from manim import Circle, Create, Scene, Square


class Tiny(Scene):
    def construct(self):
        self.play(Create(Square()), subcaption="a square", subcaption_duration=0.6, run_time=0.6)
        self.play(Create(Circle()), subcaption="a circle", subcaption_duration=0.6, run_time=0.6)
'''


def test_a_real_manim_clip_joins(tmp_path):
    (tmp_path / "tiny.py").write_text(SCENE)
    subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-r", "320,180", "--fps", "15",
                    "--media_dir", str(tmp_path / "media"), "--disable_caching",
                    "--progress_bar", "none", "-v", "WARNING", "tiny.py", "Tiny"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=120)
    video = next(p for p in (tmp_path / "media").rglob("Tiny.mp4") if "partial" not in str(p))
    part = FilmPart(video, video.with_suffix(".srt"), "Tiny")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FilmWarning)  # a 1 s film: too short for YouTube's marks
        film = build_film([part, part], tmp_path / "out" / "tiny", "Tiny")
    source, _ = decode(video)
    frames, pts = decode(film.video)
    assert len(frames) == 2 * len(source) and len(set(np.diff(pts))) == 1
    assert np.abs(frames[len(source) + len(source) // 2] - source[len(source) // 2]).mean() < 3
    cues = list(srt.parse(film.srt.read_text()))
    half = len(source) / 15
    assert [c.content for c in cues] == ["a square", "a circle"] * 2
    assert cues[2].start.total_seconds() == pytest.approx(half, abs=1e-3)
    assert cues[3].start.total_seconds() == pytest.approx(half + 0.6, abs=1 / 15)
