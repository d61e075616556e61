"""What the sidecar may do in a line by itself, each only when a team lead switched it on:
the off-hours notice, the ban notice, and handing business-scenario questions to the
managers' line. Specialists can also transfer a conversation from the panel.

Every action is written to the connect log, done or failed, so leads can see what was sent.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from assist.pipeline import Suggestion
from assist.storage.connect_log import ConnectLog, LineAction, Switch
from assist.storage.restrictions import RestrictionStore
from integrations.connect.client import ConnectClient, ConnectError
from integrations.connect.models import LineEvent

log = logging.getLogger(__name__)


SwitchName = Literal["ban_notice", "off_hours_notice", "transfer_business"]
# Each action a lead can switch on, and the flag that calls for it.
SWITCH_FLAGS: dict[SwitchName, str] = {
    "ban_notice": "conduct.ban_recommended",
    "off_hours_notice": "off_hours",
    "transfer_business": "out_of_scope.business_scenario",
}


@dataclass(frozen=True)
class AutoActions:
    """The settings' defaults; a lead's switch in the studio wins over them."""

    off_hours_notice: bool = False
    ban_notice: bool = False
    transfer_business: bool = False
    managers_line_id: UUID | None = None
    # One off-hours notice per user in this many hours: a night of messages gets one.
    notice_quiet_hours: float = 12.0


def switch_states(
    log: ConnectLog, defaults: AutoActions
) -> dict[SwitchName, tuple[bool, Switch | None]]:
    """Whether each action is on now, and the lead's switch that says so (None: the
    setting's default)."""
    switched = log.switches()
    states: dict[SwitchName, tuple[bool, Switch | None]] = {}
    for name in SWITCH_FLAGS:
        found = switched.get(name)
        states[name] = (found.enabled, found) if found else (getattr(defaults, name), None)
    return states


class LineActions:
    def __init__(
        self,
        client: ConnectClient,
        log: ConnectLog,
        restrictions: RestrictionStore,
        auto: AutoActions,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.log = log
        self.restrictions = restrictions
        self.auto = auto
        self.clock = clock
        # Calls to 1C-Connect wait on the network and its retries: never in the webhook's
        # own answer. One worker keeps them in arrival order.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="connect-actions")

    def enabled(self) -> dict[SwitchName, bool]:
        return {name: on for name, (on, _) in switch_states(self.log, self.auto).items()}

    def after_suggestion(self, event: LineEvent, suggestion: Suggestion) -> None:
        codes = {flag.code for flag in suggestion.flags}
        if not codes & set(SWITCH_FLAGS.values()):
            return  # most messages: no database read
        on = self.enabled()
        wanted = {name for name, flag in SWITCH_FLAGS.items() if on[name] and flag in codes}
        if wanted:
            # Copy the context so the action's log lines carry the event's request id.
            context = contextvars.copy_context()
            self._worker.submit(context.run, self._act, event, suggestion, wanted)

    def transfer(
        self, line_id: UUID, user_id: UUID, to_line_id: UUID, quote: str | None, *, by: str
    ) -> LineAction:
        """Hand the user's treatment to another line now (a specialist's request)."""
        return self._do(
            "transfer",
            line_id,
            user_id,
            None,
            lambda: self.client.reroute(line_id, user_id, to_line_id, quote),
            f"to line {to_line_id} by {by}",
        )

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def _act(self, event: LineEvent, suggestion: Suggestion, wanted: set[SwitchName]) -> None:
        try:
            if "ban_notice" in wanted:
                self._ban_notice(event, suggestion)
            elif "off_hours_notice" in wanted:
                self._off_hours_notice(event, suggestion)
            if "transfer_business" in wanted:
                self._transfer_business(event)
        except Exception:
            log.exception("line action failed", extra={"message_id": str(event.message_id)})

    def _ban_notice(self, event: LineEvent, suggestion: Suggestion) -> None:
        ban = self.restrictions.find_active("ban", [("user", str(event.user_id))], self.clock())
        last = self.log.last_action("ban_notice", str(event.user_id))
        # Only a real ban is announced (the flag alone may be a recommendation), once per ban.
        if ban is None or (last is not None and last.at is not None and last.at >= ban.created_at):
            return
        self._send_draft(event, suggestion, "conduct_end", "ban_notice")

    def _off_hours_notice(self, event: LineEvent, suggestion: Suggestion) -> None:
        last = self.log.last_action("off_hours_notice", str(event.user_id))
        quiet = timedelta(hours=self.auto.notice_quiet_hours)
        if last is not None and last.at is not None and self.clock() - last.at < quiet:
            return
        self._send_draft(event, suggestion, "off_hours", "off_hours_notice")

    def _send_draft(
        self, event: LineEvent, suggestion: Suggestion, template: str, action: str
    ) -> None:
        draft = next((d for d in suggestion.drafts if d.template == template), None)
        if draft is None:
            return
        self._do(
            action,
            event.line_id,
            event.user_id,
            str(event.message_id),
            lambda: self.client.send_message(event.line_id, event.user_id, draft.text),
            draft.text,
        )

    def _transfer_business(self, event: LineEvent) -> None:
        to_line = self.auto.managers_line_id
        if to_line is None or to_line == event.line_id:
            return
        self._do(
            "transfer",
            event.line_id,
            event.user_id,
            str(event.message_id),
            lambda: self.client.reroute(event.line_id, event.user_id, to_line, event.text[:500]),
            f"business scenario to line {to_line}",
        )

    def _do(
        self,
        action: str,
        line_id: UUID,
        user_id: UUID,
        message_id: str | None,
        call: Callable[[], None],
        detail: str,
    ) -> LineAction:
        try:
            call()
            ok, note = True, detail
        except ConnectError as exc:
            ok, note = False, f"{detail} — {exc}"
            log.warning(
                "1C-Connect refused a line action", extra={"action": action, "error": str(exc)}
            )
        done = LineAction(action, str(line_id), str(user_id), ok, note, message_id, self.clock())
        self.log.record_action(done)
        return done
