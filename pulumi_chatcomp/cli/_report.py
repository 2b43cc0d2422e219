"""``chatcomp report``: what a stack's completions, or a selection of stored ones, cost.

Tokens and US dollars per model and per metadata value, priced with the table the budget
policy uses (``core._prices``; ``--prices`` gives your own, in the policy config's format).
A stack is read from its state, through the Pulumi CLI; a selection from the API. A stack's
ChatCompletionSets count item by item: usage from the set's results, model and metadata
from each item's request (its items file read from the project's folder).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.cli._selection import SELECTION_FLAGS, add_selection_flags, query_of
from pulumi_chatcomp.cli._settings import add_settings_flags, settings_of
from pulumi_chatcomp.cli._stacks import Stack, asset_text, reveal

if TYPE_CHECKING:
    from pulumi_chatcomp.core._prices import Price
    from pulumi_chatcomp.core._spend import Spend, Spent, Tally

__all__ = ["register", "render"]

DESCRIPTION = (
    "Tokens and cost of a stack's chat completions, or of the stored completions a selection"
    " picks, per model and per metadata value."
)
EXAMPLE = """examples:
  chatcomp report --stack dev                         # in the project's folder
  chatcomp report --metadata dataset=faq --json       # stored completions, for machines
  chatcomp report --stack dev --metadata-key team --prices prices.json"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report`` to the ``chatcomp`` parser."""
    parser = commands.add_parser(
        "report",
        help="tokens and cost per model and metadata value, of a stack or a selection",
        description=DESCRIPTION,
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_argument_group("stack", "report a stack's completions (from its state)")
    source.add_argument("--stack", help="the stack; without it, the selection is reported")
    source.add_argument(
        "--cwd", type=Path, default=Path(), help="the project's folder (default: this one)"
    )
    parser.add_argument(
        "--metadata-key",
        action="append",
        metavar="KEY",
        help="group by this metadata key only; repeat for several (default: every key)",
    )
    parser.add_argument(
        "--prices",
        type=Path,
        metavar="FILE",
        help="a JSON price table, as the budget policy's config takes it",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    add_selection_flags(parser)
    add_settings_flags(parser)
    parser.set_defaults(run=lambda args: run(args, parser))


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the report."""
    from pulumi_chatcomp.core._spend import spend_of

    prices = _prices(args.prices)
    keys = set(args.metadata_key) if args.metadata_key else None
    if args.stack is not None:
        selected = [flag for name, flag in SELECTION_FLAGS.items() if getattr(args, name)]
        if selected:
            parser.error(f"argument {selected[0]}: selects stored completions; not with --stack")
        spend = spend_of(_from_stack(Stack(args.stack, args.cwd)), prices, keys)
        source: dict[str, Any] = {"stack": args.stack}
    else:
        query = query_of(args, parser)
        spend = spend_of(_from_api(args, query), prices, keys)
        source = {"selection": {k: v for k, v in vars(query).items() if v is not None}}
    if args.json:
        print(json.dumps({"source": source, **spend.to_json()}, indent=2))
    else:
        print(render(spend, source))
    return 0


def _prices(path: Path | None) -> Mapping[str, Price] | None:
    from pulumi_chatcomp.core._prices import parse_prices

    if path is None:
        return None
    try:
        value = json.loads(path.read_text())
    except OSError as error:
        raise InvalidArgumentError("--prices", f"{str(path)!r} cannot be read: {error}") from None
    except UnicodeDecodeError:
        raise InvalidArgumentError(
            "--prices", f"{str(path)!r} is not a text file (a JSON price table is)"
        ) from None
    except json.JSONDecodeError as error:
        raise InvalidArgumentError("--prices", f"{str(path)!r} is not JSON: {error}") from None
    try:
        return parse_prices(value)
    except ValueError as error:
        raise InvalidArgumentError("--prices", f"{str(path)!r}: {error}") from None


def _from_stack(stack: Stack) -> Iterator[Spent]:
    from pulumi_chatcomp.core._spend import spent_from_state

    # With secrets shown (kept in memory): usage and metadata may be secret outputs.
    resources = stack.export(show_secrets=True).get("deployment", {}).get("resources") or []
    for resource in resources:
        shown = reveal(resource)
        spent = spent_from_state(shown)
        if spent is not None:
            yield spent
        else:
            yield from _set_items(shown, stack)


def _set_items(resource: Mapping[str, Any], stack: Stack) -> list[Spent]:
    """A set's items (none for any other resource); those counted without their model and
    metadata are named on stderr. They are counted, never dropped: their tokens are in the
    totals, under the model "?"."""
    from pulumi_chatcomp.core._spend import spent_from_set_state

    unread: list[str] = []

    def read(asset: object) -> str | None:
        text = asset_text(asset, stack.cwd)
        if text is None:
            unread.append(str(asset.get("path")) if isinstance(asset, Mapping) else "?")
        return text

    items = spent_from_set_state(resource, read)
    if items is None:
        return []
    keys = items.unknown
    if keys:
        name = str(resource.get("urn")).rsplit("::", 1)[-1]
        some = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        why = (
            f"its items file {unread[0]!r} cannot be read in {str(stack.cwd)!r} (--cwd)"
            if unread
            else "their request in the program is not the one that made them (edited since?)"
        )
        print(
            f"chatcomp report: {name}: {len(keys)} item{'s' if len(keys) != 1 else ''} "
            f"({some}) counted with no model or metadata: {why}",
            file=sys.stderr,
        )
    return items.spent


def _from_api(args: argparse.Namespace, query: Any) -> Iterator[Spent]:
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.core._reads import list_completions
    from pulumi_chatcomp.core._spend import spent_from_api

    with ChatCompletionsClient(settings_of(args)) as client:
        for completion in list_completions(client, query):
            yield spent_from_api(completion)


_COLUMNS = ("completions", "prompt", "cached", "completion", "reasoning", "cost USD")


def render(spend: Spend, source: Mapping[str, Any]) -> str:
    """The report as text tables: the total, per model, then per value of each key.

    >>> from pulumi_chatcomp.core._spend import Spent, spend_of
    >>> spent = Spent("gpt-4o-mini", {"prompt_tokens": 1000, "completion_tokens": 500})
    >>> print(render(spend_of([spent]), {"stack": "dev"}).splitlines()[0])
    stack dev: 1 completions, 1,500 tokens, $0.000450
    """
    where = f"stack {source['stack']}" if "stack" in source else _selection(source["selection"])
    total = spend.total
    lines = [
        f"{where}: {total.completions} completions,"
        f" {total.prompt_tokens + total.completion_tokens:,} tokens, ${total.cost_usd:.6f}"
        + (f" (and {total.unpriced} with no price)" if total.unpriced else "")
    ]
    lines += ["", *_table("model", spend.by_model)]
    for key in sorted(spend.by_metadata):
        lines += ["", *_table(f"metadata {key}", spend.by_metadata[key])]
    return "\n".join(lines)


def _selection(selection: Mapping[str, Any]) -> str:
    words = [
        " ".join(f"{key}={value}" for key, value in item.items())
        if isinstance(item, Mapping)
        else str(item)
        for item in selection.values()
    ]
    shown = ", ".join(f"{name} {word}" for name, word in zip(selection, words, strict=True))
    return "stored completions" + (f" ({shown})" if shown else "")


def _table(title: str, groups: Mapping[str, Tally]) -> list[str]:
    rows = [
        [
            name,
            f"{tally.completions:,}",
            f"{tally.prompt_tokens:,}",
            f"{tally.cached_tokens:,}",
            f"{tally.completion_tokens:,}",
            f"{tally.reasoning_tokens:,}",
            f"{tally.cost_usd:.6f}" + (" +unpriced" if tally.unpriced else ""),
        ]
        for name, tally in sorted(groups.items())
    ]
    header = [title, *_COLUMNS]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, *rows]
    ]
