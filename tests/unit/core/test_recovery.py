"""Recovery of pending creates, on exported states: which become resources, which go, which
stay pending, and where an adopted replacement goes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp.core._names import (
    CREATE_TOKEN,
    PLUGIN_TYPE_TOKEN,
    SET_TYPE_TOKEN,
    TYPE_TOKEN,
)
from pulumi_chatcomp.core._recovery import SET_LEFT, pending_creates, recover
from pulumi_chatcomp.core._sets._operations import SET_TAG
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


def _finder(stored: Mapping[str, str | list[str]]) -> Any:
    """Every completion a token tagged, newest first: one id, or a list of them."""

    def find(resource: Mapping[str, Any]) -> list[ChatCompletion]:
        found = stored.get(resource["inputs"][CREATE_TOKEN], [])
        return [_completion(cid) for cid in ([found] if isinstance(found, str) else found)]

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


def test_other_completions_the_token_tagged_are_named_for_deletion() -> None:
    """Earlier attempts of the same create stored more than one: the newest is adopted."""
    deployment = {"pending_operations": [_pending("a", "tok-a")]}
    recovered = recover(deployment, _finder({"tok-a": ["chatcmpl-2", "chatcmpl-1"]}))
    urn = deployment["pending_operations"][0]["resource"]["urn"]
    assert recovered.adopted == [(urn, "chatcmpl-2")]
    assert recovered.extra == [(urn, "chatcmpl-1")]


def test_a_pending_create_a_later_up_settled_goes_without_a_look_up() -> None:
    """After a hard stop, a plain `up` re-made the create with the same (derived) token and
    kept one completion; the engine keeps the old pending create, which recover drops."""
    pending = _pending("a", "tok-a")
    live = {**pending["resource"], "id": "chatcmpl-live", "outputs": {}}
    deployment = {"resources": [live], "pending_operations": [pending]}

    def find(resource: Mapping[str, Any]) -> list[ChatCompletion]:
        raise AssertionError("no look-up is needed")

    recovered = recover(deployment, find)
    assert recovered.settled == [live["urn"]]
    assert recovered.deployment["resources"] == [live]
    assert recovered.deployment["pending_operations"] == []


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


def test_a_sets_pending_create_waits_for_an_up_then_goes_as_settled() -> None:
    """A killed set's items are found again by its tag by the next up, not by recover:
    until that up the pending create stays (with what to do); after it, it goes."""
    pending = _pending("evals", None, SET_TYPE_TOKEN, **{SET_TAG: "tag-1"})
    before = {"resources": [], "pending_operations": [pending]}
    assert pending_creates(before) == [pending["resource"]]
    recovered = recover(before, _finder({}))
    assert recovered.left == [(pending["resource"]["urn"], SET_LEFT)]
    assert recovered.deployment["pending_operations"] == [pending]
    assert "run pulumi up" in SET_LEFT

    made = {**pending["resource"], "id": "set-tag-1", "outputs": {"tag": "tag-1"}}
    after = recover({"resources": [made], "pending_operations": [pending]}, _finder({}))
    assert after.settled == [made["urn"]] and after.left == []
    assert after.deployment["pending_operations"] == []
