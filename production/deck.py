"""A chapter's lecture deck: one self-contained HTML file (reveal.js and every slide's video
inside, so it presents with no network), a PDF handout (one page per slide, its last frame)
and a PowerPoint file, all made by manim-slides from the scenes' slides.

manim-slides writes the HTML with reveal.js linked from a CDN; ``build_deck`` replaces each of
those links by the asset itself, from the copy setup fetched (``production.revealjs``), and
refuses to write a deck that still points at the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import revealjs


class DeckError(ValueError):
    """A deck cannot be made; the message names what is missing and what to do."""


@dataclass(frozen=True)
class Deck:
    html: Path
    pdf: Path | None
    pptx: Path | None
    slide_count: int


def slide_count(slides_folder: Path, scenes: list[str]) -> int:
    """How many slides the scenes' slide files hold together."""
    total = 0
    for scene in scenes:
        path = slides_folder / f"{scene}.json"
        if not path.is_file():
            raise DeckError(f"no slides for {scene} in {slides_folder} (render it first: "
                            f"python -m scenes render --scene {scene})")
        try:
            total += len(json.loads(path.read_text())["slides"])
        except (ValueError, KeyError) as e:
            raise DeckError(f"{path}: not a readable slide file ({e}); render {scene} again") from None
    return total


def _convert(slides_folder: Path, scenes: list[str], target: Path, *options: str) -> None:
    """Run ``manim-slides convert`` into ``target``, in a scratch folder (no litter)."""
    with tempfile.TemporaryDirectory(prefix=".convert-", dir=target.parent) as scratch:
        command = [sys.executable, "-m", "manim_slides", "convert", "--folder",
                   str(slides_folder), *scenes, str(target), *options]
        result = subprocess.run(command, cwd=scratch, capture_output=True, text=True,
                                env=os.environ | {"NO_COLOR": "1", "COLUMNS": "200"})
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        lines = [ln.strip() for ln in (result.stderr + result.stdout).splitlines() if ln.strip()]
        raise DeckError(f"manim-slides could not make {target.name}: "
                        f"{lines[-1] if lines else f'exit code {result.returncode}'}")


_REMOTE = re.compile(r'(<link[^>]+href="|<script[^>]+src=")(https?://[^"]+)"[^>]*>(</script>)?')


def inline_reveal(html: str, assets: Path) -> str:
    """``html`` with every remote reveal.js stylesheet and script replaced by the asset itself;
    DeckError if one is not among the assets."""
    def replace(match: re.Match) -> str:
        url = match.group(2)
        name = url.rsplit("/", 1)[1]
        path = assets / name
        if not path.is_file():
            raise DeckError(f"the deck needs {url}, which is not among the reveal.js assets "
                            f"in {assets}")
        text = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        if match.group(1).startswith("<link"):
            return f"<style>/* {name} (reveal.js {revealjs.VERSION}) */\n{text}\n</style>"
        return f"<script>/* {name} (reveal.js {revealjs.VERSION}) */\n{text}\n</script>"

    out = _REMOTE.sub(replace, html)
    left = re.findall(r'(?:src|href)="(https?://[^"]+)"', out)
    if left:
        raise DeckError(f"the deck would still load {left[0]} from the network")
    return out


def build_deck(slides_root: Path, qdir: str, scenes: list[str], title: str, out_html: Path, *,
               pdf: bool = True, pptx: bool = True, assets: Path | None = None) -> Deck:
    """The deck of ``scenes`` (the title card first) from ``slides_root/qdir``: ``out_html``
    and beside it ``.pdf`` and ``.pptx``. Nothing is replaced unless all of it was made."""
    slides_folder = Path(slides_root) / qdir
    count = slide_count(slides_folder, scenes)
    try:
        assets = assets or revealjs.ensure_assets(fetch=False)
    except revealjs.RevealError as e:
        raise DeckError(str(e)) from None
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".deck-", dir=out_html.parent) as work:
        work = Path(work)
        html = work / out_html.name
        _convert(slides_folder, scenes, html, "--one-file", "-c", f"title={title}",
                 "-c", "background_color=#000000")
        html.write_text(inline_reveal(html.read_text(encoding="utf-8"), assets), encoding="utf-8")
        made = [html]
        if pdf:
            made.append(work / out_html.with_suffix(".pdf").name)
            _convert(slides_folder, scenes, made[-1], "--to", "pdf")
        if pptx:
            made.append(work / out_html.with_suffix(".pptx").name)
            _convert(slides_folder, scenes, made[-1], "--to", "pptx")
        for path in made:
            os.replace(path, out_html.parent / path.name)
    for stray in out_html.parent.glob(f"{out_html.stem}_assets"):
        shutil.rmtree(stray, ignore_errors=True)
    return Deck(out_html, out_html.with_suffix(".pdf") if pdf else None,
                out_html.with_suffix(".pptx") if pptx else None, count)
