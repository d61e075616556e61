"""Which reply drafts a suggestion offers, in what order: the regulation's remarks first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assist.decide import Decision
from assist.drafting import Draft, Drafter
from assist.policy.base import Flag
from assist.policy.hours import SupportHours


def compose_drafts(
    drafter: Drafter,
    hours: SupportHours,
    *,
    decision: Decision,
    flags: list[Flag],
    language: str,
    received_at: datetime | None,
) -> list[Draft]:
    codes = {flag.code for flag in flags}
    drafts: list[Draft] = []
    if "conduct.ban_recommended" in codes:
        drafts.append(drafter.render("conduct_end", language))
    elif "conduct.rude" in codes:
        drafts.append(drafter.render("conduct_warning", language))
    if received_at is not None and "off_hours" in codes:
        drafts.append(
            drafter.render("off_hours", language, **off_hours_context(hours, received_at, language))
        )
    if "anomalous_load" in codes:
        drafts.append(drafter.render("anomalous_load", language))
    if decision.faq is not None:
        drafts.append(drafter.render("answer", language, faq=decision.faq.record))
    if decision.task is not None:
        drafts.append(drafter.render("attach", language, task=decision.task.record))
    if decision.kind == "register":
        drafts.append(drafter.render("register", language, task_id=None))
    return drafts


def off_hours_context(hours: SupportHours, received_at: datetime, language: str) -> dict[str, Any]:
    """What the off-hours template is given: the working hours and the next opening."""
    return {
        "start": f"{hours.start:%-H:%M}",
        "end": f"{hours.end:%-H:%M}",
        "zone": hours.zone_label(language),
        "next_opening": hours.describe_next_opening(received_at, language),
    }
