"""Fault injection through the admin API: error statuses, lost responses, bad bodies, counters."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.helpers import validate_against
from tests.server.helpers import user

CREATE = "POST /v1/chat/completions"


def _create(http: httpx.Client, **extra: Any) -> httpx.Response:
    return http.post("/chat/completions", json={"model": "gpt-4o", "messages": user("hi"), **extra})


def test_429_carries_retry_after_headers(server: LocalServer, http: httpx.Client) -> None:
    server.admin.set_faults(fail_next=[429], retry_after=0.25)
    response = _create(http)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"  # whole seconds, at least 1 (spec)
    assert response.headers["retry-after-ms"] == "250"
    validate_against("ErrorResponse", response.json())
    assert response.json()["error"]["code"] == "rate_limit_exceeded"
    assert _create(http).status_code == 200  # fail_next is consumed


def test_sdk_retries_through_injected_failures(server: LocalServer) -> None:
    server.admin.set_faults(fail_next=[429, 503], retry_after=0.01)
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=2) as sdk:
        raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=user("hi"))
    assert raw.retries_taken == 2
    assert server.admin.counters()[CREATE] == 3


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_one_always_fails_and_stores_nothing(
    server: LocalServer, http: httpx.Client, status: int
) -> None:
    before = server.admin.health()["completions"]
    server.admin.set_faults(**{f"rate_{status}": 1.0})
    assert _create(http, store=True).status_code == status
    assert server.admin.health()["completions"] == before


def test_seeded_faults_repeat_exactly(server: LocalServer, http: httpx.Client) -> None:
    def outcomes() -> list[int]:
        server.admin.set_faults(rate_500=0.5, seed=7)
        return [http.get("/chat/completions", params={"limit": 1}).status_code for _ in range(20)]

    first = outcomes()
    assert set(first) == {200, 500}
    assert outcomes() == first


def test_drop_after_commit_loses_the_response_but_keeps_the_completion(
    server: LocalServer, client: openai.OpenAI
) -> None:
    tag = f"drop-{id(client)}"
    server.admin.set_faults(drop_after_commit=1)
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(
            model="gpt-4o", messages=user("hi"), store=True, metadata={"tag": tag}
        )
    stored = list(client.chat.completions.list(metadata={"tag": tag}))
    assert len(stored) == 1
    assert server.admin.faults()["drop_after_commit_next"] == 0
    again = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    assert client.chat.completions.retrieve(again.id).id == again.id


def test_a_create_whose_client_gives_up_during_the_latency_is_still_stored(
    server: LocalServer, http: httpx.Client
) -> None:
    """As with the real API, a request the server received is done even if its client went
    away meanwhile (a killed provider leaves the completions it had asked for)."""
    before = server.admin.health()["completions"]
    server.admin.set_faults(latency=0.5)
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            "/chat/completions",
            json={"model": "gpt-4o", "messages": user("hi"), "store": True},
            timeout=httpx.Timeout(5, read=0.1),
        )
    server.admin.set_faults(latency=0)
    server.admin.wait_until_idle()  # the request is done, however busy the machine
    assert server.admin.health()["completions"] == before + 1


def test_health_counts_the_requests_in_flight(server: LocalServer) -> None:
    """A create whose body has not all arrived is in flight until it has and is done; what
    tests wait for (``wait_until_idle``) after killing a client."""
    before = server.admin.health()["completions"]
    body = json.dumps({"model": "gpt-4o", "messages": user("hi"), "store": True}).encode()
    head = (
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as held:
        held.sendall(head.encode() + body[:10])
        deadline = time.monotonic() + 30
        while server.admin.health()["in_flight"] != 1:
            assert time.monotonic() < deadline, "the held request never showed as in flight"
            time.sleep(0.01)
        server.admin.reset_counters()  # resets the counts, not what is in flight
        assert server.admin.health()["in_flight"] == 1
        held.sendall(body[10:])
        assert held.recv(64).startswith(b"HTTP/1.1 200 ")
    server.admin.wait_until_idle()
    assert server.admin.health() | {"db": None} == {
        "status": "ok",
        "completions": before + 1,
        "db": None,
        "in_flight": 0,
    }


def test_an_outage_of_one_endpoint_leaves_the_others_working(
    server: LocalServer, http: httpx.Client
) -> None:
    server.admin.set_faults(outage=["GET /v1/chat/completions"])
    listed = http.get("/chat/completions")
    assert listed.status_code == 503
    assert listed.headers["retry-after"] == "1"
    created = _create(http, store=True)
    assert created.status_code == 200
    assert http.get(f"/chat/completions/{created.json()['id']}").status_code == 200


def test_dropped_delete_is_still_committed(server: LocalServer, client: openai.OpenAI) -> None:
    created = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    server.admin.set_faults(drop_after_commit=1.0)
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.delete(created.id)
    server.admin.reset_faults()
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.retrieve(created.id)


@pytest.mark.parametrize("mode", ["html", "truncated", "wrong_types", "empty"])
def test_malformed_bodies_do_not_parse_as_completions(
    server: LocalServer, http: httpx.Client, mode: str
) -> None:
    server.admin.set_faults(malformed=mode)
    response = _create(http)
    assert response.status_code == 200
    with pytest.raises((ValueError, AssertionError)):  # not JSON, or not the schema
        validate_against("CreateChatCompletionResponse", json.loads(response.content))
    if mode == "html":
        assert response.headers["content-type"].startswith("text/html")


def test_malformed_probability_spares_some_responses(
    server: LocalServer, http: httpx.Client
) -> None:
    server.admin.set_faults(malformed=0.5, malformed_mode="empty", seed=3)
    sizes = [len(http.get("/chat/completions", params={"limit": 1}).content) for _ in range(20)]
    assert 0 in sizes and any(sizes)


def test_counters_count_each_endpoint(server: LocalServer, client: openai.OpenAI) -> None:
    created = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    client.chat.completions.retrieve(created.id)
    client.chat.completions.retrieve(created.id)
    client.chat.completions.update(created.id, metadata={"k": "v"})
    list(client.chat.completions.messages.list(created.id))
    client.chat.completions.list(limit=1)
    client.chat.completions.delete(created.id)
    assert server.admin.counters() == {
        "DELETE /v1/chat/completions/{id}": 1,
        "GET /v1/chat/completions": 1,
        "GET /v1/chat/completions/{id}": 2,
        "GET /v1/chat/completions/{id}/messages": 1,
        "POST /v1/chat/completions": 1,
        "POST /v1/chat/completions/{id}": 1,
    }
    server.admin.reset_counters()
    assert server.admin.counters() == {}


@pytest.mark.parametrize(
    ("settings", "param"),
    [
        pytest.param({"rate_429": 1.5}, "rate_429", id="probability-above-one"),
        pytest.param({"latency": -1}, "latency", id="negative-latency"),
        pytest.param({"malformed": "xml"}, "malformed", id="unknown-mode"),
        pytest.param({"fail_next": [200]}, "fail_next", id="not-an-error-status"),
        pytest.param({"explode": True}, "explode", id="unknown-setting"),
    ],
)
def test_admin_refuses_bad_fault_settings(
    server: LocalServer, settings: dict[str, Any], param: str
) -> None:
    response = httpx.post(f"{server.url}/_admin/faults", json=settings)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param
    assert server.admin.faults() == server.admin.reset_faults()


def test_fault_flags_apply_from_start(chatcomp_server_factory: Any) -> None:
    server = chatcomp_server_factory("--rate-503", "1", "--retry-after", "2", "--fault-seed", "1")
    assert server.admin.faults()["rate_503"] == 1.0
    response = httpx.get(f"{server.base_url}/chat/completions")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
