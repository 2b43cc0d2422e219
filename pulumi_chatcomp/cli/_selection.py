"""Which stored completions a command works on: ``--model``, repeated ``--metadata
KEY=VALUE`` (every pair must match), ``--set-tag`` (the items of one ChatCompletionSet),
``--order`` and ``--limit``, the list endpoint's own filters, checked as the data sources
check them (``core._reads.CompletionsQuery``). A bad value is a usage mistake: one line
naming the flag, exit 2.

>>> parser = argparse.ArgumentParser()
>>> add_selection_flags(parser)
>>> query_of(parser.parse_args(["--metadata", "dataset=faq", "--limit", "5"]), parser)
CompletionsQuery(model=None, metadata={'dataset': 'faq'}, order=None, limit=5, set_tag=None)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from pulumi_chatcomp._exceptions import InvalidArgumentError, in_terms
from pulumi_chatcomp.cli._settings import FlagTerms
from pulumi_chatcomp.core._reads import CompletionsQuery

__all__ = ["SELECTION_FLAGS", "add_selection_flags", "query_of"]

SELECTION_FLAGS = {
    "model": "--model",
    "metadata": "--metadata",
    "order": "--order",
    "limit": "--limit",
    "set_tag": "--set-tag",
}
"""The flag of each argument ``CompletionsQuery`` checks."""


def add_selection_flags(parser: argparse.ArgumentParser, *, sets: bool = True) -> None:
    """Add the selection flags to a subcommand's parser, in a group of their own (with
    ``--set-tag`` unless ``sets`` is false)."""
    group = parser.add_argument_group("which completions", "default: every stored completion")
    group.add_argument("--model", metavar="MODEL", help="only completions of this model")
    group.add_argument(
        "--metadata",
        metavar="KEY=VALUE",
        action=_MetadataPair,
        default=None,
        help="only completions with this metadata pair; repeat it for several (all must match)",
    )
    if sets:
        group.add_argument(
            "--set-tag",
            metavar="TAG",
            help="only the items of the ChatCompletionSet with this tag (its tag output)",
        )
    group.add_argument(
        "--order", choices=("asc", "desc"), help="by creation time (the API's default: asc)"
    )
    group.add_argument(
        "--limit", metavar="N", type=_whole_number, help="at most N completions (default: all)"
    )


def query_of(args: argparse.Namespace, parser: argparse.ArgumentParser) -> CompletionsQuery:
    """The checked query of the parsed selection flags; a bad one exits through
    ``parser.error`` naming its flag."""
    sets = hasattr(args, "set_tag")
    try:
        return CompletionsQuery.of(
            args.model, args.metadata, args.order, args.limit, args.set_tag if sets else None
        )
    except InvalidArgumentError as error:
        _usage(parser, error, sets=sets)


def _usage(parser: argparse.ArgumentParser, error: InvalidArgumentError, *, sets: bool) -> NoReturn:
    name, subscript, _ = error.argument.partition("[")
    flag = SELECTION_FLAGS.get(name, error.argument)
    given = {key: flag for key, flag in SELECTION_FLAGS.items() if sets or key != "set_tag"}
    terms = FlagTerms(given)
    # metadata["k"] names which pair is wrong: it stays; the argument's bare name goes.
    problem = error.describe(terms) if subscript else in_terms(error.problem, terms)
    parser.error(f"argument {flag}: {problem}")


class _MetadataPair(argparse.Action):
    # --metadata KEY=VALUE, repeated, into one dict; a key given twice is a mistake (the API
    # takes one value per key).

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        text = str(values)
        key, equals, value = text.partition("=")
        if not equals:
            raise argparse.ArgumentError(self, f"expected KEY=VALUE, got {text!r}")
        pairs: dict[str, str] = dict(getattr(namespace, self.dest) or {})
        if key in pairs:
            raise argparse.ArgumentError(self, f"the key {key!r} is given twice")
        pairs[key] = value
        setattr(namespace, self.dest, pairs)


def _whole_number(text: str) -> int:
    # --limit: a whole number, 1 or more (leaving the flag out means every completion).
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, 1 or more (leave it out for all), got {text!r}"
        )
    return number
