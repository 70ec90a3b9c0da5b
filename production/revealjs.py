"""reveal.js for the offline decks: fetched once, at setup, from the npm registry, its published
integrity hash checked, and kept in the user cache folder; never fetched while presenting.

``ensure_assets()`` returns the folder of the assets the decks embed (downloading them first if
they are missing and ``download`` is true). ``install_into_manim_slides_cache()`` copies them
where manim-slides' ``convert --offline`` reads them (its own cache), so it never goes online.
``python -m production.revealjs`` is the setup step: one line, exit 0 when the assets are there
or cannot be fetched for want of a network (the decks then say to run ``make setup`` once
online), exit 1 when the registry served something that is not the published reveal.js.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from network.atomic import atomic_write

# The npm registry's published integrity of each reveal.js tarball this project accepts
# (https://registry.npmjs.org/reveal.js/<version> -> dist.integrity). When manim-slides moves
# to another reveal.js, add that version's hash here.
PINNED_INTEGRITY = {
    "6.0.1": "sha512-9eacArNIgqO2HGWOK+93gJNn+gvdGDVbSq+i2u3Ja9kjiHps0XNLpgYTZTYjKRH91uXy3clG"
             "imeGiw4umHG/tg==",
}
# What manim-slides' HTML template links, by the file name its --offline cache uses (the last
# part of the URL), and where it is in the npm tarball.
ASSETS = {
    "reveal.css": "package/dist/reveal.css",
    "black.css": "package/dist/theme/black.css",
    "zenburn.css": "package/dist/plugin/highlight/zenburn.css",
    "reveal.js": "package/dist/reveal.js",
    "notes.js": "package/dist/plugin/notes.js",
    "markdown.js": "package/dist/plugin/markdown.js",
}
MANIFEST = "manifest.json"  # written last: the folder is complete when it is there
MAX_BYTES = 20_000_000  # the 6.0.1 tarball is about 1.5 MB
TIMEOUT = 30.0  # seconds, per connection attempt and per read


class RevealError(RuntimeError):
    """reveal.js could not be obtained or is damaged; the message says what to do."""


class Offline(RevealError):
    """The registry could not be reached: setup goes on, decks wait for a later setup."""


@functools.cache
def version() -> str:
    """The reveal.js version manim-slides' HTML template is written for (its RevealJS default)."""
    from manim_slides.convert import RevealJS

    return str(RevealJS.model_fields["reveal_version"].default)


def integrity(ver: str | None = None) -> str:
    ver = ver or version()
    try:
        return PINNED_INTEGRITY[ver]
    except KeyError:
        raise RevealError(f"manim-slides expects reveal.js {ver}, whose integrity is not pinned in "
                          "production/revealjs.py (PINNED_INTEGRITY): add it from "
                          f"https://registry.npmjs.org/reveal.js/{ver}") from None


def tarball_url(ver: str | None = None) -> str:
    ver = ver or version()
    return f"https://registry.npmjs.org/reveal.js/-/reveal.js-{ver}.tgz"


def assets_dir() -> Path:
    """Where setup keeps the assets: ``<cache_dir()>/revealjs-<version>``."""
    from network.paths import cache_dir

    return cache_dir() / f"revealjs-{version()}"


def manim_slides_cache() -> Path:
    """Where manim-slides ``convert --offline`` looks for each asset before downloading it."""
    from platformdirs import user_cache_path

    return user_cache_path("manim-slides") / f"revealjs{version()}"


def check_integrity(data: bytes, expected: str | None = None) -> None:
    """Raise RevealError unless ``data`` has the npm integrity ``expected`` (``sha512-<base64>``,
    by default the pinned one)."""
    expected = expected or integrity()
    algorithm, _, digest = expected.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != digest:
        raise RevealError(f"the reveal.js {version()} download does not match its published "
                          f"integrity ({algorithm} {actual[:12]}... instead of {digest[:12]}...); "
                          "refused, nothing was kept")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    with atomic_write(path) as f:
        f.write(data)


