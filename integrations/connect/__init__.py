"""1C-Connect support lines: the event hook, the line API client and the sidecar's actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from assist.metrics import Metrics
from assist.pipeline import IncomingMessage, Suggestion
from assist.settings import Settings
from assist.storage.store import Store
from integrations.connect.actions import AutoActions, LineActions
from integrations.connect.client import ConnectClient, RetryPolicy, connect_http_client
from integrations.connect.receiver import EventTypes, LineEventReceiver


@dataclass
class ConnectLine:
    receiver: LineEventReceiver
    # None until the partner login is set: events are still taken, nothing is sent back.
    actions: LineActions | None = None
    http: httpx.Client | None = None

    def close(self) -> None:
        if self.actions is not None:
            self.actions.close()
        if self.http is not None:
            self.http.close()


def api_client(
    settings: Settings, metrics: Metrics | None = None
) -> tuple[ConnectClient, httpx.Client]:
    http = connect_http_client(
        settings.connect_api_url,
        settings.connect_login,
        settings.connect_password,
        settings.connect_timeout_seconds,
    )
    if metrics is not None:
        metrics.count_responses(http, "1c-connect")
    client = ConnectClient(
        http,
        retry=RetryPolicy(attempts=settings.connect_max_attempts),
        requests_per_second=settings.connect_requests_per_second,
    )
    return client, http


def auto_actions(settings: Settings) -> AutoActions:
    return AutoActions(
        off_hours_notice=settings.connect_auto_off_hours_notice,
        ban_notice=settings.connect_auto_ban_notice,
        transfer_business=settings.connect_auto_transfer_business,
        managers_line_id=settings.connect_managers_line_id,
        notice_quiet_hours=settings.connect_notice_quiet_hours,
    )


def build_connect_line(
    settings: Settings,
    store: Store,
    suggest: Callable[[IncomingMessage], Suggestion],
    metrics: Metrics,
) -> ConnectLine:
    actions = http = None
    if settings.connect_login:
        client, http = api_client(settings, metrics)
        actions = LineActions(client, store.connect, store.restrictions, auto_actions(settings))
    receiver = LineEventReceiver(
        store.connect,
        store.quality,
        suggest,
        after_suggestion=actions.after_suggestion if actions is not None else None,
        types=EventTypes(settings.connect_event_kinds, settings.connect_rating_field),
        max_text_chars=settings.max_text_chars,
    )
    return ConnectLine(receiver, actions, http)
