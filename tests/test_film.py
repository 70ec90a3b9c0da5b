"""Chapter films: parts joined with PyAV into one browser-ready video whose length, frames,
subtitles and chapter marks follow the parts exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")
srt = pytest.importorskip("srt")

from production.film import FilmError, FilmPart, build_film, chapter_marks  # noqa: E402

RATE = 15
SIZE = (160, 96)


def write_clip(path: Path, frames: int, level: int, size=SIZE, rate=RATE) -> Path:
    """A clip of ``frames`` frames: a grey square of brightness ``level`` on black."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            array = np.zeros((size[1], size[0], 3), np.uint8)
            array[20:70, 40:120] = level
            frame = av.VideoFrame.from_ndarray(array, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def write_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    from datetime import timedelta

    path.write_text(srt.compose([srt.Subtitle(i + 1, timedelta(seconds=a), timedelta(seconds=b), t)
                                 for i, (a, b, t) in enumerate(cues)]))
    return path


def decode(path: Path) -> tuple[np.ndarray, list[int]]:
    with av.open(str(path)) as c:
        frames = list(c.decode(video=0))
    return np.stack([f.to_ndarray(format="rgb24") for f in frames]), [f.pts for f in frames]


@pytest.fixture(scope="module")
def film(tmp_path_factory):
    d = tmp_path_factory.mktemp("film")
    lengths = [30, 180, 165]  # 2 s card, 12 s and 11 s scenes at 15 fps
    parts = []
    for n, (frames, level) in enumerate(zip(lengths, (200, 120, 250))):
        cues = [(0, frames / RATE / 2, f"part {n} first"), (frames / RATE / 2, frames / RATE, f"part {n} second")]
        parts.append(FilmPart(write_clip(d / f"p{n}.mp4", frames, level),
                              write_srt(d / f"p{n}.srt", cues), ["Card", "Scene one", "Scene two"][n]))
    made = build_film(parts, d / "out" / "chapter9", "Chapter 9: test")
    return parts, lengths, made


def test_film_lasts_the_sum_of_its_parts_at_a_constant_rate(film):
    parts, lengths, made = film
    frames, pts = decode(made.video)
    assert len(frames) == sum(lengths)
    assert made.duration == pytest.approx(sum(lengths) / RATE, abs=1 / RATE)
    assert made.starts == pytest.approx([0, 30 / RATE, 210 / RATE])
    assert len(set(np.diff(pts))) == 1, "constant frame rate"
    with av.open(str(made.video)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        assert float(s.duration * s.time_base) == pytest.approx(made.duration, abs=1 / RATE)


def test_film_is_faststart(film):
    data = film[2].video.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "moov before mdat: plays while loading"


def test_middle_frames_are_unchanged_and_boundaries_dip_to_black(film):
    parts, lengths, made = film
    frames, _ = decode(made.video)
    for part, start, length in zip(parts, (0, 30, 210), lengths):
        source, _ = decode(part.video)
        middle = length // 2
        assert np.abs(frames[start + middle].astype(int) - source[middle].astype(int)).mean() < 3
        assert frames[start].mean() < source[0].mean() * 0.5, "fades in from black"
        assert frames[start + length - 1].mean() < source[-1].mean() * 0.5, "fades out to black"


def test_subtitles_follow_the_film(film):
    parts, lengths, made = film
    cues = list(srt.parse(made.srt.read_text()))
    assert [c.content for c in cues] == [f"part {n} {w}" for n in range(3) for w in ("first", "second")]
    starts = [0, 30 / RATE, 210 / RATE]
    for n, part in enumerate(parts):
        for source, cue in zip(srt.parse(part.subtitles.read_text()), cues[2 * n:2 * n + 2]):
            assert cue.start.total_seconds() == pytest.approx(source.start.total_seconds() + starts[n], abs=1e-3)
    times = [(c.start.total_seconds(), c.end.total_seconds()) for c in cues]
    assert all(a < b <= made.duration + 1e-6 for a, b in times)
    assert all(b1 <= a2 + 1e-6 for (_, b1), (a2, _) in zip(times, times[1:])), "monotone"
    vtt = made.vtt.read_text().rstrip("\n").split("\n\n")
    assert vtt[0] == "WEBVTT"
    assert [block.split("\n", 1)[1] for block in vtt[1:]] == [c.content for c in cues]
    first = vtt[2].split("\n")[0]
    assert first == "00:00:01.000 --> 00:00:02.000"  # part 0's second cue, 1–2 s


def test_chapter_marks_start_at_zero_one_per_scene(film):
    _, _, made = film
    assert made.chapters.read_text() == "00:00 Scene one\n00:14 Scene two\n"
    long = chapter_marks([FilmPart(Path("a"), None, "Card"), FilmPart(Path("b"), None, "One"),
                          FilmPart(Path("c"), None, "Two")], [0, 5, 3700], 4000)
    assert long == "0:00:00 One\n1:01:40 Two\n"
    with pytest.warns(UserWarning, match="under YouTube's 10 s"):
        chapter_marks([FilmPart(Path("a"), None, "Card"), FilmPart(Path("b"), None, "One"),
                       FilmPart(Path("c"), None, "Two")], [0, 2, 5], 30)


def test_thumbnail_is_1280_by_720_with_the_title_over_a_frame(film):
    from PIL import Image

    parts, _, made = film
    image = np.asarray(Image.open(made.thumbnail).convert("L"), dtype=float)
    assert image.shape == (720, 1280)
    square = image[int(720 * 25 / 96):int(720 * 65 / 96), int(1280 * 45 / 160):int(1280 * 115 / 160)]
    assert square.mean() > 150, "the title card's light pixels are drawn over the frame"
    assert 0 < image[:100, :100].mean() + 1 and image.std() > 10


def test_mismatched_parts_are_refused_with_the_file_named(tmp_path):
    a = write_clip(tmp_path / "a.mp4", 10, 100)
    b = write_clip(tmp_path / "b.mp4", 10, 100, size=(128, 96))
    c = write_clip(tmp_path / "c.mp4", 10, 100, rate=30)
    with pytest.raises(FilmError, match=r"b\.mp4: 128x96 does not match the 160x96"):
        build_film([FilmPart(a, None, "A"), FilmPart(b, None, "B")], tmp_path / "x", "x")
    with pytest.raises(FilmError, match=r"c\.mp4: 30 fps does not match the 15 fps"):
        build_film([FilmPart(a, None, "A"), FilmPart(c, None, "C")], tmp_path / "y", "y")
    with pytest.raises(FilmError, match=r"missing\.mp4: no such video"):
        build_film([FilmPart(a, None, "A"), FilmPart(tmp_path / "missing.mp4", None, "M")],
                   tmp_path / "z", "z")
    (tmp_path / "junk.mp4").write_bytes(b"not a video")
    with pytest.raises(FilmError, match=r"junk\.mp4: not a readable video"):
        build_film([FilmPart(a, None, "A"), FilmPart(tmp_path / "junk.mp4", None, "J")],
                   tmp_path / "w", "w")
    assert not list(tmp_path.glob("*.mp4.part")) and not (tmp_path / "x.mp4").exists()
