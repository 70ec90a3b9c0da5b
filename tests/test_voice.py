"""The films' voice (issue 12): loudness as BS.1770 measures it, the offline voice and its
cache, the creator's takes (used, trimmed, or reported missing, silent or stale), the voice
program the scenes talk to, a real scene rendered with a voice (speech at each subtitle's
start, beats as long as their speech, sound as long as the picture, -16 LUFS), and a film whose
sound has no click at the joins."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")
srt = pytest.importorskip("srt")

from production import audio  # noqa: E402
from production.voice import (PiperEngine, Voice, VoiceChoice, take_stem, text_id,  # noqa: E402
                              warnings_in)
from scenes.narration import speakable, unspeakable  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RATE = audio.RATE


def tone(seconds: float, hz: float = 440.0, level: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t))[None, :].astype(np.float32)


def decoded_audio(path: Path) -> tuple[np.ndarray, float, float]:
    """The sound of a video as (2, n) float at 48 kHz, its stream's duration and the video's."""
    with av.open(str(path)) as c:
        a, v = c.streams.audio[0], c.streams.video[0]
        durations = float(a.duration * a.time_base), float(v.duration * v.time_base)
        samples = np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1)
    return samples, *durations


# -- loudness -----------------------------------------------------------------------------------

def test_k_weighting_at_48_khz_is_the_standards():
    (b1, a1), (b2, a2) = audio.k_weighting(48_000)
    # ITU-R BS.1770-4, tables 1 and 2
    assert np.allclose(b1, [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-9)
    assert np.allclose(a1, [1.0, -1.69065929318241, 0.73248077421585], atol=1e-9)
    assert np.allclose(b2, [1.0, -2.0, 1.0]) and np.allclose(a2, [1.0, -1.99004745483398,
                                                                   0.99007225036621], atol=1e-9)


def test_loudness_of_a_reference_tone():
    # EBU Tech 3341: a 997 Hz sine at -20 dBFS on one channel reads -23 LUFS (on both, -20)
    sine = tone(10, 997, 10 ** (-20 / 20))
    assert audio.integrated_loudness(sine, RATE) == pytest.approx(-23.0, abs=0.05)
    assert audio.integrated_loudness(np.vstack([sine, sine]), RATE) == pytest.approx(-20.0, abs=0.05)
    assert audio.integrated_loudness(sine, RATE, stereo=True) == pytest.approx(-20.0, abs=0.05)
    # the gate: silence around the tone does not count (the few blocks straddling its edges
    # do, as BS.1770 says: 0.14 LU quieter here), while ungated it would read 4 LU quieter
    padded = np.concatenate([np.zeros((1, RATE * 10), np.float32), sine, np.zeros((1, RATE * 5))], axis=1)
    assert audio.integrated_loudness(padded, RATE) == pytest.approx(-23.0, abs=0.2)
    assert audio.integrated_loudness(np.zeros((2, RATE)), RATE) == -math.inf


def test_normalise_reaches_the_target_without_a_peak_over_the_ceiling():
    rng = np.random.default_rng(0)
    # speech-like: bursts of noise with sharp peaks, quiet gaps between them
    bursts = rng.normal(0, 0.05, (1, RATE * 6)) * (np.sin(np.arange(RATE * 6) / RATE * 9) > 0)
    bursts[0, ::4801] = 0.9
    out = audio.normalise(bursts, RATE, stereo=True)
    assert audio.integrated_loudness(out, RATE, stereo=True) == pytest.approx(audio.TARGET_LUFS, abs=0.1)
    assert audio.peak_db(out) <= audio.CEILING_DB + 1e-3


def test_trim_silence_keeps_the_sound_and_a_little_either_side():
    x = np.concatenate([np.zeros((1, RATE)), tone(2.0), np.zeros((1, RATE // 2))], axis=1)
    x += np.random.default_rng(1).normal(0, 1e-4, x.shape)  # a room's hiss
    trimmed = audio.trim_silence(x, RATE)
    assert trimmed.shape[1] / RATE == pytest.approx(2.0 + 2 * 0.02, abs=0.015)
    assert audio.trim_silence(np.zeros((1, RATE)), RATE).shape[1] == 0


# -- narration a voice can say ------------------------------------------------------------------

def test_speakable_writes_notation_out():
    said = speakable("σ(w·a + b) ≈ 0.5 — about 96.2% right, Δw → 0")
    assert unspeakable(said) == ""
    assert "sigma" in said and "about 0.5" in said and "96.2 percent" in said and "delta" in said


# -- the voice ----------------------------------------------------------------------------------

class CountingEngine(PiperEngine):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def synthesize(self, text):
        self.calls += 1
        return super().synthesize(text)


def test_synthetic_speech_is_made_once_and_prepared(tmp_path):
    pytest.importorskip("piper")
    engine = CountingEngine()
    voice = Voice("tts", tmp_path, engine=engine)
    first = voice.speak("Scene", "beat", "It answers 7, at 0.99.")
    again = Voice("tts", tmp_path, engine=engine).speak("Scene", "beat", "It answers 7, at 0.99.")
    assert engine.calls == 1, "the second request came from the cache"
    assert (again.file, again.duration) == (first.file, first.duration)
    samples, rate = audio.read_audio(Path(first.file))
    assert rate == RATE and samples.shape[0] == 1
    assert first.duration == pytest.approx(samples.shape[1] / RATE)
    assert 1.0 < first.duration < 5.0
    assert audio.integrated_loudness(samples, RATE, stereo=True) == pytest.approx(-16, abs=0.3)
    assert audio.peak_db(samples) <= audio.CEILING_DB + 0.01
    other = voice.speak("Scene", "beat", "It answers 1, at 0.42.")
    assert engine.calls == 2 and other.file != first.file
    # the same text says the same thing: a fresh cache makes the same sound
    fresh = Voice("tts", tmp_path / "elsewhere").speak("Scene", "beat", "It answers 7, at 0.99.")
    assert audio.read_audio(Path(fresh.file))[0].shape == samples.shape


def write_take(folder: Path, name: str, samples: np.ndarray, rate: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    audio.write_wav(path, samples, rate)
    return path


def test_a_recorded_take_replaces_the_synthetic_voice(tmp_path):
    text = "Each pixel is a number."
    lead = np.zeros((1, 22_050), np.float32)  # half a second of silence, then 1.5 s of sound
    write_take(tmp_path / "rec", take_stem("Pixels", "numbers", text) + ".wav",
               np.concatenate([lead, tone(1.5, 220, 0.3, 44_100), lead], axis=1), 44_100)
    speech = Voice("recorded", tmp_path / "cache", tmp_path / "rec").speak("Pixels", "numbers", text)
    assert speech.source == "recorded" and speech.warnings == []
    assert speech.duration == pytest.approx(1.5 + 0.04, abs=0.02), "silence trimmed"
    samples, _ = audio.read_audio(Path(speech.file))
    spectrum = np.abs(np.fft.rfft(samples[0]))
    assert np.argmax(spectrum) * RATE / samples.shape[1] == pytest.approx(220, abs=2)
    assert audio.integrated_loudness(samples, RATE, stereo=True) == pytest.approx(-16, abs=0.3)


@pytest.mark.parametrize("case", ["missing", "silent", "stale", "unreadable"])
def test_a_bad_take_is_reported_and_the_synthetic_voice_speaks(tmp_path, case):
    pytest.importorskip("piper")
    text, rec = "The cost is 0.31.", tmp_path / "rec"
    rec.mkdir()
    if case == "silent":
        write_take(rec, take_stem("Cost", "cost", text) + ".wav", np.zeros((1, RATE)), RATE)
    elif case == "stale":
        write_take(rec, take_stem("Cost", "cost", "The cost is 0.35.") + ".wav", tone(1.0), RATE)
    elif case == "unreadable":
        (rec / (take_stem("Cost", "cost", text) + ".flac")).write_bytes(b"not a sound file")
    speech = Voice("recorded", tmp_path / "cache", rec).speak("Cost", "cost", text)
    assert speech.source == "tts"
    [warning] = speech.warnings
    assert case in warning and "Cost" in warning and "synthetic voice" in warning
    if case == "missing":
        assert take_stem("Cost", "cost", text) + ".wav" in warning
    if case == "stale":
        assert "older text" in warning


def test_take_names_carry_the_text():
    assert take_stem("ForwardPass", "Ten outputs", "It answers 7.") == \
        f"ForwardPass-ten-outputs-{text_id('It answers 7.')}"
    assert text_id("It answers 7.") != text_id("It answers 1.")


def test_the_voice_program_answers_a_line_per_request(tmp_path):
    requests = [{"scene": "S", "beat": "b", "text": "Hello."}, {"scene": "S"}]
    env = {"PATH": "/usr/bin:/bin", "NN_VOICE": "tts", "NN_VOICE_CACHE": str(tmp_path),
           "NN_EXPLAINED_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "production", "voice", "serve"], cwd=ROOT, env=env,
                          input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    good, bad = (json.loads(line) for line in done.stdout.splitlines())
    assert good["source"] == "tts" and Path(good["file"]).is_file() and good["duration"] > 0.3
    assert "error" in bad and "beat" in bad["error"]


def test_render_facts_change_with_the_takes(tmp_path):
    rec = tmp_path / "rec"
    choice = VoiceChoice("recorded", rec)
    before = choice.facts("Cost")
    write_take(rec, take_stem("Cost", "cost", "x") + ".wav", tone(1.0), RATE)
    after = choice.facts("Cost")
    assert before != after and VoiceChoice("tts").facts("Cost") != VoiceChoice().facts("Cost")
    assert choice.facts("Other") == before, "another scene's takes do not touch this one"
    log = tmp_path / "x.log"
    log.write_text("INFO ...\nvoice: warning: missing take A-b-123456.wav in rec: ...\n")
    assert warnings_in(log) == ["missing take A-b-123456.wav in rec: ..."]


# -- a real scene, spoken -----------------------------------------------------------------------

def speech_onsets(samples: np.ndarray, cues, threshold_db: float = -40.0) -> list[float]:
    """For each cue, the first moment from half a second before it where the sound rises above
    ``threshold_db`` (the speech's start, measured in the video's own sound)."""
    level = np.abs(samples).max(axis=0)
    loud = level > 10 ** (threshold_db / 20)
    onsets = []
    for cue in cues:
        begin = max(0, round((cue.start.total_seconds() - 0.5) * RATE))
        found = np.flatnonzero(loud[begin:round(cue.end.total_seconds() * RATE)])
        onsets.append((begin + found[0]) / RATE if found.size else math.nan)
    return onsets


@pytest.fixture(scope="module")
def spoken_scene(mnist, quick_model, tmp_path_factory, tex_dir):
    """LayersOfTheNetwork rendered at 480p15 with the synthetic voice, one beat's line
    recorded by hand (a tone stands in for the creator's voice)."""
    from scenes.chapter1 import LayersOfTheNetwork
    from tests.scene_support import render_scene

    pytest.importorskip("piper")
    tmp = tmp_path_factory.mktemp("spoken")
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("NN_VOICE_CACHE", str(tmp / "voice"))
        mp.setenv("NN_RECORDINGS", str(tmp / "rec"))
        # what the second beat says is only known from a first, silent run of the story
        mp.setenv("NN_VOICE", "none")
        (tmp / "still").mkdir()
        scene, _ = render_scene(LayersOfTheNetwork, mnist, quick_model, tmp / "still", mp,
                                tex_dir=tex_dir, video=False)
        said = {b["name"]: b["spoken"] for b in scene.beat_log}
        beat = list(said)[1]
        write_take(tmp / "rec", take_stem("LayersOfTheNetwork", beat, said[beat]) + ".wav",
                   tone(2.5, 330, 0.2, 44_100), 44_100)
        mp.setenv("NN_VOICE", "recorded")
        scene, video = render_scene(LayersOfTheNetwork, mnist, quick_model, tmp, mp, tex_dir=tex_dir)
    finally:
        mp.undo()
    return scene, Path(video), beat


def test_every_beat_is_spoken_from_its_subtitles_start(spoken_scene):
    scene, video, _ = spoken_scene
    cues = list(srt.parse(video.with_suffix(".srt").read_text()))
    samples, audio_seconds, video_seconds = decoded_audio(video)
    assert len(cues) == len(scene.beat_log) >= 4
    frame = 1 / 15
    for cue, onset, beat in zip(cues, speech_onsets(samples, cues), scene.beat_log):
        assert abs(onset - cue.start.total_seconds()) <= frame, beat["name"]
        # the subtitle spans the speech exactly (to the millisecond of .srt)
        assert (cue.end - cue.start).total_seconds() == pytest.approx(beat["speech"], abs=0.002)
        # and the beat is no shorter than its speech, said in words a voice can say
        assert beat["end"] - beat["start"] >= beat["speech"]
        assert unspeakable(beat["spoken"]) == "", beat["spoken"]
    assert audio_seconds == pytest.approx(video_seconds, abs=frame)
    assert audio.integrated_loudness(samples, RATE) == pytest.approx(audio.TARGET_LUFS, abs=2)
    assert np.abs(samples).max() < 1.0


def test_the_recorded_take_is_the_one_heard(spoken_scene):
    scene, video, recorded_beat = spoken_scene
    record = json.loads(video.with_name(f"{video.stem}.narration.json").read_text())
    sources = {b["name"]: b["source"] for b in record["beats"]}
    assert sources[recorded_beat] == "recorded"
    assert set(sources.values()) == {"recorded", "tts"}
    beat = next(b for b in record["beats"] if b["name"] == recorded_beat)
    samples, _, _ = decoded_audio(video)
    piece = samples[0, round((beat["start"] + 0.2) * RATE):round((beat["start"] + 2.2) * RATE)]
    peak = np.argmax(np.abs(np.fft.rfft(piece))) * RATE / piece.size
    assert peak == pytest.approx(330, abs=3)


def test_the_films_sound_has_no_click_at_a_join(spoken_scene, tmp_path):
    from production.film import FilmPart, build_film

    _, video, _ = spoken_scene
    parts = [FilmPart(video, video.with_suffix(".srt"), "One"),
             FilmPart(video, video.with_suffix(".srt"), "Two")]
    film = build_film(parts, tmp_path / "film", "Spoken", transition=0.3)
    samples, audio_seconds, video_seconds = decoded_audio(film.video)
    assert audio_seconds == pytest.approx(video_seconds, abs=1 / 15)
    join = round(film.starts[1] * RATE)
    around = samples[:, join - 480:join + 480]
    jumps = np.abs(np.diff(around, axis=1)).max()
    assert jumps < 0.01, "the sound fades to nothing at the join, as the picture does"
    assert audio.integrated_loudness(samples, RATE) == pytest.approx(audio.TARGET_LUFS, abs=0.5)
