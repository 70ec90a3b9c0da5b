"""reveal.js for the offline decks: fetched once, at setup, from the npm registry, its published
integrity hash checked, and kept in the user cache folder; never fetched while presenting.

``ensure_assets()`` returns the folder of the assets the decks embed (downloading them if they
are missing and ``download`` is true). ``install_for_manim_slides()`` copies them where
manim-slides' ``convert --offline`` looks first (its own cache), so it never goes online.
``python -m production.revealjs`` is the setup step.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

# The version manim-slides 5.7.0's HTML template is written for, and its npm integrity.
VERSION = "6.0.1"
INTEGRITY = ("sha512-9eacArNIgqO2HGWOK+93gJNn+gvdGDVbSq+i2u3Ja9kjiHps0XNLpgYTZTYjKRH91uXy3clG"
             "imeGiw4umHG/tg==")
TARBALL = f"https://registry.npmjs.org/reveal.js/-/reveal.js-{VERSION}.tgz"
# What manim-slides' template links, by the file name its --offline cache uses.
ASSETS = {
    "reveal.css": "package/dist/reveal.css",
    "black.css": "package/dist/theme/black.css",
    "zenburn.css": "package/dist/plugin/highlight/zenburn.css",
    "reveal.js": "package/dist/reveal.js",
    "notes.js": "package/dist/plugin/notes.js",
    "markdown.js": "package/dist/plugin/markdown.js",
}
MAX_BYTES = 50_000_000
TIMEOUT = 60  # seconds


class RevealError(RuntimeError):
    """reveal.js could not be obtained or is damaged; the message says what to do."""


def assets_dir() -> Path:
    from network.paths import cache_dir

    return cache_dir() / f"revealjs-{VERSION}"


def check_integrity(data: bytes, integrity: str = INTEGRITY) -> None:
    """Raise RevealError unless ``data`` has the npm ``integrity`` (``sha512-<base64>``)."""
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise RevealError(f"reveal.js {VERSION} from the npm registry does not match its published "
                          f"integrity ({algorithm} {actual[:16]}… instead of {expected[:16]}…); "
                          "nothing was kept")


def unpack(data: bytes, folder: Path) -> None:
    """Write the needed assets of the (checked) tarball ``data`` into ``folder``, atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name, member in ASSETS.items():
            extracted = tar.extractfile(member)
            if extracted is None:
                raise RevealError(f"reveal.js {VERSION} has no {member}")
            tmp = folder / f".{name}.{os.getpid()}.part"
            tmp.write_bytes(extracted.read())
            os.replace(tmp, folder / name)


def missing(folder: Path) -> list[str]:
    return [name for name in ASSETS if not (folder / name).is_file()]


def download(url: str = TARBALL) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except OSError as e:
        raise RevealError(f"cannot download reveal.js {VERSION} from {url} ({e}); connect to the "
                          "internet once and run `make setup`") from None
    if len(data) > MAX_BYTES:
        raise RevealError(f"{url} is larger than {MAX_BYTES:,} bytes: refused")
    return data


def ensure_assets(fetch: bool = True, url: str = TARBALL) -> Path:
    """The folder holding every asset, fetching them first if some are missing and ``fetch``."""
    folder = assets_dir()
    if not missing(folder):
        return folder
    if not fetch:
        raise RevealError(f"reveal.js {VERSION} is not in {folder}: run `make setup` once with "
                          "internet (it fetches reveal.js from the npm registry)")
    data = download(url)
    check_integrity(data)
    unpack(data, folder)
    return folder


def manim_slides_cache() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("manim-slides") / f"revealjs{VERSION}"


def install_for_manim_slides(folder: Path | None = None) -> Path:
    """Copy the assets into manim-slides' own cache (where ``convert --offline`` reads them)."""
    folder = folder or ensure_assets(fetch=False)
    target = manim_slides_cache()
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        source = (folder / name).read_bytes()
        if (target / name).is_file() and (target / name).read_bytes() == source:
            continue
        tmp = target / f".{name}.{os.getpid()}.part"
        tmp.write_bytes(source)
        os.replace(tmp, target / name)
    return target


def main() -> int:
    try:
        folder = ensure_assets()
        install_for_manim_slides(folder)
    except (RevealError, OSError) as e:
        print(f"setup: warning: {e}; decks cannot be built until then", file=sys.stderr)
        return 0  # setup goes on: everything but the decks works without it
    print(f"setup: reveal.js {VERSION} for offline decks is in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
