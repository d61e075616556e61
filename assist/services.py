"""Composition root: builds the parts of the sidecar from settings, once per process.

Anything passed in (a fake encoder, an in-memory store) is used as given, which is how
tests and embedders swap parts without module-level singletons.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import httpx
from threadpoolctl import threadpool_limits

from assist.decide import Thresholds
from assist.drafting import Drafter
from assist.knowledge.jobs import ImportJobs
from assist.knowledge.lexical import Analyzer, LexicalIndex
from assist.knowledge.retrieve import BACKLOG_SCORES, FAQ_SCORES, Retriever
from assist.knowledge.service import KnowledgeBase
from assist.language import LanguageDetector
from assist.metrics import Metrics
from assist.pipeline import Assistant, IncomingMessage, Limits, Suggestion
from assist.policy.bans import BanRule
from assist.policy.conduct import ConductRule
from assist.policy.heads import load_heads
from assist.policy.hours import OffHoursRule, ProductionCalendar, SupportHours
from assist.policy.load import LoadRule, limiter_for
from assist.policy.reply_check import ReplyChecker
from assist.policy.rudeness import RudenessDetector
from assist.policy.scope import ScopeRule
from assist.settings import SHARED_DATABASE, Settings
from assist.storage.sql import SqlStore
from assist.storage.store import Store
from assist.studio.templates import TemplateStudio
from embeddings.cache import CachedEncoder
from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from embeddings.parallel import ParallelPassageEncoder
from embeddings.prepare import load_encoder
from embeddings.sized_index import IndexOptions, SizedIndex
from integrations.connect import ConnectLine, build_connect_line
from integrations.trackers.base import Tracker
from integrations.trackers.builtin import BuiltinTracker
from integrations.trackers.configured import remote_tracker, tracker_client
from integrations.trackers.mirrored import MirroredTracker

log = logging.getLogger(__name__)
IndexFactory = Callable[[int], VectorIndex]
# Told about every suggestion made for a message (outbound webhooks, for one).
SuggestionListener = Callable[[IncomingMessage, Suggestion], None]


@dataclass
class Services:
    settings: Settings
    store: Store
    encoder: Encoder
    knowledge: KnowledgeBase
    assistant: Assistant
    tracker: Tracker
    studio: TemplateStudio
    jobs: ImportJobs
    metrics: Metrics = field(default_factory=Metrics)
    listeners: list[SuggestionListener] = field(default_factory=list)
    connect: ConnectLine | None = None
    # The HTTP client of a Redmine or Jira tracker, when one is configured.
    tracker_client: httpx.Client | None = None

    def suggest(self, message: IncomingMessage, *, source: str = "api") -> Suggestion:
        """One message through the assistant, counted in the metrics and announced to the
        listeners; every way a message comes in (API, chat webhooks) goes through here."""
        started = time.perf_counter()
        suggestion = self.assistant.suggest(message)
        self.metrics.observe_suggestion(
            source=source,
            seconds=time.perf_counter() - started,
            decision=suggestion.decision.kind,
            flags=[flag.code for flag in suggestion.flags],
        )
        for listener in self.listeners:
            # The suggestion is stored already: a failing listener must not turn it into an
            # error that makes the caller send the message again (and get a second one).
            try:
                listener(message, suggestion)
            except Exception:
                log.exception("suggestion listener failed", extra={"suggestion_id": suggestion.id})
        return suggestion

    def refresh(self) -> None:
        """Pick up knowledge and template versions written by another process or replica."""
        self.knowledge.refresh()
        self.studio.reload()

    def close(self) -> None:
        if self.connect is not None:
            self.connect.close()
        self.jobs.close()
        self.assistant.close()
        self.store.close()
        if self.tracker_client is not None:
            self.tracker_client.close()


def open_store(settings: Settings) -> Store:
    return SqlStore(settings.resolved_database_url)


def configured_encoder(settings: Settings) -> Encoder:
    """The configured model with its thread and batch settings, not loaded yet."""
    return load_encoder(
        settings.embedding_model,
        settings.resolved_models_dir,
        num_threads=settings.resolved_torch_threads,
        batch_size=settings.embed_batch_size,
        onnx_threads=settings.onnx_threads,
    )


def open_encoder(settings: Settings) -> Encoder:
    """The configured model behind the query cache, loaded and warmed up."""
    cached = CachedEncoder(configured_encoder(settings), settings.query_cache_size)
    cached.warm_up()
    return cached


def with_import_helpers(settings: Settings, encoder: Encoder) -> Encoder | ParallelPassageEncoder:
    """`encoder` with helper processes for large passage batches, when
    `ASSIST_IMPORT_PROCESSES` allows more than one process (the caller closes them)."""
    helpers = settings.resolved_import_processes - 1
    if helpers < 1:
        return encoder
    return ParallelPassageEncoder(encoder, partial(configured_encoder, settings), helpers)


@contextmanager
def import_encoder(settings: Settings) -> Iterator[Encoder]:
    """`open_encoder`'s encoder for a command-line import, its helpers closed after."""
    encoder = with_import_helpers(settings, open_encoder(settings))
    try:
        yield encoder
    finally:
        if isinstance(encoder, ParallelPassageEncoder):
            encoder.close()


