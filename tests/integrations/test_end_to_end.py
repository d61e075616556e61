"""One message through every integration, with the real model in a real `assist serve`
process: a 1C-Connect line posts it, the sidecar suggests, tells the user off hours via the
fake 1C-Connect, and announces the suggestion to a helpdesk, under one request id."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest

from tests.integrations.connect.fake_connect import LOGIN, PASSWORD, FakeConnect
from tests.integrations.helpdesk.peers import Receiver
from tests.paths import SAMPLES
from tests.servers import eventually, serve_in_thread, server

LINE, USER, TOKEN, SECRET = str(uuid.uuid4()), str(uuid.uuid4()), "e2e-token", "e2e-secret"


@pytest.mark.integration
def test_a_line_message_reaches_the_user_and_the_helpdesk(
    tmp_path: Path, prepared_models_dir: Path
) -> None:
    line_api = FakeConnect(lines={LINE}, subscribers={(LINE, USER)})
    desk = Receiver(SECRET)
    with (
        serve_in_thread(line_api.app()) as connect_url,
        serve_in_thread(desk.app) as desk_url,
        server(
            tmp_path / "data",
            prepared_models_dir,
            tmp_path / "server.log",
            ASSIST_CONNECT_API_URL=connect_url,
            ASSIST_CONNECT_LOGIN=LOGIN,
            ASSIST_CONNECT_PASSWORD=PASSWORD,
            ASSIST_CONNECT_LINE_IDS=json.dumps([LINE]),
            ASSIST_CONNECT_HOOK_TOKEN=TOKEN,
            ASSIST_CONNECT_AUTO_OFF_HOURS_NOTICE="true",
            ASSIST_HELPDESK_WEBHOOK_URLS=json.dumps([f"{desk_url}/hook"]),
            ASSIST_HELPDESK_WEBHOOK_SECRETS=json.dumps([SECRET]),
            ASSIST_HELPDESK_WEBHOOK_POLL_SECONDS="0.2",
        ) as sidecar,
    ):
        faq = (SAMPLES / "faq.jsonl").read_bytes()
        loaded = sidecar.post(
            "/v1/faq/bulk", content=faq, headers={"Content-Type": "application/x-ndjson"}
        )
        assert loaded.status_code == 200, loaded.text
        event = {
            "line_id": LINE,
            "user_id": USER,
            "message_id": str(uuid.uuid4()),
            "message_type": 1,
            "message_time": "2026-11-29T03:00:00+03:00",  # a Sunday night in Moscow
            "text": "как сбросить пароль от личного кабинета",
            "data": {},
        }
        with httpx.Client(base_url=str(sidecar.base_url), timeout=60) as chat:
            answer = chat.post(
                "/hooks/connect",
                json=event,
                headers={"Authorization": f"Bearer {TOKEN}", "X-Request-ID": "chat-42"},
            )
        assert answer.status_code == 200, answer.text
        suggestion_id = answer.json()["suggestion_id"]

        listed = sidecar.get(f"/v1/conversations/{LINE}:{USER}/suggestions").json()
        assert [s["suggestion_id"] for s in listed] == [suggestion_id]
        assert "off_hours" in [flag["code"] for flag in listed[0]["flags"]]
        assert listed[0]["faq"], "the real model found no FAQ entry for a password question"

        assert eventually(lambda: len(line_api.calls_to("line/send/message")) == 1, seconds=30)
        notice = line_api.calls_to("line/send/message")[0]
        assert (notice["line_id"], notice["user_id"]) == (LINE, USER)
        assert eventually(lambda: len(desk.delivered()) == 1, seconds=30)
        delivered = desk.delivered()[0]
        assert delivered.verified
        assert delivered.event["suggestion"]["suggestion_id"] == suggestion_id
        assert delivered.headers["x-request-id"] == "chat-42"
        assert delivered.event["request_id"] == "chat-42"
