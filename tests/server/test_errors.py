"""Error answers use OpenAI's envelope, status codes and ``param`` naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.helpers import validate_against
from tests.server.helpers import user


def _envelope(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    validate_against("ErrorResponse", body)
    assert response.headers["x-request-id"].startswith("req_")
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/chat/completions/chatcmpl-missing", id="retrieve"),
        pytest.param("DELETE", "/chat/completions/chatcmpl-missing", id="delete"),
        pytest.param("GET", "/chat/completions/chatcmpl-missing/messages", id="messages"),
    ],
)
def test_unknown_completion_is_404_envelope(http: httpx.Client, method: str, path: str) -> None:
    response = http.request(method, path)
    assert response.status_code == 404
    error = _envelope(response)
    assert error["type"] == "invalid_request_error"
    assert "chatcmpl-missing" in error["message"]
    assert error["param"] is None and error["code"] is None


def test_update_of_unknown_completion_is_404(http: httpx.Client) -> None:
    response = http.post("/chat/completions/chatcmpl-missing", json={"metadata": {}})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "param"),
    [
        pytest.param({"model": "gpt-4o", "messages": []}, "messages", id="empty-messages"),
        pytest.param({"messages": user("hi")}, "model", id="missing-model"),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "temperature": 3}, "temperature", id="temp"
        ),
        pytest.param({"model": "gpt-4o", "messages": user("hi"), "n": 0}, "n", id="n"),
        pytest.param(
            {
                "model": "gpt-4o",
                "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
            },
            "messages[0].content[0].image_url.url",
            id="nested-path",
        ),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "top_logprobs": 2},
            "top_logprobs",
            id="top-logprobs-without-logprobs",
        ),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "stream_options": {"include_usage": True}},
            "stream_options",
            id="stream-options-without-stream",
        ),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "tool_choice": "required"},
            "tool_choice",
            id="tool-choice-without-tools",
        ),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "max_completion_tokens": -1},
            "max_completion_tokens",
            id="negative-token-cap",
        ),
        pytest.param(
            {"model": "gpt-4o", "messages": user("hi"), "tools": []}, "tools", id="empty-tools"
        ),
    ],
)
def test_invalid_create_is_400_naming_the_field(
    http: httpx.Client, body: dict[str, Any], param: str
) -> None:
    response = http.post("/chat/completions", json=body)
    assert response.status_code == 400
    error = _envelope(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param


def test_metadata_without_store_is_400_in_the_apis_words(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=user("hi"), metadata={"team": "ml"})
    assert caught.value.param == "metadata"
    assert "only allowed when 'store' is enabled" in caught.value.message


def test_not_json_is_400(http: httpx.Client) -> None:
    response = http.post(
        "/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in _envelope(response)["message"]


@pytest.mark.parametrize(
    ("metadata", "param"),
    [
        pytest.param({f"k{i}": "v" for i in range(17)}, "metadata", id="too-many-pairs"),
        pytest.param({"k": "v" * 513}, 'metadata["k"]', id="value-too-long"),
        pytest.param({"k": 1}, 'metadata["k"]', id="value-not-string"),
    ],
)
def test_update_checks_metadata_limits(
    client: openai.OpenAI, http: httpx.Client, metadata: dict[str, Any], param: str
) -> None:
    created = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    response = http.post(f"/chat/completions/{created.id}", json={"metadata": metadata})
    assert response.status_code == 400
    assert _envelope(response)["param"] == param
    assert client.chat.completions.retrieve(created.id).metadata == {}


@pytest.mark.parametrize(
    ("query", "param"),
    [
        pytest.param({"limit": 0}, "limit", id="limit-zero"),
        pytest.param({"limit": 101}, "limit", id="limit-too-big"),
        pytest.param({"order": "newest"}, "order", id="order"),
        pytest.param({"after": "chatcmpl-missing"}, "after", id="after-unknown"),
    ],
)
def test_list_checks_query(http: httpx.Client, query: dict[str, Any], param: str) -> None:
    response = http.get("/chat/completions", params=query)
    assert response.status_code in (400, 404)
    assert _envelope(response)["param"] == param


def test_messages_after_an_unknown_id_is_404_as_for_completions(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    created = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    for path, after in [
        ("/chat/completions", "chatcmpl-missing"),
        (f"/chat/completions/{created.id}/messages", f"{created.id}-1"),
        (f"/chat/completions/{created.id}/messages", "chatcmpl-missing-0"),
    ]:
        response = http.get(path, params={"after": after})
        assert response.status_code == 404
        error = _envelope(response)
        assert error["message"] == f"No object found with id '{after}' to page after."
        assert (error["param"], error["code"]) == ("after", None)


def test_messages_of_a_deleted_completion_are_404(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    created = client.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    client.chat.completions.delete(created.id)
    for params in ({}, {"after": f"{created.id}-0"}):
        response = http.get(f"/chat/completions/{created.id}/messages", params=params)
        assert response.status_code == 404
        error = _envelope(response)
        assert error["message"] == f"No chat completion found with id '{created.id}'."
        assert error["param"] is None


def test_unknown_route_is_404_envelope(http: httpx.Client) -> None:
    response = http.get("/models/nope")
    assert response.status_code == 404
    assert _envelope(response)["message"] == "Invalid URL (GET /v1/models/nope)"


@pytest.fixture(scope="module")
def keyed() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", "sk-local-secret"]) as server:
        yield server


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": "Bearer sk-wrong-key"}, id="wrong"),
        pytest.param({"Authorization": "Basic sk-local-secret"}, id="wrong-scheme"),
    ],
)
def test_api_key_is_required(keyed: LocalServer, headers: dict[str, str]) -> None:
    response = httpx.get(f"{keyed.base_url}/chat/completions", headers=headers)
    assert response.status_code == 401
    error = _envelope(response)
    assert "sk-wrong-key" not in error["message"] and "sk-local-secret" not in error["message"]


def test_api_key_accepted_and_admin_stays_open(keyed: LocalServer) -> None:
    with openai.OpenAI(base_url=keyed.base_url, api_key="sk-local-secret") as sdk:
        assert sdk.chat.completions.create(model="gpt-4o", messages=user("hi")).choices
    with (
        openai.OpenAI(base_url=keyed.base_url, api_key="sk-other", max_retries=0) as sdk,
        pytest.raises(openai.AuthenticationError),
    ):
        sdk.chat.completions.create(model="gpt-4o", messages=user("hi"))
    assert keyed.admin.health()["status"] == "ok"
