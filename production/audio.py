"""Sound as the films need it: loudness measured as ITU-R BS.1770-4 / EBU R 128 measure it,
peaks kept below full scale, silence trimmed, files read and written. NumPy and SciPy only.

Samples are float arrays shaped ``(channels, n)`` in -1…1. The films' speech is mono, played
on both channels of a stereo track; its loudness is measured as that stereo track (``stereo=
True`` counts the one channel twice, as BS.1770 sums the channels' powers).
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
from scipy import ndimage, signal

from network.atomic import atomic_write

RATE = 48_000                # Hz: the films' audio
TARGET_LUFS = -16.0          # the loudness of online video (YouTube, podcasts)
CEILING_DB = -1.0            # highest sample peak, dBFS: room for the AAC encoder's overshoot
BLOCK, HOP = 0.400, 0.100    # BS.1770 gating blocks (seconds) and their step (75 % overlap)
ABSOLUTE_GATE = -70.0        # LUFS
RELATIVE_GATE = -10.0        # LU below the loudness of the blocks above the absolute gate


class AudioError(ValueError):
    """A sound file that cannot be read, or samples that cannot be used."""


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two biquads (b, a) of BS.1770's K-weighting at ``rate`` Hz: a high shelf of about
    +4 dB above 1.5 kHz (the head's effect), then a high-pass near 38 Hz. At 48 kHz they are
    the coefficients printed in the standard."""
    # The analogue prototypes behind the standard's 48 kHz coefficients, made digital at
    # ``rate`` by the bilinear transform with prewarping.
    gain_db, f0, q = 3.999843853973347, 1681.974450955533, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = (np.array([vh + vb * k / q + k * k, 2 * (k * k - vh), vh - vb * k / q + k * k]) / a0,
             np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]))
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass = (np.array([1.0, -2.0, 1.0]),
                np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]))
    return [shelf, highpass]


