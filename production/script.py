"""The recording script: every beat a creator records to narrate a chapter in their own voice.

``python -m scenes script --chapter 1`` (``python -m production script``) writes
``recordings/chapter1-script.md`` (to read from while recording) and ``chapter1-script.csv``
(scene, beat, take file, text, suggested seconds, take status). The lines carry numbers the
network computed, so they come from a render: the chapter is rendered first where needed
(quickly, at low quality, with the synthetic voice, whose durations are the suggestions), and
the lines are read from each scene's ``narration.json``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from network.atomic import atomic_write

from .catalogue import Chapter, Quality, narration_path
from .voice import Voice, VoiceChoice, take_stem

COLUMNS = ("chapter", "scene", "beat_number", "beat", "take_file", "text", "subtitle",
           "suggested_seconds", "take")


@dataclass(frozen=True)
class Line:
    chapter: int
    scene: str
    number: int          # the beat's place in its scene, from 1
    beat: str
    take_file: str       # the name to save the take under
    text: str            # what to say
    subtitle: str        # what the viewer reads (may be written differently)
    seconds: float       # how long the synthetic voice takes to say it
    take: str            # "recorded", "stale: <older take>" or "missing"


class ScriptError(RuntimeError):
    """A scene has no narration record: it did not render."""


def chapter_lines(chapter: Chapter, media: Path, quality: Quality,
                  recordings: Path | None) -> list[Line]:
    """Every beat of ``chapter``'s parts, from their renders' narration records, with the
    state of its take in ``recordings``."""
    finder = Voice("recorded", media / "voice", recordings)
    lines = []
    for entry in chapter.parts:
        path = narration_path(media, entry, quality)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ScriptError(f"{entry.scene}: no narration record at {path} (render it first)") from None
        for number, beat in enumerate(record["beats"], 1):
            stem = take_stem(entry.scene, beat["name"], beat["spoken"])
            takes = finder.takes_for(entry.scene, beat["name"])
            if any(t.stem == stem for t in takes):
                state = "recorded"
            elif takes:
                state = f"stale: {takes[-1].name} was recorded for an older text"
            else:
                state = "missing"
            lines.append(Line(chapter.number, entry.scene, number, beat["name"], f"{stem}.wav",
                              beat["spoken"], beat["subtitle"], round(beat.get("speech") or 0.0, 1),
                              state))
    return lines


def csv_text(lines: list[Line]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for ln in lines:
        writer.writerow([ln.chapter, ln.scene, ln.number, ln.beat, ln.take_file, ln.text,
                         ln.subtitle, f"{ln.seconds:.1f}", ln.take])
    return out.getvalue()


def markdown_text(chapter: Chapter, lines: list[Line], recordings: Path) -> str:
    total = sum(ln.seconds for ln in lines)
    done = sum(ln.take == "recorded" for ln in lines)
    parts = [f"# Recording script: Chapter {chapter.number}, {chapter.title}", "",
             f"{len(lines)} lines, about {total / 60:.0f} minutes of speech; {done} recorded.", "",
             f"Record each line as a WAV or FLAC file (any sample rate, mono or stereo) and save "
             f"it in `{recordings.name}/` under the name shown. Silence before and after is "
             f"trimmed and the loudness evened out, so leave a moment either side. The six "
             f"characters at the end of a name identify the text: if a line changes (the network "
             f"was trained again, say), its old take is reported as stale and the synthetic voice "
             f"says the line until it is recorded again. Then render with "
             f"`python -m scenes render --chapter {chapter.number} --voice recorded`.", ""]
    scene = None
    for ln in lines:
        if ln.scene != scene:
            scene = ln.scene
            parts += [f"## {scene}", ""]
        state = "" if ln.take == "missing" else f" ({ln.take})"
        parts += [f"{ln.number}. **{ln.beat}**: `{ln.take_file}`, about {ln.seconds:.1f} s{state}",
                  "", f"   > {ln.text}", ""]
        if ln.subtitle != ln.text:
            parts += [f"   On screen: {ln.subtitle}", ""]
    return "\n".join(parts)


def write_script(chapter: Chapter, media: Path, quality: Quality, out: Path,
                 recordings: Path) -> tuple[Path, Path]:
    """Write ``<out>/<chapter>-script.md`` and ``.csv``; return their paths."""
    lines = chapter_lines(chapter, media, quality, recordings)
    md, table = out / f"{chapter.slug}-script.md", out / f"{chapter.slug}-script.csv"
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(md) as f:
        f.write(markdown_text(chapter, lines, recordings).encode("utf-8"))
    with atomic_write(table) as f:
        f.write(csv_text(lines).encode("utf-8"))
    return md, table


SCRIPT_VOICE = VoiceChoice("tts")  # the synthetic voice's durations are the suggestions
