"""Running a blocking data source call over Pulumi Inputs, as an ``Output``.

The call waits for every Input and for the resources in ``depends_on``; while any of them is
unknown (a preview before the resources exist) the result is unknown and nothing is sent. It
then runs on a worker thread, so the program's event loop keeps registering resources while
pages are read.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import pulumi

__all__ = ["call_with_inputs", "is_plain"]

ResultT = TypeVar("ResultT")


def call_with_inputs(
    call: Callable[..., Any],
    function: str,
    inputs: Mapping[str, pulumi.Input[Any]],
    opts: pulumi.InvokeOptions | None,
    *,
    blocking: bool = True,
) -> pulumi.Output[ResultT]:
    """``Output`` of ``call(function, **resolved inputs)``, run once inputs and dependencies
    are known; ``function`` is the name the user called, for error messages. A blocking
    ``call`` runs on a worker thread; otherwise it returns an awaitable, awaited here."""
    waited = pulumi.Output.all(
        inputs=pulumi.Output.all(**inputs) if inputs else {},
        after=_dependencies(opts),
    )

    def run(resolved: dict[str, Any]) -> Awaitable[ResultT]:
        if not blocking:
            awaited: Awaitable[ResultT] = call(function, **resolved["inputs"])
            return awaited
        loop = asyncio.get_running_loop()
        # The program's stack config lives in context variables; the worker thread needs them.
        context = contextvars.copy_context()
        work = functools.partial(context.run, call, function, **resolved["inputs"])
        return loop.run_in_executor(None, work)

    return waited.apply(run)


def _dependencies(opts: pulumi.InvokeOptions | None) -> pulumi.Output[Any]:
    depends_on = getattr(opts, "depends_on", None)
    if depends_on is None:
        return pulumi.Output.from_input(None)

    def ids(resolved: object) -> pulumi.Output[list[Any]]:
        resources = list(resolved) if isinstance(resolved, Sequence) else [resolved]
        # A custom resource's id stays unknown until it is created, its urn does not.
        return pulumi.Output.all(
            *(
                resource.id if isinstance(resource, pulumi.CustomResource) else resource.urn
                for resource in resources
                if isinstance(resource, pulumi.Resource)
            )
        )

    return pulumi.Output.from_input(depends_on).apply(ids)


def is_plain(value: object) -> bool:
    """Whether ``value`` holds no ``Output`` or awaitable anywhere (so it can be checked now)."""
    if isinstance(value, (pulumi.Output, Awaitable)):
        return False
    if isinstance(value, Mapping):
        return all(is_plain(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(is_plain(item) for item in value)
    return True
