"""``chatcomp import-file``: the file ``pulumi import --file`` takes, for stored completions.

Teams make completions with scripts before they manage them; this writes, for every stored
completion a selection picks, one entry of ``chatcomp:index:ChatCompletion`` (the provider
plugin's resource: the dynamic one cannot be imported from the command line) named after a
metadata value the user picks, so that one ``pulumi import --file`` adopts them all and
prints the code to declare them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.cli._selection import add_selection_flags, query_of
from pulumi_chatcomp.cli._settings import add_settings_flags, settings_of
from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN

__all__ = ["UniqueNames", "import_entries", "register"]

DESCRIPTION = (
    "Write the file 'pulumi import --file' takes, adopting the stored completions the"
    " selection picks as chatcomp:index:ChatCompletion resources."
)
EXAMPLE = """example:
  chatcomp import-file --metadata dataset=faq --name-key slug --output import.json
  pulumi import --file import.json --protect=false   # adopts them, prints their code"""

# Resource names every language's generated code can use as they are: a letter first, then
# letters, digits, '_' and '-'; long ones are cut.
_INVALID = re.compile(r"[^A-Za-z0-9_-]+")
_MAX_NAME = 60


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import-file`` to the ``chatcomp`` parser."""
    parser = commands.add_parser(
        "import-file",
        help="write a 'pulumi import --file' file for the completions a filter selects",
        description=DESCRIPTION,
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--name-key",
        metavar="KEY",
        help="name each resource after this metadata key's value (default: the completion id)",
    )
    parser.add_argument(
        "--output", "-o", type=Path, help="write the file here (default: standard output)"
    )
    # Not a set's items: the set manages them; two resources would own each completion.
    add_selection_flags(parser, sets=False)
    add_settings_flags(parser)
    parser.set_defaults(run=lambda args: run(args, parser))


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Write the import file; 0 when it holds at least one completion."""
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.core._reads import list_completions

    query = query_of(args, parser)
    with ChatCompletionsClient(settings_of(args)) as client:
        entries = import_entries(list_completions(client, query), args.name_key)
    text = json.dumps({"resources": entries}, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise InvalidArgumentError(
                "--output", f"{str(args.output)!r} cannot be written: {reason}"
            ) from None
    print(f"chatcomp import-file: {len(entries)} completions", file=sys.stderr)
    return 0 if entries else 1


def import_entries(
    completions: Iterable[Mapping[str, Any]], name_key: str | None
) -> list[dict[str, str]]:
    """One ``pulumi import --file`` entry per completion (as the API returns them), named
    after ``name_key``'s metadata value (or the id) and made unique.

    >>> import_entries([{"id": "chatcmpl-1", "metadata": {"slug": "Hi there"}}], "slug")
    [{'type': 'chatcomp:index:ChatCompletion', 'name': 'Hi-there', 'id': 'chatcmpl-1'}]
    """
    names = UniqueNames()
    entries = []
    for completion in completions:
        wanted = (completion.get("metadata") or {}).get(name_key) if name_key else None
        name = names(wanted or completion["id"])
        entries.append({"type": PLUGIN_TYPE_TOKEN, "name": name, "id": completion["id"]})
    return entries


class UniqueNames:
    """Valid, unique resource names, one per call: characters no language's code takes
    become ``-``, a name starts with a letter, and a name already given gets ``-2``, ``-3``.

    >>> names = UniqueNames()
    >>> names("FAQ #1"), names("FAQ #1"), names("42")
    ('FAQ-1', 'FAQ-1-2', 'c-42')
    """

    def __init__(self) -> None:
        self._given: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _INVALID.sub("-", wanted).strip("-_")[:_MAX_NAME] or "completion"
        if not base[0].isalpha():
            base = f"c-{base}"
        name, count = base, 1
        while name in self._given:
            count += 1
            name = f"{base}-{count}"
        self._given.add(name)
        return name
