"""Offline lecture decks: one HTML file that presents in headless Chromium with networking
disabled (reveal.js initialised, every slide there in order, notes = narration, H.264 videos
decoding, a picture on screen), plus a PDF handout and a PowerPoint file with one page per
slide; and the errors: a scene not rendered, reveal.js not fetched, a conversion that fails,
a download that is not the published reveal.js."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest

from production import revealjs
from production.catalogue import Quality, SceneEntry
from production.deck import DeckError, build_deck, remote_references
from production.render import _collect_slides
from tests.browser import Browser

ROOT = Path(__file__).resolve().parent.parent
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
SCENES = ["TitleCard", "TwoBeats"]
TITLE = "Chapter 9: a test = <one> & two"  # what HTML and manim-slides' -c parsing get wrong


@pytest.fixture(scope="module")
def manim_slides_cache(tmp_path_factory):
    """manim-slides' own cache, empty, instead of the user's: the deck builder fills it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield revealjs.manim_slides_cache()


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    """Real slides from manim-slides (one render of both scenes), laid out by the render
    command's own code: ``<root>/<qdir>/<Scene>.json``, videos in ``<root>/<qdir>/files/``."""
    if revealjs.missing(SETUP_ASSETS):
        pytest.fail(f"reveal.js is not in {SETUP_ASSETS}: run `make setup` (it fetches it once)")
    work = tmp_path_factory.mktemp("slides-work")
    (work / "made_up_slides.py").write_text(SLIDE_SCENES)
    media = tmp_path_factory.mktemp("media")
    quality = Quality("low", fps=15, resolution=(320, 180))
    subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "-r", "320,180", "--fps", "15",
                    "--media_dir", str(work / "media"), "--progress_bar", "none",
                    "made_up_slides.py", *SCENES], cwd=work, check=True, capture_output=True)
    for scene in SCENES:
        _collect_slides(work / "slides", SceneEntry("made_up_slides.py", scene, scene, 9),
                        quality, media)
    return media / "slides", quality.folder


@pytest.fixture(scope="module")
def narrations(slides):
    root, qdir = slides
    return [s["notes"] for scene in SCENES
            for s in json.loads((root / qdir / f"{scene}.json").read_text())["slides"]]


@pytest.fixture(scope="module")
def deck(slides, manim_slides_cache, tmp_path_factory):
    root, qdir = slides
    out = tmp_path_factory.mktemp("decks") / "chapter9.html"
    cwd = tmp_path_factory.mktemp("cwd")
    litter = lambda folder: sorted(folder.glob("*.html")) + sorted(folder.glob("*_assets"))  # noqa: E731
    before = litter(ROOT)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        made = build_deck(root, qdir, SCENES, TITLE, out, assets=SETUP_ASSETS)
    assert not any(cwd.iterdir()), "nothing is left in the working folder"
    assert litter(ROOT) == before, "nothing is left in the repository"
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "chapter9.html", "chapter9.pdf", "chapter9.pptx"], "no scratch folder is left"
    return made


VIDEO = """(() => {
  const v = document.querySelector('.slide-background.present video');
  return v && v.readyState >= 2 && v.currentTime > 0.2
    ? {state: v.readyState, time: v.currentTime, src: v.currentSrc.slice(0, 30),
       frames: v.getVideoPlaybackQuality().totalVideoFrames} : null;
})()"""


def test_deck_presents_offline_in_chromium(deck, narrations):
    from PIL import Image

    assert deck.slide_count == len(narrations) == 3  # the title card's slide + two beats
    with Browser() as browser:
        browser.open(deck.html.as_uri())
        assert browser.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()")
        assert browser.evaluate("document.title") == TITLE
        assert browser.evaluate("Reveal.VERSION") == revealjs.version()
        assert browser.evaluate("Reveal.getTotalSlides()") == deck.slide_count
        notes = browser.evaluate("Reveal.getSlides().map(s => "
                                 "s.querySelector('aside.notes').textContent.trim())")
        assert notes == narrations, "each slide's speaker notes are its beat's narration, in order"
        # Debian's Chromium decodes the H.264 (High, yuv420p) that manim writes:
        assert browser.evaluate("document.createElement('video')"
                                ".canPlayType('video/mp4; codecs=\"avc1.640028\"')") == "probably"
        for index in (0, 2):
            browser.evaluate(f"Reveal.slide({index})")
            video = browser.wait_for(VIDEO, timeout=30)
            assert video["frames"] > 0 and video["src"].startswith("data:video/mp4"), video
        browser.wait_for("document.querySelector('.slide-background.present video').ended")
        shot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
    low, high = shot.convert("L").getextrema()
    assert high - low > 100, "the screenshot shows the slide's picture, not a blank page"
    r, g, b = shot.resize((64, 36)).getpixel((32, 18))
    assert r > 150 and g > 150 and b < 120, "the last slide's yellow square is on screen"
    assert shot.getpixel((5, 5)) == (0, 0, 0), "the background is the slides' black"


