"""Bans, blocks and anomalous load through the API, with the audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient

WORKING = "2026-11-25T10:00:00+03:00"


def suggest(client: TestClient, **fields: str) -> dict:  # type: ignore[type-arg]
    body = {"text": "не работает чат", "received_at": WORKING, **fields}
    response = client.post("/v1/suggest", json=body)
    return {"status": response.status_code, **response.json()}


def test_banned_user_is_flagged_until_the_ban_is_lifted(client: TestClient) -> None:
    ban = client.post(
        "/v1/bans",
        json={
            "subject_type": "user",
            "subject": "u-13",
            "reason": "повторная грубость после предупреждения",
            "created_by": "lead-anna",
        },
    )
    assert ban.status_code == 201, ban.text
    assert ban.json()["active"] is True and ban.json()["expires_at"] is None
    flags = suggest(client, user_id="u-13")["flags"]
    assert [f["code"] for f in flags] == ["conduct.ban_recommended"]
    assert "повторная грубость" in flags[0]["reason"]
    assert suggest(client, user_id="u-14")["flags"] == []

    ban_id = ban.json()["id"]
    assert (
        client.delete(f"/v1/bans/{ban_id}", params={"actor": "lead-oleg"}).json()["active"] is False
    )
    assert suggest(client, user_id="u-13")["flags"] == []
    assert client.get("/v1/bans").json() == []
    history = client.get("/v1/bans", params={"include_inactive": True}).json()
    assert history[0]["lifted_by"] == "lead-oleg"
    audit = client.get("/v1/audit").json()
    assert [(a["action"], a["actor"]) for a in audit] == [
        ("ban.lift", "lead-oleg"),
        ("ban.add", "lead-anna"),
    ]


def test_blocks_refuse_inbound_requests_and_expire(client: TestClient) -> None:
    block = client.post(
        "/v1/blocks",
        json={
            "subject_type": "ip",
            "subject": "203.0.113.7",
            "reason": "скрипт шлет сообщения в цикле",
            "created_by": "lead-anna",
            "duration_minutes": 30,
        },
    ).json()
    assert block["active"] and block["expires_at"]
    refused = suggest(client, client_ip="203.0.113.7")
    assert refused["status"] == 403 and "скрипт" in refused["detail"]
    assert suggest(client, client_ip="203.0.113.8")["status"] == 200
    past = client.post(
        "/v1/blocks",
        json={
            "subject_type": "account",
            "subject": "a-old",
            "reason": "было",
            "created_by": "lead",
            "expires_at": "2020-01-01T00:00:00Z",
        },
    ).json()
    assert past["active"] is False
    assert suggest(client, account_id="a-old")["status"] == 200
    client.post(
        "/v1/blocks",
        json={"subject_type": "account", "subject": "a-spam", "reason": "бот", "created_by": "l"},
    )
    registered = client.post("/v1/backlog/register", json={"text": "баг", "account_id": "a-spam"})
    assert registered.status_code == 403


def test_restriction_input_is_checked(client: TestClient) -> None:
    base = {"subject": "x", "reason": "r", "created_by": "lead"}
    assert client.post("/v1/bans", json={**base, "subject_type": "ip"}).status_code == 422
    assert client.post("/v1/blocks", json={**base, "subject_type": "user"}).status_code == 422
    both = {**base, "subject_type": "ip", "duration_minutes": 5, "expires_at": WORKING}
    assert client.post("/v1/blocks", json=both).status_code == 422
    assert client.delete("/v1/bans/999", params={"actor": "lead"}).status_code == 404
    assert client.delete("/v1/bans/1").status_code == 422


def test_anomalous_load_is_flagged_per_account(client: TestClient) -> None:
    limit = int(client.app.state.settings.load_limit_account.split("/")[0])  # type: ignore[attr-defined]
    codes = [
        [f["code"] for f in suggest(client, account_id="a-bot")["flags"]] for _ in range(limit + 1)
    ]
    assert codes[:limit] == [[]] * limit
    assert codes[limit] == ["anomalous_load"]
    assert suggest(client, account_id="a-human")["flags"] == []


def test_rudeness_gets_the_remark_then_a_ban_recommendation(client: TestClient) -> None:
    first = suggest(client, text="вы там совсем идиоты? чат опять не работает", user_id="u-rude")
    assert [f["code"] for f in first["flags"]] == ["conduct.rude"]
    assert first["drafts"][0]["text"] == (
        "Давайте вернемся к разговору в деловом и уважительном стиле, в противном случае, "
        "я по инструкции должен прекратить наш разговор"
    )
    second = suggest(client, text="тупые клоуны, сколько можно", user_id="u-rude")
    assert [f["code"] for f in second["flags"]] == ["conduct.rude", "conduct.ban_recommended"]
    assert second["drafts"][0]["template"] == "conduct_end"
    polite = suggest(client, text="программа ужасно тормозит, это кошмар", user_id="u-calm")
    assert polite["flags"] == []
