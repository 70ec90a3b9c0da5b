"""IDX reading and writing: round trips, the exact format, and clear errors for broken files."""

import gzip

import numpy as np
import pytest

from network.idx import IDXError, IDXFileNotFoundError, encode_idx, read_idx, write_idx

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]
SHAPES = [(7,), (3, 5), (4, 28, 28), (2, 3, 4, 5)]


def sample_array(dtype, shape):
    """Values spanning the dtype's range, negatives included where it has them."""
    rng = np.random.default_rng(1)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    return (rng.standard_normal(shape) * 1e3).astype(dtype)


@pytest.mark.parametrize("suffix", [".gz", ""])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip(tmp_path, dtype, shape, suffix):
    array = sample_array(dtype, shape)
    path = write_idx(tmp_path / f"a.idx{suffix}", array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.shape == shape
    np.testing.assert_array_equal(back, array)
    assert back.flags.writeable
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == (suffix == ".gz")


def test_exact_bytes_big_endian(tmp_path):
    path = write_idx(tmp_path / "x", np.array([[1, 2, 3], [4, 5, -6]], dtype=np.int32))
    header = bytes([0, 0, 0x0C, 2, 0, 0, 0, 2, 0, 0, 0, 3])
    values = b"".join(v.to_bytes(4, "big", signed=True) for v in [1, 2, 3, 4, 5, -6])
    assert path.read_bytes() == header + values
    assert encode_idx(np.arange(3, dtype=np.uint8)) == bytes([0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 2])


def test_gzip_is_reproducible_and_little_endian_input_is_accepted(tmp_path):
    array = sample_array(np.float32, (10, 10))
    a = write_idx(tmp_path / "a.gz", array).read_bytes()
    b = write_idx(tmp_path / "b.gz", array.astype("<f4")).read_bytes()
    c = write_idx(tmp_path / "c.gz", array.astype(">f4")).read_bytes()
    assert a == b == c
    assert gzip.decompress(a) == encode_idx(array)


def test_gzip_is_detected_by_content_not_name(tmp_path):
    array = np.arange(12, dtype=np.uint8).reshape(3, 4)
    raw_named_gz = tmp_path / "raw.gz"
    raw_named_gz.write_bytes(encode_idx(array))
    gz_named_raw = tmp_path / "gz.idx"
    gz_named_raw.write_bytes(gzip.compress(encode_idx(array)))
    np.testing.assert_array_equal(read_idx(raw_named_gz), array)
    np.testing.assert_array_equal(read_idx(gz_named_raw), array)


def test_empty_dimension(tmp_path):
    back = read_idx(write_idx(tmp_path / "e.gz", np.zeros((0, 28, 28), dtype=np.uint8)))
    assert back.shape == (0, 28, 28)


@pytest.mark.parametrize("bad", [np.zeros(3, dtype=np.int64), np.zeros(3, dtype=bool),
                                 np.array(5, dtype=np.uint8)])
def test_write_rejects_what_idx_cannot_hold_and_leaves_nothing(tmp_path, bad):
    path = tmp_path / "bad.idx.gz"
    with pytest.raises(IDXError, match="bad.idx.gz: IDX"):
        write_idx(path, bad)
    assert list(tmp_path.iterdir()) == []


# -- broken files ----------------------------------------------------------------------------

GOOD = encode_idx(np.arange(10, dtype=np.uint8).reshape(2, 5))  # 8-byte header + 10 bytes


@pytest.mark.parametrize("content, problem", [
    (b"", "empty file"),
    (b"\x00\x00", "truncated: an IDX header needs at least 4 bytes, found 2"),
    (b"\x01\x02" + GOOD[2:], "not an IDX file: bad magic number 01 02 08 02"),
    (b"PK\x03\x04" + GOOD[4:], "not an IDX file: bad magic number"),
    (GOOD[:2] + b"\x07" + GOOD[3:], "unknown IDX type code 0x07"),
    (GOOD[:3] + b"\x00", "zero dimensions"),
    (GOOD[:6], "truncated: the header of a 2-dimensional IDX file needs 12 bytes, found 6"),
    (GOOD[:-3], "truncated: expected 10 bytes of data, found 7"),
    (GOOD + b"\x00\x00", "2 extra bytes after the data (expected 10 bytes of data, found 12)"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_broken_idx_is_rejected_with_file_and_problem(tmp_path, content, problem, compress):
    path = tmp_path / "broken-idx1-ubyte"
    path.write_bytes(gzip.compress(content) if compress else content)
    with pytest.raises(IDXError) as info:
        read_idx(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and problem in message


def gz_bytes():
    return gzip.compress(GOOD, mtime=0)


@pytest.mark.parametrize("mangle, problem", [
    (lambda g: g[: len(g) // 2], "gzip stream truncated"),
    (lambda g: g[:-8], "gzip stream truncated"),
    (lambda g: g[:3], "gzip stream truncated"),
    (lambda g: g[:-8] + bytes(4) + g[-4:], "not a valid gzip file (CRC check failed)"),
    (lambda g: g[:10] + b"\xff" + g[11:], "not a valid gzip file"),
    (lambda g: g[:2] + b"\x07" + g[3:], "not a valid gzip file"),
    (lambda g: g + b"junk", "not a valid gzip file"),
])
def test_broken_gzip_is_rejected_with_file_and_problem(tmp_path, mangle, problem):
    path = tmp_path / "images.gz"
    path.write_bytes(mangle(gz_bytes()))
    with pytest.raises(IDXError) as info:
        read_idx(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "Traceback" not in message and info.value.__cause__ is None


def test_missing_file_is_both_idx_error_and_file_not_found(tmp_path):
    path = tmp_path / "nope-idx3-ubyte.gz"
    for kind in (IDXError, FileNotFoundError, IDXFileNotFoundError):
        with pytest.raises(kind, match="nope-idx3-ubyte.gz: no such file"):
            read_idx(path)


def test_unreadable_path_is_an_idx_error(tmp_path):
    with pytest.raises(IDXError, match="cannot read the file"):
        read_idx(tmp_path)  # a folder
