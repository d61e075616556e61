"""The outbound webhooks as the app runs them: built in `create_app`, given the services once
they are loaded, and run on a thread of the app's lifespan."""

from __future__ import annotations

import threading

import httpx

from assist.metrics import Metrics
from assist.services import Services
from assist.settings import Settings
from integrations.helpdesk.delivery import DeliveryWorker, RetryPolicy
from integrations.helpdesk.outbox import Outbox


class HelpdeskWebhooks:
    """Idle unless `ASSIST_HELPDESK_WEBHOOK_URLS` is set: then a listener puts every
    suggestion into the outbox and `run` delivers it."""

    def __init__(
        self, settings: Settings, metrics: Metrics, client: httpx.Client | None = None
    ) -> None:
        self._settings = settings
        self._metrics = metrics
        self._client = client
        self._own_client = client is None
        self._wake = threading.Event()
        self._worker: DeliveryWorker | None = None

    @property
    def enabled(self) -> bool:
        return bool(self._settings.helpdesk_webhook_urls)

    def attach(self, services: Services) -> None:
        """Start announcing `services`' suggestions, and let `run` deliver them."""
        if not self.enabled:
            return
        settings = self._settings
        if self._client is None:
            self._client = httpx.Client(timeout=settings.helpdesk_webhook_timeout_seconds)
        deliveries = services.store.webhooks.deliveries
        self._worker = DeliveryWorker(
            deliveries,
            self._client,
            secrets=settings.helpdesk_webhook_secrets,
            retry=RetryPolicy(
                max_attempts=settings.helpdesk_webhook_max_attempts,
                base_seconds=settings.helpdesk_webhook_backoff_seconds,
                cap_seconds=settings.helpdesk_webhook_backoff_cap_seconds,
            ),
            timeout_seconds=settings.helpdesk_webhook_timeout_seconds,
            poll_seconds=settings.helpdesk_webhook_poll_seconds,
            metrics=self._metrics,
            wake=self._wake,
        )
        services.listeners.append(
            Outbox(deliveries, settings.helpdesk_webhook_urls, wake=self._wake.set)
        )
        self._wake.set()

    def wake(self) -> None:
        """Look for due events now; also how `run` notices `attach` and its stop event."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """The delivery thread's body: waits for `attach`, then delivers until `stop`."""
        if not self.enabled:
            return
        while not stop.is_set():
            worker = self._worker
            if worker is not None:
                worker.run(stop)
                return
            self._wake.wait(self._settings.helpdesk_webhook_poll_seconds)
            self._wake.clear()

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
