from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from embeddings.prepare import default_model_path, onnx_model_path
from embeddings.vocabulary import kept_ids, kept_piece, prune_graph_vocabulary, prune_tokenizer

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PIECES = [
    "<s>",
    "<pad>",
    "</s>",
    "<unk>",
    "▁при",
    "вет",
    "▁hello",
    "中文",
    "▁",
    "中",
    "文",
    "<mask>",
]


def _tokenizer() -> dict[str, Any]:
    specials = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": len(PIECES) - 1}
    return {
        "added_tokens": [
            {
                "id": i,
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for t, i in specials.items()
        ],
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Metaspace",
            "replacement": "▁",
            "prepend_scheme": "always",
            "split": True,
        },
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": "<s>", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}},
            ],
            "pair": [],
            "special_tokens": {
                "<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]},
            },
        },
        "decoder": None,
        "model": {
            "type": "Unigram",
            "unk_id": 3,
            "vocab": [[p, -float(i)] for i, p in enumerate(PIECES)],
            "byte_fallback": False,
        },
        "padding": {
            "strategy": "BatchLongest",
            "direction": "Right",
            "pad_to_multiple_of": None,
            "pad_id": 1,
            "pad_type_id": 0,
            "pad_token": "<pad>",
        },
    }


def test_keeps_single_characters_and_the_scripts_of_our_lines() -> None:
    for piece in ("▁при", "вет", "▁hello", "▁café", "—", "▁№", "中", "▁中", "▁"):
        assert kept_piece(piece), piece
    for piece in ("中文", "▁中文", "żół", "▁مرحبا"):
        assert not kept_piece(piece), piece


def test_pruned_tokenizer_renumbers_pieces_and_special_tokens() -> None:
    tokenizer = _tokenizer()
    keep = kept_ids(tokenizer)
    assert [PIECES[i] for i in keep] == [p for p in PIECES if p != "中文"]
    pruned = prune_tokenizer(tokenizer, keep)
    assert tokenizer["model"]["vocab"][7][0] == "中文"  # the input is left alone
    assert [p for p, _ in pruned["model"]["vocab"]] == [PIECES[i] for i in keep]
    assert {t["content"]: t["id"] for t in pruned["added_tokens"]}["<mask>"] == len(keep) - 1
    assert pruned["model"]["unk_id"] == 3 and pruned["padding"]["pad_id"] == 1


def test_pruned_tokenizer_segments_kept_text_alike_and_maps_back_to_old_ids() -> None:
    from tokenizers import Tokenizer

    tokenizer = _tokenizer()
    keep = kept_ids(tokenizer)
    full = Tokenizer.from_str(json.dumps(tokenizer))
    pruned = Tokenizer.from_str(json.dumps(prune_tokenizer(tokenizer, keep)))
    before, after = full.encode("привет hello"), pruned.encode("привет hello")
    assert after.tokens == before.tokens == ["<s>", "▁при", "вет", "▁hello", "</s>"]
    assert keep[after.ids].tolist() == before.ids
    # Another script loses its longer pieces but no character becomes unknown.
    assert pruned.encode("中文").tokens == ["<s>", "▁", "中", "文", "</s>"]


def test_graph_keeps_the_vocabulary_rows_of_the_kept_pieces(tmp_path: Path) -> None:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rows = np.arange(len(PIECES) * 3, dtype=np.int8).reshape(len(PIECES), 3)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["vocab", "input_ids"], ["out"])],
        "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["n"])],
        [helper.make_tensor_value_info("out", TensorProto.INT8, ["n", 3])],
        [numpy_helper.from_array(rows, "vocab")],
    )
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    keep = kept_ids(_tokenizer())
    prune_graph_vocabulary(path, keep)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    new_ids = np.arange(len(keep), dtype=np.int64)
    np.testing.assert_array_equal(session.run(None, {"input_ids": new_ids})[0], rows[keep])


def test_graph_without_a_vocabulary_gather_is_refused(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["input_ids"], ["out"])],
        "no-vocabulary",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["n"])],
        [helper.make_tensor_value_info("out", TensorProto.INT64, ["n"])],
    )
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(ValueError, match="one Gather"):
        prune_graph_vocabulary(path, np.arange(3, dtype=np.int64))


def _sample_texts() -> list[str]:
    texts = []
    for path in sorted(SAMPLES.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            fields = ("text", "question", "answer", "title", "description")
            texts += [record[f] for f in fields if isinstance(record.get(f), str)]
    return texts


@pytest.mark.integration
def test_prepared_model_tokenizes_every_sample_text_as_the_full_vocabulary_does(
    prepared_models_dir: Path,
) -> None:
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(default_model_path(prepared_models_dir) / "tokenizer.json"))
    pruned = Tokenizer.from_file(str(onnx_model_path(prepared_models_dir) / "tokenizer.json"))
    assert pruned.get_vocab_size() < 0.6 * full.get_vocab_size()
    texts = _sample_texts()
    assert len(texts) > 3000
    differing = [t for t in texts if pruned.encode(t).tokens != full.encode(t).tokens]
    assert differing == []
