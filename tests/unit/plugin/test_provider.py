"""The plugin's provider methods, called as the SDK's server calls them, without the engine.

What needs the API (create, read, update, delete, invoke) runs under the real engine in
tests/e2e/test_plugin.py; here: check, diff, the previews (which must not call the API),
config checks and the invokes' argument failures.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp._exceptions import ConfigurationError
from pulumi_chatcomp.core._names import OUTPUT_NAMES, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.plugin import _provider
from pulumi_chatcomp.plugin._provider import SCHEMA_PATH, ChatCompletionPlugin
from pulumi_chatcomp.plugin._values import plain, wire

T = TypeVar("T")
URN = f"urn:pulumi:dev::p::{PLUGIN_TYPE_TOKEN}::answer"
INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "metadata": {"stage": "one"},
}
STATE: dict[str, Any] = {
    **INPUTS,
    "store": True,
    "content": "Hello!",
    "finish_reason": "stop",
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}


def run(call: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(call)


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> ChatCompletionPlugin:
    """The provider, configured, whose every API call fails the test."""

    def no_api() -> None:
        raise AssertionError("this call must not reach the API")

    provider = ChatCompletionPlugin()
    run(
        provider.configure(sdk.ConfigureRequest({}, wire({"baseUrl": "http://x/v1"}), False, False))
    )
    monkeypatch.setattr(provider, "_client", no_api)
    return provider


def test_check_names_each_problem_and_defaults_store(plugin: ChatCompletionPlugin) -> None:
    news = wire({**INPUTS, "temperature": 3, "max_completion_tokens": -1})
    checked = run(plugin.check(sdk.CheckRequest(URN, {}, news, b"")))
    assert {f.property: f.reason for f in checked.failures or []} == {
        "temperature": "temperature must be between 0 and 2, got 3",
        "max_completion_tokens": "max_completion_tokens must be at least 1, got -1",
    }
    assert plain(checked.inputs or {})["store"] is True


def test_check_does_not_judge_values_unknown_during_preview(plugin: ChatCompletionPlugin) -> None:
    news = wire({**INPUTS, "messages": UNKNOWN})
    assert run(plugin.check(sdk.CheckRequest(URN, {}, news, b""))).failures == []


@pytest.mark.parametrize(
    ("news", "replaces", "kind"),
    [
        pytest.param({**INPUTS, "metadata": {"stage": "two"}}, [], "UPDATE", id="metadata"),
        pytest.param({**INPUTS, "model": "gpt-4o"}, ["model"], "UPDATE_REPLACE", id="model"),
        pytest.param({**INPUTS, "n": 2}, ["n"], "ADD_REPLACE", id="added"),
    ],
)
def test_diff_details_each_changed_property(
    plugin: ChatCompletionPlugin, news: dict[str, Any], replaces: list[str], kind: str
) -> None:
    request = sdk.DiffRequest(URN, "chatcmpl-1", wire(STATE), wire(news), [])
    found = run(plugin.diff(request))
    assert found.changes is True
    assert found.replaces == replaces
    ((_, detail),) = found.detailed_diff.items()
    assert detail.kind is sdk.PropertyDiffKind[kind] and detail.input_diff is True


def test_an_unchanged_completion_has_no_diff(plugin: ChatCompletionPlugin) -> None:
    request = sdk.DiffRequest(URN, "chatcmpl-1", wire(STATE), wire(INPUTS), [])
    assert run(plugin.diff(request)).changes is False


def test_a_previewed_create_calls_no_api_and_leaves_outputs_unknown(
    plugin: ChatCompletionPlugin,
) -> None:
    created = run(plugin.create(sdk.CreateRequest(URN, wire(INPUTS), 60, True)))
    outputs = plain(created.properties)
    assert {name: outputs[name] for name in OUTPUT_NAMES} == dict.fromkeys(OUTPUT_NAMES, UNKNOWN)
    assert outputs["messages"] == INPUTS["messages"]


def test_a_previewed_update_keeps_what_the_api_answered(plugin: ChatCompletionPlugin) -> None:
    news = wire({**INPUTS, "metadata": {"stage": "two"}, "store": True})
    request = sdk.UpdateRequest(URN, "chatcmpl-1", wire(STATE), news, 60, [], True)
    outputs = plain(run(plugin.update(request)).properties)
    # Only metadata changes in place: a prompt built from this content stays the same.
    assert outputs == {**STATE, "metadata": {"stage": "two"}}


@pytest.mark.parametrize(
    ("config", "words"),
    [
        pytest.param(
            {"timeout": "soon"}, "chatcomp:timeout must be a positive number", id="timeout"
        ),
        pytest.param(
            {"baseUrl": "ftp://x"}, "chatcomp:baseUrl must be an http(s) URL", id="base-url"
        ),
        pytest.param(
            {"maxConcurrency": 0}, "chatcomp:maxConcurrency must be a positive", id="workers"
        ),
    ],
)
def test_bad_provider_config_fails_each_resource_and_call_naming_the_setting(
    config: dict[str, Any], words: str
) -> None:
    # The provider itself accepts it (see check_config), so that a Python program is not left
    # waiting on a provider that never registers; every resource's check refuses it instead.
    provider = ChatCompletionPlugin()
    checked = run(provider.check_config(sdk.CheckRequest(URN, {}, wire(config), b"")))
    assert checked.failures == []
    run(provider.configure(sdk.ConfigureRequest({}, wire(config), False, False)))

    resource = run(provider.check(sdk.CheckRequest(URN, {}, wire(INPUTS), b"")))
    ((failure,),) = [resource.failures]
    assert failure.property == ""  # the engine then words it "resource 'answer' has a problem"
    assert words in failure.reason
    with pytest.raises(ConfigurationError, match=re.escape(words)):
        run(provider.invoke(sdk.InvokeRequest("chatcomp:index:getChatCompletions", wire({}))))


@pytest.mark.parametrize(
    ("token", "args", "property", "words"),
    [
        pytest.param(
            "chatcomp:index:getChatCompletions",
            {"limit": 0},
            "limit",
            "get_chat_completions: limit must be a whole number, 1 or more",
            id="limit",
        ),
        pytest.param(
            "chatcomp:index:getChatCompletions",
            {"set_tag": ""},
            "set_tag",
            "get_chat_completions: set_tag must be a set's tag",
            id="set-tag",
        ),
        pytest.param(
            "chatcomp:index:getChatCompletion",
            {"id": "chatcmpl-1"},
            "id",
            "get_chat_completion: id is not an argument (it takes completion_id)",
            id="unknown-argument",
        ),
        pytest.param(
            "chatcomp:index:getChatCompletionMessages",
            {"completion_id": " "},
            "completion_id",
            "completion_id must be a non-empty string",
            id="blank-id",
        ),
    ],
)
def test_a_bad_invoke_argument_is_a_failure_naming_it(
    plugin: ChatCompletionPlugin, token: str, args: dict[str, Any], property: str, words: str
) -> None:
    answered = run(plugin.invoke(sdk.InvokeRequest(token, wire(args))))
    ((failure,),) = [answered.failures]
    assert failure.property == property
    assert words in failure.reason


def test_the_schema_served_is_the_committed_one(plugin: ChatCompletionPlugin) -> None:
    served = run(plugin.get_schema(sdk.GetSchemaRequest(0)))
    assert json.loads(served.schema or "") == json.loads(SCHEMA_PATH.read_text())


def test_whole_numbers_come_back_as_ints() -> None:
    # The engine sends every number as a float; the API and state want 5, not 5.0.
    assert plain({"n": PropertyValue(5.0), "top_p": PropertyValue(0.5)}) == {"n": 5, "top_p": 0.5}
    assert plain(wire({"usage": {"total_tokens": 5}})) == {"usage": {"total_tokens": 5}}


def test_the_executor_is_as_wide_as_max_concurrency() -> None:
    provider = ChatCompletionPlugin()
    config = sdk.ConfigureRequest({}, wire({"maxConcurrency": 64}), False, False)
    configured = run(provider.configure(config))
    assert configured.supports_preview is True and configured.accept_secrets is False
    assert provider._executor is not None and provider._executor._max_workers == 64
    assert _provider.SCHEMA_PATH.is_file()


def test_configure_starts_every_worker_before_the_first_call() -> None:
    # Off the event loop: a thread started by a create's submit would hold up the loop (and
    # the engine's next check) until it ran.
    provider = ChatCompletionPlugin()
    config = sdk.ConfigureRequest({}, wire({"maxConcurrency": 8}), False, False)
    run(provider.configure(config))
    executor = provider._executor
    assert executor is not None
    deadline = time.monotonic() + 10
    while len(executor._threads) < 8 and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)
    assert len(executor._threads) == 8  # type: ignore[attr-defined]
