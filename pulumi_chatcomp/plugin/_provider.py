"""``ChatCompletionPlugin``: the core's operations as a Pulumi provider, for the SDK's server.

Each method turns the engine's request into plain values, calls the core, and answers in
the SDK's types:

- ``check`` and ``diff`` are the core's, with a detailed diff per property (``metadata``
  updates in place, anything else replaces); ``check`` also refuses bad settings
  (``chatcomp:timeout``, ...), which ``check_config`` lets through;
- ``create`` and ``update`` answer a preview without calling the API: the planned outputs,
  computed ones unknown for a create and unchanged for an update (only metadata changes in
  place), so what depends on a completion previews as it will be;
- ``read`` rebuilds the inputs from the API when it gets none, which is how
  ``pulumi import`` adopts a stored completion;
- the functions (invokes) are the rows of ``core._functions``, the data sources' reads.

Blocking calls (the client is synchronous) run on an executor as wide as
``chatcomp:maxConcurrency``, so ``pulumi up --parallel 64`` has 64 creates in flight. Errors
are the core's; ``_server`` words them for the engine.

Properties here have the API's names, as in the core; ``_boundary`` renames them to and
from the schema's.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final, TypeVar

from pulumi.provider.experimental import provider as sdk

from pulumi_chatcomp import _config
from pulumi_chatcomp._exceptions import ConfigurationError, InvalidArgumentError, entry_point
from pulumi_chatcomp.core._check import check_inputs
from pulumi_chatcomp.core._diff import diff_inputs
from pulumi_chatcomp.core._functions import BY_TOKEN
from pulumi_chatcomp.core._identity import identity
from pulumi_chatcomp.core._names import SET_TYPE_TOKEN, type_of
from pulumi_chatcomp.core._properties import inputs_of
from pulumi_chatcomp.plugin._casing import SCHEMA_PATH, package_names
from pulumi_chatcomp.plugin._engine import EngineLog
from pulumi_chatcomp.plugin._sets import SetResource
from pulumi_chatcomp.plugin._values import UNKNOWN_VALUE, plain, wire

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient

__all__ = ["SCHEMA_PATH", "ChatCompletionPlugin", "warm_checks"]

T = TypeVar("T")

# The id the engine gives a provider resource that is not created yet (during a preview).
_UNKNOWN_ID: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# The longest a thread started ahead of the first calls waits for the others (a bound only:
# they are released as soon as all are submitted).
_START_WAIT: Final = 1.0


class ChatCompletionPlugin(sdk.Provider):
    """The provider behind ``chatcomp:index:ChatCompletion`` and its functions."""

    def __init__(self) -> None:
        self._config: dict[str, Any] = {}
        self._problems: list[ConfigurationError] = []
        self._executor: ThreadPoolExecutor | None = None
        self._provider_id: str | None = None
        self._engine: EngineLog | None = None
        self._sets = SetResource(
            run=self._run,
            identity=lambda urn: identity(self._anchor(), urn),
            concurrency=lambda: _config.max_concurrency(self._config),
            status=self._status,
            log=self._note,
        )

    def attach(self, engine: EngineLog) -> None:
        """Where status lines and messages for the engine's display go."""
        self._engine = engine

    def _status(self, urn: str, text: str) -> None:
        if self._engine is not None:
            self._engine.status(urn, text)

    def _note(self, urn: str, text: str) -> None:
        if self._engine is not None:
            self._engine.info(urn, text)

    def identify(self, provider_id: str | None) -> None:
        """Remember the id of the provider resource this process serves: with a resource's
        URN it names the resource within its stack instance, for create tokens (a random
        UUID the engine keeps in state, so two stacks of the same name never share one)."""
        self._provider_id = provider_id

    # -- the provider itself --------------------------------------------------------------

    async def get_schema(self, request: sdk.GetSchemaRequest) -> sdk.GetSchemaResponse:
        return sdk.GetSchemaResponse(schema=SCHEMA_PATH.read_text(encoding="utf-8"))

    async def check_config(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        # Bad settings are accepted here and refused by each resource's check and each call
        # (see configure): a provider that refuses its config leaves the program's registration
        # waiting on it, so Pulumi's Python host interrupts the program and its exec script
        # prints a KeyboardInterrupt traceback under the message.
        return sdk.CheckResponse(inputs=request.new_inputs, failures=[])

    async def configure(self, request: sdk.ConfigureRequest) -> sdk.ConfigureResponse:
        self._config = plain(request.args)
        self._problems = _config_problems(self._config)
        if not self._problems:
            workers = _config.max_concurrency(self._config)
            self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chatcomp")
            # What API calls need (its threads, httpx, the client, the response models) is
            # made on the executor, beside the engine's first checks, which need none of it.
            settings = _config.Settings.resolve(self._config, os.environ)
            self._executor.submit(_prepare_calls, self._executor, workers, settings)
        # Secrets are not accepted, so values arrive plain and the engine keeps each
        # property's secretness; previews are, and are answered without calling the API.
        return sdk.ConfigureResponse(accept_secrets=False, supports_preview=True)

    # -- the resource -----------------------------------------------------------------------

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        if _is_set(request.urn):
            return await self._sets.check(request)
        if self._problems:
            # Not a property of the resource: the engine prints "resource '<name>' has a
            # problem: chatcomp:timeout must be ...", the setting named in the reason.
            failures = [sdk.CheckFailure("", str(error)) for error in self._problems]
            return sdk.CheckResponse(inputs=request.new_inputs, failures=failures)
        inputs, problems = check_inputs(
            plain(request.new_inputs), plain(request.old_inputs), identity=self._identity(request)
        )
        failures = [sdk.CheckFailure(p.path or "inputs", p.message) for p in problems]
        return sdk.CheckResponse(inputs=wire(inputs), failures=failures)

    def diff_set(self, request: Any) -> Any:
        """A ChatCompletionSet's diff, from the engine's wire form (see ``SetResource``)."""
        return self._sets.diff(request)

    async def diff(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        olds, news = plain(request.old_state), plain(request.new_inputs)
        found = diff_inputs(olds, news)
        detailed = {
            name: sdk.PropertyDiff(_kind(name in olds, name in news, name in found.replaces), True)
            for name in found.changed
        }
        return sdk.DiffResponse(
            changes=bool(found.changed),
            replaces=list(found.replaces),
            delete_before_replace=False,
            diffs=list(found.changed),
            detailed_diff=detailed,
        )

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        if _is_set(request.urn):
            return await self._sets.create(request)
        from pulumi_chatcomp.core import _operations

        props = plain(request.properties)
        if request.preview:
            planned = _operations.planned_create(props, UNKNOWN_VALUE)
            return sdk.CreateResponse(resource_id="", properties=wire(planned))
        completion_id, outputs = await self._run(_operations.create, props)
        return sdk.CreateResponse(resource_id=completion_id, properties=wire(outputs))

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        if _is_set(request.urn):
            return await self._sets.read(request)
        from pulumi_chatcomp.core import _operations

        props = plain(request.properties) or plain(request.inputs)
        found = await self._run(_operations.read, request.resource_id, props)
        if found is None:
            return sdk.ReadResponse()  # gone: the engine drops it from state
        inputs = found.inputs if found.inputs is not None else inputs_of(plain(request.inputs))
        return sdk.ReadResponse(
            resource_id=found.id, properties=wire(found.outputs), inputs=wire(inputs)
        )

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        if _is_set(request.urn):
            return await self._sets.update(request)
        from pulumi_chatcomp.core import _operations

        olds, news = plain(request.olds), plain(request.news)
        if request.preview:
            return sdk.UpdateResponse(properties=wire(_operations.planned_update(olds, news)))
        outputs = await self._run(_operations.update, request.resource_id, olds, news)
        return sdk.UpdateResponse(properties=wire(outputs))

    async def delete(self, request: sdk.DeleteRequest) -> None:
        if _is_set(request.urn):
            return await self._sets.delete(request)
        from pulumi_chatcomp.core import _operations

        await self._run(_operations.delete, request.resource_id, plain(request.properties))

    # -- the functions ----------------------------------------------------------------------

    async def invoke(self, request: sdk.InvokeRequest) -> sdk.InvokeResponse:
        function = BY_TOKEN.get(request.tok)
        if function is None:
            raise NotImplementedError(f"unknown function {request.tok}")
        args = {k: v for k, v in plain(request.args).items() if v is not None}
        accepted = package_names().arguments[request.tok].names("api")
        unknown = sorted(set(args) - set(accepted))
        if unknown:
            takes = ", ".join(accepted)
            reason = f"{function.name}: {', '.join(unknown)} is not an argument (it takes {takes})"
            return sdk.InvokeResponse(failures=[sdk.CheckFailure(unknown[0], reason)])
        try:
            with entry_point(function.name):
                # Checked here, in the event loop (no I/O), before any client is made.
                query = function.check(**args)
                result = await self._run(function.answer, query)
        except InvalidArgumentError as error:
            # A bad argument is the caller's mistake: a failure naming it, as check's are.
            return sdk.InvokeResponse(failures=[sdk.CheckFailure(error.argument, str(error))])
        return sdk.InvokeResponse(return_value=wire(result))

    # -- plumbing ---------------------------------------------------------------------------

    def _identity(self, request: sdk.CheckRequest) -> str:
        return identity(self._anchor(), request.urn)

    def _anchor(self) -> str | None:
        # A preview of a new stack configures its new provider with the engine's unknown id.
        return None if self._provider_id == _UNKNOWN_ID else self._provider_id

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        """``call(client, *args)`` on the executor, with the client for this provider's config,
        got there too: the first one may still be loading, which must not hold up the event
        loop that answers the engine's checks."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: call(self._client(), *args))

    def _client(self) -> ChatCompletionsClient:
        from pulumi_chatcomp.client import get_client

        if self._problems:  # the engine reads, updates and deletes whatever check said
            raise self._problems[0]
        return get_client(_config.Settings.resolve(self._config, os.environ))


def warm_checks() -> None:
    """Build what checks validate with (pydantic builds a model's validator on first use),
    so that the first check takes no longer than the others."""
    from pulumi_chatcomp.models import ChatCompletionCreateParams

    ChatCompletionCreateParams.model_rebuild()


def _prepare_calls(executor: ThreadPoolExecutor, workers: int, settings: _config.Settings) -> None:
    from pulumi_chatcomp.client import get_client
    from pulumi_chatcomp.models import ChatCompletion

    _start_workers(executor, workers)
    get_client(settings)
    ChatCompletion.model_rebuild()  # what every answer is parsed with


def _start_workers(executor: ThreadPoolExecutor, workers: int) -> None:
    # From one of its threads, not the event loop: a pool starts a thread when a call finds
    # none idle, and whoever submitted the call waits until the thread runs. In the event
    # loop that is a wait behind every thread that holds the GIL (milliseconds each, under
    # load) in front of the engine's next check, once for each of the first creates.
    started = threading.Event()
    try:
        # Each holds its thread until all are submitted, so that every submit starts one.
        for _ in range(workers - 1):
            executor.submit(started.wait, _START_WAIT)
    finally:
        started.set()


def _is_set(urn: str) -> bool:
    return type_of(urn) == SET_TYPE_TOKEN


def _kind(before: bool, after: bool, replaces: bool) -> sdk.PropertyDiffKind:
    kinds = sdk.PropertyDiffKind
    if not before:
        return kinds.ADD_REPLACE if replaces else kinds.ADD
    if not after:
        return kinds.DELETE_REPLACE if replaces else kinds.DELETE
    return kinds.UPDATE_REPLACE if replaces else kinds.UPDATE


def _config_problems(values: Mapping[str, Any]) -> list[ConfigurationError]:
    problems = []
    for check in (_config.Settings.resolve, _config.max_concurrency):
        try:
            check(values, os.environ)
        except ConfigurationError as error:
            problems.append(error)
    return problems
