"""The lifecycle of a stored completion: create, read, update and delete, as plain functions.

Each takes the shared client and plain properties (a resource's inputs, or its prior state:
outputs that repeat the inputs) and returns plain properties; no Pulumi type appears, so the
dynamic provider and the plugin adapt the same functions to their own mechanisms.

- ``create`` posts with ``store`` and the create token check put in its inputs
  (``CREATE_TOKEN``), exactly once (``_once``): whatever an earlier attempt of the same
  create stored is found by that token and removed, so one completion remains; with
  ``import_id`` it adopts that stored completion instead, after checking that its model and
  messages are the program's. With a strict ``json_schema`` it holds the answer to the
  schema (``_structured``): one that fails is deleted, then the create fails, so neither the
  server nor the state keeps it.
- ``read`` answers None when the completion is gone (deleted out of band, or expired);
  without prior inputs (a ``get`` or an import) it rebuilds them from the API.
- ``update`` sends the metadata, the only input that changes in place.
- ``delete`` treats "already gone" as done.

An unstored completion (``store=false``) has nothing to read, update or delete: its state is
all there is, and these functions keep it without an API call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import (
    ChatCompError,
    ImportMismatchError,
    NotFoundError,
    StructuredOutputError,
)
from pulumi_chatcomp.core._diff import diff_inputs
from pulumi_chatcomp.core._names import (
    ADOPT_NAME,
    CREATE_TOKEN,
    OUTPUT_NAMES,
    PROVIDER_KEY,
    RETIRED_OUTPUT_NAMES,
)
from pulumi_chatcomp.core._once import create_once
from pulumi_chatcomp.core._properties import (
    INPUT_NAMES,
    inputs_of,
    outputs_from,
    request_of,
    user_metadata,
)
from pulumi_chatcomp.core._structured import StrictSchema

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient

__all__ = [
    "Read",
    "adopted_inputs",
    "create",
    "delete",
    "planned_create",
    "planned_update",
    "read",
    "update",
]


@dataclass(frozen=True)
class Read:
    """What ``read`` found: the completion's id, its outputs and, when they were rebuilt
    from the API (a ``get`` or an import), its inputs."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None


