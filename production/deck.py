"""A chapter's lecture deck: one self-contained HTML file (reveal.js and every slide's video
inside, so it presents with no network), a PDF handout (one page per slide, its last frame)
and a PowerPoint file, all made by ``manim-slides convert`` from the scenes' slides.

The HTML is ``convert --one-file --offline``: manim-slides inlines reveal.js from its own cache,
which ``build_deck`` first fills from the integrity-checked copy setup fetched
(``production.revealjs``); the conversion runs with every proxy pointed at a closed port, so a
missing asset fails the build instead of being downloaded, and a deck that would still load
anything from the network is refused.
"""

from __future__ import annotations

import html as html_text
import json
import os
import re
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


# Where manim-slides' requests would go if it tried the network: nowhere (port 9 is closed).
_NO_NETWORK = "http://127.0.0.1:9"
_REMOTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)


def slide_count(slides_folder: Path, scenes: list[str]) -> int:
    """How many slides the scenes' slide files hold together; DeckError naming the first scene
    whose slide file or one of whose videos is missing."""
    if not scenes:
        raise DeckError("a deck needs at least one scene (the chapter's title card first)")
    total = 0
    for scene in scenes:
        path = slides_folder / f"{scene}.json"
        again = f"render it first: python -m scenes render --scene {scene}"
        if not path.is_file():
            raise DeckError(f"no slides for {scene}: {path} is missing ({again})")
        try:
            slides = json.loads(path.read_text())["slides"]
            files = [slides_folder.parent / s["file"] for s in slides]
        except (ValueError, KeyError, TypeError) as e:
            raise DeckError(f"{path} is not a readable slide file ({e}); {again}") from None
        if not slides:
            raise DeckError(f"{path} holds no slides; {again}")
        for file in files:
            if not file.is_file():
                raise DeckError(f"{scene}'s slide video {file} is missing; {again}")
        total += len(slides)
    return total


def _convert(slides_folder: Path, scenes: list[str], target: Path, *options: str) -> None:
    """``manim-slides convert`` into ``target``, run in a scratch folder so that nothing it
    might write lands in the working folder, and with no way to the network."""
    command = [sys.executable, "-m", "manim_slides", "convert", "--folder", str(slides_folder),
               *scenes, str(target), *options]
    env = os.environ | {"NO_COLOR": "1", "COLUMNS": "200", "NO_PROXY": "", "no_proxy": ""}
    env |= {name: _NO_NETWORK for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                           "http_proxy", "https_proxy", "all_proxy")}
    with tempfile.TemporaryDirectory(prefix=".convert-", dir=target.parent) as scratch:
        try:
            result = subprocess.run(command, cwd=scratch, capture_output=True, text=True, env=env,
                                    errors="replace")
        except OSError as e:
            raise DeckError(f"cannot run manim-slides ({e}); run `make setup`") from None
    if result.returncode == 0 and target.is_file() and target.stat().st_size > 0:
        return
    output = result.stderr + result.stdout
    if "Missing Reveal.js asset" in output:
        asset = re.search(r"Missing Reveal\.js asset: (\S+)", output)
        raise DeckError(f"manim-slides found no {asset.group(1) if asset else 'reveal.js asset'} "
                        f"in its cache {revealjs.manim_slides_cache()}: run `make setup` once "
                        "with a network")
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    raise DeckError(f"manim-slides could not make {target.name}: "
                    f"{lines[-1] if lines else f'exit code {result.returncode}'}")


def remote_references(page: str) -> list[str]:
    """The http(s) URLs that ``page`` loads through a ``src`` or ``href`` attribute."""
    return _REMOTE.findall(page)


def _title_option(title: str) -> str:
    # manim-slides puts the title into <title> as it is, and splits -c options at every "=".
    return "title=" + html_text.escape(title).replace("=", "&#61;")


def build_deck(slides_root: Path, qdir: str, scenes: list[str], title: str, out_html: Path, *,
               pdf: bool = True, pptx: bool = True, assets: Path | None = None) -> Deck:
    """The deck of ``scenes`` (the chapter's title card first), from the slides in
    ``slides_root/qdir``: ``out_html`` titled ``title`` and beside it ``<stem>.pdf`` and
    ``<stem>.pptx``. ``assets``: the reveal.js folder (default: the one setup filled).
    Every output is made in a scratch folder beside ``out_html`` and moved into place only
    once all of them are made; a DeckError leaves the earlier files as they were."""
    slides_folder = Path(slides_root) / qdir
    count = slide_count(slides_folder, scenes)
    try:
        folder = Path(assets) if assets else revealjs.ensure_assets(download=False)
        if assets and revealjs.missing(folder):
            raise revealjs.RevealError(f"reveal.js {revealjs.version()} is incomplete in "
                                       f"{folder} ({', '.join(revealjs.missing(folder))}): run "
                                       "`make setup` once with a network")
        revealjs.install_into_manim_slides_cache(folder)
    except revealjs.RevealError as e:
        raise DeckError(str(e)) from None
    except OSError as e:
        raise DeckError(f"cannot copy reveal.js into manim-slides' cache ({e})") from None
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out_html.stem}-", dir=out_html.parent) as work:
        work = Path(work)
        page = work / out_html.name
        _convert(slides_folder, scenes, page, "--one-file", "--offline", "-c", _title_option(title),
                 "-c", "reveal_theme=black", "-c", "background_color=#000000")
        left = remote_references(page.read_text(encoding="utf-8", errors="replace"))
        if left:
            raise DeckError(f"the deck would still load {left[0]} from the network; refused")
        made = [page]
        if pdf:
            made.append(work / f"{out_html.stem}.pdf")
            _convert(slides_folder, scenes, made[-1], "--to", "pdf")
        if pptx:
            made.append(work / f"{out_html.stem}.pptx")
            _convert(slides_folder, scenes, made[-1], "--to", "pptx")
        for path in made:
            os.replace(path, out_html.parent / path.name)
    return Deck(out_html, out_html.with_suffix(".pdf") if pdf else None,
                out_html.with_suffix(".pptx") if pptx else None, count)
