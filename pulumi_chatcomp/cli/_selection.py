"""Which stored completions a command works on: ``--model``, repeated ``--metadata
KEY=VALUE``, ``--order`` and ``--limit``, the list endpoint's own filters, checked as the
data sources check them (``core._reads.CompletionsQuery``).

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_selection_flags(parser)
>>> query_of(parser.parse_args(["--metadata", "dataset=faq", "--limit", "5"]))
CompletionsQuery(model=None, metadata={'dataset': 'faq'}, order=None, limit=5)
"""

from __future__ import annotations

import argparse

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.core._reads import CompletionsQuery

__all__ = ["add_selection_flags", "query_of"]


def add_selection_flags(parser: argparse.ArgumentParser) -> None:
    """Add the selection flags to a subcommand's parser, in a group of their own."""
    group = parser.add_argument_group("selection", "which stored completions (default: all)")
    group.add_argument("--model", help="only completions of this model, e.g. gpt-4o-mini")
    group.add_argument(
        "--metadata",
        action="append",
        type=_pair,
        metavar="KEY=VALUE",
        help="only completions with this metadata pair; repeat for several (all must match)",
    )
    group.add_argument("--order", choices=("asc", "desc"), help="by creation time (default asc)")
    group.add_argument("--limit", type=_count, metavar="N", help="at most N completions")


def query_of(args: argparse.Namespace) -> CompletionsQuery:
    """The checked query of the parsed selection flags (``InvalidArgumentError`` names the
    flag)."""
    metadata = dict(args.metadata) if args.metadata else None
    try:
        return CompletionsQuery.of(args.model, metadata, args.order, args.limit)
    except InvalidArgumentError as error:
        problem = error.describe().removeprefix(error.argument).lstrip()
        raise InvalidArgumentError(f"--{error.argument}", problem) from None


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"must be KEY=VALUE, such as dataset=faq, got {text!r}")
    return key, value


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more, got {text!r}")
    return count
