"""The assistant's reader: language, lexical hits, sentence views and rules run beside the
model pass of the whole message, and a failure on either side reaches the caller."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from assist.knowledge.records import BacklogTask, FaqEntry
from assist.pipeline import Assistant, IncomingMessage
from assist.policy.base import Flag, MessageContext
from assist.scratch import scratch_services
from assist.settings import Settings
from assist.text_clean import clean_message, query_views
from embeddings.encoder import Vectors
from embeddings.fake import FakeEncoder

LONG = (
    "Добрый день. Вчера весь день работали с клиентами через линию поддержки, всё было хорошо. "
    "Сегодня утром обновили приложение на всех компьютерах отдела продаж. "
    "Почему не подключается удаленный доступ к компьютеру клиента? "
    "Перезагрузка компьютера и переустановка приложения не помогли, ошибка та же."
)


class _HeldEncoder(FakeEncoder):
    """Embeds the whole message only once `release` is set (sentence views at once)."""

    sentence_views: frozenset[str] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.release.set()  # cleared by the tests; the services' warm-up runs without the rule
        self.whole_texts: list[str] = []

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        if len(texts) == 1 and texts[0] not in self.sentence_views:
            assert self.release.wait(10), "the rules did not run while the message was embedded"
            self.whole_texts.append(texts[0])
        return super().encode_queries(texts)


class _ReleasingRule:
    """A rule that reads only the text, then lets the encoder go on."""

    def __init__(self, encoder: _HeldEncoder) -> None:
        self.encoder = encoder
        self.vectors: list[np.ndarray] = []

    def check(self, message: MessageContext) -> list[Flag]:
        self.encoder.release.set()
        vector = message.embedding()
        assert vector is not None
        self.vectors.append(vector)
        return []


@pytest.fixture
def assistant(
    settings: Settings, faq: list[FaqEntry], backlog: list[BacklogTask]
) -> Iterator[tuple[Assistant, _HeldEncoder, _ReleasingRule]]:
    encoder = _HeldEncoder()
    with scratch_services(settings, faq, backlog, encoder=encoder) as services:
        rule = _ReleasingRule(encoder)
        services.assistant.rules.append(rule)
        yield services.assistant, encoder, rule


def test_rules_read_the_text_while_the_message_is_embedded(
    assistant: tuple[Assistant, _HeldEncoder, _ReleasingRule],
) -> None:
    helper, encoder, rule = assistant
    encoder.release.clear()
    suggestion = helper.suggest(IncomingMessage(text="не работает удаленный доступ"))
    assert suggestion.retrieval.faq[0].record.id == "faq-remote"
    # The rule waited for the same vector the retrieval used.
    expected = FakeEncoder().encode_queries([suggestion.search_text])[0]
    assert np.allclose(rule.vectors[-1], expected)


def test_a_long_message_is_searched_with_its_sentences_too(
    assistant: tuple[Assistant, _HeldEncoder, _ReleasingRule],
) -> None:
    helper, encoder, _ = assistant
    whole, *sentences = query_views(clean_message(LONG))
    assert sentences  # the message is long enough to have sentence views
    encoder.sentence_views = frozenset(sentences)
    encoder.release.clear()
    suggestion = helper.suggest(IncomingMessage(text=LONG))
    assert encoder.whole_texts[-1] == whole
    assert suggestion.retrieval.faq[0].record.id == "faq-remote"


class _Broken(Exception):
    pass


def test_a_failing_model_pass_reaches_the_caller(
    assistant: tuple[Assistant, _HeldEncoder, _ReleasingRule], monkeypatch: pytest.MonkeyPatch
) -> None:
    helper, encoder, _ = assistant

    def broken(texts: Sequence[str]) -> Vectors:
        raise _Broken

    monkeypatch.setattr(encoder, "encode_queries", broken)
    with pytest.raises(_Broken):
        helper.suggest(IncomingMessage(text="не работает удаленный доступ"))


def test_a_failing_reader_reaches_the_caller(
    assistant: tuple[Assistant, _HeldEncoder, _ReleasingRule], monkeypatch: pytest.MonkeyPatch
) -> None:
    helper, encoder, _ = assistant
    encoder.release.set()

    def broken(text: str) -> None:
        raise _Broken

    monkeypatch.setattr(helper.detector, "detect", broken)
    with pytest.raises(_Broken):
        helper.suggest(IncomingMessage(text="не работает удаленный доступ"))


def test_a_closed_assistant_refuses_rather_than_waits(
    assistant: tuple[Assistant, _HeldEncoder, _ReleasingRule],
) -> None:
    helper, encoder, _ = assistant
    encoder.release.set()
    helper.close()
    with pytest.raises(RuntimeError):
        helper.suggest(IncomingMessage(text="не работает удаленный доступ"))
