"""`import_encoder`: helper processes for a command-line import only where settings allow."""

from __future__ import annotations

import pytest

from assist import services as services_module
from assist.services import import_encoder
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from embeddings.parallel import ParallelPassageEncoder


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> FakeEncoder:
    encoder = FakeEncoder()
    monkeypatch.setattr(services_module, "open_encoder", lambda _settings: encoder)
    return encoder


def test_one_import_process_embeds_in_this_one(settings: Settings, local: FakeEncoder) -> None:
    with import_encoder(settings.model_copy(update={"import_processes": 1})) as encoder:
        assert encoder is local


def test_more_processes_add_helpers_that_close_after(
    settings: Settings, local: FakeEncoder
) -> None:
    with import_encoder(settings.model_copy(update={"import_processes": 3})) as encoder:
        assert isinstance(encoder, ParallelPassageEncoder)
        assert encoder.inner is local and encoder.helpers == 2
    with pytest.raises(RuntimeError):  # shut down: no new work
        encoder.encode_passages(["текст"] * 100)
