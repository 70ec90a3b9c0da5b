"""MNIST for the network: the official IDX files from wherever they can be found.

``load_mnist`` tries, in order:

1. a folder the user names (the ``mnist_dir`` argument, else ``$MNIST_DIR``). It is used as
   is -- any IDX data of the right shapes, official or not -- and if it is incomplete or broken
   that is an error: the user asked for that folder, so there is no silent fallback;
2. the user cache folder (``cache_dir() / "mnist"``), if it holds all four files and each
   matches its published SHA-256;
3. a download of the missing files from public mirrors, verified, then saved in the cache;
4. the 10,000-image sample bundled in ``network/sample``, so everything also works offline.

Each step down is announced with one line through ``log``, and so is the source chosen.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from network.atomic import atomic_write, remove_stale_parts
from network.idx import GZIP_MAGIC, IDXError, decompress, parse_idx, read_idx_bytes
from network.paths import cache_dir

TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
NAMES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# SHA-256 of the *uncompressed* official files: mirrors may gzip differently, the content
# is the same. Looked up at call time, so tests can swap in checksums of small fake files.
SHA256 = {
    TRAIN_IMAGES: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    TRAIN_LABELS: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    TEST_IMAGES: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    TEST_LABELS: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Base URLs serving the four ``<name>.gz`` files, tried in turn.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)
TIMEOUT = 10  # seconds to connect, and at most between two chunks of a transfer
# The most one file's download may take, from connecting to the last byte (the largest file
# is 9.9 MB: 5 minutes is 33 kB/s); a mirror that trickles counts as failed. The limit is
# checked between chunks, so a transfer stops at most TIMEOUT seconds after it.
DOWNLOAD_DEADLINE = 300
MAX_DOWNLOAD_BYTES = 64 * 2**20  # no MNIST file is near this; a mirror sending more is wrong
# After a failed download, loads within this many seconds go straight to the sample instead
# of waiting on the mirrors again (every scene render loads the data).
RETRY_AFTER = 600
USER_AGENT = "nn-explained (MNIST loader; Python urllib)"

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_IMAGES = SAMPLE_DIR / "sample-images-idx3-ubyte.gz"
SAMPLE_LABELS = SAMPLE_DIR / "sample-labels-idx1-ubyte.gz"
SAMPLE_TEST_SIZE = 2_000
SAMPLE_SEED = 0  # fixes the sample's train/test split, so its identity never changes


class MNISTError(RuntimeError):
    """MNIST could not be loaded from where it had to come from; the message says which file."""


@dataclass(frozen=True, eq=False)
class MNIST:
    """The four MNIST arrays and where they came from.

    ``*_images`` are (n, 28, 28) uint8 and ``*_labels`` (n,) uint8 digits, all made read-only
    so that ``identity`` -- a SHA-256 of the arrays' shapes and bytes, the key under which
    trained models are cached -- keeps describing them. ``source`` is "dir", "cache",
    "download" or "sample"; ``description`` is one human line about the data. Instances
    compare by object; compare ``identity`` to compare data.
    """

    train_images: np.ndarray = field(repr=False)
    train_labels: np.ndarray = field(repr=False)
    test_images: np.ndarray = field(repr=False)
    test_labels: np.ndarray = field(repr=False)
    source: str
    description: str
    identity: str

    def __post_init__(self):
        for array in (self.train_images, self.train_labels, self.test_images, self.test_labels):
            array.flags.writeable = False

    # cached_property works on a frozen dataclass as long as it has no __slots__: it stores
    # the value in the instance __dict__ directly. The float copies are 4x the uint8 size
    # (190 MB for the full training set), so they are made only when asked for.
    @cached_property
    def train_x(self) -> np.ndarray:
        """The training images as rows of 784 float32 pixels in [0, 1]; computed once."""
        return _as_rows(self.train_images)

    @cached_property
    def test_x(self) -> np.ndarray:
        """The test images as rows of 784 float32 pixels in [0, 1]; computed once."""
        return _as_rows(self.test_images)

    @property
    def train_size(self) -> int:
        """The number of training images."""
        return len(self.train_labels)

    @property
    def test_size(self) -> int:
        """The number of test images."""
        return len(self.test_labels)


OFFLINE_ENV = "NN_EXPLAINED_OFFLINE"  # set to 1: never try to download (a classroom, a train)


def load_mnist(mnist_dir=None, *, cache=None, download=None, mirrors=MIRRORS, progress=True,
               log=print) -> MNIST:
    """MNIST from ``mnist_dir`` (else ``$MNIST_DIR``), else the cache folder ``cache`` (default
    ``cache_dir() / "mnist"``), else a download from ``mirrors`` into that cache (if
    ``download``, by default unless ``$NN_EXPLAINED_OFFLINE`` is 1; with a progress bar if
    ``progress``), else the bundled sample.

    Raises MNISTError if a named folder is missing, incomplete or broken, or if the bundled
    sample is damaged. ``log`` receives one line per fallback and one naming the source."""
    if download is None:
        download = os.environ.get(OFFLINE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")
    folder, via = mnist_dir, "folder"
    if folder is None and os.environ.get("MNIST_DIR"):
        folder, via = os.environ["MNIST_DIR"], "MNIST_DIR folder"
    if folder is not None:
        data = _from_folder(Path(folder).expanduser(), via)
    else:
        cache = Path(cache).expanduser() if cache is not None else cache_dir() / "mnist"
        data = _from_cache(cache, download, mirrors, progress, log) or _from_sample()
    log(f"data: {data.description}")
    return data


# -- 1. a folder the user names ---------------------------------------------------------------

def _from_folder(folder: Path, via: str) -> MNIST:
    """The four files in ``folder``, each ``<name>.gz`` or ``<name>``, checksums not required."""
    if not folder.is_dir():
        raise MNISTError(f"{via} {folder} does not exist or is not a folder")
    arrays, official = {}, True
    for name in NAMES:
        path = next((p for p in (folder / f"{name}.gz", folder / name) if p.is_file()), None)
        if path is None:
            raise MNISTError(f"{via} {folder} has no {name}.gz (or uncompressed {name})")
        try:
            data = read_idx_bytes(path)
            arrays[name] = (path, parse_idx(data, path))
        except IDXError as e:
            raise MNISTError(f"{via} {folder}: {e}") from None
        official = official and hashlib.sha256(data).hexdigest() == SHA256[name]
    kind = "official MNIST" if official else "MNIST-format data"
    return _make(arrays, "dir", lambda n, m: f"{kind} ({n:,} training / {m:,} test images) "
                                             f"from {via} {folder}")


# -- 2. and 3. the cache, filled by downloads ---------------------------------------------------

def _from_cache(cache: Path, download, mirrors, progress, log) -> MNIST | None:
    """MNIST from the cache folder, downloading what it lacks; None (said through ``log``)
    if that cannot be done."""
    arrays = {}
    remove_stale_parts(cache, ".*.part")  # left by a process killed mid-write
    remove_stale_parts(cache.parent, f".{cache.name}.download-failed.*.part")
    for name in NAMES:
        path = cache / f"{name}.gz"
        if not path.exists():
            continue
        try:
            arrays[name] = (path, _verified(read_idx_bytes(path), name, path))
        except IDXError as e:  # never trust it again: remove it, a download replaces it
            log(f"data: removing corrupt cached file: {e}")
            with contextlib.suppress(OSError):
                path.unlink()
    missing = [name for name in NAMES if name not in arrays]
    if not missing:
        return _make(arrays, "cache", lambda n, m: f"official MNIST ({n:,} training / "
                                                   f"{m:,} test images) from cache folder {cache}")
    if not download:
        log(f"data: MNIST is not in the cache folder {cache} and downloads are off: "
            "using the bundled offline sample")
        return None
    marker = cache.with_name(cache.name + ".download-failed")
    failure = _recent_failure(marker)
    if failure is not None:
        age, reason = failure
        log(f"data: the last download failed {age / 60:.0f} min ago "
            f"({reason}): using the bundled offline sample; "
            f"downloads are tried again after {RETRY_AFTER // 60} min, or delete {marker}")
        return None
    log(f"data: MNIST is not in the cache folder {cache} yet: downloading "
        f"{len(missing)} file{'s' * (len(missing) > 1)}")
    try:
        arrays.update(_download(missing, cache, mirrors, progress, log))
    except _DownloadError as e:
        log(f"data: download failed ({e}): using the bundled offline sample")
        with contextlib.suppress(OSError), atomic_write(marker, "w") as f:
            f.write(str(e))
        return None
    with contextlib.suppress(OSError):
        marker.unlink()
    return _make(arrays, "download", lambda n, m: f"official MNIST ({n:,} training / {m:,} "
                                                  f"test images) downloaded into {cache}")


def _recent_failure(marker: Path) -> tuple[float, str] | None:
    """``(age in seconds, reason)`` from the marker a failed download left, if it is younger
    than RETRY_AFTER; None otherwise. A damaged marker (not text, not a regular file,
    unreadable) counts as absent, and is removed if it is a file."""
    try:
        if not marker.is_file():
            return None
        age = time.time() - marker.stat().st_mtime
        with marker.open("rb") as f:
            reason = f.read(2000).decode("utf-8")
        if not all(c.isprintable() or c.isspace() for c in reason):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "control characters")
    except UnicodeDecodeError:  # not a marker this module wrote: forget it
        with contextlib.suppress(OSError):
            marker.unlink()
        return None
    except OSError:
        return None
    if not 0 <= age < RETRY_AFTER:
        return None
    return age, " ".join(reason.split())[:300] or "no reason recorded"


def _verified(data: bytes, name: str, label) -> np.ndarray:
    """The array in the uncompressed IDX bytes ``data`` of official file ``name``, after
    checking their SHA-256; IDXError (naming ``label``) if it is not the official file."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        raise IDXError(f"{label}: checksum mismatch: SHA-256 {digest[:16]}..., expected "
                       f"{SHA256[name][:16]}... for {name}")
    return parse_idx(data, label)


