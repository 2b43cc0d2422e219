"""``chatcomp recover``: repair a stack after ``pulumi up`` was killed outright.

A hard stop (Ctrl-C twice, a killed CI job) leaves the creates that were running as pending
operations; a plain ``pulumi up`` then creates them again and every completion they had
already stored becomes a duplicate no resource owns. ``recover`` finds each of those
completions by the create token the engine recorded in the pending create's inputs, puts it
into the state as the resource it belongs to, drops the pending creates that stored nothing,
and imports the state; the next ``pulumi up`` converges with no duplicate and no orphan.
Each completion is looked up with the settings of the provider its resource uses (from the
state; the flags and the environment override them, as for every command).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp.cli._settings import add_settings_flags, settings_of
from pulumi_chatcomp.cli._stacks import Stack, provider_settings

if TYPE_CHECKING:
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["register"]

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
    if not pending_creates(deployment):
        print(f"{args.stack}: no pending create of a ChatCompletion; nothing to recover")
        return 0
    # Settings only: this export's plaintext secrets stay in memory.
    secrets = stack.export(show_secrets=True)
    clients: dict[Any, ChatCompletionsClient] = {}

    def find(resource: Mapping[str, Any]) -> ChatCompletion | None:
        settings = settings_of(args, provider_settings(secrets, resource.get("provider")))
        client = clients.get(settings)
        if client is None:
            client = clients[settings] = ChatCompletionsClient(settings)
        return client.find_created(str(resource["inputs"][CREATE_TOKEN]))

    try:
        recovered = recover(deployment, find)
    finally:
        for client in clients.values():
            client.close()
    for urn, completion_id in recovered.adopted:
        print(f"adopted {_name(urn)}: {completion_id}")
    for urn in recovered.dropped:
        print(f"dropped {_name(urn)}: its create stored nothing; the next up creates it")
    for urn in recovered.unrecoverable:
        print(
            f"left pending {_name(urn)}: its inputs hold no create token (created by an"
            " earlier version of pulumi-chatcomp); see the README for the manual repair",
            file=sys.stderr,
        )
    for urn, why in recovered.left:
        print(f"left pending {_name(urn)}: {why}")
    if not args.dry_run:
        stack.import_({**state, "deployment": recovered.deployment})
    verb = "would adopt" if args.dry_run else "adopted"
    left = len(recovered.unrecoverable) + len(recovered.left)
    print(
        f"{args.stack}: {verb} {len(recovered.adopted)}, dropped {len(recovered.dropped)},"
        f" left {left} of {len(deployment.get('pending_operations') or [])}"
        " pending operations" + ("" if args.dry_run else "; now run pulumi up")
    )
    return 1 if recovered.unrecoverable else 0


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]
