"""The spoken side of a beat: what the voice says, where it gets the sound, and the sound track
it makes for the scene's video.

``NN_VOICE`` chooses the voice of a render: ``none`` (the default of a plain ``manim render``:
silent, beats paced by reading time), ``tts`` (the offline synthetic voice) or ``recorded``
(the creator's takes, the synthetic voice where one is missing). The render command sets it
(``--voice``, default ``tts``). The sound comes from the voice program, ``python -m production
voice serve``, run as a separate process (the scenes never import ``production``): one JSON
line per beat in, one out. ``NN_VOICE_COMMAND`` replaces that program (a JSON list).

``speakable(text)`` turns the notation a subtitle may carry into words a voice can say.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .settings import VOICE_ENV, voice_from_env

COMMAND_ENV = "NN_VOICE_COMMAND"
RATE = 48_000                # Hz: what the voice program delivers, and the video's audio
PAUSE = 0.6                  # seconds of silence after a beat's speech before the next beat
AAC_BITRATE = 192_000

__all__ = ["VOICE_ENV", "voice_from_env", "speakable", "Speech", "VoiceClient",
           "speech_track", "add_soundtrack"]

# Notation a subtitle may use, in words. Applied in order.
_WORDS = [
    (r"σ′", " sigma prime "), (r"σ", " sigma "), (r"∂", " partial "), (r"Δ", " delta "),
    (r"∇", " the gradient of "), (r"Σ", " the sum of "), (r"η", " eta "),
    (r"≈", " about "), (r"×", " times "), (r"·", " times "), (r"÷", " divided by "),
    (r"→", " to "), (r"←", " from "), (r"≤", " at most "), (r"≥", " at least "),
    (r"²", " squared "), (r"−", "-"), (r"–", "-"), (r"—", ", "), (r"…", "..."),
    (r"α", " alpha "), (r"β", " beta "), (r"θ\*", " theta star "), (r"θ", " theta "),
    (r"±", " plus or minus "), (r"(\w)'\(", r"\1 prime of ("), (r"=", " equals "),
    (r"(?<![\w.])-(?=\d)", " minus "), (r"(?<![\w.])\+(?=\d)", " plus "),
    (r"(?<=\d)-(?=\d)", " "), (r"\b([a-zA-Z])_\{?(\d+)\}?", r"\1 \2"),
    (r"“|”", '"'), (r"‘|’", "'"), (r"(?<=\d)\s*%", " percent"),
]
_SPEAKABLE = re.compile(r"[A-Za-z0-9\s.,;:!?'\"()\-/+=]*")


def speakable(text: str) -> str:
    """``text`` with the notation a voice cannot say written out ("σ" as "sigma", "≈" as
    "about", "%" as "percent", dashes as pauses), spaces tidied."""
    for pattern, words in _WORDS:
        text = re.sub(pattern, words, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def unspeakable(text: str) -> str:
    """The characters of ``text`` a voice would stumble on (empty if none): what a beat's
    spoken form must not contain."""
    return "".join(sorted(set(_SPEAKABLE.sub("", text))))


@dataclass(frozen=True)
class Speech:
    """A beat's sound: a 48 kHz WAV, how long it speaks, and whose voice it is."""

    file: str
    duration: float
    source: str


class VoiceError(RuntimeError):
    """The voice program is missing, failed, or could not make a beat's speech."""


class VoiceClient:
    """Talks to the voice program, started on the first line and kept for the scene."""

    def __init__(self, mode: str, command: list[str] | None = None) -> None:
        self.mode = mode
        self.command = command or _command_from_env()
        self.process: subprocess.Popen | None = None

    def speak(self, scene: str, beat: str, text: str) -> Speech:
        if self.process is None:
            env = dict(os.environ, **{VOICE_ENV: self.mode})
            try:
                self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, text=True, env=env)
            except OSError as e:
                raise VoiceError(f"cannot start the voice program {self.command[0]!r}: {e}") from None
        request = json.dumps({"scene": scene, "beat": beat, "text": text})
        try:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            raise VoiceError(f"the voice program stopped ({' '.join(self.command)}); "
                             f"its message is above")
        answer = json.loads(line)
        if "error" in answer:
            raise VoiceError(f"{scene} beat {beat!r}: {answer['error']}")
        return Speech(answer["file"], float(answer["duration"]), answer["source"])

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None


