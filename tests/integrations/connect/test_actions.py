"""What the sidecar does in a line by itself (only when switched on), and the panel's transfer;
every call goes to the fake 1C-Connect over real HTTP."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.integrations.connect.conftest import (
    LINE,
    MANAGERS,
    SUNDAY_NIGHT,
    USER,
    line_event,
    post_event,
)
from tests.integrations.connect.fake_connect import FakeConnect
from tests.servers import eventually

BUSINESS = "Как нам правильно организовать работу отдела продаж?"


def actions(client: TestClient, count: int) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []

    def enough() -> bool:
        found[:] = client.get("/v1/connect/actions").json()
        return len(found) >= count

    assert eventually(enough)
    return found


def test_nothing_is_sent_unless_a_lead_switched_it_on(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client()
    post_event(client, line_event("Не работает удаленный доступ", message_time=SUNDAY_NIGHT))
    post_event(client, line_event(BUSINESS))
    client.app.state.services.connect.actions.close()  # type: ignore[attr-defined]
    assert fake_connect.calls == []
    assert client.get("/v1/connect/actions").json() == []


def test_off_hours_notice_goes_out_once_per_quiet_period(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client(connect_auto_off_hours_notice=True)
    post_event(client, line_event("Не работает удаленный доступ", message_time=SUNDAY_NIGHT))
    done = actions(client, 1)
    post_event(client, line_event("Алло, ответьте", message_time=SUNDAY_NIGHT))
    post_event(client, line_event("Как настроить расписание?", message_time=SUNDAY_NIGHT))
    client.app.state.services.connect.actions.close()  # type: ignore[attr-defined]
    sent = fake_connect.calls_to("line/send/message")
    assert len(sent) == 1
    assert (sent[0]["line_id"], sent[0]["user_id"]) == (LINE, USER)
    assert "завтра с 7:00" in sent[0]["text"]  # Sunday night: Monday morning
    assert done[0]["action"] == "off_hours_notice" and done[0]["ok"] is True


def test_a_banned_user_gets_the_ban_notice_once(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client(connect_auto_ban_notice=True)
    ban = {"subject_type": "user", "subject": USER, "reason": "грубость", "created_by": "lead-1"}
    assert client.post("/v1/bans", json=ban).status_code == 201
    post_event(client, line_event("Ну что там с моим вопросом?"))
    actions(client, 1)
    post_event(client, line_event("Ответьте уже"))
    client.app.state.services.connect.actions.close()  # type: ignore[attr-defined]
    sent = fake_connect.calls_to("line/send/message")
    assert len(sent) == 1
    assert "прекратить" in sent[0]["text"] or "прекращ" in sent[0]["text"]


def test_business_questions_are_handed_to_the_managers_line(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client(connect_auto_transfer_business=True)
    post_event(client, line_event(BUSINESS))
    done = actions(client, 1)
    assert fake_connect.calls_to("line/reroute") == [
        {"line_id": LINE, "user_id": USER, "to_line_id": MANAGERS, "quote": BUSINESS}
    ]
    assert done[0]["action"] == "transfer" and done[0]["ok"] is True


def test_a_refused_action_is_recorded_as_failed(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client(connect_auto_off_hours_notice=True)
    stranger = "11111111-2222-4333-8444-555555555555"  # not subscribed to the line
    post_event(client, line_event("Помогите", user_id=stranger, message_time=SUNDAY_NIGHT))
    done = actions(client, 1)
    assert done[0]["ok"] is False
    assert "User is not a subscriber" in str(done[0]["detail"])
    metrics = client.get("/metrics").text
    assert 'assist_peer_requests_total{peer="1c-connect",result="error"} 1.0' in metrics


def test_a_specialist_transfers_from_the_panel(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client()
    answer = client.post("/v1/connect/transfer", json={"line_id": LINE, "user_id": USER})
    assert answer.status_code == 200
    assert answer.json()["action"] == "transfer"
    assert fake_connect.calls_to("line/reroute")[0]["to_line_id"] == MANAGERS

    fake_connect.lines.discard(MANAGERS)  # 1C-Connect no longer lets us reach that line
    refused = client.post("/v1/connect/transfer", json={"line_id": LINE, "user_id": USER})
    assert refused.status_code == 502
    assert refused.headers["content-type"] == "application/problem+json"
    assert "Access denied to the line" in refused.json()["detail"]


def test_transfer_needs_a_line_to_go_to(make_client: Callable[..., TestClient]) -> None:
    client = make_client(connect_managers_line_id=None)
    answer = client.post("/v1/connect/transfer", json={"line_id": LINE, "user_id": USER})
    assert answer.status_code == 422


def test_a_lead_switches_actions_on_and_off_without_a_restart(
    make_client: Callable[..., TestClient], fake_connect: FakeConnect
) -> None:
    client = make_client()  # every action off in the settings
    listed = client.get("/v1/connect/switches").json()
    assert {(s["name"], s["enabled"], s["source"]) for s in listed} == {
        ("off_hours_notice", False, "setting"),
        ("ban_notice", False, "setting"),
        ("transfer_business", False, "setting"),
    }
    turned = client.put("/v1/connect/switches/transfer_business", json={"enabled": True})
    assert turned.status_code == 200
    assert (turned.json()["enabled"], turned.json()["source"]) == (True, "lead")
    post_event(client, line_event(BUSINESS))
    actions(client, 1)
    client.put("/v1/connect/switches/transfer_business", json={"enabled": False})
    post_event(client, line_event(BUSINESS))
    client.app.state.services.connect.actions.close()  # type: ignore[attr-defined]
    assert len(fake_connect.calls_to("line/reroute")) == 1
    audit = [a["action"] for a in client.get("/v1/audit").json()]
    assert audit[:2] == ["connect.transfer_business.off", "connect.transfer_business.on"]
    assert client.put("/v1/connect/switches/send_spam", json={"enabled": True}).status_code == 422


def test_transfers_stay_within_the_served_lines(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    foreign = "0e0e0e0e-0000-4000-8000-00000000000e"
    from_foreign = client.post("/v1/connect/transfer", json={"line_id": foreign, "user_id": USER})
    assert from_foreign.status_code == 403
    to_foreign = client.post(
        "/v1/connect/transfer", json={"line_id": LINE, "user_id": USER, "to_line_id": foreign}
    )
    assert to_foreign.status_code == 403
