"""Build a SentencePiece "precompiled charsmap" from a plain character mapping.

The `tokenizers` library normalises text for SentencePiece models only through its
`Precompiled` normalizer, which reads the charsmap format SentencePiece stores in its
`.model` files: a darts-clone double-array trie over the UTF-8 bytes of each source
string, whose leaves point into a blob of NUL-terminated replacement strings.

    u32 little-endian   size of the trie in bytes
    u32[] units         the double array
    bytes               replacement strings, each ending with b"\\0"

A unit is decoded as: label = bits 0-7 (bit 31 set marks a leaf value), bit 8 = "has a
leaf child", bit 9 = offset is scaled by 256, bits 10-31 = offset. A child with label c of
the node at position p lives at (p ^ offset(unit[p])) ^ c; a node's leaf (its value) lives
at label 0. We never need the scaled form: the array stays below 2**21 units.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

_LEAF_FLAG = 1 << 31
_HAS_LEAF = 1 << 8
_MAX_OFFSET = 1 << 21
_BLOCK = 256


@dataclass
class _Node:
    children: dict[int, _Node] = field(default_factory=dict)
    value: int | None = None


class _DoubleArray:
    """Greedy first-fit placement of trie nodes into a double array."""

    def __init__(self) -> None:
        self.units: list[int] = [0] * _BLOCK
        self.used: bytearray = bytearray(_BLOCK)
        self.used[0] = 1  # the root
        self.bases: set[int] = set()
        self._search_from = 1
        self._resume: dict[int, int] = {}

    def _grow(self, size: int) -> None:
        if size > len(self.units):
            size = (size + _BLOCK - 1) // _BLOCK * _BLOCK
            self.units.extend([0] * (size - len(self.units)))
            self.used.extend(bytes(size - len(self.used)))

    def find_base(self, labels: list[int]) -> int:
        first = labels[0]
        # First fit, but resume where the last node with the same first label landed:
        # earlier slots rarely fit again, and rescanning them made the build quadratic.
        position = max(self._search_from, self._resume.get(first, 0))
        while True:
            if position >= len(self.used):
                self._grow(position + 1)
            if not self.used[position]:
                base = position ^ first
                # A base must be unique: two nodes sharing one could see each other's
                # children, because the label check alone cannot tell them apart.
                if base not in self.bases and base != 0:
                    self._grow((base | (_BLOCK - 1)) + 1)
                    if all(not self.used[base ^ label] for label in labels):
                        self._resume[first] = position
                        return base
            position += 1

    def place(self, position: int, node: _Node) -> list[tuple[int, _Node]]:
        labels = sorted(node.children)
        if node.value is not None:
            labels.insert(0, 0)
        base = self.find_base(labels)
        offset = base ^ position
        if offset >= _MAX_OFFSET:
            raise ValueError("charsmap too large for unscaled double-array offsets")
        self.bases.add(base)
        self.units[position] |= offset << 10
        placed: list[tuple[int, _Node]] = []
        for label in labels:
            slot = base ^ label
            self.used[slot] = 1
            if label == 0:
                assert node.value is not None
                self.units[slot] = _LEAF_FLAG | node.value
                self.units[position] |= _HAS_LEAF
            else:
                self.units[slot] = label
                placed.append((slot, node.children[label]))
        while self._search_from < len(self.used) and self.used[self._search_from]:
            self._search_from += 1
        return placed


def build_precompiled_charsmap(mapping: Mapping[str, str]) -> bytes:
    """Encode `mapping` (source string -> replacement) in SentencePiece's charsmap format."""
    blob = bytearray()
    blob_offsets: dict[str, int] = {}
    root = _Node()
    for source, target in sorted(mapping.items()):
        if not source or "\0" in source or "\0" in target:
            raise ValueError(f"cannot encode mapping {source!r} -> {target!r}")
        if target not in blob_offsets:
            blob_offsets[target] = len(blob)
            blob += target.encode("utf-8") + b"\0"
        node = root
        for byte in source.encode("utf-8"):
            node = node.children.setdefault(byte, _Node())
        node.value = blob_offsets[target]

    array = _DoubleArray()
    queue: deque[tuple[int, _Node]] = deque([(0, root)])
    while queue:
        position, node = queue.popleft()
        if node.children or node.value is not None:
            queue.extend(array.place(position, node))
    trie = struct.pack(f"<{len(array.units)}I", *array.units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def lookup(charsmap: bytes, key: str) -> str | None:
    """Shortest-prefix lookup, the way `tokenizers` reads the trie (lets tests check it)."""
    (trie_size,) = struct.unpack_from("<I", charsmap, 0)
    units = struct.unpack_from(f"<{trie_size // 4}I", charsmap, 4)
    blob = charsmap[4 + trie_size :]

    def offset(unit: int) -> int:
        return (unit >> 10) << ((unit & (1 << 9)) >> 6)

    position = offset(units[0])
    for byte in key.encode("utf-8"):
        position ^= byte
        unit = units[position]
        if unit & (_LEAF_FLAG | 0xFF) != byte:
            return None
        position ^= offset(unit)
        if unit & _HAS_LEAF:
            start = units[position] & ~_LEAF_FLAG
            return blob[start : blob.index(b"\0", start)].decode("utf-8")
    return None
