"""Registering tasks and attaching requesters, through the API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_register_drafts_the_task_and_names_its_number(client: TestClient) -> None:
    response = client.post(
        "/v1/backlog/register",
        json={
            "text": "Добрый день! Квитанции об оплате приходят дважды. Спасибо!",
            "user_id": "u-7",
            "account_id": "a-1",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    task = body["task"]
    assert task["title"] == "Квитанции об оплате приходят дважды"
    assert (task["kind"], task["status"]) == ("bug", "open")
    assert task["watchers"] == ["user:u-7", "account:a-1"]
    assert task["id"] in body["draft"]["text"] and body["draft"]["template"] == "register"
    assert client.get(f"/v1/backlog/{task['id']}").json()["title"] == task["title"]


def test_register_recognises_wishes_and_takes_edits(client: TestClient) -> None:
    body = client.post(
        "/v1/backlog/register",
        json={
            "text": "Хотелось бы выгружать статистику в Excel",
            "title": "Выгрузка статистики в Excel",
            "user_id": "u-8",
            "language": "en",
        },
    ).json()
    assert body["task"]["kind"] == "feature"
    assert body["task"]["title"] == "Выгрузка статистики в Excel"
    assert body["draft"]["language"] == "en"


def test_attach_adds_the_requester_and_drafts_the_reply(client: TestClient) -> None:
    response = client.post("/v1/backlog/CONNECT-2/watchers", json={"user_id": "u-7"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["task"]["watchers"] == ["user:u-7"]
    assert "CONNECT-2" in body["draft"]["text"] and "уже в работе" in body["draft"]["text"]
    again = client.post("/v1/backlog/CONNECT-2/watchers", json={"user_id": "u-7"}).json()
    assert again["task"]["watchers"] == ["user:u-7"]


def test_actions_need_a_requester_and_an_existing_task(client: TestClient) -> None:
    assert client.post("/v1/backlog/CONNECT-2/watchers", json={}).status_code == 422
    assert client.post("/v1/backlog/CONNECT-404/watchers", json={"user_id": "u"}).status_code == 404
    assert client.post("/v1/backlog/register", json={"text": "баг"}).status_code == 422
    assert (
        client.post("/v1/backlog/register", json={"text": " ", "user_id": "u"}).status_code == 422
    )
