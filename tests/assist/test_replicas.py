"""Two sidecar processes on one PostgreSQL server, spoken to over real HTTP.

What one replica learns (knowledge, feedback, bans, blocks, conduct strikes, load windows)
the other must see, as it would behind a load balancer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.postgres import postgres_server
from tests.servers import server

FAQ = [
    {
        "id": "faq-r1",
        "question": "Как настроить расписание линии?",
        "answer": "Откройте карточку линии, вкладка «Расписание».",
    },
    {
        "id": "faq-r2",
        "question": "Как сбросить пароль?",
        "answer": "Нажмите «Забыли пароль?» на странице входа.",
    },
]


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, prepared_models_dir: Path
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with postgres_server() as url:
        if url is None:
            pytest.skip("no PostgreSQL server here (install postgresql)")
        root = tmp_path_factory.mktemp("replicas")
        shared = {
            "ASSIST_DATABASE_URL": url,
            "ASSIST_RATE_STORAGE_URI": "database",
            "ASSIST_LOAD_LIMIT_ACCOUNT": "3/minute",
            "ASSIST_REFRESH_SECONDS": "0.5",
        }
        with ExitStack() as stack:
            first, second = (
                stack.enter_context(
                    server(root / name, prepared_models_dir, root / f"{name}.log", **shared)
                )
                for name in ("a", "b")
            )
            yield first, second


def eventually(check: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def suggest(client: httpx.Client, **body: str) -> dict[str, object]:
    response = client.post("/v1/suggest", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def flag_codes(result: dict[str, object]) -> list[str]:
    flags = result["flags"]
    assert isinstance(flags, list)
    return [flag["code"] for flag in flags]


@pytest.mark.integration
def test_knowledge_written_through_one_replica_reaches_the_other(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = replicas
    assert a.post("/v1/faq/bulk", json=FAQ).status_code == 200
    assert eventually(lambda: b.get("/readyz").json()["faq"] == len(FAQ))
    found = suggest(b, text="как поменять расписание работы линии")
    assert isinstance(found["faq"], list) and found["faq"][0]["id"] == "faq-r1"


@pytest.mark.integration
def test_feedback_through_either_replica_is_seen_by_both(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = replicas
    sid = suggest(a, text="не приходит письмо для сброса пароля")["suggestion_id"]
    sent = b.post(f"/v1/suggestions/{sid}/feedback", json={"outcome": "accepted"})
    assert sent.status_code == 200, sent.text
    assert a.get(f"/v1/suggestions/{sid}/feedback").json()[0]["outcome"] == "accepted"


@pytest.mark.integration
def test_bans_blocks_and_strikes_are_shared(replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = replicas
    ban = {
        "subject_type": "user",
        "subject": "u-banned",
        "reason": "оскорбления",
        "created_by": "lead",
    }
    assert a.post("/v1/bans", json=ban).status_code == 201
    assert "conduct.ban_recommended" in flag_codes(
        suggest(b, text="добрый день", user_id="u-banned")
    )

    block = {
        "subject_type": "account",
        "subject": "acc-blocked",
        "reason": "флуд",
        "created_by": "lead",
    }
    assert b.post("/v1/blocks", json=block).status_code == 201
    refused = a.post("/v1/suggest", json={"text": "привет", "account_id": "acc-blocked"})
    assert refused.status_code in (403, 429)
    assert refused.headers["content-type"] == "application/problem+json"

    rude = "вы там совсем идиоты? ничего не работает"
    assert "conduct.rude" in flag_codes(suggest(a, text=rude, conversation_id="conv-1"))
    again = flag_codes(suggest(b, text=rude, conversation_id="conv-1"))
    assert "conduct.ban_recommended" in again


@pytest.mark.integration
def test_load_windows_count_across_replicas(replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = replicas
    flags = [
        flag_codes(suggest(client, text="не работает чат", account_id="acc-load"))
        for client in (a, b, a)
    ]
    assert all("anomalous_load" not in f for f in flags)
    assert "anomalous_load" in flag_codes(suggest(b, text="не работает чат", account_id="acc-load"))