class _DownloadError(Exception):
    """No mirror delivered a verified copy of a file."""


def _download(names, cache: Path, mirrors, progress, log) -> dict:
    """``{name: (path, array)}`` for each of ``names``, fetched from the first mirror that
    delivers a verified copy and saved in ``cache``; _DownloadError if some file could not be."""
    got, mirrors, reason = {}, list(mirrors), "no mirrors to download from"
    with _progress_bar(progress) as bar:
        for i, mirror in enumerate(mirrors):
            try:
                for name in [n for n in names if n not in got]:
                    url = f"{mirror.rstrip('/')}/{name}.gz"
                    blob, array = _fetch_verified(url, name, bar)
                    path = cache / f"{name}.gz"
                    _save(path, blob, log)
                    got[name] = (path, array)
                return got
            except _DownloadError as e:
                reason = f"{mirror}: {e}"
                if i + 1 < len(mirrors):
                    log(f"data: mirror {mirror} failed ({e}); trying the next one")
    raise _DownloadError(reason)


def _fetch_verified(url: str, name: str, bar) -> tuple[bytes, np.ndarray]:
    """The gzip bytes at ``url`` and the array they hold, if they are the official ``name``."""
    blob = _fetch(url, f"{name}.gz", bar)
    try:
        array = _verified(decompress(blob, f"{name}.gz"), name, f"{name}.gz")
    except IDXError as e:
        raise _DownloadError(str(e)) from None
    if not blob.startswith(GZIP_MAGIC):  # the cache holds gzip files only
        blob = gzip.compress(decompress(blob), mtime=0)
    return blob, array


