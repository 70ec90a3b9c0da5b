"""Read and write IDX files, the small binary format MNIST ships in.

An IDX file is a 4-byte magic number -- two zero bytes, a type code, the number of dimensions --
then each dimension as a big-endian uint32, then the values in C order, big-endian. MNIST's files
are gzip-compressed: ``read_idx`` recognises gzip by its first two bytes (1f 8b), whatever the
file is called.

Every problem with a file raises ``IDXError`` (a ``ValueError``) whose message starts with the
file's name and says what is wrong. A missing file raises ``IDXFileNotFoundError``, which is both
an ``IDXError`` and a ``FileNotFoundError``, so either ``except`` clause catches it.
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

from network.atomic import atomic_write

# The IDX type codes and the (big-endian) dtypes they stand for.
TYPE_CODES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"
_SUPPORTED = "uint8, int8, int16, int32, float32, float64"


class IDXError(ValueError):
    """A file that is not a whole, valid IDX file (plain or gzip-compressed)."""


class IDXFileNotFoundError(IDXError, FileNotFoundError):
    """The IDX file does not exist."""


def read_idx(path) -> np.ndarray:
    """The array stored in the IDX file at ``path`` (plain or gzip-compressed), as a new,
    writable array in native byte order."""
    return parse_idx(read_idx_bytes(path), path)


def read_idx_bytes(path) -> bytes:
    """The uncompressed bytes of the IDX file at ``path``: gunzipped if it starts with 1f 8b."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IDXFileNotFoundError(f"{path}: no such file") from None
    except OSError as e:
        raise IDXError(f"{path}: cannot read the file ({e.strerror or e})") from None
    return decompress(data, path)


def decompress(data: bytes, name="<bytes>") -> bytes:
    """``data`` gunzipped if it starts with the gzip magic bytes, else ``data`` unchanged.
    ``name`` labels error messages."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except EOFError:
        raise IDXError(f"{name}: gzip stream truncated (the file ends before the "
                       f"compressed data does)") from None
    except (OSError, zlib.error, ValueError, struct.error) as e:  # BadGzipFile is an OSError
        raise IDXError(f"{name}: not a valid gzip file ({e})") from None


def parse_idx(data: bytes, name="<bytes>") -> np.ndarray:
    """The array held by the uncompressed IDX bytes ``data``, in native byte order.
    ``name`` labels error messages."""
    if not data:
        raise IDXError(f"{name}: empty file")
    if len(data) < 4:
        raise IDXError(f"{name}: truncated: an IDX header needs at least 4 bytes, "
                       f"found {len(data)}")
    if data[:2] != b"\0\0":
        raise IDXError(f"{name}: not an IDX file: bad magic number {data[:4].hex(' ')} "
                       f"(expected 00 00 <type> <ndim>)")
    code, ndim = data[2], data[3]
    if code not in TYPE_CODES:
        known = ", ".join(f"0x{c:02x}" for c in TYPE_CODES)
        raise IDXError(f"{name}: bad magic number {data[:4].hex(' ')}: unknown IDX type "
                       f"code 0x{code:02x} (known: {known})")
    if ndim == 0:
        raise IDXError(f"{name}: bad magic number {data[:4].hex(' ')}: zero dimensions")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{name}: truncated: the header of a {ndim}-dimensional IDX file "
                       f"needs {header} bytes, found {len(data)}")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = TYPE_CODES[code]
    expected, found = math.prod(shape) * dtype.itemsize, len(data) - header
    if found < expected:
        raise IDXError(f"{name}: truncated: expected {expected:,} bytes of data, "
                       f"found {found:,}")
    if found > expected:
        raise IDXError(f"{name}: {found - expected:,} extra bytes after the data "
                       f"(expected {expected:,} bytes of data, found {found:,})")
    native = dtype.newbyteorder("=")
    if expected == 0:  # np.frombuffer refuses an offset at the very end of the buffer
        return np.zeros(shape, dtype=native)
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(native)


def encode_idx(array) -> bytes:
    """The uncompressed IDX bytes that store ``array``.

    IDX holds uint8, int8, int16, int32, float32 and float64 only; anything else (int64,
    bool, ...) raises IDXError rather than being cast silently."""
    array = np.asarray(array)
    code = next((c for c, dt in TYPE_CODES.items() if dt == array.dtype.newbyteorder(">")), None)
    if code is None:
        raise IDXError(f"IDX cannot hold {array.dtype} data (it holds {_SUPPORTED})")
    if not 1 <= array.ndim <= 255:
        raise IDXError(f"IDX holds arrays of 1 to 255 dimensions, not {array.ndim}")
    if max(array.shape) >= 2**32:
        raise IDXError(f"IDX dimensions must be below 2**32, not {array.shape}")
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=TYPE_CODES[code]).tobytes()


def write_idx(path, array) -> Path:
    """Write ``array`` to ``path`` as IDX, gzip-compressed if the name ends in ``.gz``, and
    return the path.

    The write is atomic (a reader never sees half a file; an error leaves nothing), and the gzip
    header carries no time stamp or file name, so equal arrays give byte-identical files."""
    path = Path(path)
    try:
        data = encode_idx(array)
    except IDXError as e:
        raise IDXError(f"{path}: {e}") from None
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    with atomic_write(path) as f:
        f.write(data)
    return path