def test_deck_is_one_file_with_nothing_to_fetch(deck):
    page = deck.html.read_text()
    assert remote_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page)
    assert "/dist/reveal" not in page and "Reveal.initialize" in page
    assert page.count('data-background-video="data:video/mp4;base64,') == deck.slide_count


def test_handout_and_pptx_have_a_page_per_slide(deck):
    from pptx import Presentation

    pdf = deck.pdf.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == deck.slide_count
    assert len(Presentation(str(deck.pptx)).slides) == deck.slide_count


@pytest.fixture
def no_downloads(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a deck build must not download anything")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(revealjs, "fetch", refuse)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")


def test_missing_slides_are_named_and_the_old_deck_stays(slides, manim_slides_cache, tmp_path):
    root, qdir = slides
    (tmp_path / "x.html").write_text("the earlier deck")
    with pytest.raises(DeckError, match=r"no slides for NotRendered: .*NotRendered\.json is "
                                        r"missing \(render it first"):
        build_deck(root, qdir, ["TitleCard", "NotRendered"], "x", tmp_path / "x.html",
                   assets=SETUP_ASSETS)
    assert (tmp_path / "x.html").read_text() == "the earlier deck"
    assert [p.name for p in tmp_path.iterdir()] == ["x.html"]


def test_missing_reveal_assets_say_how_to_fix_and_leave_nothing(slides, tmp_path, monkeypatch,
                                                                 no_downloads):
    root, qdir = slides
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-xdg"))
    out = tmp_path / "decks" / "x.html"
    with pytest.raises(DeckError, match=r"reveal.js \d+\.\d+\.\d+ .* is not in .*run `make setup` "
                                        r"once with a network"):
        build_deck(root, qdir, SCENES, "x", out)
    assert not out.exists() and not (out.parent.exists() and any(out.parent.iterdir()))
    assert not (tmp_path / "empty-xdg").exists() or not any((tmp_path / "empty-xdg").rglob("*.js"))


def test_a_failed_conversion_is_a_deck_error_and_leaves_no_html(slides, manim_slides_cache,
                                                                tmp_path, no_downloads):
    root, qdir = slides
    broken = json.loads((root / qdir / "TwoBeats.json").read_text())
    broken["background_color"] = "not-a-colour"
    (root / qdir / "Broken.json").write_text(json.dumps(broken))
    try:
        with pytest.raises(DeckError, match=r"manim-slides could not make x\.html: .+"):
            build_deck(root, qdir, ["TitleCard", "Broken"], "x", tmp_path / "x.html",
                       assets=SETUP_ASSETS)
    finally:
        (root / qdir / "Broken.json").unlink()
    assert list(tmp_path.iterdir()) == []


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_integrity_check_refuses_altered_bytes_and_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "cache"))
    good = _tarball({member: f"/* {name} */".encode() for name, member in revealjs.ASSETS.items()})
    monkeypatch.setitem(revealjs.PINNED_INTEGRITY, revealjs.version(), _integrity(good))
    revealjs.check_integrity(good)  # the pinned hash accepts exactly these bytes

    served = tmp_path / "served.tgz"
    served.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # one bit flipped
    with pytest.raises(revealjs.RevealError, match=r"does not match its published integrity.*"
                                                   r"refused, nothing was kept"):
        revealjs.ensure_assets(url=served.as_uri())
    assert not (tmp_path / "cache").exists()

    served.write_bytes(good)
    folder = revealjs.ensure_assets(url=served.as_uri())
    assert revealjs.missing(folder) == [] and (folder / "reveal.js").read_bytes() == b"/* reveal.js */"
    (folder / "notes.js").write_bytes(b"tampered")  # a damaged cache counts as missing
    assert revealjs.missing(folder) == ["notes.js"]
    with pytest.raises(revealjs.RevealError, match="run `make setup` once"):
        revealjs.ensure_assets(download=False)


def test_the_pinned_reveal_js_is_the_one_manim_slides_links():
    from manim_slides.convert import RevealJS

    assert revealjs.version() == RevealJS(presentation_configs=[]).reveal_version
    assert revealjs.integrity().startswith("sha512-")
    assert revealjs.tarball_url().startswith("https://registry.npmjs.org/reveal.js/-/")
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists(), \
        "Chromium is missing: run `make setup`"
