"""Listing stored completions and their messages: lazy pages, limits, filters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_chatcomp._exceptions import APIResponseValidationError, InternalServerError
from pulumi_chatcomp.client._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.models import ChatCompletion, ChatCompletionStoreMessage
from tests.unit.client.helpers import Harness, completion_body, ok, page_body


class PagedStore:
    """A fake list endpoint over `total` completions that honours `after` and `limit`."""

    def __init__(self, total: int, *, make: Any = None) -> None:
        make = make or (lambda n: completion_body(f"chatcmpl-{n:04d}"))
        self.items = [make(n) for n in range(total)]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        params = request.url.params
        limit = int(params.get("limit", "20"))
        ids = [item["id"] for item in self.items]
        start = ids.index(params["after"]) + 1 if "after" in params else 0
        page = self.items[start : start + limit]
        return ok(page_body(page, start + limit < len(self.items)))


@pytest.mark.parametrize(
    ("total", "limit", "expected_count", "expected_requests"),
    [
        pytest.param(0, None, 0, 1, id="no-completions"),
        pytest.param(1, None, 1, 1, id="one-page"),
        pytest.param(345, None, 345, 4, id="many-pages"),
        pytest.param(345, 10, 10, 1, id="limit-small"),
        pytest.param(345, 120, 120, 2, id="limit-across-pages"),
    ],
)
def test_pages_and_limits(
    harness: Harness, total: int, limit: int | None, expected_count: int, expected_requests: int
) -> None:
    store = PagedStore(total)
    completions = list(harness.client(store).list(limit=limit))
    assert [c.id for c in completions] == [item["id"] for item in store.items[:expected_count]]
    assert all(isinstance(c, ChatCompletion) for c in completions)
    assert len(store.requests) == expected_requests


def test_page_requests_carry_cursor_and_shrinking_size(harness: Harness) -> None:
    store = PagedStore(345)
    list(harness.client(store).list(limit=130))
    queries = [dict(request.url.params) for request in store.requests]
    assert queries == [{"limit": "100"}, {"limit": "30", "after": "chatcmpl-0099"}]


def test_pages_are_fetched_lazily(harness: Harness) -> None:
    store = PagedStore(250)
    completions = harness.client(store).list()
    assert store.requests == []
    first = next(completions)
    assert first.id == "chatcmpl-0000"
    assert len(store.requests) == 1
    for _ in range(99):
        next(completions)
    assert len(store.requests) == 1
    next(completions)
    assert len(store.requests) == 2


def test_filters_are_encoded_like_the_official_sdk(harness: Harness) -> None:
    store = PagedStore(0)
    filters = {"dataset": "faq v2", "owner": "ml&ops"}
    list(harness.client(store).list(model="gpt-4o", metadata=filters, order="desc", limit=5))
    request = store.requests[0]
    assert dict(request.url.params) == {
        "model": "gpt-4o",
        "metadata[dataset]": "faq v2",
        "metadata[owner]": "ml&ops",
        "order": "desc",
        "limit": "5",
    }
    assert b"metadata%5Bdataset%5D=faq+v2" in request.url.query
    assert b"metadata%5Bowner%5D=ml%26ops" in request.url.query


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"limit": -1}, "limit must be", id="negative-limit"),
        pytest.param({"order": "newest"}, "order must be", id="bad-order"),
        # One rule for every caller: 0 is refused, since many APIs read it as "no limit".
        pytest.param({"limit": 0}, "limit must be a whole number, 1 or more", id="limit-zero"),
        pytest.param({"metadata": {"k": 1}}, "metadata must map strings", id="bad-metadata"),
    ],
)
def test_bad_arguments_fail_at_call_time(
    harness: Harness, kwargs: dict[str, Any], message: str
) -> None:
    store = PagedStore(3)
    with pytest.raises(ValueError, match=message):
        harness.client(store).list(**kwargs)
    assert store.requests == []


def test_page_errors_are_retried_mid_iteration(harness: Harness) -> None:
    store = PagedStore(150)
    failures = iter([httpx.Response(502, text="bad gateway")])

    def handler(request: httpx.Request) -> httpx.Response:
        if "after" in request.url.params:
            failure = next(failures, None)
            if failure is not None:
                return failure
        return store(request)

    assert len(list(harness.client(handler).list())) == 150
    assert len(harness.sleeps) == 1


def test_page_errors_surface_once_retries_are_spent(harness: Harness) -> None:
    store = PagedStore(150)

    def handler(request: httpx.Request) -> httpx.Response:
        if "after" in request.url.params:
            return httpx.Response(500, json={"error": {"message": "down"}})
        return store(request)

    completions = harness.client(handler, max_retries=1).list()
    seen = 0
    with pytest.raises(InternalServerError):
        for _ in completions:
            seen += 1
    assert seen == 100


def test_list_messages(harness: Harness) -> None:
    def message(n: int) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-1-{n}",
            "role": "user",
            "content": f"q{n}",
            "name": None,
            "content_parts": None,
        }

    store = PagedStore(130, make=message)
    messages = list(harness.client(store).list_messages("chatcmpl-1", order="asc", limit=120))
    assert len(messages) == 120
    assert all(isinstance(m, ChatCompletionStoreMessage) for m in messages)
    assert messages[0].role == "user" and messages[5].content == "q5"
    assert {request.url.path for request in store.requests} == {
        "/v1/chat/completions/chatcmpl-1/messages"
    }
    assert store.requests[1].url.params["after"] == "chatcmpl-1-99"
    assert store.requests[0].url.params["order"] == "asc"


def test_list_messages_needs_an_id(harness: Harness) -> None:
    with pytest.raises(ValueError, match="completion_id"):
        harness.client(PagedStore(0)).list_messages("")


def test_list_raw_yields_each_completion_as_sent(harness: Harness) -> None:
    # Fields the models do not know, nulls, key order and number types all come through.
    def make(n: int) -> dict[str, Any]:
        return {
            "temperature": 1.0,
            **completion_body(f"chatcmpl-{n:04d}"),
            "request_id": f"req_{n}",
            "tools": None,
            "service_tier": None,
            "metadata": {"dataset": "faq"},
        }

    store = PagedStore(130, make=make)
    listed = list(harness.client(store).list_raw(metadata={"dataset": "faq"}, order="asc"))
    assert listed == store.items
    assert [list(item) for item in listed] == [list(item) for item in store.items]
    assert isinstance(listed[0]["temperature"], float)
    assert dict(store.requests[0].url.params) == {
        "metadata[dataset]": "faq",
        "order": "asc",
        "limit": "100",
    }
    assert store.requests[1].url.params["after"] == "chatcmpl-0099"


def test_list_raw_takes_out_the_idempotency_key_only(harness: Harness) -> None:
    metadata = {"owner": "me", IDEMPOTENCY_METADATA_KEY: "tok-1"}
    store = PagedStore(1, make=lambda n: completion_body(metadata=metadata))
    (listed,) = harness.client(store).list_raw()
    assert listed == {**store.items[0], "metadata": {"owner": "me"}}
    assert store.items[0]["metadata"] == metadata  # the page itself is left alone


def test_list_raw_is_lazy_and_limited(harness: Harness) -> None:
    store = PagedStore(250)
    listed = harness.client(store).list_raw(limit=130)
    assert store.requests == []
    assert next(listed)["id"] == "chatcmpl-0000"
    assert len(store.requests) == 1
    assert len(list(listed)) == 129
    assert [dict(r.url.params) for r in store.requests][1] == {
        "limit": "30",
        "after": "chatcmpl-0099",
    }


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param({"object": "list", "has_more": False}, "data", id="no-data"),
        pytest.param(
            {"object": "list", "data": [{"object": "chat.completion"}], "has_more": False},
            "data[0].id",
            id="no-id",
        ),
        pytest.param(
            {"object": "list", "data": [1], "has_more": False},
            "data[0] must be an object",
            id="not-obj",
        ),
    ],
)
def test_list_raw_refuses_what_is_not_a_page(
    harness: Harness, body: dict[str, Any], problem: str
) -> None:
    with pytest.raises(APIResponseValidationError, match=r"GET /chat/completions") as caught:
        list(harness.client(lambda request: ok(body)).list_raw())
    assert "not a valid page of ChatCompletion" in str(caught.value)
    assert problem in str(caught.value)


def test_list_raw_checks_arguments_before_sending(harness: Harness) -> None:
    store = PagedStore(3)
    with pytest.raises(ValueError, match=r"ChatCompletionsClient\.list_raw: limit must be"):
        harness.client(store).list_raw(limit=0)
    assert store.requests == []
