"""What ``ChatCompletionProvider``'s methods do, over the model layer and the shared client.

``provider.py`` keeps the class that is pickled into every resource's state and imported by
every Pulumi program; this module holds the work, so only the provider host (which calls
the methods) pays for importing pydantic and the models. httpx, the client and the response
models load later still, with the first call that needs the API: the engine checks resources
one at a time and each create waits for its check, so the first check stays light.

- ``check`` validates with the model layer; problems are ``CheckFailure``s naming properties.
- ``diff`` is pure: only ``metadata`` updates in place, anything else replaces.
- ``create`` posts with ``store`` and an idempotency token, so a lost answer never leaves a
  duplicate; ``read`` drops a completion that is gone (404); ``update`` sends the metadata;
  ``delete`` treats 404 as done. An unstored completion (``store=false``) keeps its state.

>>> diff("id", {"model": "a"}, {"model": "b"}).replaces
['model']
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from pulumi_chatcomp._config import Settings, max_concurrency
from pulumi_chatcomp._exceptions import ImportMismatchError, NotFoundError
from pulumi_chatcomp.core._check import check_inputs
from pulumi_chatcomp.core._diff import diff_inputs
from pulumi_chatcomp.core._names import OUTPUT_NAMES, RETIRED_OUTPUT_NAMES
from pulumi_chatcomp.core._properties import (
    ADOPT_NAME,
    inputs_of,
    outputs_from,
    request_of,
    user_metadata,
)
from pulumi_chatcomp.dynamic import _host

if TYPE_CHECKING:
    from pulumi_chatcomp.client._client import ChatCompletionsClient

__all__ = ["check", "configure", "create", "delete", "diff", "read", "update"]

# Stack config seen by this process's configure(); module state, so it is never pickled.
_CONFIG: dict[str, Any] = {}
_CONFIG_LOCK = threading.Lock()


def configure(values: Mapping[str, Any]) -> None:
    """Keep the stack's ``chatcomp:*`` values and set the host's worker ceiling."""
    with _CONFIG_LOCK:
        _CONFIG.clear()
        _CONFIG.update({k: v for k, v in values.items() if v is not None})
    # configure() alone sets the host's worker ceiling; it runs before any other method.
    _host.adapt(max_concurrency(values))


def check(news: dict[str, Any]) -> CheckResult:
    inputs, problems = check_inputs(news)
    failures = [CheckFailure(p.path or "inputs", p.message) for p in problems]
    return CheckResult(inputs, failures)


def diff(_id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
    found = diff_inputs(olds, news)
    return DiffResult(
        changes=bool(found.changed),
        replaces=list(found.replaces),
        delete_before_replace=False,
    )


def create(props: dict[str, Any]) -> CreateResult:
    inputs = inputs_of(props)
    adopt = props.get(ADOPT_NAME)
    if adopt:
        return CreateResult(adopt, _adopt(str(adopt), inputs))
    request = request_of(inputs)
    # A token only helps when the completion is stored: it is found again by metadata.
    token = secrets.token_hex(16) if request.store else None
    completion = _client().create(request, idempotency_token=token)
    return CreateResult(completion.id, outputs_from(inputs, completion))


def read(id_: str, props: dict[str, Any]) -> ReadResult:
    inputs = inputs_of(props)
    if inputs.get("store") is False:
        # Nothing is stored to read back; the state is all there is.
        return ReadResult(id_, dict(props))
    client = _client()
    try:
        completion = client.retrieve(id_)
    except NotFoundError:
        return ReadResult("", {})  # deleted out of band or expired: gone
    if "messages" in inputs:
        return ReadResult(id_, _with_outputs(props, outputs_from(inputs, completion)))
    # `ChatCompletion.get` and `import`: rebuild the inputs the API can tell us.
    adopted = _adopted_inputs(client, id_, completion.model, completion.metadata)
    return ReadResult(id_, outputs_from(adopted, completion), inputs=adopted)


def update(id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
    inputs = inputs_of(news)
    completion = _client().update(id_, inputs.get("metadata") or {})
    # UpdateResult(outs=None) would wipe the outputs: always return all of them.
    return UpdateResult(_with_outputs(olds, outputs_from(inputs, completion)))


def delete(id_: str, props: dict[str, Any]) -> None:
    if inputs_of(props).get("store") is False:
        return
    with contextlib.suppress(NotFoundError):  # already gone is what delete wants
        _client().delete(id_)


def _client() -> ChatCompletionsClient:
    # httpx, the client and the response models load at the first create, not with
    # check: the engine checks resources one at a time, and every create waits for them.
    from pulumi_chatcomp.client._client import get_client

    with _CONFIG_LOCK:
        config = dict(_CONFIG)
    return get_client(Settings.resolve(config, os.environ))


def _adopt(completion_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    client = _client()
    completion = client.retrieve(completion_id)
    stored = _adopted_inputs(client, completion_id, completion.model, completion.metadata)
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


def _with_outputs(props: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, Any]:
    # Every computed output is replaced, not merged: one the new answer leaves out (such as
    # `choices`, when it only repeats) must not survive from the prior state.
    stale = {"__provider", *OUTPUT_NAMES, *RETIRED_OUTPUT_NAMES}
    return {k: v for k, v in props.items() if k not in stale} | dict(outputs)


def _adopted_inputs(
    client: ChatCompletionsClient,
    completion_id: str,
    model: str,
    metadata: Mapping[str, Any] | None,
) -> dict[str, Any]:
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
