"""``ChatCompletionProvider`` called directly, as the dynamic provider host would call it.

check and diff are pure; create, read, update and delete talk to a local server over HTTP.
"""

from __future__ import annotations

import base64
import logging
import pickle
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import AuthenticationError
from pulumi_chatcomp.client import ChatCompletionsClient
from pulumi_chatcomp.core._names import CREATE_TOKEN
from pulumi_chatcomp.provider import ChatCompletionProvider
from pulumi_chatcomp.server.testing import LocalServer

KEY = "sk-unit-provider-0123456789abcdefghij"
KEY_FORMS = (KEY, base64.b64encode(KEY.encode()).decode(), base64.b64encode(KEY.encode()).hex())
MESSAGES = [{"role": "user", "content": "Say hello."}]
INPUTS: dict[str, Any] = {"model": "gpt-4o-mini", "messages": MESSAGES, "metadata": {"t": "u"}}


@pytest.fixture(scope="module")
def running() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as server:
        yield server


@pytest.fixture
def server(running: LocalServer) -> Iterator[LocalServer]:
    running.admin.reset_faults()
    yield running
    running.admin.reset_faults()


def _provider(server: LocalServer, key: str = KEY) -> ChatCompletionProvider:
    provider = ChatCompletionProvider()
    config = {"chatcomp:baseUrl": server.base_url, "chatcomp:apiKey": key}
    provider.configure(ConfigureRequest(Config(config, "test")))
    return provider


def _stored(server: LocalServer, completion_id: str) -> httpx.Response:
    return httpx.get(
        f"{server.base_url}/chat/completions/{completion_id}",
        headers={"Authorization": f"Bearer {KEY}"},
    )


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


# -- pure parts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("news", "properties"),
    [
        pytest.param({**INPUTS, "temperature": 3}, ["temperature"], id="temperature"),
        pytest.param({**INPUTS, "bogus": 1}, ["bogus"], id="unknown-name"),
        pytest.param({"messages": MESSAGES}, ["model"], id="model-missing"),
        pytest.param({**INPUTS, "messages": [{"content": "x"}]}, ["messages[0].role"], id="role"),
    ],
)
def test_check_reports_check_failures_naming_properties(
    news: dict[str, Any], properties: list[str]
) -> None:
    result = ChatCompletionProvider().check({}, news)
    assert [failure.property for failure in result.failures] == properties
    assert all(failure.reason for failure in result.failures)


def test_check_returns_the_inputs_with_store_defaulted_and_a_create_token() -> None:
    result = ChatCompletionProvider().check({}, INPUTS)
    assert result.failures == []
    token = result.inputs.pop(CREATE_TOKEN)
    assert result.inputs == {**INPUTS, "store": True}
    # The prior inputs' token is kept: the engine recorded it for this completion.
    again = ChatCompletionProvider().check({**INPUTS, CREATE_TOKEN: token}, INPUTS)
    assert again.inputs[CREATE_TOKEN] == token


def test_create_tags_the_completion_with_the_checked_token(server: LocalServer) -> None:
    provider = _provider(server)
    inputs = provider.check({}, INPUTS).inputs
    created = provider.create(inputs)
    with ChatCompletionsClient(Settings(api_key=KEY, base_url=server.base_url)) as client:
        found = client.find_created(inputs[CREATE_TOKEN])
    assert found is not None and found.id == created.id


@pytest.mark.parametrize(
    ("news", "changes", "replaces"),
    [
        pytest.param(INPUTS, False, [], id="same"),
        pytest.param({**INPUTS, "metadata": {"t": "v"}}, True, [], id="metadata"),
        pytest.param({**INPUTS, "model": "gpt-4o"}, True, ["model"], id="model"),
    ],
)
def test_diff_result(news: dict[str, Any], changes: bool, replaces: list[str]) -> None:
    result = ChatCompletionProvider().diff("chatcmpl-1", INPUTS, news)
    assert result.changes is changes
    assert result.replaces == replaces
    # Create the new completion first: the old one keeps serving until the swap.
    assert result.delete_before_replace is False


def test_the_pickled_provider_holds_no_configuration(server: LocalServer) -> None:
    provider = _provider(server)
    blob = pickle.dumps(provider)
    for form in (*KEY_FORMS, server.base_url):
        assert form.encode() not in blob
    assert isinstance(pickle.loads(blob), ChatCompletionProvider)


# -- against a local server -------------------------------------------------------------------


def test_create_read_update_delete(server: LocalServer) -> None:
    provider = _provider(server)
    inputs = provider.check({}, INPUTS).inputs
    created = provider.create(inputs)
    assert created.id.startswith("chatcmpl-")
    assert created.outs["content"]
    assert created.outs["metadata"] == {"t": "u"}

    read = provider.read(created.id, created.outs)
    assert read.id == created.id
    assert read.outs["content"] == created.outs["content"]

    updated = provider.update(created.id, created.outs, {**inputs, "metadata": {"t": "v"}})
    assert updated.outs["metadata"] == {"t": "v"}
    assert updated.outs["content"] == created.outs["content"]
    assert _stored(server, created.id).json()["metadata"]["t"] == "v"

    provider.delete(created.id, updated.outs)
    assert _stored(server, created.id).status_code == 404
    # Gone is gone: read drops it and a second delete is not an error.
    assert provider.read(created.id, updated.outs).id == ""
    provider.delete(created.id, updated.outs)


def test_read_and_update_drop_outputs_nothing_computes(server: LocalServer) -> None:
    # `completion_id` and `object` (RETIRED_OUTPUT_NAMES), and a `choices` that repeats the
    # first-choice outputs: a state holding them converges to one without them.
    provider = _provider(server)
    created = provider.create(provider.check({}, INPUTS).inputs)
    old_state = {
        **created.outs,
        "completion_id": created.id,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"content": "old"}}],
    }
    read = provider.read(created.id, old_state)
    updated = provider.update(created.id, old_state, {**INPUTS, "metadata": {"t": "v"}})
    for outs in (read.outs, updated.outs):
        assert not {"completion_id", "object", "choices"} & set(outs)
        assert outs["content"] == created.outs["content"]


def test_an_unstored_completion_keeps_its_state_without_api_calls(server: LocalServer) -> None:
    provider = _provider(server)
    created = provider.create(
        provider.check({}, {**INPUTS, "store": False, "metadata": None}).inputs
    )
    server.admin.reset_counters()
    assert provider.read(created.id, created.outs).outs == created.outs
    provider.delete(created.id, created.outs)
    assert not [k for k in server.admin.counters() if " /v1/" in k]


def test_a_wrong_key_fails_with_a_message_that_never_holds_it(
    server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    wrong = "sk-unit-wrong-key-9876543210zyxwvu"
    provider = _provider(server, key=wrong)
    with pytest.raises(AuthenticationError) as failed:
        provider.create(provider.check({}, INPUTS).inputs)
    text = f"{failed.value}\n{failed.value!r}\n{failed.value.args}"
    assert "401" in text
    assert "POST /chat/completions" in text
    for secret in (wrong, base64.b64encode(wrong.encode()).decode(), *KEY_FORMS):
        assert secret not in text
        assert secret not in debug_log.text


def test_debug_logs_never_hold_the_key(
    server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    provider = _provider(server)
    server.admin.set_faults(fail_next=[503, 500])  # retries log their reasons
    created = provider.create(provider.check({}, INPUTS).inputs)
    provider.read(created.id, created.outs)
    provider.delete(created.id, created.outs)
    assert debug_log.records, "expected the client to log at debug level"
    for form in KEY_FORMS:
        assert form not in debug_log.text
