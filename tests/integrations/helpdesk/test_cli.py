"""`assist webhooks deliveries` and `assist webhooks replay` on a real database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assist.cli import main
from assist.storage.sql import open_store
from assist.storage.webhooks import NewDelivery

NOW = datetime.now(UTC)


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with two dead deliveries (ids 1, 2) and one delivered (id 3)."""
    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSIST_LOG_LEVEL", "WARNING")
    database = f"sqlite:///{tmp_path / 'assist.db'}"
    with open_store(database) as store:
        deliveries = store.webhooks.deliveries
        deliveries.enqueue(
            [
                NewDelivery(
                    f"ev-{n}",
                    "https://u:p@desk.example/hook?token=t",
                    "suggestion.ready",
                    f'{{"n":{n}}}',
                    None,
                )
                for n in (1, 2, 3)
            ],
            NOW,
        )
        first, second, third = deliveries.claim(NOW, urls=1, per_url=3, lease_seconds=60)
        for row in (first, second):
            deliveries.failed(
                row, error="HTTP 502: bad gateway", status_code=502, retry_at=None, now=NOW
            )
        deliveries.delivered(third, status_code=200, now=NOW)
    return database


def test_the_dead_letters_are_listed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "deliveries", "--status", "dead"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0].split("\t")[:4] == ["id", "status", "attempts", "next attempt"]
    assert lines[-1] == "2 deliveries"
    assert [line.split("\t")[:4] for line in lines[1:-1]] == [
        ["2", "dead", "1", "-"],
        ["1", "dead", "1", "-"],
    ]
    assert "HTTP 502: bad gateway" in lines[1]
    assert "token" not in out and "u:p" not in out  # the URL is shown without its secrets

    assert main(["webhooks", "deliveries", "--json", "--limit", "1"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["id"], row["status"], row["body"]) == (3, "delivered", {"n": 3})


def test_replay_by_id_reports_the_missing(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "replay", "--id", "1", "--id", "77"]) == 1
    assert "1 back to pending; missing: [77]" in capsys.readouterr().out
    with open_store(url) as store:
        replayed = store.webhooks.deliveries.get(1)
        assert replayed is not None and (replayed.status, replayed.attempts) == ("pending", 0)
        assert [d.id for d in store.webhooks.deliveries.entries("dead")] == [2]


def test_replay_all_dead(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "replay", "--all-dead"]) == 0
    assert "2 dead deliveries back to pending" in capsys.readouterr().out
    with open_store(url) as store:
        assert store.webhooks.deliveries.entries("dead") == []
        assert len(store.webhooks.deliveries.entries("pending")) == 2


def test_replay_needs_ids_or_all_dead(url: str) -> None:
    with pytest.raises(SystemExit):
        main(["webhooks", "replay"])
    with pytest.raises(SystemExit):
        main(["webhooks", "replay", "--id", "1", "--all-dead"])
