"""Recovery of pending creates, on exported states: which become resources, which go, which
stay pending, and where an adopted replacement goes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp.core._names import CREATE_TOKEN, PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.core._recovery import pending_creates, recover
from pulumi_chatcomp.models import ChatCompletion

PROVIDER = "urn:pulumi:dev::p::pulumi:providers:chatcomp::default::1"
INPUTS = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Hi."}],
    "store": True,
    "metadata": {"team": "ml"},
}


def _completion(completion_id: str) -> ChatCompletion:
    return ChatCompletion.model_validate(
        {
            "id": completion_id,
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "logprobs": None,
                    "message": {"role": "assistant", "content": "Hello.", "refusal": None},
                }
            ],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
            "metadata": {"team": "ml"},
        }
    )


def _pending(name: str, token: str | None, type_: str = PLUGIN_TYPE_TOKEN, **inputs: Any) -> Any:
    resource = {
        "urn": f"urn:pulumi:dev::p::{type_}::{name}",
        "type": type_,
        "custom": True,
        "provider": PROVIDER,
        "inputs": {**INPUTS, **({CREATE_TOKEN: token} if token else {}), **inputs},
    }
    return {"type": "creating", "resource": resource}


def _finder(stored: Mapping[str, str]) -> Any:
    def find(resource: Mapping[str, Any]) -> ChatCompletion | None:
        completion_id = stored.get(resource["inputs"][CREATE_TOKEN])
        return None if completion_id is None else _completion(completion_id)

    return find


def test_a_stored_create_becomes_a_resource_and_an_unstored_one_goes() -> None:
    deployment = {
        "resources": [{"urn": PROVIDER.rsplit("::", 1)[0], "id": "1"}],
        "pending_operations": [_pending("a", "tok-a"), _pending("b", "tok-b")],
    }
    recovered = recover(deployment, _finder({"tok-a": "chatcmpl-a"}))
    assert recovered.adopted == [
        (deployment["pending_operations"][0]["resource"]["urn"], "chatcmpl-a")
    ]
    assert recovered.dropped == [deployment["pending_operations"][1]["resource"]["urn"]]
    assert recovered.deployment["pending_operations"] == []
    adopted = recovered.deployment["resources"][-1]
    assert adopted["id"] == "chatcmpl-a"
    assert adopted["inputs"][CREATE_TOKEN] == "tok-a"  # the inputs stay as the engine recorded
    assert adopted["outputs"]["content"] == "Hello."
    assert adopted["outputs"]["metadata"] == {"team": "ml"}
    assert CREATE_TOKEN not in adopted["outputs"]
    assert deployment["pending_operations"]  # the input is not changed


def test_the_dynamic_resource_keeps_its_pickled_provider_in_its_outputs() -> None:
    # The dynamic provider host unpickles the provider from the outputs on every later call.
    operation = _pending("d", "tok-d", TYPE_TOKEN, __provider="pickled")
    recovered = recover({"pending_operations": [operation]}, _finder({"tok-d": "chatcmpl-d"}))
    assert recovered.deployment["resources"][0]["outputs"]["__provider"] == "pickled"


def test_a_create_without_a_token_and_others_stay_pending() -> None:
    old = _pending("old", None)
    other = {"type": "creating", "resource": {"urn": "urn:x::random", "type": "random:index:Id"}}
    update = {**_pending("u", "tok-u"), "type": "updating"}
    recovered = recover({"pending_operations": [old, other, update]}, _finder({}))
    assert recovered.unrecoverable == [old["resource"]["urn"]]
    assert [urn for urn, _ in recovered.left] == ["urn:x::random", update["resource"]["urn"]]
    assert recovered.deployment["pending_operations"] == [old, other, update]
    assert pending_creates({"pending_operations": [old, other, update]}) == [old["resource"]]


def test_an_adopted_replacement_goes_after_the_resource_it_replaces() -> None:
    # Create-before-delete: the old completion is still a resource with the same URN.
    operation = _pending("r", "tok-r")
    urn = operation["resource"]["urn"]
    later = {"urn": "urn:pulumi:dev::p::x::later"}
    deployment = {
        "resources": [{"urn": urn, "id": "chatcmpl-old"}, later],
        "pending_operations": [operation],
    }
    resources = recover(deployment, _finder({"tok-r": "chatcmpl-new"})).deployment["resources"]
    assert [(r.get("id"), r.get("delete")) for r in resources[:2]] == [
        ("chatcmpl-old", True),  # the next up deletes it, as the replacement would have
        ("chatcmpl-new", None),
    ]
    assert resources[2] == later


def test_a_plugin_completion_is_adopted_in_the_schemas_names() -> None:
    # Its pending inputs may be in either form (before or after the schema was camelCase).
    for inputs in ({"max_completion_tokens": 9}, {"maxCompletionTokens": 9}):
        operation = _pending("c", "tok-c", **inputs)
        recovered = recover({"pending_operations": [operation]}, _finder({"tok-c": "chatcmpl-c"}))
        outputs = recovered.deployment["resources"][0]["outputs"]
        assert outputs["maxCompletionTokens"] == 9
        assert outputs["finishReason"] == "stop"
        assert outputs["usage"] == {"promptTokens": 3, "completionTokens": 2, "totalTokens": 5}
        assert not {"finish_reason", "max_completion_tokens"} & set(outputs)


def test_a_dynamic_completion_is_adopted_in_the_apis_names() -> None:
    operation = _pending("d", "tok-d", TYPE_TOKEN, max_completion_tokens=9)
    recovered = recover({"pending_operations": [operation]}, _finder({"tok-d": "chatcmpl-d"}))
    outputs = recovered.deployment["resources"][0]["outputs"]
    assert outputs["max_completion_tokens"] == 9 and outputs["finish_reason"] == "stop"
