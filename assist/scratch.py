"""A throwaway instance on a temporary store, for evaluation and benchmarks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assist.knowledge.records import BacklogTask, FaqEntry
from assist.services import IndexFactory, Services, build_services
from assist.settings import Settings
from assist.storage.sql import SqlStore
from embeddings.encoder import Encoder


@contextmanager
def scratch_services(
    settings: Settings,
    faq: Sequence[FaqEntry],
    backlog: Sequence[BacklogTask],
    *,
    encoder: Encoder | None = None,
    index: IndexFactory | None = None,
    **overrides: Any,
) -> Iterator[Services]:
    """Services over a fresh SQLite file holding exactly `faq` and `backlog`.

    The prepared model is still read from the configured models folder.
    """
    with tempfile.TemporaryDirectory(prefix="assist-scratch-") as tmp:
        scratch = settings.model_copy(
            update={
                "data_dir": Path(tmp),
                "database_url": None,
                "models_dir": settings.resolved_models_dir,
                **overrides,
            }
        )
        store = SqlStore(scratch.resolved_database_url)
        try:
            store.faq.upsert(faq)
            store.backlog.upsert(backlog)
            services = build_services(scratch, encoder=encoder, index=index, store=store)
            services.assistant.store = None  # these messages are not conversations
            try:
                yield services
            finally:
                services.assistant.close()
        finally:
            store.close()