def _channels(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim == 1:
        samples = samples[None, :]
    if samples.ndim != 2:
        raise AudioError(f"samples must be (channels, n), got shape {samples.shape}")
    return samples


def block_powers(samples: np.ndarray, rate: int, *, stereo: bool = False) -> np.ndarray:
    """The K-weighted mean square of every 400 ms block (one each 100 ms), summed over the
    channels: what BS.1770's gating works on. ``stereo``: a mono signal played on two."""
    x = _channels(samples)
    for b, a in k_weighting(rate):
        x = signal.lfilter(b, a, x, axis=1)
    squares = (x * x).sum(axis=0) * (2.0 if stereo and x.shape[0] == 1 else 1.0)
    block, hop = round(BLOCK * rate), round(HOP * rate)
    if squares.size < block:
        return np.zeros(0)
    sums = np.concatenate([[0.0], np.cumsum(squares)])
    starts = np.arange(0, squares.size - block + 1, hop)
    return (sums[starts + block] - sums[starts]) / block


def gated_loudness(powers: np.ndarray) -> float:
    """The integrated loudness (LUFS) of blocks with these powers (``block_powers``): the
    blocks above -70 LUFS, then those within 10 LU of their mean. ``-inf`` for silence."""
    powers = np.asarray(powers, dtype=np.float64)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    loud = powers[levels > ABSOLUTE_GATE]
    if loud.size == 0:
        return -math.inf
    gate = -0.691 + 10 * math.log10(loud.mean()) + RELATIVE_GATE
    kept = loud[-0.691 + 10 * np.log10(loud) > gate]
    return -0.691 + 10 * math.log10(kept.mean()) if kept.size else -math.inf


def integrated_loudness(samples: np.ndarray, rate: int, *, stereo: bool = False) -> float:
    """The integrated loudness of ``samples`` in LUFS (BS.1770-4, gated); ``-inf`` if silent."""
    return gated_loudness(block_powers(samples, rate, stereo=stereo))


def peak_db(samples: np.ndarray) -> float:
    """The highest sample's level in dBFS (``-inf`` for silence)."""
    peak = float(np.max(np.abs(samples))) if np.size(samples) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def limit(samples: np.ndarray, rate: int, ceiling_db: float = CEILING_DB,
          window: float = 0.005) -> np.ndarray:
    """``samples`` with no peak above ``ceiling_db``: where a peak would pass it, the gain dips
    smoothly over ``window`` seconds each side (a look-ahead limiter; nothing is clipped, and
    samples far from a peak are untouched)."""
    x = _channels(samples)
    ceiling = 10 ** (ceiling_db / 20)
    level = np.abs(x).max(axis=0)
    needed = np.minimum(1.0, ceiling / np.maximum(level, 1e-12))
    if needed.min() >= 1.0:
        return x.astype(np.float32)
    width = max(1, round(window * rate))
    # The lowest gain needed within ``width`` either side, then averaged over ``width``: the
    # average of values each at most the gain needed here is at most that gain.
    floor = ndimage.minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    gain = ndimage.uniform_filter1d(floor, size=width | 1, mode="nearest")
    gain = np.minimum(gain, needed)  # the filters' rounding: never above what the peak needs
    return (x * gain).astype(np.float32)


def normalise(samples: np.ndarray, rate: int, target: float = TARGET_LUFS,
              ceiling_db: float = CEILING_DB, *, stereo: bool = False) -> np.ndarray:
    """``samples`` made ``target`` LUFS loud with no peak above ``ceiling_db``. The limiter
    takes a little loudness off the peaks, so the gain is measured again and the two steps
    repeated (twice is within 0.1 LU for speech). Silence is returned as it is."""
    x = _channels(samples).astype(np.float32)
    for _ in range(4):
        loudness = integrated_loudness(x, rate, stereo=stereo)
        if not math.isfinite(loudness):
            return x
        if abs(loudness - target) < 0.05 and peak_db(x) <= ceiling_db + 1e-3:
            break
        x = limit(x * 10 ** ((target - loudness) / 20), rate, ceiling_db)
    return x


def trim_silence(samples: np.ndarray, rate: int, threshold_db: float = -45.0,
                 keep: float = 0.02) -> np.ndarray:
    """``samples`` without the silence before the first sound and after the last: anything
    quieter than ``threshold_db`` below the loudest 10 ms (a room's hiss, a click of the
    recorder's button is louder and stays). ``keep`` seconds are left each side so the first
    consonant is not cut. All silent: an empty array."""
    x = _channels(samples)
    frame = max(1, round(0.010 * rate))
    n = x.shape[1] // frame
    if n == 0:
        return x[:, :0]
    rms = np.sqrt((x[:, :n * frame] ** 2).mean(axis=0).reshape(n, frame).mean(axis=1))
    top = rms.max()
    if top <= 1e-6:
        return x[:, :0]
    loud = np.flatnonzero(rms > top * 10 ** (threshold_db / 20))
    start = max(0, loud[0] * frame - round(keep * rate))
    end = min(x.shape[1], (loud[-1] + 1) * frame + round(keep * rate))
    return x[:, start:end]


def is_silent(samples: np.ndarray, floor_db: float = -60.0) -> bool:
    """True if no sample of ``samples`` rises above ``floor_db`` dBFS (an empty take, a
    muted microphone)."""
    return peak_db(samples) <= floor_db


def resample(samples: np.ndarray, rate: int, to: int = RATE) -> np.ndarray:
    """``samples`` at ``rate`` Hz resampled to ``to`` Hz (polyphase, anti-aliased)."""
    x = _channels(samples)
    if rate == to:
        return x.astype(np.float32)
    g = math.gcd(int(rate), int(to))
    return signal.resample_poly(x, to // g, rate // g, axis=1).astype(np.float32)


def mono(samples: np.ndarray) -> np.ndarray:
    """The channels of ``samples`` averaged: shape (1, n)."""
    return _channels(samples).mean(axis=0, keepdims=True).astype(np.float32)


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """The samples (channels, n) and rate of the sound file at ``path`` (WAV, FLAC, or
    anything FFmpeg reads). Raises AudioError naming ``path`` if it is missing or unreadable."""
    import av

    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such sound file")
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: not a sound file (it has no audio stream)")
            stream = container.streams.audio[0]
            rate = stream.rate
            resampler = av.AudioResampler(format="fltp", layout=stream.layout.name, rate=rate)
            chunks = [out.to_ndarray() for frame in container.decode(stream)
                      for out in resampler.resample(frame)]
            chunks += [out.to_ndarray() for out in resampler.resample(None)]
    except (av.FFmpegError, ValueError) as e:  # PyAV raises ValueError for a layout of nothing
        raise AudioError(f"{path}: not a readable sound file ({e})") from None
    if not chunks:
        return np.zeros((1, 0), np.float32), int(rate)
    return np.concatenate(chunks, axis=1).astype(np.float32), int(rate)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write ``samples`` (channels, n) to ``path`` as 16-bit PCM WAV, atomically."""
    x = _channels(samples)
    pcm = np.clip(np.rint(x.T * 32767), -32768, 32767).astype("<i2")
    with atomic_write(Path(path)) as f:
        with wave.open(f, "wb") as out:
            out.setnchannels(x.shape[0])
            out.setsampwidth(2)
            out.setframerate(int(rate))
            out.writeframes(pcm.tobytes())
