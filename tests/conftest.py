"""Fixtures shared by every test package."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from embeddings.fused import ConcatEncoder
from embeddings.onnx_encoder import OnnxEncoder
from embeddings.prepare import (
    DEFAULT_E5_WEIGHT,
    DEFAULT_USE_WEIGHT,
    default_model_path,
    onnx_model_path,
    prepare_default_model,
)
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder

# Nothing here may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
API_KEY = "test-key"
# Where tests find a PostgreSQL server and the shared data sets.
KEEP_ENV = {"ASSIST_TEST_POSTGRES_URL", "ASSIST_SHARED_DATA"}


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no ASSIST_* variables from the shell (the Makefile exports some)."""
    for name in list(os.environ):
        if name.startswith("ASSIST_") and name not in KEEP_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No background refresh: tests call `knowledge.refresh()` when they mean it.
    return Settings(data_dir=tmp_path, api_keys=[API_KEY], log_json=False, refresh_seconds=0)


FAQ = [
    FaqEntry(
        id="faq-schedule",
        question="Как настроить расписание работы линии поддержки?",
        answer="Откройте линию, вкладка «Расписание», задайте рабочие часы и сохраните.",
        alt_questions=("график работы линии", "часы работы линии"),
    ),
    FaqEntry(
        id="faq-remote",
        question="Не подключается удаленный доступ к компьютеру клиента",
        answer="Проверьте, что у клиента запущено приложение и разрешен удаленный доступ.",
        alt_questions=("удаленка не работает",),
    ),
    FaqEntry(
        id="faq-password",
        question="How do I reset my password?",
        answer="Use the 'Forgot password' link on the sign-in page.",
        language="en",
    ),
]
BACKLOG = [
    BacklogTask(
        id="CONNECT-1",
        title="Приложение падает при отправке большого файла",
        description="При отправке файла больше 2 ГБ приложение закрывается с ошибкой.",
        kind="bug",
    ),
    BacklogTask(
        id="CONNECT-2",
        title="Темная тема в мобильном приложении",
        description="Пользователи просят темную тему оформления на iOS и Android.",
        kind="feature",
        status="in_progress",
    ),
]


@pytest.fixture
def faq() -> list[FaqEntry]:
    return list(FAQ)


@pytest.fixture
def backlog() -> list[BacklogTask]:
    return list(BACKLOG)


def wait_ready(client: TestClient, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/readyz")
        if response.status_code == 200:
            return
        if "Loading failed" in response.text:
            raise AssertionError(response.text)
        time.sleep(0.05)
    raise AssertionError("service did not become ready")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """An app over a temporary SQLite store and the fake encoder, loaded with FAQ + BACKLOG."""
    app = create_app(settings, encoder=FakeEncoder())
    with TestClient(app, headers={"X-API-Key": API_KEY}) as test_client:
        wait_ready(test_client)
        services = app.state.services
        services.knowledge.upsert("faq", FAQ)
        services.knowledge.upsert("backlog", BACKLOG)
        yield test_client


@pytest.fixture(scope="session")
def use_encoder() -> UseEncoder:
    encoder = UseEncoder()
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def prepared_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models directory the app would use when configured (`make test` prepares it
    first, so this is then a no-op), else a temporary one (~590 MB, converted and
    exported once)."""
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
def e5_onnx_encoder(prepared_models_dir: Path) -> OnnxEncoder:
    encoder = OnnxEncoder(onnx_model_path(prepared_models_dir))
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def default_encoder(e5_onnx_encoder: OnnxEncoder, use_encoder: UseEncoder) -> ConcatEncoder:
    """What `load_encoder("default", ...)` builds (a test checks that), sharing loaded parts."""
    return ConcatEncoder([(e5_onnx_encoder, DEFAULT_E5_WEIGHT), (use_encoder, DEFAULT_USE_WEIGHT)])
