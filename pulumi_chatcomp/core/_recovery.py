"""Recovery after a hard stop: the pending creates of a stack's state, resolved.

When ``pulumi up`` is killed outright, the creates it had started are left in the state's
``pending_operations``; the completions some of them stored are on the server but in no
resource. Each pending create's inputs hold the create token check gave it
(``CREATE_TOKEN``), which the create tagged its completion with, so the completion can be
found: ``recover`` turns the newest one found into a resource of the state (its id and
outputs) and names the others the token tagged (``extra``: stored by earlier attempts of
the same create) for deletion, drops the pending creates that stored nothing (the next
``up`` creates them) and those a later ``up`` already settled (the resource is in the state
with that very token), and leaves everything else as it was. (A plain ``pulumi up`` would
settle them too, the token being derived, but by making each completion again.) A
ChatCompletionSet's pending create is left for a plain ``up``, which lists what the killed
run stored by the set's tag, keeps it and makes only the rest (one a later ``up`` made
already is dropped as settled). Pure: the
caller exports the state, supplies ``find`` (every completion a resource's token tagged,
newest first, through the right client) and imports the result.

>>> recovered = recover({"resources": [], "pending_operations": []}, lambda resource: [])
>>> recovered.adopted, recovered.dropped, recovered.unrecoverable, recovered.left
([], [], [], [])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp.core._names import CREATE_TOKEN, PROVIDER_KEY, SET_TYPE_TOKEN, TYPE_TOKENS
from pulumi_chatcomp.core._properties import inputs_of, outputs_from
from pulumi_chatcomp.core._sets._operations import SET_TAG

if TYPE_CHECKING:
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["SET_LEFT", "Recovery", "pending_creates", "recover"]

# Kept from the inputs in the outputs: the dynamic provider host unpickles the provider from
# a resource's outputs on every later read, update and delete.
_KEPT = (PROVIDER_KEY,)


@dataclass
class Recovery:
    """The state after recovery, and what became of each pending operation (by URN)."""

    deployment: dict[str, Any]
    adopted: list[tuple[str, str]] = field(default_factory=list)
    """Pending creates whose completion was found: (URN, completion id), now resources."""
    dropped: list[str] = field(default_factory=list)
    """Pending creates that stored nothing: gone from the state; the next ``up`` creates them."""
    settled: list[str] = field(default_factory=list)
    """Pending creates a later ``up`` already made: the resource is in the state with the
    pending create's token; gone from the pending operations."""
    extra: list[tuple[str, str]] = field(default_factory=list)
    """(URN, completion id): other completions a pending create's token tagged, stored by
    earlier attempts of the same create; the caller deletes them."""
    unrecoverable: list[str] = field(default_factory=list)
    """Pending creates whose inputs hold no create token (check gives none to a create that
    adopts or does not store its completion): nothing can find what they made, so they are
    left pending, for the manual repair."""
    left: list[tuple[str, str]] = field(default_factory=list)
    """Other pending operations, left as they were: (URN, why)."""


def pending_creates(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The pending creates of ChatCompletions (either face) and ChatCompletionSets in an
    exported deployment."""
    return [
        operation["resource"]
        for operation in deployment.get("pending_operations") or []
        if operation.get("type") == "creating"
        and operation.get("resource", {}).get("type") in (*TYPE_TOKENS, SET_TYPE_TOKEN)
    ]


def recover(
    deployment: Mapping[str, Any],
    find: Callable[[Mapping[str, Any]], Sequence[ChatCompletion]],
) -> Recovery:
    """Resolve ``deployment``'s pending creates; ``find(resource)`` is every completion the
    pending resource's token tagged, newest first (it is only called for resources that
    have a token and are not settled already)."""
    resources = [dict(resource) for resource in deployment.get("resources") or []]
    kept_operations: list[dict[str, Any]] = []
    recovery = Recovery(deployment={})
    for operation in deployment.get("pending_operations") or []:
        resource = operation.get("resource") or {}
        urn = str(resource.get("urn", "?"))
        if resource.get("type") == SET_TYPE_TOKEN and operation.get("type") == "creating":
            if _settled(resources, urn, _set_tag(resource), _set_tag):
                recovery.settled.append(urn)
            else:
                recovery.left.append((urn, SET_LEFT))
                kept_operations.append(dict(operation))
            continue
        why = _not_ours(operation)
        if why is not None:
            recovery.left.append((urn, why))
            kept_operations.append(dict(operation))
            continue
        token = (resource.get("inputs") or {}).get(CREATE_TOKEN)
        if not token:
            recovery.unrecoverable.append(urn)
            kept_operations.append(dict(operation))
            continue
        if _settled(resources, urn, token, _token):
            recovery.settled.append(urn)
            continue
        found = find(resource)
        if not found:
            recovery.dropped.append(urn)
            continue
        newest, *others = found
        _insert(resources, _adopted(resource, newest))
        recovery.adopted.append((urn, newest.id))
        recovery.extra += [(urn, other.id) for other in others]
    recovery.deployment = {
        **deployment,
        "resources": resources,
        "pending_operations": kept_operations,
    }
    return recovery


SET_LEFT = (
    "a ChatCompletionSet: run pulumi up, which keeps the items the killed run stored (found "
    "by the set's tag) and makes only the rest"
)
"""Why a set's pending create is left: the next ``up`` settles it without duplicates."""


def _settled(
    resources: Sequence[Mapping[str, Any]],
    urn: str,
    token: object,
    token_of: Callable[[Mapping[str, Any]], object],
) -> bool:
    # A later `up` re-made the create (its token is derived, so the same) and kept it.
    return bool(token) and any(
        resource.get("urn") == urn and not resource.get("delete") and token_of(resource) == token
        for resource in resources
    )


def _token(resource: Mapping[str, Any]) -> object:
    return (resource.get("inputs") or {}).get(CREATE_TOKEN)


def _set_tag(resource: Mapping[str, Any]) -> object:
    return (resource.get("inputs") or {}).get(SET_TAG)


def _not_ours(operation: Mapping[str, Any]) -> str | None:
    if operation.get("resource", {}).get("type") not in TYPE_TOKENS:
        return "not a ChatCompletion"
    if operation.get("type") != "creating":
        # Only a create can leave a completion no resource knows; the others are the engine's.
        return f"a pending {operation.get('type')}, which pulumi itself resolves"
    return None


def _adopted(resource: Mapping[str, Any], completion: ChatCompletion) -> dict[str, Any]:
    # Read in the API's names, whichever form the state holds; written back in the form the
    # resource's face keeps in state.
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