def create(client: ChatCompletionsClient, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The new (or adopted) completion's id and the resource's outputs."""
    inputs = inputs_of(props)
    adopt = props.get(ADOPT_NAME)
    if adopt:
        return str(adopt), _adopt(client, str(adopt), inputs)
    request = request_of(inputs)
    strict = StrictSchema.of(inputs.get("response_format"))
    if strict is not None:
        strict.check_schema()  # before the request: no answer could meet a broken schema
    token = props.get(CREATE_TOKEN)
    if token and request.store:
        completion = create_once(client, request, str(token))
    else:
        completion = client.create(request, idempotent=True)
    outputs = outputs_from(inputs, completion)
    if strict is not None:
        try:
            strict.check_answer(outputs)
        except StructuredOutputError as error:
            _discard(client, completion.id, inputs, error)
            raise
    return completion.id, outputs


def read(
    client: ChatCompletionsClient,
    completion_id: str,
    props: Mapping[str, Any],
    *,
    gone_is_none: bool = True,
) -> Read | None:
    """The completion as it is now, or None when it is gone (deleted out of band, expired,
    or never there); with ``gone_is_none=False`` that raises ``NotFoundError`` instead."""
    inputs = inputs_of(props)
    if inputs.get("store") is False:
        # Nothing is stored to read back; the state is all there is.
        return Read(completion_id, _without_provider(props))
    try:
        completion = client.retrieve(completion_id)
    except NotFoundError:
        if not gone_is_none:
            raise
        return None
    if "messages" in inputs:
        return Read(completion_id, _with_outputs(props, outputs_from(inputs, completion)))
    adopted = adopted_inputs(client, completion_id, completion.model, completion.metadata)
    return Read(completion_id, outputs_from(adopted, completion), inputs=adopted)


def update(
    client: ChatCompletionsClient,
    completion_id: str,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
) -> dict[str, Any]:
    """Send the new metadata; every output, since an update must return all of them."""
    inputs = inputs_of(news)
    completion = client.update(completion_id, inputs.get("metadata") or {})
    return _with_outputs(olds, outputs_from(inputs, completion))


def planned_create(props: Mapping[str, Any], unknown: object) -> dict[str, Any]:
    """What a preview shows for a create: the inputs, and every computed output ``unknown``."""
    return inputs_of(props) | dict.fromkeys(OUTPUT_NAMES, unknown)


def planned_update(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """What a preview shows for an update: the new inputs and the old computed outputs.

    Only metadata updates in place, so nothing else the API answered changes: a completion
    whose prompt is built from this one's ``content`` previews as unchanged.
    """
    kept = {k: v for k, v in _without_provider(olds).items() if k not in INPUT_NAMES}
    return kept | inputs_of(news)


def delete(client: ChatCompletionsClient, completion_id: str, props: Mapping[str, Any]) -> None:
    """Delete the stored completion; one already gone is what delete wants."""
    if inputs_of(props).get("store") is False:
        return
    with contextlib.suppress(NotFoundError):
        client.delete(completion_id)


def _discard(
    client: ChatCompletionsClient,
    completion_id: str,
    inputs: Mapping[str, Any],
    error: StructuredOutputError,
) -> None:
    # Deleted before the create fails: the engine records nothing of a failed create, so a
    # completion left stored would be one no stack knows of.
    error.completion_id = completion_id
    if inputs.get("store") is False:
        error.add_sentence("Nothing was stored (store is false); the stack's state is unchanged")
        return
    try:
        with contextlib.suppress(NotFoundError):
            client.delete(completion_id)
    except ChatCompError as failed:
        why = failed.describe().rstrip(".")
        error.add_sentence(
            f"Deleting the stored completion {completion_id} failed too ({why}); "
            f"delete it with DELETE /chat/completions/{completion_id}"
        )
        return
    error.add_sentence(
        f"The stored completion {completion_id} was deleted; the stack's state is unchanged"
    )


def _adopt(
    client: ChatCompletionsClient, completion_id: str, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    completion = client.retrieve(completion_id)
    stored = adopted_inputs(client, completion_id, completion.model, completion.metadata)
    differing = sorted(
        name
        for name in ("model", "messages")
        if diff_inputs({name: stored[name]}, {name: inputs.get(name)}).changed
    )
    if differing:
        raise ImportMismatchError(
            f"cannot import {completion_id}: the program's {' and '.join(differing)} "
            "differ from the stored completion's; make them equal, then run again"
        )
    outputs = outputs_from(inputs, completion)
    outputs[ADOPT_NAME] = completion_id
    return outputs


def adopted_inputs(
    client: ChatCompletionsClient,
    completion_id: str,
    model: str,
    metadata: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The inputs a program would give to make this stored completion again: its messages
    (role, content, name), the model it ran on, and its metadata; for an import."""
    messages = [
        {
            key: value
            for key, value in message.model_dump(mode="json").items()
            if key in ("role", "content", "name") and value is not None
        }
        for message in client.list_messages(completion_id, order="asc")
    ]
    adopted: dict[str, Any] = {"messages": messages, "model": model, "store": True}
    shown = user_metadata(metadata)
    if shown:
        adopted["metadata"] = shown
    return adopted


# Properties the engine adds that are no input or output of ours.
_ENGINE = frozenset({PROVIDER_KEY})


def _without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in _ENGINE}


def _with_outputs(props: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, Any]:
    # Every computed output is replaced, not merged: one the new answer leaves out (such as
    # `choices`, when it only repeats) must not survive from the prior state.
    stale = {*_ENGINE, *OUTPUT_NAMES, *RETIRED_OUTPUT_NAMES}
    return {k: v for k, v in props.items() if k not in stale} | dict(outputs)