def index_factory(settings: Settings) -> IndexFactory:
    """Exact search below `ASSIST_INDEX_HNSW_THRESHOLD` vectors, HNSW above it."""
    options = IndexOptions(
        threshold=settings.index_hnsw_threshold,
        storage=settings.index_storage,
        hnsw_m=settings.index_hnsw_m,
        hnsw_ef_construction=settings.index_hnsw_ef_construction,
        hnsw_ef_search=settings.index_hnsw_ef_search,
        build_threads=settings.resolved_torch_threads,
    )
    return lambda dimension: SizedIndex(dimension, options)


def configured_tracker(
    settings: Settings, knowledge: KnowledgeBase, metrics: Metrics | None = None
) -> tuple[Tracker, httpx.Client | None]:
    """The built-in tracker, or Redmine / Jira mirrored into our backlog, with its client
    (its answers counted in `metrics`)."""
    builtin = BuiltinTracker(knowledge)
    if settings.tracker == "builtin":
        return builtin, None
    client = tracker_client(settings, settings.tracker)
    if metrics is not None:
        metrics.count_responses(client, settings.tracker)
    remote = remote_tracker(settings, settings.tracker, client)
    return MirroredTracker(remote, knowledge, builtin), client


def support_hours(settings: Settings) -> SupportHours:
    calendar = ProductionCalendar(start=settings.work_start, end=settings.work_end)
    return SupportHours(calendar, tz=settings.timezone)


def build_services(
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    index: IndexFactory | None = None,
    store: Store | None = None,
    metrics: Metrics | None = None,
) -> Services:
    # numpy's BLAS threads keep spinning after a call and starve torch's own threads on a
    # 2-core machine (p90 of a suggestion went from 37 ms to over 1 s): one BLAS thread.
    threadpool_limits(limits=1, user_api="blas")
    store = store if store is not None else open_store(settings)
    encoder = encoder if encoder is not None else open_encoder(settings)
    # One analyser for both collections: a message's words are stemmed once, not per index.
    analyzer = Analyzer()
    knowledge = KnowledgeBase(
        store,
        encoder,
        settings.index_dir,
        vector_index=index or index_factory(settings),
        lexical_index=lambda: LexicalIndex(analyzer),
    )
    knowledge.load()
    retriever = Retriever(
        encoder, knowledge.faq.index, knowledge.backlog.index, FAQ_SCORES, BACKLOG_SCORES
    )
    hours = support_hours(settings)
    heads = load_heads(encoder.model_id)
    drafter = Drafter(
        settings.languages, settings.templates_dir, ReplyChecker(max_chars=settings.max_reply_chars)
    )
    studio = TemplateStudio(store.templates, drafter, settings.languages)
    studio.reload()
    assistant = Assistant(
        detector=LanguageDetector(served=settings.languages, fallback=settings.languages[0]),
        retriever=retriever,
        drafter=drafter,
        thresholds=Thresholds(faq=settings.faq_min_score, backlog=settings.backlog_min_score),
        limits=Limits(faq_k=settings.faq_top_k, backlog_k=settings.backlog_top_k),
        hours=hours,
        rules=[
            BanRule(store.restrictions),
            ConductRule(
                RudenessDetector(),
                store.restrictions,
                timedelta(hours=settings.conduct_window_hours),
                heads,
            ),
            ScopeRule(heads),
            OffHoursRule(hours),
            LoadRule(
                settings.load_limit_account,
                settings.load_limit_ip,
                store.rate_window
                if settings.rate_storage_uri == SHARED_DATABASE
                else limiter_for(settings.rate_storage_uri),
            ),
        ],
        store=store,
        review_rate=settings.review_sample_rate,
        readers=settings.resolved_suggest_concurrency,
    )
    assistant.warm_up()
    metrics = metrics or Metrics()
    tracker, client = configured_tracker(settings, knowledge, metrics)
    services = Services(
        settings,
        store,
        encoder,
        knowledge,
        assistant,
        tracker,
        studio,
        ImportJobs(knowledge),
        metrics,
        tracker_client=client,
    )
    services.connect = build_connect_line(
        settings, store, partial(services.suggest, source="1c-connect"), services.metrics
    )
    return services
