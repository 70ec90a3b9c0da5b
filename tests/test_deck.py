"""Offline lecture decks: one HTML file that presents in Chromium with networking disabled
(reveal.js initialised, every slide there, notes = narration, videos decoding), plus a PDF
handout and a PowerPoint file with one page per slide."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from production import revealjs
from production.catalogue import Quality, SceneEntry
from production.deck import DeckError, build_deck, inline_reveal
from production.render import _collect_slides
from tests.browser import Browser

# Read before the tests' private cache folders replace NN_EXPLAINED_CACHE: setup put it here.
SETUP_ASSETS = revealjs.assets_dir()

SLIDE_SCENES = '''
from manim import BLACK, Circle, Create, FadeOut, Square, Text, Write
from manim_slides import Slide


class TitleCard(Slide):
    skip_reversing = True

    def construct(self):
        self.camera.background_color = BLACK
        self.next_slide(notes="Chapter 9: a test")
        self.play(Write(Text("Chapter 9", font_size=96)), run_time=0.6)


class TwoBeats(Slide):
    skip_reversing = True

    def construct(self):
        self.camera.background_color = BLACK
        self.next_slide(notes="First beat: a circle.")
        circle = Circle(radius=2, color="#FFFFFF", fill_opacity=1)
        self.play(Create(circle), run_time=1.0)
        self.next_slide(notes="Second beat: a square.")
        self.play(FadeOut(circle), Create(Square(side_length=4, color="#FFFF00", fill_opacity=1)),
                  run_time=1.0)
'''
NOTES = ["Chapter 9: a test", "First beat: a circle.", "Second beat: a square."]


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    """Real slides from manim-slides, laid out as the render command leaves them."""
    if revealjs.missing(SETUP_ASSETS):
        pytest.fail(f"reveal.js is not in {SETUP_ASSETS}: run `make setup` (it fetches it once)")
    work = tmp_path_factory.mktemp("slides-work")
    (work / "made_up_slides.py").write_text(SLIDE_SCENES)
    media = tmp_path_factory.mktemp("media")
    quality = Quality("low", resolution=(320, 180))
    for scene in ("TitleCard", "TwoBeats"):
        subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-r", "320,180",
                        "--media_dir", str(work / "media"), "--progress_bar", "none",
                        "made_up_slides.py", scene], cwd=work, check=True, capture_output=True)
        _collect_slides(work / "slides", SceneEntry("made_up_slides.py", scene, scene, 9),
                        quality, media)
    return media / "slides", quality.folder


@pytest.fixture(scope="module")
def deck(slides, tmp_path_factory):
    root, qdir = slides
    out = tmp_path_factory.mktemp("decks") / "chapter9.html"
    return build_deck(root, qdir, ["TitleCard", "TwoBeats"], "Chapter 9: a test", out,
                      assets=SETUP_ASSETS)


PRESENT_VIDEO = """(() => {
  const v = document.querySelector('.slide-background.present video');
  return v && v.readyState >= 2 && v.currentTime > 0.2
    ? {state: v.readyState, time: v.currentTime,
       frames: v.getVideoPlaybackQuality().totalVideoFrames} : null;
})()"""


def test_deck_presents_offline_in_chromium(deck, tmp_path):
    from PIL import Image

    assert deck.slide_count == 3
    with Browser() as browser:
        browser.open(deck.html.as_uri())
        assert browser.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()")
        assert browser.evaluate("Reveal.getTotalSlides()") == deck.slide_count
        notes = browser.evaluate("[...document.querySelectorAll('aside.notes')]"
                                 ".map(a => a.textContent.trim())")
        assert notes == NOTES
        assert browser.evaluate("document.title") == "Chapter 9: a test"
        for index in (0, 2):
            browser.evaluate(f"Reveal.slide({index})")
            video = browser.wait_for(PRESENT_VIDEO, timeout=30)
            assert video["frames"] > 0, video
        browser.wait_for("(() => { const v = document.querySelector("
                         "'.slide-background.present video'); return v && v.ended; })()")
        shot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
    low, high = shot.convert("L").getextrema()
    assert high - low > 100, "the screenshot shows the slide's picture, not a blank page"
    r, g, b = shot.resize((64, 36)).getpixel((32, 18))
    assert r > 150 and g > 150 and b < 120, "the yellow square of the last slide is on screen"


def test_deck_is_one_file_with_nothing_to_fetch(deck):
    html = deck.html.read_text()
    assert 'src="http' not in html and 'href="http' not in html
    assert "data:video/mp4;base64," in html
    assert not list(deck.html.parent.glob("*_assets")), "no assets folder beside the deck"
    assert not list(Path.cwd().glob("*.html")), "nothing left in the working folder"


def test_handout_and_pptx_have_a_page_per_slide(deck):
    from pptx import Presentation

    pdf = deck.pdf.read_bytes()
    assert pdf.startswith(b"%PDF")
    import re
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == deck.slide_count
    assert len(Presentation(str(deck.pptx)).slides) == deck.slide_count


def test_missing_slides_are_named(slides, tmp_path):
    root, qdir = slides
    with pytest.raises(DeckError, match=r"no slides for NotRendered in .*render it first"):
        build_deck(root, qdir, ["TitleCard", "NotRendered"], "x", tmp_path / "x.html",
                   assets=SETUP_ASSETS)
    assert not (tmp_path / "x.html").exists()


def test_missing_reveal_assets_say_how_to_fix_and_leave_nothing(slides, tmp_path, monkeypatch):
    root, qdir = slides
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "empty-cache"))
    with pytest.raises(DeckError, match=r"reveal.js 6\.\d+\.\d+ is not in .*run `make setup` once"):
        build_deck(root, qdir, ["TitleCard"], "x", tmp_path / "x.html")
    assert not list(tmp_path.glob("x.*"))
    with pytest.raises(DeckError, match="not among the reveal.js assets"):
        inline_reveal('<link rel="stylesheet" href="https://cdn.example/dist/unknown.css">',
                      SETUP_ASSETS)


def test_integrity_check_refuses_altered_bytes(tmp_path, monkeypatch):
    data = b"not the reveal.js tarball"
    with pytest.raises(revealjs.RevealError, match="does not match its published integrity"):
        revealjs.check_integrity(data)
    import base64
    import hashlib

    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    revealjs.check_integrity(data, good)  # the same check accepts the right bytes

    served = tmp_path / "fake.tgz"
    served.write_bytes(data)
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "cache"))
    with pytest.raises(revealjs.RevealError, match="does not match"):
        revealjs.ensure_assets(url=served.as_uri())
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.js"))