def unpack(data: bytes, folder: Path) -> None:
    """Write the needed assets of the (checked) tarball ``data`` into ``folder``: every asset
    is read first, then each is stored atomically, the manifest of their hashes last."""
    contents = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for name, member in ASSETS.items():
                try:
                    extracted = tar.extractfile(member)
                except KeyError:
                    extracted = None
                if extracted is None:
                    raise RevealError(f"the reveal.js {version()} tarball has no {member}")
                contents[name] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as e:
        raise RevealError(f"the reveal.js {version()} tarball cannot be read ({e})") from None
    for name, content in contents.items():
        _write_atomic(folder / name, content)
    manifest = {"version": version(), "integrity": integrity(),
                "sha256": {name: _sha256(content) for name, content in contents.items()}}
    _write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1).encode())


def missing(folder: Path) -> list[str]:
    """The assets not in ``folder`` as setup stored them (absent, or not matching its manifest)."""
    try:
        sums = json.loads((folder / MANIFEST).read_text())["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return list(ASSETS)
    bad = []
    for name in ASSETS:
        try:
            ok = sums.get(name) == _sha256((folder / name).read_bytes())
        except OSError:
            ok = False
        if not ok:
            bad.append(name)
    return bad


def fetch(url: str | None = None) -> bytes:
    """The tarball's bytes (at most MAX_BYTES, with a timeout); Offline when unreachable."""
    url = url or tarball_url()
    request = urllib.request.Request(url, headers={"User-Agent": "nn-explained-setup"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            size = response.headers.get("Content-Length")
            if size and size.isdigit() and int(size) > MAX_BYTES:
                raise RevealError(f"{url} is {int(size):,} bytes, more than {MAX_BYTES:,}: refused")
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as e:
        raise Offline(f"the npm registry answered {e.code} for {url}") from None
    except (OSError, ValueError) as e:  # URLError, timeouts, refused connections, bad URLs
        reason = getattr(e, "reason", e)
        raise Offline(f"cannot download reveal.js {version()} from {url} ({reason})") from None
    if len(data) > MAX_BYTES:
        raise RevealError(f"{url} is more than {MAX_BYTES:,} bytes: refused")
    return data


def ensure_assets(download: bool = True, *, url: str | None = None) -> Path:
    """The folder holding every asset, fetched (and checked) first if some are missing and
    ``download``; RevealError saying to run ``make setup`` once online otherwise."""
    folder = assets_dir()
    if not missing(folder):
        return folder
    if not download:
        raise RevealError(f"reveal.js {version()} for the offline decks is not in {folder}: run "
                          "`make setup` once with a network (it fetches reveal.js from the npm "
                          "registry)")
    data = fetch(url)
    check_integrity(data)
    unpack(data, folder)
    return folder


def install_into_manim_slides_cache(folder: Path | None = None) -> Path:
    """Copy the assets into manim-slides' own cache, where ``convert --offline`` reads them
    instead of downloading; a cached file that differs is replaced. Returns that cache."""
    folder = folder or ensure_assets(download=False)
    target = manim_slides_cache()
    for name in ASSETS:
        content = (folder / name).read_bytes()
        try:
            same = (target / name).read_bytes() == content
        except OSError:
            same = False
        if not same:
            _write_atomic(target / name, content)
    return target


def main() -> int:
    try:
        folder = ensure_assets()
        install_into_manim_slides_cache(folder)
    except Offline as e:
        print(f"setup: warning: {e}; the lecture decks need it: run `make setup` once online",
              file=sys.stderr)
        return 0  # setup goes on: everything but the decks works without it
    except (RevealError, OSError) as e:
        print(f"setup: error: {e}", file=sys.stderr)
        return 1
    print(f"setup: reveal.js {version()} for the offline decks is in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
