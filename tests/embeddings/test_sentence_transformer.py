from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings.sentence_transformer import SentenceTransformerEncoder


def test_prefixes_come_from_the_folder_prompts(synthetic_folder: Path) -> None:
    encoder = SentenceTransformerEncoder(synthetic_folder)
    assert (encoder.query_prefix, encoder.passage_prefix) == ("query: ", "passage: ")
    custom = SentenceTransformerEncoder(synthetic_folder, query_prefix="q: ", passage_prefix="")
    assert (custom.query_prefix, custom.passage_prefix) == ("q: ", "")


def test_folder_without_prompts_gets_no_prefixes(synthetic_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "symmetric"
    shutil.copytree(synthetic_folder, folder)
    config_path = folder / "config_sentence_transformers.json"
    config = json.loads(config_path.read_text())
    config["prompts"] = {}
    config_path.write_text(json.dumps(config))
    encoder = SentenceTransformerEncoder(folder)
    assert (encoder.query_prefix, encoder.passage_prefix) == ("", "")
    texts = ["ab c", "привет мир"]
    np.testing.assert_allclose(encoder.encode_queries(texts), encoder.encode_passages(texts))


def test_model_id_is_name_plus_config_hash(synthetic_folder: Path) -> None:
    first = SentenceTransformerEncoder(synthetic_folder).model_id
    assert re.fullmatch(r"tiny-e5-[0-9a-f]{12}", first)
    assert SentenceTransformerEncoder(synthetic_folder).model_id == first
    assert SentenceTransformerEncoder(synthetic_folder, query_prefix="").model_id != first
    assert SentenceTransformerEncoder(synthetic_folder, model_id="mine").model_id == "mine"


def test_nothing_loads_until_needed(synthetic_folder: Path) -> None:
    encoder = SentenceTransformerEncoder(synthetic_folder)
    assert encoder.dimension == 64  # read from 1_Pooling/config.json
    assert encoder.encode_queries([]).shape == (0, 64)
    assert encoder._model is None
    encoder.warm_up()
    assert encoder._model is not None


def test_queries_and_passages_use_their_prefixes(synthetic_folder: Path) -> None:
    encoder = SentenceTransformerEncoder(synthetic_folder)
    query = encoder.encode_queries(["ab c"])
    passage = encoder.encode_passages(["ab c"])
    explicit = SentenceTransformerEncoder(synthetic_folder, query_prefix="", passage_prefix="")
    assert not np.allclose(query, passage)
    np.testing.assert_allclose(explicit.encode_queries(["query: ab c"]), query, atol=1e-6)


def test_rejects_a_bare_string_and_a_missing_folder(synthetic_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        SentenceTransformerEncoder(synthetic_folder).encode_queries("ab c")
    with pytest.raises(FileNotFoundError):
        SentenceTransformerEncoder(tmp_path / "absent")


def test_long_text_is_truncated_not_fatal(synthetic_folder: Path) -> None:
    # The synthetic model has 64 positions; a much longer text must still encode.
    vectors = SentenceTransformerEncoder(synthetic_folder).encode_passages(["ab c " * 500])
    assert vectors.shape == (1, 64)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_dimension_without_pooling_config_loads_the_model(
    synthetic_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "no-pooling-config"
    shutil.copytree(synthetic_folder, folder)
    (folder / "1_Pooling" / "config.json").unlink()
    (folder / "modules.json").unlink()  # a bare transformers folder: mean pooling by default
    encoder = SentenceTransformerEncoder(folder)
    assert encoder.dimension == 64
    assert encoder._model is not None
