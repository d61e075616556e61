"""Cut the e5 vocabulary down to the scripts a Russian and English support line writes.

multilingual-e5 shares XLM-R's 250,002-piece vocabulary. Loaded by `tokenizers`, it took
~210 MB of resident memory and ~2 s, most of it for pieces of scripts our lines never see
(CJK, Arabic, Devanagari...). A pruned export keeps:

- every single-character piece, so no character that had a piece becomes unknown;
- every longer piece written only in ASCII, Latin-1, Cyrillic, general punctuation, «№»;
- the special tokens.

Unigram segmentation only ever uses pieces that occur in the text, so a text written in
those characters gets exactly the pieces (renumbered) and the vector it had before; a text
in another script gets other pieces. The int8 vocabulary rows of the graph are cut to the
same pieces, so the new ids index the graph directly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

VOCABULARY = "ru-en-1"  # bump when the rule below changes: exports are redone
WORD_START = "▁"  # sentencepiece's word-start mark


def _ours(char: str) -> bool:
    code = ord(char)
    return code <= 0xFF or 0x400 <= code <= 0x4FF or 0x2000 <= code <= 0x206F or char in "▁№"


def kept_piece(piece: str) -> bool:
    return len(piece.lstrip(WORD_START)) <= 1 or all(_ours(c) for c in piece)


def kept_ids(tokenizer: dict[str, Any]) -> npt.NDArray[np.int64]:
    """Old ids of the pieces a pruned tokenizer keeps, ascending (new id = position)."""
    vocab = tokenizer["model"]["vocab"]
    special = {int(t["id"]) for t in tokenizer.get("added_tokens", [])}
    keep = [i for i, (piece, _score) in enumerate(vocab) if i in special or kept_piece(piece)]
    return np.asarray(keep, dtype=np.int64)


def prune_tokenizer(tokenizer: dict[str, Any], keep: npt.NDArray[np.int64]) -> dict[str, Any]:
    """A copy of a Unigram `tokenizer.json` holding only the pieces `keep`, renumbered."""
    if tokenizer["model"].get("type") != "Unigram":
        raise ValueError("only Unigram tokenizers can be pruned")
    new_id = {int(old): new for new, old in enumerate(keep)}
    out: dict[str, Any] = json.loads(json.dumps(tokenizer))
    model = out["model"]
    model["vocab"] = [model["vocab"][int(old)] for old in keep]
    if model.get("unk_id") is not None:
        model["unk_id"] = new_id[int(model["unk_id"])]
    for token in out.get("added_tokens", []):
        token["id"] = new_id[int(token["id"])]
    special_tokens = (out.get("post_processor") or {}).get("special_tokens", {})
    for token in special_tokens.values():
        token["ids"] = [new_id[int(i)] for i in token["ids"]]
    if out.get("padding"):
        out["padding"]["pad_id"] = new_id[int(out["padding"]["pad_id"])]
    return out


def prune_graph_vocabulary(graph: Path, keep: npt.NDArray[np.int64]) -> None:
    """Keep only the rows `keep` of the matrix the graph's `input_ids` gather from."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(graph))
    gathers = [
        node.input[0]
        for node in model.graph.node
        if node.op_type == "Gather" and len(node.input) == 2 and node.input[1] == "input_ids"
    ]
    if len(gathers) != 1:
        raise ValueError(f"{graph}: expected one Gather over input_ids, found {len(gathers)}")
    for initializer in model.graph.initializer:
        if initializer.name == gathers[0]:
            rows = numpy_helper.to_array(initializer)[keep]
            initializer.CopyFrom(numpy_helper.from_array(rows, initializer.name))
            break
    else:
        raise ValueError(f"{graph}: the vocabulary matrix {gathers[0]} is not an initializer")
    onnx.save(model, str(graph))


def prune_export(folder: Path) -> int:
    """Prune `tokenizer.json` and `model.onnx` of an exported folder together; returns the
    number of pieces kept."""
    path = Path(folder) / "tokenizer.json"
    tokenizer = json.loads(path.read_text(encoding="utf-8"))
    keep = kept_ids(tokenizer)
    prune_graph_vocabulary(Path(folder) / "model.onnx", keep)
    pruned = prune_tokenizer(tokenizer, keep)
    path.write_text(json.dumps(pruned, ensure_ascii=False), encoding="utf-8")
    return len(keep)
