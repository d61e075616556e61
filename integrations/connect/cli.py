"""`assist integrations connect register-hook`: subscribe our hook to the served lines."""

from __future__ import annotations

import argparse
import sys
from typing import Any
from uuid import UUID

from assist.errors import InvalidInput, PeerFailed
from assist.settings import Settings
from integrations.connect import api_client
from integrations.connect.client import ConnectError


def add_commands(integrations: Any) -> None:
    """Add `connect ...` under the `integrations` command's subparsers."""
    connect = integrations.add_parser("connect", help="1C-Connect support lines")
    actions = connect.add_subparsers(required=True, metavar="ACTION")
    register = actions.add_parser(
        "register-hook",
        help="subscribe ASSIST_CONNECT_HOOK_URL to the events of ASSIST_CONNECT_LINE_IDS",
    )
    register.add_argument("--url", help="the hook URL (default: ASSIST_CONNECT_HOOK_URL)")
    register.add_argument(
        "--line", action="append", type=UUID, help="a line id (repeatable; default: the setting)"
    )
    register.set_defaults(handler=register_hook)


def register_hook(settings: Settings, args: argparse.Namespace) -> int:
    url = args.url or settings.connect_hook_url
    lines: list[UUID] = args.line or list(settings.connect_line_ids)
    missing = [
        name
        for name, value in (
            ("ASSIST_CONNECT_LOGIN", settings.connect_login),
            ("ASSIST_CONNECT_HOOK_URL (or --url)", url),
            ("ASSIST_CONNECT_HOOK_TOKEN", settings.connect_hook_token),
            ("ASSIST_CONNECT_LINE_IDS (or --line)", lines),
        )
        if not value
    ]
    if missing:
        raise InvalidInput("1C-Connect is not configured", errors=[{"setting": m} for m in missing])
    refused = [line for line in lines if line not in settings.connect_line_ids]
    if settings.connect_line_ids and refused:
        # The hook would answer every event of these lines 403: say so now, not in production.
        raise InvalidInput(
            "Add these lines to ASSIST_CONNECT_LINE_IDS first, or the hook refuses their events",
            errors=[{"line": str(line)} for line in refused],
        )
    client, http = api_client(settings)
    try:
        for line in lines:
            client.register_hook(url, line_id=line, kind="line", token=settings.connect_hook_token)
            sys.stdout.write(f"line {line}: events go to {url}\n")
    except ConnectError as exc:
        raise PeerFailed(str(exc)) from exc
    finally:
        http.close()
    return 0
