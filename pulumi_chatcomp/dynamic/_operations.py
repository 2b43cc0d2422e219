"""``ChatCompletionProvider``'s methods, in the dynamic provider host: the core's operations
in ``pulumi.dynamic``'s result types, with the stack config ``configure`` was given.

The first check stays light: httpx, the client and the response models load with the first
call that needs the API (``_client``, through the lazy ``client`` package), because the
engine checks resources one at a time and each create waits for its check.
``tests/unit/test_provider.py`` keeps it so.

>>> diff("id", {"model": "a"}, {"model": "b"}).replaces
['model']
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp import client
from pulumi_chatcomp._config import Settings, max_concurrency
from pulumi_chatcomp._exceptions import entry_point
from pulumi_chatcomp.core import _operations
from pulumi_chatcomp.core._check import check_inputs
from pulumi_chatcomp.core._diff import diff_inputs
from pulumi_chatcomp.core._identity import identity
from pulumi_chatcomp.core._names import IDENTITY_NAME
from pulumi_chatcomp.core._properties import contains_unknown
from pulumi_chatcomp.dynamic import _host

__all__ = ["check", "configure", "create", "delete", "diff", "read", "update"]

# Stack config seen by this process's configure(); module state, so it is never pickled.
_CONFIG: dict[str, Any] = {}
_CONFIG_LOCK = threading.Lock()


def configure(values: Mapping[str, Any]) -> None:
    """Keep the stack's ``chatcomp:*`` values and set the host's worker ceiling."""
    # The provider host is adapted here, where it first runs our code, and before anything
    # below can fail, so that even a settings error reaches the engine as its message.
    _host.adapt()
    with _CONFIG_LOCK:
        _CONFIG.clear()
        _CONFIG.update({k: v for k, v in values.items() if v is not None})
    # configure() alone sets the host's worker ceiling; it runs before any other method.
    _host.adapt(max_concurrency(values))


def check(olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
    inputs, problems = check_inputs(news, olds, identity=_identity(news.get(IDENTITY_NAME)))
    return CheckResult(inputs, [CheckFailure(p.path or "inputs", p.message) for p in problems])


def diff(_id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
    found = diff_inputs(olds, news)
    return DiffResult(
        changes=bool(found.changed), replaces=list(found.replaces), delete_before_replace=False
    )


def create(props: dict[str, Any]) -> CreateResult:
    completion_id, outputs = _operations.create(_client(), props)
    return CreateResult(completion_id, outputs)


def read(id_: str, props: dict[str, Any]) -> ReadResult:
    # A `get` has no prior outputs. For it a missing completion is an error: the host
    # answers every read with the pickled provider among the outputs, which the engine
    # takes for a completion that exists (a refresh looks at the empty id instead).
    refresh = "created" in props
    with entry_point("ChatCompletion.get"):
        found = _operations.read(_client(), id_, props, gone_is_none=refresh)
    if found is None:
        return ReadResult("", {})
    return ReadResult(found.id, found.outputs, inputs=found.inputs)


def update(id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
    # UpdateResult(outs=None) would wipe the outputs: the core returns all of them.
    return UpdateResult(_operations.update(_client(), id_, olds, news))


def delete(id_: str, props: dict[str, Any]) -> None:
    _operations.delete(_client(), id_, props)


def _identity(sent: object) -> str | None:
    # The program sends "<anchor id>/<URN>" (see dynamic._identity); unknown in a preview
    # of the stack's first update, where the anchor is not created yet.
    if not isinstance(sent, str) or not sent:
        return None  # not sent (a provider called outside a program): a random token
    if contains_unknown(sent):
        return UNKNOWN
    anchor, _, urn = sent.partition("/")
    return identity(anchor, urn)


def _client() -> client.ChatCompletionsClient:
    with _CONFIG_LOCK:
        config = dict(_CONFIG)
    return client.get_client(Settings.resolve(config, os.environ))
