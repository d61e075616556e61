from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings.onnx_encoder import OnnxEncoder
from embeddings.sentence_transformer import SentenceTransformerEncoder


def test_prefixes_come_from_the_folder_prompts(synthetic_onnx: Path) -> None:
    encoder = OnnxEncoder(synthetic_onnx)
    assert (encoder.query_prefix, encoder.passage_prefix) == ("query: ", "passage: ")
    custom = OnnxEncoder(synthetic_onnx, query_prefix="q: ", passage_prefix="")
    assert (custom.query_prefix, custom.passage_prefix) == ("q: ", "")
    query = encoder.encode_queries(["ab c"])
    assert not np.allclose(query, encoder.encode_passages(["ab c"]))
    explicit = OnnxEncoder(synthetic_onnx, query_prefix="", passage_prefix="")
    np.testing.assert_array_equal(explicit.encode_queries(["query: ab c"]), query)


def test_model_id_is_name_plus_config_and_export_hash(synthetic_onnx: Path, tmp_path: Path) -> None:
    first = OnnxEncoder(synthetic_onnx).model_id
    assert re.fullmatch(r"tiny-e5-onnx-[0-9a-f]{12}", first)
    assert OnnxEncoder(synthetic_onnx).model_id == first
    assert OnnxEncoder(synthetic_onnx, query_prefix="").model_id != first
    assert OnnxEncoder(synthetic_onnx, model_id="mine").model_id == "mine"
    # Another export (say, another quantisation) of the same source is another model.
    copy = tmp_path / synthetic_onnx.name
    shutil.copytree(synthetic_onnx, copy)
    record = json.loads((copy / "onnx_export.json").read_text())
    (copy / "onnx_export.json").write_text(json.dumps({**record, "quantization": "other"}))
    assert OnnxEncoder(copy).model_id != first


def test_nothing_loads_until_needed(synthetic_onnx: Path) -> None:
    encoder = OnnxEncoder(synthetic_onnx)
    assert encoder.dimension == 64  # read from 1_Pooling/config.json
    assert encoder.encode_queries([]).shape == (0, 64)
    assert encoder._session is None
    encoder.warm_up()
    assert encoder._session is not None


def test_a_text_embeds_the_same_alone_and_in_any_batch(synthetic_onnx: Path) -> None:
    # int8 activations are scaled per pass, so this holds only because each text is its own.
    encoder = OnnxEncoder(synthetic_onnx)
    texts = ["ab c", "привет мир " * 20, "x"]
    batch = encoder.encode_passages(texts)
    for row, text in enumerate(texts):
        np.testing.assert_array_equal(encoder.encode_passages([text])[0], batch[row])
    np.testing.assert_array_equal(encoder.encode_passages(texts[::-1]), batch[::-1])


def test_long_text_is_truncated_not_fatal(synthetic_onnx: Path) -> None:
    encoder = OnnxEncoder(synthetic_onnx)
    assert encoder.max_length == 64  # the synthetic model's positions
    vectors = encoder.encode_passages(["ab c " * 500])
    assert vectors.shape == (1, 64)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_rejects_bad_input_and_folders(synthetic_onnx: Path, tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        OnnxEncoder(synthetic_onnx).encode_queries("ab c")
    with pytest.raises(FileNotFoundError):
        OnnxEncoder(tmp_path / "absent")
    with pytest.raises(ValueError, match="threads"):
        OnnxEncoder(synthetic_onnx, threads=0)
    folder = tmp_path / "max-pooling"
    shutil.copytree(synthetic_onnx, folder)
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"embedding_dimension": 64, "pooling_mode": "max"})
    )
    with pytest.raises(ValueError, match="pooling"):
        OnnxEncoder(folder)


def _edit(folder: Path, pooling: str, normalize: bool) -> None:
    config = folder / "1_Pooling" / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "pooling_mode": pooling}))
    modules = json.loads((folder / "modules.json").read_text())
    if not normalize:
        modules = [m for m in modules if not m["type"].endswith("Normalize")]
    (folder / "modules.json").write_text(json.dumps(modules))


@pytest.mark.parametrize(("pooling", "normalize"), [("cls", True), ("mean", False)])
def test_pooling_and_normalisation_follow_the_folder(
    synthetic_folder: Path,
    synthetic_onnx_float: Path,
    tmp_path: Path,
    pooling: str,
    normalize: bool,
) -> None:
    st_folder, onnx_folder = tmp_path / "st", tmp_path / "onnx"
    shutil.copytree(synthetic_folder, st_folder)
    shutil.copytree(synthetic_onnx_float, onnx_folder)
    for folder in (st_folder, onnx_folder):
        _edit(folder, pooling, normalize)
    texts = ["hello world", "привет мир", "ab c"]
    # SentenceTransformerEncoder always normalises; compare directions, then the norms.
    expected = SentenceTransformerEncoder(st_folder).encode_queries(texts)
    got = OnnxEncoder(onnx_folder).encode_queries(texts)
    norms = np.linalg.norm(got, axis=1, keepdims=True)
    np.testing.assert_allclose(got / norms, expected, atol=1e-5)
    assert normalize == bool(np.allclose(norms, 1.0, atol=1e-5))
