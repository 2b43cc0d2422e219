"""``chatcomp recover``: repair a stack after ``pulumi up`` was killed outright.

A hard stop (Ctrl-C twice, a killed CI job) leaves the creates that were running as pending
operations, which the engine keeps through a plain ``pulumi up`` and a non-interactive
refresh. ``recover`` finds the completions they stored by the create token the engine
recorded in each pending create's inputs (side by side), puts each into the state as the
resource it belongs to, deletes what earlier attempts of the same create stored, drops the
pending creates that stored nothing or that a later ``up`` already made, and imports the
state; the next ``pulumi up`` converges with no duplicate and no orphan, without making
again what was already made. A lock left by the killed ``pulumi`` is removed when its
process is gone from this machine; any other lock is reported with what to do. Each
completion is looked up with the settings of the provider its resource uses (from the
state; the flags and the environment override them, as for every command).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import InvalidArgumentError, NotFoundError
from pulumi_chatcomp.cli._settings import add_settings_flags, settings_of
from pulumi_chatcomp.cli._stacks import Stack, StackLockedError, provider_settings

if TYPE_CHECKING:
    from pulumi_chatcomp.core._recovery import Recovery
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["register"]

# Look-ups made at once: each waits on the API, not on this process.
_LOOKUPS = 8

DESCRIPTION = (
    "Adopt the completions a killed 'pulumi up' stored (its pending creates), so that the"
    " next 'pulumi up' makes no duplicate."
)
EXAMPLE = """example:
  chatcomp recover --stack dev            # in the project's folder, after a hard stop
  chatcomp recover --stack dev --dry-run  # say what would change, change nothing
  pulumi up --stack dev                   # then: creates only what never reached the API"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``recover`` to the ``chatcomp`` parser."""
    parser = commands.add_parser(
        "recover",
        help="adopt the completions a killed 'pulumi up' stored, so the next up makes no duplicate",
        description=DESCRIPTION,
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stack", required=True, help="the stack to repair")
    parser.add_argument(
        "--cwd", type=Path, default=Path(), help="the project's folder (default: this one)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change; change nothing"
    )
    add_settings_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Recover ``args.stack``; 0 when every pending create of a completion was resolved."""
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.core._names import CREATE_TOKEN
    from pulumi_chatcomp.core._recovery import pending_creates, recover

    stack = Stack(args.stack, args.cwd)
    state = stack.export()
    deployment: Mapping[str, Any] = state.get("deployment") or {}
    pending = pending_creates(deployment)
    if not pending:
        print(f"{args.stack}: no pending create of a ChatCompletion or set; nothing to recover")
        return 0
    # Settings only: this export's plaintext secrets stay in memory.
    secrets = stack.export(show_secrets=True)
    clients: dict[Any, ChatCompletionsClient] = {}

    def client_of(resource: Mapping[str, Any]) -> ChatCompletionsClient:
        settings = settings_of(args, provider_settings(secrets, resource.get("provider")))
        if settings not in clients:
            clients[settings] = ChatCompletionsClient(settings)
        return clients[settings]

    def look_up(resource: Mapping[str, Any]) -> Sequence[ChatCompletion]:
        token = (resource.get("inputs") or {}).get(CREATE_TOKEN)
        return client_of(resource).created_with(str(token)) if token else ()

    try:
        # Each look-up waits on the API: make them side by side, then decide.
        with ThreadPoolExecutor(max_workers=_LOOKUPS) as pool:
            urns = [str(resource.get("urn")) for resource in pending]
            found = dict(zip(urns, pool.map(look_up, pending), strict=True))
        recovered = recover(deployment, lambda resource: found[str(resource.get("urn"))])
        if not args.dry_run:
            _import(stack, {**state, "deployment": recovered.deployment})
            for urn, completion_id in recovered.extra:
                with contextlib.suppress(NotFoundError):
                    client_of(_pending(pending, urn)).delete(completion_id)
    finally:
        for client in clients.values():
            client.close()
    _report(args, recovered, len(deployment.get("pending_operations") or []))
    return 1 if recovered.unrecoverable else 0


def _report(args: argparse.Namespace, recovered: Recovery, pending: int) -> None:
    would = "would " if args.dry_run else ""
    for urn, completion_id in recovered.adopted:
        print(f"{would}adopt {_name(urn)}: {completion_id}")
    for urn, completion_id in recovered.extra:
        print(f"{would}delete {completion_id}: an earlier attempt of {_name(urn)}'s create")
    for urn in recovered.dropped:
        print(f"{would}drop {_name(urn)}: its create stored nothing; the next up creates it")
    for urn in recovered.settled:
        print(f"{would}drop {_name(urn)}: a later up created it already")
    for urn in recovered.unrecoverable:
        print(
            f"left pending {_name(urn)}: its inputs hold no create token to find its"
            " completion by; see the README for the manual repair",
            file=sys.stderr,
        )
    for urn, why in recovered.left:
        print(f"left pending {_name(urn)}: {why}")
    dropped = len(recovered.dropped) + len(recovered.settled)
    left = len(recovered.unrecoverable) + len(recovered.left)
    verb = "would adopt" if args.dry_run else "adopted"
    print(
        f"{args.stack}: {verb} {len(recovered.adopted)}, dropped {dropped}, left {left} of"
        f" {pending} pending operations" + ("" if args.dry_run else "; now run pulumi up")
    )


def _import(stack: Stack, state: Mapping[str, Any]) -> None:
    # A pulumi killed outright leaves its lock behind: a lock whose process is gone from
    # this machine is stale, and `pulumi cancel` removes it; any other is someone's update.
    try:
        stack.import_(state)
    except StackLockedError as locked:
        if not locked.stale:
            raise InvalidArgumentError(
                "--stack",
                f"{stack.name!r} is locked by a pulumi that may still be running "
                f"({locked.holders}): wait for it to end; if it is gone, run "
                f"'pulumi cancel --stack {stack.name}' and then chatcomp recover again",
            ) from None
        stack.cancel()
        print(f"removed the lock the killed pulumi left ({locked.holders}, no longer running)")
        stack.import_(state)


def _pending(pending: Sequence[Mapping[str, Any]], urn: str) -> Mapping[str, Any]:
    return next(resource for resource in pending if resource["urn"] == urn)


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]
