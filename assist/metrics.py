"""Prometheus metrics of one process, in a registry of its own (no global default registry).

Each replica is scraped on its own `/metrics`; Prometheus sums them.
"""

from __future__ import annotations

import httpx
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Seconds; a suggestion takes ~15 ms warm on 2 cores, a cold or overloaded one seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """The counters a team watches: suggestions, flags, decisions, feedback, integrations."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.suggest_latency = Histogram(
            "assist_suggest_latency_seconds",
            "Time to compute one suggestion, by where the message came from.",
            ["source"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.flags = Counter(
            "assist_flags",
            "Policy flags raised on suggestions, by flag code.",
            ["code"],
            registry=r,
        )
        self.decisions = Counter(
            "assist_decisions",
            "Suggestions by decision (faq, backlog, ...).",
            ["decision"],
            registry=r,
        )
        self.feedback = Counter(
            "assist_feedback",
            "Specialists' feedback on suggestions, by outcome.",
            ["outcome"],
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "assist_webhook_deliveries",
            "Outbound helpdesk webhook attempts, by result (delivered, failed, dead).",
            ["result"],
            registry=r,
        )
        self.inbound_events = Counter(
            "assist_inbound_events",
            "Events received from chats and helpdesks, by source and outcome "
            "(processed, duplicate, rejected).",
            ["source", "outcome"],
            registry=r,
        )
        self.peer_requests = Counter(
            "assist_peer_requests",
            "Requests to outside systems (1C-Connect, trackers), by peer and result.",
            ["peer", "result"],
            registry=r,
        )

    def observe_suggestion(
        self, *, source: str, seconds: float, decision: str, flags: list[str]
    ) -> None:
        self.suggest_latency.labels(source=source).observe(seconds)
        self.decisions.labels(decision=decision).inc()
        for code in flags:
            self.flags.labels(code=code).inc()

    def count_responses(self, client: httpx.Client, peer: str) -> None:
        """Count every answer `client` gets from `peer` (1C-Connect, a tracker)."""
        counter = self.peer_requests

        def count(response: httpx.Response) -> None:
            counter.labels(peer=peer, result="ok" if response.is_success else "error").inc()

        client.event_hooks["response"].append(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)