def _fetch(url: str, label: str, bar) -> bytes:
    """The whole body of ``url``, shown on ``bar`` (a rich Progress, or None); _DownloadError
    on any failure, including a transfer that stops short of its Content-Length, one that
    takes longer than DOWNLOAD_DEADLINE, and one larger than MAX_DOWNLOAD_BYTES."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    task = None
    deadline = time.monotonic() + DOWNLOAD_DEADLINE
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else None
            task = bar.add_task(label, total=total) if bar is not None else None
            chunks, received = [], 0
            # read1, not read: read(n) waits for all n bytes, so a server trickling a byte at
            # a time would never let the deadline be checked. http.client returns b"" rather
            # than raising when a server closes early, so the length is checked below as well.
            while chunk := response.read1(1 << 16):
                chunks.append(chunk)
                received += len(chunk)
                if task is not None:
                    bar.update(task, advance=len(chunk))
                if time.monotonic() > deadline:
                    raise _DownloadError(f"{label}: too slow: {received:,} bytes in "
                                         f"{DOWNLOAD_DEADLINE} s, the most one file may take")
                if received > MAX_DOWNLOAD_BYTES:
                    raise _DownloadError(f"{label}: more than {MAX_DOWNLOAD_BYTES:,} bytes; "
                                         "not an MNIST file")
        if total is not None and received != total:
            raise _DownloadError(f"{label}: transfer interrupted: received {received:,} "
                                 f"of {total:,} bytes")
        return b"".join(chunks)
    except BaseException as e:
        if task is not None:  # a failed transfer leaves no bar behind either
            bar.remove_task(task)
        if isinstance(e, _DownloadError):
            raise
        if isinstance(e, (OSError, http.client.HTTPException, ValueError)):  # URLError: OSError
            raise _DownloadError(f"{label}: {_reason(e)}") from None
        raise


def _reason(error: Exception) -> str:
    """A short human reason for a failed transfer."""
    if isinstance(error, http.client.IncompleteRead):
        received = len(error.partial)
        return f"transfer interrupted: received {received:,} of {received + error.expected:,} bytes"
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    if isinstance(error, TimeoutError):
        return f"no answer within {TIMEOUT} s"
    return str(error) or type(error).__name__


def _save(path: Path, blob: bytes, log) -> None:
    """Store ``blob`` at ``path`` atomically; a cache that cannot be written is only a pity."""
    try:
        with atomic_write(path) as f:
            f.write(blob)
    except OSError as e:  # the message names the path
        log(f"data: {e}; it will be downloaded again")


def _progress_bar(enabled: bool):
    """A rich progress display for downloads (on stderr), or a context giving None."""
    if not enabled:
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                               TimeRemainingColumn, TransferSpeedColumn)
    return Progress(TextColumn("downloading {task.description}"), BarColumn(), DownloadColumn(),
                    TransferSpeedColumn(), TimeRemainingColumn(), console=Console(stderr=True))


# -- 4. the bundled sample ------------------------------------------------------------------

def _from_sample() -> MNIST:
    """The bundled 10,000 official training images, split by a fixed permutation into
    8,000 for training and 2,000 held out as the test set."""
    try:
        images = parse_idx(read_idx_bytes(SAMPLE_IMAGES), SAMPLE_IMAGES)
        labels = parse_idx(read_idx_bytes(SAMPLE_LABELS), SAMPLE_LABELS)
    except IDXError as e:
        raise MNISTError(f"the bundled offline sample is damaged ({e}); reinstall the "
                         "project or set MNIST_DIR to a folder with the MNIST files") from None
    _check_pair(images, labels, SAMPLE_IMAGES, SAMPLE_LABELS)
    # The files are grouped by digit; the shuffle also mixes digits within each part.
    order = np.random.default_rng(SAMPLE_SEED).permutation(len(labels))
    train, test = order[:-SAMPLE_TEST_SIZE], order[-SAMPLE_TEST_SIZE:]
    description = (f"bundled offline sample: first {len(labels):,} official training images; "
                   f"{len(train):,} for training, {len(test):,} held out as the test set")
    arrays = (images[train], labels[train], images[test], labels[test])
    return MNIST(*arrays, source="sample", description=description, identity=_identity(arrays))


# -- common checks -------------------------------------------------------------------------------

def _make(arrays: dict, source: str, describe) -> MNIST:
    """An MNIST from ``{name: (path, array)}`` after checking shapes and labels;
    ``describe(train_size, test_size)`` gives its description."""
    _check_pair(arrays[TRAIN_IMAGES][1], arrays[TRAIN_LABELS][1],
                arrays[TRAIN_IMAGES][0], arrays[TRAIN_LABELS][0])
    _check_pair(arrays[TEST_IMAGES][1], arrays[TEST_LABELS][1],
                arrays[TEST_IMAGES][0], arrays[TEST_LABELS][0])
    four = tuple(arrays[name][1] for name in NAMES)
    return MNIST(*four, source=source, description=describe(len(four[1]), len(four[3])),
                 identity=_identity(four))


def _check_pair(images, labels, images_path, labels_path) -> None:
    """Raise MNISTError, naming the file, unless ``images`` are (n, 28, 28) uint8 and
    ``labels`` n uint8 digits 0..9."""
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise MNISTError(f"{images_path}: expected uint8 images of shape (n, 28, 28), found "
                         f"{images.dtype} of shape {images.shape}")
    if len(images) == 0:
        raise MNISTError(f"{images_path}: holds no images")
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise MNISTError(f"{labels_path}: expected uint8 labels of shape (n,), found "
                         f"{labels.dtype} of shape {labels.shape}")
    if len(labels) != len(images):
        raise MNISTError(f"{labels_path}: holds {len(labels):,} labels for the "
                         f"{len(images):,} images of {Path(images_path).name}")
    if labels.max() > 9:
        raise MNISTError(f"{labels_path}: label {labels.max()} is not a digit 0-9")


def _identity(arrays) -> str:
    """SHA-256 hex digest of the arrays' dtypes, shapes and bytes, in order."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(f"{array.dtype.str}{array.shape};".encode())
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def _as_rows(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) uint8 images as a read-only (n, 784) float32 array scaled to [0, 1]."""
    rows = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    rows.flags.writeable = False
    return rows
