"""The ChatCompletionSet as a resource of the plugin: the core's set lifecycle (``core._sets``)
in the SDK's provider types.

- ``check`` reads ``itemsFile`` (a file or string asset) and checks every item;
- ``diff`` plans per key, locally, from the fingerprints alone (read from the engine's wire
  form), and names each changing item (``items["q-0042"]``) in the detailed diff: added,
  updated or deleted. An item made again shows as updated there
  (a replace kind would make the engine replace the whole set); the preview's summary line
  says which (``update`` with ``preview`` logs the plan);
- ``create`` and ``update`` run the items that change, many at once, reporting progress to
  the engine as a status line on the set; when some fail, every item that worked is kept
  as the set's partial state (``PartialState``, which the server hands the engine) and the
  next ``up`` retries only the rest;
- ``read`` refreshes with one paged list of the set's tag, or adopts the completions a
  selector picks for ``pulumi import``; ``delete`` deletes every item.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.provider.experimental import provider as sdk
from pulumi.runtime import proto
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp.plugin._values import plain, wire

if TYPE_CHECKING:
    from pulumi_chatcomp.core._sets._run import Progress

__all__ = ["PartialState", "SetResource", "StatusLine", "elided_assets"]

_PREVIEW_SHOWN: Final = 10

StatusLine = Callable[[str, str], None]
"""Shows a status line on a resource (its URN, the text) while an operation runs."""


class PartialState(ChatCompError):
    """A create or update that failed after some of its work stuck: the engine keeps
    ``properties`` as the resource's state (with ``resource_id``) and reports the message."""

    def __init__(self, message: str, resource_id: str, properties: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.properties = dict(properties)


class SetResource:
    """The set's provider methods; ``run`` runs a core call on the provider's executor with
    the client, ``concurrency`` is the provider's ``maxConcurrency``."""

    def __init__(
        self,
        run: Callable[..., Any],
        identity: Callable[[str], str],
        concurrency: Callable[[], int],
        status: StatusLine,
        log: StatusLine,
    ) -> None:
        self._run = run
        self._identity = identity
        self._concurrency = concurrency
        self._status = status
        self._log = log

    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        from pulumi_chatcomp.core._sets._operations import check_set

        news = _with_file(plain(request.new_inputs))
        if isinstance(news, ChatCompError):
            return sdk.CheckResponse(
                inputs=request.new_inputs, failures=[sdk.CheckFailure("items_file", str(news))]
            )
        inputs, problems = check_set(
            news, plain(request.old_inputs), identity=self._identity(request.urn)
        )
        failures = [sdk.CheckFailure(p.path or "items", p.message) for p in problems]
        # The file's text is read again where it is needed: state keeps the asset.
        inputs.pop("items_file", None)
        return sdk.CheckResponse(
            inputs={**wire(inputs), **_asset_of(request.new_inputs)}, failures=failures
        )

    def diff(self, request: Any) -> Any:
        """The engine's ``DiffRequest`` answered from its wire form: a set's state holds every
        item's answer, and reading all of it into property values to compare only the
        fingerprints would cost a dataset's preview seconds, so only those are read."""
        from pulumi_chatcomp.core._sets import _operations as sets
        from pulumi_chatcomp.plugin._casing import package_names

        results = request.olds.fields.get("results")
        fingerprints = {
            key: {"fingerprint": value.struct_value.fields["fingerprint"].string_value}
            for key, value in (results.struct_value.fields.items() if results else ())
            if "fingerprint" in value.struct_value.fields
        }
        news = package_names().of_urn(request.urn).to_api(json_format.MessageToDict(request.news))
        set_plan = sets.diff_set({"results": fingerprints}, news)
        detailed = {
            path: proto.PropertyDiff(kind=_KINDS[change], inputDiff=True)
            for path, change in set_plan.changes().items()
        }
        return proto.DiffResponse(
            changes=proto.DiffResponse.DIFF_SOME
            if set_plan.changed
            else proto.DiffResponse.DIFF_NONE,
            diffs=sorted({path.split("[", 1)[0] for path in detailed}),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        from pulumi_chatcomp.core._sets import _operations as sets
        from pulumi_chatcomp.core._sets._items import expand

        inputs = _read_file(plain(request.properties))
        if request.preview:
            items = expand(inputs, validate=False)[0]
            self._log(request.urn, f"{len(items)} items to create")
            return sdk.CreateResponse(resource_id="", properties=wire(_planned(inputs)))
        report = self._progress(request.urn, "created")
        try:
            set_id, outputs = await self._run(
                functools.partial(sets.create_set, concurrency=self._concurrency(), report=report),
                inputs,
            )
        except sets.PartialSetFailure as failure:
            raise PartialState(str(failure), failure.set_id, wire(failure.outputs)) from None
        return sdk.CreateResponse(resource_id=set_id, properties=wire(outputs))

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        from pulumi_chatcomp.core._sets import _operations as sets

        olds, news = plain(request.olds), plain(request.news)
        if request.preview:
            set_plan = self._plan(olds, news)
            self._log(request.urn, _described(set_plan))
            return sdk.UpdateResponse(properties=wire(_planned_update(olds, set_plan)))
        report = self._progress(request.urn, "done")
        try:
            outputs = await self._run(
                functools.partial(sets.update_set, concurrency=self._concurrency(), report=report),
                request.resource_id,
                olds,
                _read_file(news),
            )
        except sets.PartialSetFailure as failure:
            raise PartialState(str(failure), failure.set_id, wire(failure.outputs)) from None
        return sdk.UpdateResponse(properties=wire(outputs))

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        from pulumi_chatcomp.core._sets import _operations as sets

        outputs = plain(request.properties)
        if not outputs:
            # `pulumi import`: the id is a selector of stored completions.
            inputs, found = await self._run(
                functools.partial(sets.import_set, concurrency=self._concurrency()),
                request.resource_id,
            )
            return sdk.ReadResponse(
                resource_id=request.resource_id, properties=wire(found), inputs=wire(inputs)
            )
        found = await self._run(sets.read_set, outputs)
        return sdk.ReadResponse(
            resource_id=request.resource_id, properties=wire(found), inputs=request.inputs
        )

    async def delete(self, request: sdk.DeleteRequest) -> None:
        from pulumi_chatcomp.core._sets import _operations as sets

        await self._run(
            functools.partial(sets.delete_set, concurrency=self._concurrency()),
            plain(request.properties),
        )

    # -- plumbing ---------------------------------------------------------------------------

    def _plan(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Any:
        from pulumi_chatcomp.core._sets import _operations as sets

        return sets.diff_set(olds, news)

    def _progress(self, urn: str, verb: str) -> Callable[[Progress], None]:
        """A report of how far a run is, as a status line at most about once a second."""
        last = [0.0]

        def report(progress: Progress) -> None:
            now = time.monotonic()
            if now - last[0] < 1.0 and progress.done < progress.total:
                return
            last[0] = now
            failed = f", {progress.failed} failed" if progress.failed else ""
            self._status(urn, f"{progress.done} of {progress.total} items {verb}{failed}")

        return report


_KINDS: Final = {
    "create": proto.PropertyDiff.ADD,
    "replace": proto.PropertyDiff.UPDATE,
    "update": proto.PropertyDiff.UPDATE,
    "delete": proto.PropertyDiff.DELETE,
}


def _described(set_plan: Any) -> str:
    """The preview's line: what happens to how many items, and which (a few of each)."""
    kinds = (
        ("to create", set_plan.create),
        ("to make again", set_plan.replace),
        ("to update", set_plan.update),
        ("to delete", set_plan.delete),
    )
    parts = [f"{len(keys)} {what} ({_some(keys)})" for what, keys in kinds if keys]
    if set_plan.same:
        parts.append(f"{set_plan.same} unchanged")
    return "items: " + (", ".join(parts) if parts else "no change")


def _some(keys: tuple[str, ...]) -> str:
    more = len(keys) - _PREVIEW_SHOWN
    return ", ".join(keys[:_PREVIEW_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _planned(inputs: Mapping[str, Any]) -> dict[str, Any]:
    # A new set's outputs are unknown until its items are made.
    return {"results": UNKNOWN, "count": UNKNOWN, "usage": UNKNOWN, "tag": UNKNOWN}


def _planned_update(olds: Mapping[str, Any], set_plan: Any) -> dict[str, Any]:
    """What a preview shows an update leaving: the items it keeps as they are, and the
    items it makes (again) unknown, so that what reads them previews as it will be."""
    results = {
        key: result
        for key, result in (olds.get("results") or {}).items()
        if key not in set_plan.delete
    }
    results |= dict.fromkeys((*set_plan.create, *set_plan.replace), UNKNOWN)
    made = set_plan.create or set_plan.replace
    return {
        "results": results,
        "count": len(results),
        "usage": UNKNOWN if made or set_plan.delete else olds.get("usage"),
        # An imported set takes its tag at its first update.
        "tag": olds.get("tag") or UNKNOWN,
    } | ({"selector": olds["selector"]} if olds.get("selector") else {})


def _asset_of(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in properties.items() if key == "items_file"}


def _with_file(inputs: dict[str, Any]) -> dict[str, Any] | ChatCompError:
    try:
        return _read_file(inputs)
    except ChatCompError as error:
        return error


def _read_file(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` with ``items_file`` (a Pulumi asset) as the file's text (unknown while
    the asset is: a preview before a program made it)."""
    asset = inputs.get("items_file")
    if asset is None or asset == UNKNOWN:
        return dict(inputs)
    return {**inputs, "items_file": _text_of(asset)}


def elided_assets(value: Any) -> Any:
    """``value`` (a protobuf ``Struct`` or ``Value``, changed in place) with each asset the
    engine sent without its contents (only its hash: outside check, create and update)
    made a string the SDK can read, which no set reads anyway."""
    if isinstance(value, struct_pb2.Struct):
        for key in list(value.fields):
            replaced = _elided(value.fields[key])
            if replaced is not None:
                value.fields[key].string_value = replaced
            else:
                elided_assets(value.fields[key])
    elif isinstance(value, struct_pb2.Value):
        kind = value.WhichOneof("kind")
        if kind == "struct_value":
            elided_assets(value.struct_value)
        elif kind == "list_value":
            for item in value.list_value.values:
                replaced = _elided(item)
                if replaced is not None:
                    item.string_value = replaced
                else:
                    elided_assets(item)
    return value


def _elided(value: struct_pb2.Value) -> str | None:
    if value.WhichOneof("kind") != "struct_value":
        return None
    fields = value.struct_value.fields
    sig = fields.get(pulumi.runtime.rpc._special_sig_key)
    if sig is None or sig.string_value != pulumi.runtime.rpc._special_asset_sig:
        return None
    if any(name in fields for name in ("path", "text", "uri")):
        return None
    return f"asset:{fields['hash'].string_value if 'hash' in fields else ''}"


def _text_of(asset: object) -> str:
    if isinstance(asset, pulumi.StringAsset):
        return str(asset.text)
    if isinstance(asset, pulumi.FileAsset):
        path = Path(str(asset.path))
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise ChatCompError(
                f"items_file {str(path)!r} cannot be read ({reason}; a path is relative to "
                f"the program's folder, {Path.cwd()})"
            ) from None
    raise ChatCompError(
        "items_file must be a file or a string asset (pulumi.FileAsset, fn::fileAsset, "
        "pulumi.StringAsset), not a remote one"
    )
