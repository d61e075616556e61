"""The line API client against the fake 1C-Connect over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest

from integrations.connect.client import (
    ConnectClient,
    ConnectError,
    Pacer,
    RetryPolicy,
    connect_http_client,
)
from tests.integrations.connect.fake_connect import LOGIN, PASSWORD, FakeConnect
from tests.servers import serve_in_thread

LINE, MANAGERS, USER = str(uuid4()), str(uuid4()), str(uuid4())


@pytest.fixture
def fake() -> FakeConnect:
    return FakeConnect(lines={LINE, MANAGERS}, subscribers={(LINE, USER)})


@pytest.fixture
def url(fake: FakeConnect) -> Iterator[str]:
    with serve_in_thread(fake.app()) as base:
        yield base


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(url: str, sleeps: Sleeps, password: str = PASSWORD, attempts: int = 3) -> ConnectClient:
    http = connect_http_client(url, LOGIN, password, timeout=5)
    return ConnectClient(
        http,
        retry=RetryPolicy(attempts=attempts, backoff_seconds=0.25, max_backoff_seconds=2),
        requests_per_second=0,  # unpaced: the sleeps seen are the retries only
        sleep=sleeps,
    )


def test_register_hook_sends_the_documented_body_with_back_auth(
    fake: FakeConnect, url: str
) -> None:
    client(url, Sleeps()).register_hook(
        "https://assist.example.com/hooks/connect", line_id=UUID(LINE), token="t0k"
    )
    assert fake.calls_to("hook") == [
        {
            "id": LINE,
            "type": "line",
            "url": "https://assist.example.com/hooks/connect",
            "back_auth": {"type": "bearer", "token": "t0k"},
        }
    ]
    assert fake.calls[0].authorization.startswith("Basic ")


def test_send_and_reroute(fake: FakeConnect, url: str) -> None:
    api = client(url, Sleeps())
    api.send_message(UUID(LINE), UUID(USER), "Здравствуйте!")
    api.reroute(UUID(LINE), UUID(USER), UUID(MANAGERS), quote="Как вести учет?")
    assert fake.calls_to("line/send/message") == [
        {"line_id": LINE, "user_id": USER, "text": "Здравствуйте!"}
    ]
    assert fake.calls_to("line/reroute") == [
        {"line_id": LINE, "user_id": USER, "to_line_id": MANAGERS, "quote": "Как вести учет?"}
    ]


def test_refusals_carry_the_servers_message_and_are_not_retried(
    fake: FakeConnect, url: str
) -> None:
    sleeps = Sleeps()
    with pytest.raises(ConnectError) as refused:
        client(url, sleeps).send_message(UUID(LINE), uuid4(), "hi")
    assert refused.value.status == 403
    assert refused.value.message == "User is not a subscriber or never been online"
    assert len(fake.calls_to("line/send/message")) == 1 and sleeps == []


def test_wrong_password_is_a_401(fake: FakeConnect, url: str) -> None:
    with pytest.raises(ConnectError) as refused:
        client(url, Sleeps(), password="wrong").send_message(UUID(LINE), UUID(USER), "hi")
    assert refused.value.status == 401


def test_rate_limit_answers_are_retried_after_the_servers_delay(
    fake: FakeConnect, url: str
) -> None:
    fake.fail_next(429, times=1, **{"Retry-After": "1.5"})
    fake.fail_next(503, times=1)
    sleeps = Sleeps()
    client(url, sleeps).send_message(UUID(LINE), UUID(USER), "hi")
    assert len(fake.calls_to("line/send/message")) == 3
    assert sleeps == [1.5, 0.5]  # Retry-After first, then the backoff of attempt 2


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_send_is_not_retried_when_the_message_may_have_gone_out(
    fake: FakeConnect, url: str, status: int
) -> None:
    fake.fail_next(status)
    with pytest.raises(ConnectError):
        client(url, Sleeps()).send_message(UUID(LINE), UUID(USER), "hi")
    assert len(fake.calls_to("line/send/message")) == 1


def test_registering_the_hook_is_retried_after_a_gateway_error(fake: FakeConnect, url: str) -> None:
    fake.fail_next(504)
    client(url, Sleeps()).register_hook("https://a.example/hook", line_id=UUID(LINE))
    assert len(fake.calls_to("hook")) == 2


def test_retries_stop_after_the_last_attempt(fake: FakeConnect, url: str) -> None:
    fake.fail_next(503, times=5)
    sleeps = Sleeps()
    with pytest.raises(ConnectError) as failed:
        client(url, sleeps, attempts=3).send_message(UUID(LINE), UUID(USER), "hi")
    assert failed.value.status == 503
    assert sleeps == [0.25, 0.5]


def test_an_unreachable_server_is_retried_then_reported() -> None:
    from tests.servers import free_port

    sleeps = Sleeps()
    with pytest.raises(ConnectError, match="cannot be reached"):
        client(f"http://127.0.0.1:{free_port()}", sleeps).send_message(UUID(LINE), UUID(USER), "hi")
    assert len(sleeps) == 2


def test_the_pacer_spaces_requests() -> None:
    now = [100.0]
    waits = Sleeps()
    pacer = Pacer(per_second=4, clock=lambda: now[0])
    for _ in range(3):
        pacer.wait(waits)
    assert waits == [0.25, 0.5]