def _command_from_env() -> list[str]:
    text = os.environ.get(COMMAND_ENV, "")
    if text:
        command = json.loads(text)
        if not (isinstance(command, list) and command and all(isinstance(c, str) for c in command)):
            raise VoiceError(f"{COMMAND_ENV} must be a JSON list of strings, got {text!r}")
        return command
    return [sys.executable, "-m", "production", "voice", "serve"]


# -- the sound track ----------------------------------------------------------------------------

def read_wav(path: str | Path) -> np.ndarray:
    """The samples of a 16-bit mono or stereo 48 kHz WAV as float32 (channels, n)."""
    with wave.open(str(path), "rb") as f:
        if f.getsampwidth() != 2 or f.getframerate() != RATE:
            raise VoiceError(f"{path}: expected 16-bit {RATE} Hz WAV, got "
                             f"{8 * f.getsampwidth()}-bit {f.getframerate()} Hz")
        data = np.frombuffer(f.readframes(f.getnframes()), "<i2")
        channels = f.getnchannels()
    return (data.reshape(-1, channels).T / 32768.0).astype(np.float32)


def speech_track(clips: list[tuple[float, str]], duration: float) -> np.ndarray:
    """A stereo track (2, n) of ``duration`` seconds at 48 kHz with each clip ``(start
    seconds, wav file)`` placed at its start (clips past the end are cut)."""
    count = round(duration * RATE)
    track = np.zeros((2, count), np.float32)
    for start, path in clips:
        samples = read_wav(path)
        begin = round(start * RATE)
        piece = samples[:, :max(0, count - begin)]
        track[:, begin:begin + piece.shape[1]] += piece  # a mono clip goes on both channels
    return track


def add_soundtrack(movie: Path, clips: list[tuple[float, str]]) -> None:
    """Give the video ``movie`` (an mp4 without sound) an AAC 48 kHz stereo track as long as
    its picture, carrying ``clips``; the file is replaced in one step."""
    import av
    from fractions import Fraction

    movie = Path(movie)
    tmp = movie.with_name(f".{movie.stem}.sound.{os.getpid()}{movie.suffix}")
    try:
        with av.open(str(movie)) as source:
            video = source.streams.video[0]
            rate = video.average_rate or video.guessed_rate
            frames = video.frames or sum(1 for _ in source.demux(video) if _.size)
            duration = float(frames / Fraction(rate))
            track = speech_track(clips, duration)
            source.seek(0)
            with av.open(str(tmp), "w", format="mp4",
                         options={"movflags": "+faststart"}) as out:
                out_video = out.add_stream_from_template(template=video)
                out_audio = out.add_stream("aac", rate=RATE)
                out_audio.layout, out_audio.format = "stereo", "fltp"
                out_audio.bit_rate = AAC_BITRATE
                for packet in source.demux(video):
                    if packet.dts is None:
                        continue
                    packet.stream = out_video
                    out.mux(packet)
                step = 1024
                for first in range(0, track.shape[1], step):
                    frame = av.AudioFrame.from_ndarray(
                        np.ascontiguousarray(track[:, first:first + step]), format="fltp",
                        layout="stereo")
                    frame.sample_rate, frame.pts = RATE, first
                    frame.time_base = Fraction(1, RATE)
                    out.mux(out_audio.encode(frame))
                out.mux(out_audio.encode(None))
        os.replace(tmp, movie)
    finally:
        tmp.unlink(missing_ok=True)
