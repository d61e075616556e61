"""`assist webhooks deliveries` and `assist webhooks replay`: the dead letters, from the shell.

They work on the database alone (no model is loaded), so they run beside a live server,
whose delivery worker picks replayed events up within `ASSIST_HELPDESK_WEBHOOK_POLL_SECONDS`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime

from assist.settings import Settings
from assist.storage.sql import open_store
from assist.storage.webhooks import STATUSES, Delivery
from integrations.helpdesk.delivery import shown

Commands = argparse._SubParsersAction  # argparse has no public name for it


def add_commands(commands: Commands[argparse.ArgumentParser]) -> None:
    """Add `webhooks deliveries` and `webhooks replay` to the `assist` command."""
    webhooks = commands.add_parser("webhooks", help="outbound helpdesk webhooks: list, replay")
    actions = webhooks.add_subparsers(required=True, metavar="ACTION")

    listing = actions.add_parser("deliveries", help="list deliveries, newest first")
    listing.add_argument("--status", choices=STATUSES, help="only these (dead: dead letters)")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(handler=_deliveries)

    replay = actions.add_parser("replay", help="send deliveries again, attempts reset")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, action="append", dest="ids", metavar="ID")
    which.add_argument("--all-dead", action="store_true", help="every dead letter")
    replay.set_defaults(handler=_replay)


def _deliveries(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings.resolved_database_url) as store:
        found = store.webhooks.deliveries.entries(args.status, args.limit)
    if not args.json:
        _out("id\tstatus\tattempts\tnext attempt\tevent\tevent id\turl\tlast error")
    for delivery in found:
        _out(json.dumps(_as_json(delivery), ensure_ascii=False) if args.json else _line(delivery))
    if not args.json:
        _out(f"{len(found)} deliver{'y' if len(found) == 1 else 'ies'}")
    return 0


def _replay(settings: Settings, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with open_store(settings.resolved_database_url) as store:
        deliveries = store.webhooks.deliveries
        if args.all_dead:
            _out(f"{deliveries.replay_dead(now)} dead deliveries back to pending")
            return 0
        found = {d.id for d in deliveries.replay(args.ids, now)}
    missing = [i for i in dict.fromkeys(args.ids) if i not in found]
    _out(f"{len(found)} back to pending; missing: {missing or 'none'}")
    return 1 if missing else 0


def _line(delivery: Delivery) -> str:
    last = delivery.last_error or (
        f"HTTP {delivery.last_status_code}" if delivery.last_status_code else ""
    )
    # Only a pending delivery has a next attempt (a dead one keeps the time it died).
    upcoming = delivery.next_attempt_at if delivery.status == "pending" else None
    when = f"{upcoming:%Y-%m-%d %H:%M:%S}Z" if upcoming else "-"
    return (
        f"{delivery.id}\t{delivery.status}\t{delivery.attempts}\t{when}\t{delivery.event_type}"
        f"\t{delivery.event_id}\t{shown(delivery.url)}\t{last[:120]}"
    )


def _as_json(delivery: Delivery) -> dict[str, object]:
    fields = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in asdict(delivery).items()
        if name != "lease"
    }
    fields["url"] = shown(delivery.url)
    fields["body"] = json.loads(delivery.body)
    return fields


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
