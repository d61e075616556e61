"""`create_app`: the FastAPI application, built from settings and optional injected parts."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import APIRouter, Depends, FastAPI, Response

from assist import __version__
from assist.access import KeyRing, SessionSigner
from assist.api import (
    backlog_actions,
    connect,
    helpdesk,
    hours,
    jobs,
    knowledge,
    quality,
    restrictions,
    studio,
    suggest,
    webhooks,
)
from assist.api.deps import ServicesDep, require_role
from assist.api.guards import BodyGuard
from assist.api.problems import install_problem_handlers
from assist.api.schemas import Health, Readiness
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.metrics import Metrics
from assist.request_ids import RequestIdMiddleware
from assist.services import IndexFactory, Services, build_services
from assist.settings import Settings
from assist.storage.store import Store
from assist.web import pages
from assist.web.security import SecurityHeaders
from embeddings.encoder import Encoder
from integrations.helpdesk.runtime import HelpdeskWebhooks

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    index: IndexFactory | None = None,
    store: Store | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loading the model and indexes takes seconds: do it beside the server so
        # /healthz answers at once and /readyz tells when suggestions can be served.
        app.state.suggest_limiter = anyio.CapacityLimiter(settings.resolved_suggest_concurrency)
        stop = threading.Event()
        worker = threading.Thread(
            target=_load_then_refresh, args=(app, stop), name="assist-loader", daemon=True
        )
        worker.start()
        # Outbound helpdesk webhooks: idle unless URLs are configured.
        deliverer = threading.Thread(
            target=outbound.run, args=(stop,), name="assist-webhooks", daemon=True
        )
        deliverer.start()
        yield
        stop.set()
        outbound.wake()
        worker.join()
        deliverer.join()
        services: Services | None = app.state.services
        if services is not None:
            services.close()
        outbound.close()

    def _load_then_refresh(app: FastAPI, stop: threading.Event) -> None:
        try:
            services = build_services(
                settings, encoder=encoder, index=index, store=store, metrics=app.state.metrics
            )
        except Exception as exc:
            app.state.load_error = str(exc)
            log.exception("loading failed")
            return
        outbound.attach(services)
        app.state.services = services
        log.info("ready", extra={"model": services.encoder.model_id})
        interval = settings.refresh_seconds
        while interval and not stop.wait(interval):
            try:
                services.refresh()
            except Exception:
                log.exception("refresh failed; retrying")

    app = FastAPI(
        title="connect-assist",
        version=__version__,
        description="Agent-assist sidecar for the 1C-Connect support lines.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = None
    app.state.load_error = None
    app.state.metrics = Metrics()
    app.state.webhooks = outbound = HelpdeskWebhooks(settings, app.state.metrics)
    app.state.keys = KeyRing(settings)
    app.state.sessions = SessionSigner(settings.session_secret, settings.session_hours * 3600)
    install_problem_handlers(app)
    app.add_middleware(BodyGuard, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/healthz", response_model=Health, tags=["health"])
    def healthz() -> Health:
        return Health(status="ok")

    @app.get("/readyz", response_model=Readiness, tags=["health"])
    def readyz(services: ServicesDep) -> Readiness:
        services.store.ping()
        return Readiness(
            status="ready",
            model=services.encoder.model_id,
            faq=len(services.knowledge.faq.index),
            backlog=len(services.knowledge.backlog.index),
        )

    @app.get("/metrics", tags=["health"], response_class=Response)
    def metrics() -> Response:
        """Prometheus text format; open like /healthz, so keep it off the public network."""
        found: Metrics = app.state.metrics
        return Response(found.render(), media_type=found.content_type)

    # Every /v1 route needs at least an agent; the studio's and knowledge writes a lead.
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_role("agent"))])
    v1.include_router(suggest.router)
    v1.include_router(hours.router)
    v1.include_router(backlog_actions.router)
    v1.include_router(restrictions.restriction_router("ban"))
    v1.include_router(restrictions.restriction_router("block"))
    v1.include_router(restrictions.audit_router)
    v1.include_router(knowledge.collection_router("faq", FaqEntry))
    v1.include_router(knowledge.collection_router("backlog", BacklogTask))
    lead = [Depends(require_role("lead"))]
    v1.include_router(studio.router, dependencies=lead)
    v1.include_router(quality.router, dependencies=lead)
    v1.include_router(quality.csat_router, dependencies=lead)
    v1.include_router(jobs.router)
    v1.include_router(connect.router)
    v1.include_router(webhooks.router, dependencies=lead)
    app.include_router(v1)
    # Authenticated by what the sender proves (a token, a signature), not by an API key.
    app.include_router(connect.hook_router)
    app.include_router(helpdesk.router)
    pages.install(app)
    return app
