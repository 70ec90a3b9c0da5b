"""The render command: parallel renders equal serial ones, unchanged scenes are skipped, a
failing scene leaves the others (and its own earlier output) in place, errors are one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from production.catalogue import Quality, SceneEntry, load_catalogue, select, video_path
from production.fingerprint import scene_fingerprint, source_files
from production.render import plan, render_scenes, video_duration

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["-q", "low", "--resolution", "256x144"]
TWO_SCENES = ["--scene", "Chapter1Title", "--scene", "LayersOfTheNetwork"]
SETUP_CACHE = os.environ.get("NN_EXPLAINED_CACHE")  # where setup put reveal.js, before the
# tests' private cache folders replace it


@pytest.fixture(scope="module")
def render_env(tmp_path_factory):
    """The environment of the command as a user runs it, with a cache of its own (shared by
    this module's runs, so the network is trained once) and no download attempts."""
    env = dict(os.environ)
    env["NN_EXPLAINED_CACHE"] = str(tmp_path_factory.mktemp("render-cache"))
    env["NN_EXPLAINED_OFFLINE"] = "1"
    return env


def run_render(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "production", "render", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    return result


def last_json(result) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


def frames(path: Path) -> np.ndarray:
    import av

    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


@pytest.fixture(scope="module")
def parallel_run(render_env, tmp_path_factory):
    media = tmp_path_factory.mktemp("media-parallel")
    result = run_render(render_env, *TWO_SCENES, *SMALL, "--jobs", "2",
                        "--media-dir", str(media), "--json")
    return media, last_json(result)


def test_parallel_render_writes_real_videos(parallel_run):
    media, report = parallel_run
    assert [s["scene"] for s in report["scenes"]] == ["Chapter1Title", "LayersOfTheNetwork"]
    quality = Quality("low", resolution=(256, 144))
    for row in report["scenes"]:
        assert row["status"] == "rendered", row
        entry = SceneEntry("scenes/titles.py" if row["scene"].endswith("Title")
                           else "scenes/chapter1.py", row["scene"], "", 1)
        video = video_path(media, entry, quality)
        assert video.parent.name == "144p15"
        assert abs(video_duration(video) - row["video_length"]) < 1e-6
        assert row["real_time_factor"] == pytest.approx(row["render_time"] / row["video_length"])
        # a manim process holds well over 50 MiB (Python, NumPy, Cairo, the scene)
        assert 50 * 2**20 < row["peak_memory"] < 8 * 2**30, row["peak_memory"]
        assert frames(video).shape[1:] == (144, 256, 3)
        assert video.with_suffix(".srt").read_text().strip()
        assert Path(row["log"]).is_file()
        # the render command's default voice: spoken, the sound as long as the picture
        import av
        with av.open(str(video)) as container:
            sound, picture = container.streams.audio[0], container.streams.video[0]
            assert (sound.codec_context.name, sound.rate) == ("aac", 48_000)
            assert float(sound.duration * sound.time_base) == pytest.approx(
                float(picture.duration * picture.time_base), abs=1 / 15)
    assert not list(media.glob(".render-*")), "temporary render folders are removed"


def test_jobs_two_gives_the_frames_of_jobs_one(parallel_run, render_env, tmp_path):
    media, _ = parallel_run
    run_render(render_env, *TWO_SCENES, *SMALL, "--jobs", "1", "--no-film", "--no-deck",
               "--media-dir", str(tmp_path))
    for stem, scene in (("titles", "Chapter1Title"), ("chapter1", "LayersOfTheNetwork")):
        a = frames(media / "videos" / stem / "144p15" / f"{scene}.mp4")
        b = frames(tmp_path / "videos" / stem / "144p15" / f"{scene}.mp4")
        assert a.shape == b.shape
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 2, scene


def test_a_chapter_of_rendered_scenes_becomes_a_film_and_a_deck(parallel_run, monkeypatch):
    """The command's assembly step on a two-part chapter: card + LayersOfTheNetwork."""
    import io

    if SETUP_CACHE:
        monkeypatch.setenv("NN_EXPLAINED_CACHE", SETUP_CACHE)
    else:
        monkeypatch.delenv("NN_EXPLAINED_CACHE")

    import srt
    from rich.console import Console

    from production.catalogue import Chapter
    from production.cli import _assemble
    from production.render import RenderRun, plan

    media, report = parallel_run
    quality = Quality("low", resolution=(256, 144))
    card = SceneEntry("scenes/titles.py", "Chapter1Title", "title", 1)
    scene = SceneEntry("scenes/chapter1.py", "LayersOfTheNetwork", "Layers of the network", 1)
    chapter = Chapter(1, "But what is a neural network?", "chapter1", card, [scene])
    outcomes = plan([card, scene], quality, "any", media, slides=True)
    for o, row in zip(outcomes, report["scenes"]):
        o.status, o.video_length = "rendered", row["video_length"]
    out = io.StringIO()
    problems = _assemble([chapter], RenderRun(outcomes), quality, media, film=True, deck=True,
                         console=Console(file=out))
    assert problems == []
    film = media / "chapters" / "chapter1.mp4"
    parts = sum(row["video_length"] for row in report["scenes"])
    assert abs(video_duration(film) - parts) <= 1 / 15 + 1e-6
    cues = list(srt.parse((media / "chapters" / "chapter1.srt").read_text()))
    beats = list(srt.parse(video_path(media, scene, quality).with_suffix(".srt").read_text()))
    assert [c.content for c in cues] == ["Chapter 1: But what is a neural network?",
                                         *[b.content for b in beats]]
    assert (media / "chapters" / "chapter1.chapters.txt").read_text() == "00:00 Layers of the network\n"
    html = (media / "decks" / "chapter1.html").read_text()
    import re

    assert len(re.findall(r'<aside class="notes" data-markdown(?:="")?>', html)) == 1 + len(beats)
    assert (media / "decks" / "chapter1.pdf").is_file() and (media / "decks" / "chapter1.pptx").is_file()
    again = io.StringIO()
    assert _assemble([chapter], RenderRun(outcomes), quality, media, film=True, deck=True,
                     console=Console(file=again, width=400)) == []
    assert "is up to date" in again.getvalue() and again.getvalue().count("up to date") == 2


def test_unchanged_scenes_are_not_rendered_again(parallel_run, render_env):
    media, _ = parallel_run
    videos = sorted((media / "videos").rglob("*.mp4"))
    before = {p: p.stat().st_mtime_ns for p in videos}
    report = last_json(run_render(render_env, *TWO_SCENES, *SMALL,
                                  "--media-dir", str(media), "--json"))
    assert [s["status"] for s in report["scenes"]] == ["up to date", "up to date"]
    assert {p: p.stat().st_mtime_ns for p in videos} == before
    forced = last_json(run_render(render_env, "--scene", "Chapter1Title", *SMALL,
                                  "--force", "--media-dir", str(media), "--json"))
    assert forced["scenes"][0]["status"] == "rendered"


BROKEN_SCENES = '''
from manim import Circle, Create, Scene


class Fine(Scene):
    def construct(self):
        self.play(Create(Circle()), run_time=0.5)


class Broken(Scene):
    def construct(self):
        self.play(Create(Circle()), run_time=0.5)
        raise ValueError("this scene is broken on purpose")
'''


def test_a_failing_scene_leaves_the_others_and_its_own_earlier_video(tmp_path):
    source = tmp_path / "made_up.py"
    source.write_text(BROKEN_SCENES)
    media = tmp_path / "media"
    quality = Quality("low", resolution=(128, 72))
    fine = SceneEntry(str(source), "Fine", "Fine", 0)
    broken = SceneEntry(str(source), "Broken", "Broken", 0)

    run = render_scenes(plan([broken, fine], quality, "model", media, slides=False), quality,
                        media, jobs=2, slides=False)
    status = {o.entry.scene: o for o in run.outcomes}
    assert status["Fine"].status == "rendered" and video_path(media, fine, quality).is_file()
    assert status["Broken"].status == "failed"
    assert "this scene is broken on purpose" in status["Broken"].error
    assert "this scene is broken on purpose" in status["Broken"].log.read_text()

    # Break the scene that worked: its render fails, and its earlier video stays.
    earlier = video_path(media, fine, quality).read_bytes()
    source.write_text(BROKEN_SCENES.replace("run_time=0.5)\n\n\nclass Broken",
                                            "run_time=0.5)\n        1 / 0\n\n\nclass Broken"))
    again = render_scenes(plan([fine], quality, "model", media, slides=False, force=True),
                          quality, media, jobs=1, slides=False)
    assert again.outcomes[0].status == "failed" and "ZeroDivisionError" in again.outcomes[0].error
    assert video_path(media, fine, quality).read_bytes() == earlier


def test_fingerprint_follows_what_a_scene_depends_on(monkeypatch):
    chapter1 = {p.relative_to(ROOT).as_posix() for p in source_files(ROOT / "scenes/chapter1.py")}
    assert {"scenes/ch1/forward.py", "scenes/mobjects/network.py", "scenes/style.py",
            "network/model.py"} <= chapter1
    assert not any(p.startswith("scenes/ch3/") for p in chapter1)

    entry = SceneEntry("scenes/chapter1.py", "ForwardPass", "Forward pass", 1)
    low, high = Quality("low"), Quality("high")
    base = scene_fingerprint(entry, low, "model-a", slides=True, environ={})
    assert base == scene_fingerprint(entry, low, "model-a", slides=True, environ={})
    others = [scene_fingerprint(entry, high, "model-a", slides=True, environ={}),
              scene_fingerprint(entry, low, "model-b", slides=True, environ={}),
              scene_fingerprint(entry, low, "model-a", slides=False, environ={}),
              scene_fingerprint(entry, low, "model-a", slides=True,
                                environ={"NN_PALETTE": "colorblind"}),
              scene_fingerprint(SceneEntry("scenes/chapter1.py", "SigmoidSquish", "", 1), low,
                                "model-a", slides=True, environ={})]
    assert len({base, *others}) == 6


def test_catalogue_has_every_listed_scene_and_a_title_card_per_chapter():
    chapters = load_catalogue()
    listed = subprocess.run([sys.executable, "-m", "scenes", "list"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    listed = [line.split() for line in listed if line.strip()]
    assert [[s.file, s.scene] for c in chapters for s in c.scenes] == listed
    import scenes.titles as titles

    for chapter in chapters:
        card = getattr(titles, chapter.title_card.scene)
        assert card.number == chapter.number and card.chapter_title == chapter.title
        assert all(s.title and s.title[0].isupper() for s in chapter.scenes)
    entries, whole = select(chapters, [2], ["ForwardPass"])
    assert [c.number for c in whole] == [2]
    assert entries[0].scene == "Chapter2Title" and entries[-1].scene == "ForwardPass"


@pytest.mark.parametrize("args, message", [
    (["--chapter", "99"], "error: no chapter 99: the chapters are 1, 2"),
    (["--scene", "NoSuchScene"], "error: no scene named 'NoSuchScene' (see: python -m scenes list)"),
    (["--jobs", "0"], "error: argument -j/--jobs: must be at least 1, got 0"),
    (["--resolution", "big"], "error: argument --resolution: expected WIDTHxHEIGHT"),
])
def test_bad_arguments_get_one_line(render_env, args, message):
    result = run_render(render_env, *args, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


def test_scenes_render_hands_over_to_the_render_command():
    result = subprocess.run([sys.executable, "-m", "scenes", "render", "--help"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m scenes render")
    for flag in ("--chapter", "--scene", "--quality", "--fps", "--jobs", "--force", "--no-film",
                 "--no-deck"):
        assert flag in result.stdout


def test_scenes_never_import_production():
    from production.fingerprint import _imported_names

    for path in sorted((ROOT / "scenes").rglob("*.py")):
        names = _imported_names(path, ROOT)
        assert not any(n == "production" or n.startswith("production.") for n in names), path


def test_render_benchmark_measures_a_render_and_an_unchanged_rerun(render_env, tmp_path):
    """The benchmark renders from scratch, reports figures that agree with the video it wrote,
    and times the render command finding everything up to date."""
    result = subprocess.run(
        [sys.executable, "benchmarks/render_benchmark.py", "--scene", "Chapter1Title", "-q", "low",
         "--resolution", "256x144", "--jobs", "1", "--media-dir", str(tmp_path / "bench"), "--json"],
        cwd=ROOT, env=render_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    [row] = report["scenes"]
    video = tmp_path / "bench" / "videos" / "titles" / "144p15" / "Chapter1Title.mp4"
    assert row["status"] == "rendered"
    assert row["video_length"] == pytest.approx(video_duration(video), abs=1e-3)
    assert row["real_time_factor"] == pytest.approx(row["render_time"] / row["video_length"], rel=1e-2)
    assert row["peak_memory_mib"] > 50
    total = report["total"]
    assert total["wall_time"] >= row["render_time"] > 0
    assert 0 < total["unchanged_rerun"] < 120
    assert "| Chapter1Title |" in result.stdout  # the Markdown table


def test_the_render_command_reports_takes_and_renders_again_for_a_new_one(render_env, tmp_path):
    """--voice recorded: a stale take is named in the run's report and the synthetic voice says
    the line; the take recorded for the current text replaces it, and renders the scene again."""
    from production.audio import write_wav
    from production.catalogue import narration_path
    from production.voice import take_stem

    media, rec = tmp_path / "media", tmp_path / "rec"
    rec.mkdir()
    card = ["--scene", "Chapter1Title", *SMALL, "--voice", "recorded", "--recordings", str(rec),
            "--media-dir", str(media), "--json"]
    tone = (0.3 * np.sin(2 * np.pi * 330 * np.arange(48_000) / 48_000))[None, :]
    write_wav(rec / (take_stem("Chapter1Title", "title", "an older title") + ".wav"), tone, 48_000)
    [row] = last_json(run_render(render_env, *card))["scenes"]
    [warning] = row["voice_warnings"]
    assert "stale take Chapter1Title-title-" in warning and "older text" in warning
    entry = SceneEntry("scenes/titles.py", "Chapter1Title", "", 1)
    quality = Quality("low", resolution=(256, 144))
    [beat] = json.loads(narration_path(media, entry, quality).read_text())["beats"]
    assert beat["source"] == "tts"
    write_wav(rec / (take_stem("Chapter1Title", "title", beat["spoken"]) + ".wav"), tone, 48_000)
    [row] = last_json(run_render(render_env, *card))["scenes"]
    assert row["status"] == "rendered" and row["voice_warnings"] == []
    [beat] = json.loads(narration_path(media, entry, quality).read_text())["beats"]
    assert beat["source"] == "recorded" and beat["speech"] == pytest.approx(1.0, abs=0.01)
    [row] = last_json(run_render(render_env, *card))["scenes"]
    assert row["status"] == "up to date"
