"""Recovery after a hard stop: the pending creates of a stack's state, resolved.

When ``pulumi up`` is killed outright, the creates it had started are left in the state's
``pending_operations``; the completions some of them stored are on the server but in no
resource, and a plain ``pulumi up`` would create them again. Each pending create's inputs
hold the create token check gave it (``CREATE_TOKEN``), which the create tagged its
completion with, so the completion can be found: ``recover`` turns each found one into a
resource of the state (its id and outputs), drops the pending creates that stored nothing
(the next ``up`` creates them), and leaves everything else as it was. Pure: the caller
exports the state, supplies ``find`` (a look-up by token through the right client) and
imports the result.

>>> recovered = recover({"resources": [], "pending_operations": []}, lambda resource: None)
>>> recovered.adopted, recovered.dropped, recovered.unrecoverable, recovered.left
([], [], [], [])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp.core._names import CREATE_TOKEN, TYPE_TOKENS
from pulumi_chatcomp.core._properties import inputs_of, outputs_from

if TYPE_CHECKING:
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["Recovery", "pending_creates", "recover"]

# Kept from the inputs in the outputs: the dynamic provider host unpickles the provider from
# a resource's outputs on every later read, update and delete.
_KEPT = ("__provider",)


@dataclass
class Recovery:
    """The state after recovery, and what became of each pending operation (by URN)."""

    deployment: dict[str, Any]
    adopted: list[tuple[str, str]] = field(default_factory=list)
    """Pending creates whose completion was found: (URN, completion id), now resources."""
    dropped: list[str] = field(default_factory=list)
    """Pending creates that stored nothing: gone from the state; the next ``up`` creates them."""
    unrecoverable: list[str] = field(default_factory=list)
    """Pending creates without a create token (made by an earlier version): left pending,
    for the manual repair."""
    left: list[tuple[str, str]] = field(default_factory=list)
    """Other pending operations, left as they were: (URN, why)."""


def pending_creates(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The pending creates of ChatCompletions (either face) in an exported deployment."""
    return [
        operation["resource"]
        for operation in deployment.get("pending_operations") or []
        if operation.get("type") == "creating"
        and operation.get("resource", {}).get("type") in TYPE_TOKENS
    ]


def recover(
    deployment: Mapping[str, Any],
    find: Callable[[Mapping[str, Any]], ChatCompletion | None],
) -> Recovery:
    """Resolve ``deployment``'s pending creates; ``find(resource)`` looks the pending
    resource's completion up by its token (it is only called for resources that have one)."""
    resources = [dict(resource) for resource in deployment.get("resources") or []]
    kept_operations: list[dict[str, Any]] = []
    recovery = Recovery(deployment={})
    for operation in deployment.get("pending_operations") or []:
        resource = operation.get("resource") or {}
        urn = str(resource.get("urn", "?"))
        why = _not_ours(operation)
        if why is not None:
            recovery.left.append((urn, why))
            kept_operations.append(dict(operation))
            continue
        if not (resource.get("inputs") or {}).get(CREATE_TOKEN):
            recovery.unrecoverable.append(urn)
            kept_operations.append(dict(operation))
            continue
        completion = find(resource)
        if completion is None:
            recovery.dropped.append(urn)
            continue
        _insert(resources, _adopted(resource, completion))
        recovery.adopted.append((urn, completion.id))
    recovery.deployment = {
        **deployment,
        "resources": resources,
        "pending_operations": kept_operations,
    }
    return recovery


def _not_ours(operation: Mapping[str, Any]) -> str | None:
    if operation.get("resource", {}).get("type") not in TYPE_TOKENS:
        return "not a ChatCompletion"
    if operation.get("type") != "creating":
        # Only a create can leave a completion no resource knows; the others are the engine's.
        return f"a pending {operation.get('type')}, which pulumi itself resolves"
    return None


def _adopted(resource: Mapping[str, Any], completion: ChatCompletion) -> dict[str, Any]:
    # The plugin keeps its schema's names in state (or, before those, the API's).
    from pulumi_chatcomp.plugin._casing import api_state, in_state

    inputs: Mapping[str, Any] = api_state(resource).get("inputs") or {}
    outputs = outputs_from(inputs_of(inputs), completion)
    outputs |= {name: inputs[name] for name in _KEPT if name in inputs}
    return {**resource, "id": completion.id, "outputs": in_state(resource.get("type", ""), outputs)}


def _insert(resources: list[dict[str, Any]], adopted: dict[str, Any]) -> None:
    # A pending replacement shares its URN with the resource it replaces, which stays in the
    # state marked for deletion (the next `up` deletes it, as the replacement would have).
    for index, resource in enumerate(resources):
        if resource.get("urn") == adopted["urn"] and not resource.get("delete"):
            resource["delete"] = True
            resources.insert(index + 1, adopted)
            return
    resources.append(adopted)
