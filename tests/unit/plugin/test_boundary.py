"""The plugin as the engine sees it: the schema's camelCase names in every request and answer,
user data untouched, and a state written in the API's names (before the schema was camelCase)
understood as it is. Called as the SDK's server calls it, without the engine."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.core._functions import GET_CHAT_COMPLETION
from pulumi_chatcomp.core._names import OUTPUT_NAMES, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.plugin import _provider
from pulumi_chatcomp.plugin._boundary import SchemaNamedPlugin
from pulumi_chatcomp.plugin._casing import camel
from pulumi_chatcomp.plugin._values import plain, renamed, wire

T = TypeVar("T")
URN = f"urn:pulumi:dev::p::{PLUGIN_TYPE_TOKEN}::answer"
USER_KEYS = {"max_tokens": "a", "finishReason": "b"}
SCHEMA = {"type": "object", "properties": {"tool_call_id": {"type": "string"}}}

# A program's inputs, as the engine sends them (the schema's names).
INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "maxCompletionTokens": 32,
    "metadata": USER_KEYS,
    "store": True,
    "responseFormat": {
        "type": "json_schema",
        "jsonSchema": {"name": "greeting", "schema": SCHEMA},
    },
}
# The same completion's state as the plugin wrote it before the schema was camelCase.
OLD_STATE: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "max_completion_tokens": 32,
    "metadata": USER_KEYS,
    "store": True,
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "greeting", "schema": SCHEMA},
    },
    "__create_token": "token-1",
    "content": '{"greeting": "Hello!"}',
    "finish_reason": "stop",
    "response_model": "gpt-4o-mini-2024-07-18",
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}


def run(call: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(call)


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> SchemaNamedPlugin:
    """The plugin the server serves, configured, whose every API call fails the test."""

    def no_api() -> None:
        raise AssertionError("this call must not reach the API")

    provider = SchemaNamedPlugin()
    run(
        provider.configure(sdk.ConfigureRequest({}, wire({"baseUrl": "http://x/v1"}), False, False))
    )
    monkeypatch.setattr(provider, "_client", no_api)
    return provider


def test_check_answers_in_the_schemas_names_and_keeps_user_keys(plugin: SchemaNamedPlugin) -> None:
    checked = run(plugin.check(sdk.CheckRequest(URN, {}, wire(INPUTS), b"")))
    assert checked.failures == []
    inputs = plain(checked.inputs or {})
    assert inputs["maxCompletionTokens"] == 32
    assert inputs["metadata"] == USER_KEYS
    assert inputs["responseFormat"]["jsonSchema"]["schema"] == SCHEMA
    assert "max_completion_tokens" not in inputs and "response_format" not in inputs


@pytest.mark.parametrize(
    ("given", "property", "reason"),
    [
        pytest.param(
            {"maxCompletionTokens": 0},
            "maxCompletionTokens",
            "maxCompletionTokens must be at least 1, got 0",
            id="field",
        ),
        pytest.param(
            {"topLogprobs": 3},
            "topLogprobs",
            "topLogprobs requires logprobs to be true",
            id="between-fields",
        ),
        pytest.param(
            {"messages": [{"role": "tool", "content": "done"}]},
            "messages[0].toolCallId",
            "messages[0].toolCallId",
            id="nested",
        ),
        pytest.param(
            {"maxCompletionTokns": 3},
            "maxCompletionTokns",
            "'maxCompletionTokns' is not an input of ChatCompletion; "
            "did you mean 'maxCompletionTokens'?",
            id="typo",
        ),
    ],
)
def test_check_failures_name_the_property_as_the_program_does(
    plugin: SchemaNamedPlugin, given: dict[str, Any], property: str, reason: str
) -> None:
    news = wire({**INPUTS, **given})
    checked = run(plugin.check(sdk.CheckRequest(URN, {}, news, b"")))
    ((failure,),) = [checked.failures]
    assert failure.property == property
    assert failure.reason.startswith(reason)


def test_an_old_state_in_the_apis_names_has_no_diff_against_the_same_program(
    plugin: SchemaNamedPlugin,
) -> None:
    checked = run(plugin.check(sdk.CheckRequest(URN, wire(OLD_STATE), wire(INPUTS), b"")))
    # The create token of the old inputs is kept: nothing forces a new completion.
    assert plain(checked.inputs or {})["__create_token"] == "token-1"
    diff = sdk.DiffRequest(URN, "chatcmpl-1", wire(OLD_STATE), checked.inputs or {}, [])
    assert run(plugin.diff(diff)).changes is False


def test_a_diff_names_each_changed_property_as_the_schema_does(plugin: SchemaNamedPlugin) -> None:
    news = {**INPUTS, "maxCompletionTokens": 64, "metadata": {"stage": "two"}}
    found = run(plugin.diff(sdk.DiffRequest(URN, "chatcmpl-1", wire(OLD_STATE), wire(news), [])))
    assert found.replaces == ["maxCompletionTokens"]
    assert sorted(found.detailed_diff) == ["maxCompletionTokens", "metadata"]
    assert found.detailed_diff["metadata"].kind is sdk.PropertyDiffKind.UPDATE


def test_a_previewed_create_keeps_unknowns_and_names_outputs_as_the_schema(
    plugin: SchemaNamedPlugin,
) -> None:
    props = {**wire(INPUTS), "messages": PropertyValue(Computed())}
    created = run(plugin.create(sdk.CreateRequest(URN, props, 60, True)))
    outputs = plain(created.properties)
    assert outputs["messages"] == UNKNOWN  # what the engine reads as unknown
    assert {camel(name): UNKNOWN for name in OUTPUT_NAMES}.items() <= outputs.items()
    assert outputs["maxCompletionTokens"] == 32


def test_a_previewed_update_of_an_old_state_answers_in_the_schemas_names(
    plugin: SchemaNamedPlugin,
) -> None:
    news = wire({**INPUTS, "metadata": {"stage": "two"}})
    request = sdk.UpdateRequest(URN, "chatcmpl-1", wire(OLD_STATE), news, 60, [], True)
    outputs = plain(run(plugin.update(request)).properties)
    assert outputs["responseModel"] == "gpt-4o-mini-2024-07-18"
    assert outputs["usage"] == {"promptTokens": 3, "completionTokens": 2, "totalTokens": 5}
    assert outputs["metadata"] == {"stage": "two"}
    assert not {"response_model", "finish_reason", "max_completion_tokens"} & set(outputs)


def test_renaming_keeps_secrets_dependencies_and_unknowns() -> None:
    from pulumi_chatcomp.plugin._casing import package_names

    secret = PropertyValue(
        {"reasoning_tokens": PropertyValue(2.0)}, is_secret=True, dependencies=["urn:a"]
    )
    given = {
        "usage": PropertyValue({"completion_tokens_details": secret}),
        "tool_calls": PropertyValue(Computed()),
    }
    out = renamed(given, package_names().resource, "schema")
    details = out["usage"].value["completionTokensDetails"]  # type: ignore[index]
    assert details.is_secret and details.dependencies == frozenset({"urn:a"})
    assert set(details.value) == {"reasoningTokens"}  # type: ignore[arg-type]
    assert isinstance(out["toolCalls"].value, Computed)


def test_invoke_arguments_and_results_are_in_the_schemas_names(
    plugin: SchemaNamedPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def read(client: object, completion_id: str) -> Any:
        seen["completion_id"] = completion_id
        return {
            "id": completion_id,
            "service_tier": "default",
            "usage": {"total_tokens": 5},
            "metadata": USER_KEYS,
        }

    token = GET_CHAT_COMPLETION.token
    monkeypatch.setitem(
        _provider.BY_TOKEN, token, dataclasses.replace(GET_CHAT_COMPLETION, read=read)
    )
    monkeypatch.setattr(plugin, "_client", lambda: None)
    answer = run(plugin.invoke(sdk.InvokeRequest(token, wire({"completionId": "chatcmpl-1"}))))
    assert seen == {"completion_id": "chatcmpl-1"}
    assert plain(answer.return_value or {}) == {
        "id": "chatcmpl-1",
        "serviceTier": "default",
        "usage": {"totalTokens": 5},
        "metadata": USER_KEYS,
    }


@pytest.mark.parametrize(
    ("token", "args", "property", "words"),
    [
        pytest.param(
            "chatcomp:index:getChatCompletion",
            {"id": "chatcmpl-1"},
            "id",
            "get_chat_completion: id is not an argument (it takes completionId)",
            id="unknown",
        ),
        pytest.param(
            "chatcomp:index:getChatCompletionMessages",
            {"completionId": " "},
            "completionId",
            "completionId must be a non-empty string",
            id="blank-id",
        ),
    ],
)
def test_invoke_failures_name_the_argument_as_the_program_does(
    plugin: SchemaNamedPlugin, token: str, args: dict[str, Any], property: str, words: str
) -> None:
    answered = run(plugin.invoke(sdk.InvokeRequest(token, wire(args))))
    ((failure,),) = [answered.failures]
    assert failure.property == property
    assert words in failure.reason
