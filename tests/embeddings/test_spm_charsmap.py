from __future__ import annotations

import pytest
from tokenizers import normalizers

from embeddings.spm_charsmap import build_precompiled_charsmap, lookup

MAPPING = {
    "\t": " ",
    "\x01": "",
    "Ａ": "A",
    "ﬁ": "fi",
    "½": "1⁄2",
    "𝐀": "A",  # four UTF-8 bytes
    "\u200b": " ",
    "ab": "X",  # a multi-character key
}


def test_lookup_finds_every_key_and_nothing_else() -> None:
    charsmap = build_precompiled_charsmap(MAPPING)
    for source, target in MAPPING.items():
        assert lookup(charsmap, source) == target
    for other in ["a", "b", "B", "я", "Б", "€", "😀", "\n"]:
        assert lookup(charsmap, other) is None


def test_tokenizers_precompiled_normalizer_reads_it() -> None:
    normalizer = normalizers.Precompiled(build_precompiled_charsmap(MAPPING))
    assert normalizer.normalize_str("Ａ\tﬁx½\x01 𝐀 я\u200b") == "A fix1⁄2 A я "
    assert normalizer.normalize_str("plain текст") == "plain текст"


def test_large_mapping_round_trips() -> None:
    # Thousands of keys spread over 1- to 4-byte UTF-8, like the real nmt_nfkc table.
    mapping = {chr(cp): chr(0x41 + cp % 26) for cp in range(0xA0, 0x30000, 37)}
    mapping = {k: v for k, v in mapping.items() if not 0xD800 <= ord(k) < 0xE000}
    normalizer = normalizers.Precompiled(build_precompiled_charsmap(mapping))
    for source, target in mapping.items():
        assert normalizer.normalize_str(source) == target
    assert normalizer.normalize_str("\u00a1") == "\u00a1"


@pytest.mark.parametrize("bad", [{"": "x"}, {"a\0": "x"}, {"a": "\0"}])
def test_rejects_unencodable_entries(bad: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        build_precompiled_charsmap(bad)
