"""The voice candidates, measured on the same narration lines: how long each takes to say them,
how long it takes to make them, their loudness and peak as the engine gives them, and (for
the default voice) after the film's preparation (trim, 48 kHz, -16 LUFS, peaks <= -1 dBFS).

    .venv/bin/python benchmarks/voice_benchmark.py            # print the table
    .venv/bin/python benchmarks/voice_benchmark.py --readme   # and put it in the README

Candidates: Piper with the joe voice (the default, from PyPI), and Debian's espeak-ng when it
is installed (it is not part of the project's setup: the fallback the issue named).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from production import audio  # noqa: E402
from production.voice import PiperEngine, prepared  # noqa: E402

README = ROOT / "README.md"
# Lines of the kind the scenes say: a number, notation written out, a longer sentence.
LINES = ["Image 0 of the test set: a handwritten digit the network never saw in training.",
         "The brightest output is the answer: 7, at 0.99.",
         "Each neuron takes sigma of w a plus b: the weighted sum of the layer before, "
         "plus its bias, squashed between 0 and 1."]


def measure(name: str, synthesize) -> dict:
    """Say every line with ``synthesize(text) -> (samples, rate)``; the figures of all of them."""
    pieces, seconds, rate = [], 0.0, None
    for text in LINES:
        start = time.perf_counter()
        samples, rate = synthesize(text)
        seconds += time.perf_counter() - start
        pieces.append(audio.trim_silence(audio.mono(samples), rate))
    import numpy as np

    speech = np.concatenate(pieces, axis=1)
    ready = prepared(speech, rate)
    return {"voice": name, "rate": rate, "speech": speech.shape[1] / rate, "made_in": seconds,
            "lufs": audio.integrated_loudness(speech, rate, stereo=True),
            "peak": audio.peak_db(speech),
            "ready_lufs": audio.integrated_loudness(ready, audio.RATE, stereo=True),
            "ready_peak": audio.peak_db(ready)}


def espeak(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "line.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(out), text], check=True)
        return audio.read_audio(out)


def table(rows: list[dict]) -> str:
    from figures import machine_description

    lines = [f"Measured by `benchmarks/voice_benchmark.py` on {machine_description()}; "
             f"{len(LINES)} narration lines, silence trimmed. \"As made\" is what the engine "
             "gives; \"ready\" is after the film's preparation.", "",
             "| voice | rate | speech | made in | as made: loudness, peak | ready: loudness, peak |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['voice']} | {r['rate']:,} Hz | {r['speech']:.1f} s | {r['made_in']:.1f} s "
                     f"| {r['lufs']:.1f} LUFS, {r['peak']:.1f} dBFS "
                     f"| {r['ready_lufs']:.1f} LUFS, {r['ready_peak']:.1f} dBFS |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    engine = PiperEngine()
    rows = [measure("Piper 1.8.0, en_US-joe-medium (default)", engine.synthesize)]
    if shutil.which("espeak-ng"):
        rows.append(measure("espeak-ng (Debian), en-us", espeak))
    else:
        print("espeak-ng is not installed: only Piper measured", file=sys.stderr)
    text = table(rows)
    print(text)
    if args.readme:
        from figures import replace_block
        README.write_text(replace_block(README.read_text(), "voice-benchmark", text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
