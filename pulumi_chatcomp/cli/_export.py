"""``chatcomp export``: stored completions as JSON Lines, a training set or the raw objects.

The completions ``--model``, ``--metadata`` (repeated: every pair must match), ``--set-tag``
(a ChatCompletionSet's items), ``--order`` and ``--limit`` select are written one per line to
``--output`` (default stdout); ``--stack S --set NAME`` selects the items of a stack's set by
its name, with the settings of the provider it uses (the set's tag is read from the stack's
state):

- ``--format finetune`` (the default): one training example per completion in OpenAI's chat
  fine-tuning format, built and checked by ``core._datasets`` (input messages from each
  completion's messages list, then the first choice's answer; ``tools`` when the request had
  them). A completion that makes no valid example is skipped, with one line on stderr naming
  it and the field; the export still succeeds, because a dataset of the valid examples is what
  was asked for and the lines say what was left out. ``--strict`` makes any skip fail the run
  (exit 1), for pipelines that must not lose an example.
- ``--format raw``: each completion as the API returned it.

Completions are read page by page and each line is written as it is made, so memory stays
flat however many there are. On a terminal a progress bar (tqdm) runs on stderr; otherwise
stderr gets only the skipped lines and one summary line. ``--output FILE`` is written whole
or not at all: the lines go to a temporary file beside it, renamed over FILE when the export
succeeds.

    chatcomp export --metadata dataset=faq --output faq.jsonl
    chatcomp export --stack dev --set evals --output evals.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pulumi_chatcomp._exceptions import ChatCompError, InvalidArgumentError
from pulumi_chatcomp.cli._selection import add_selection_flags, query_of
from pulumi_chatcomp.cli._sets import SetSelection, filters, stack_set
from pulumi_chatcomp.cli._settings import add_settings_flags, settings_of
from pulumi_chatcomp.core._reads import CompletionsQuery

if TYPE_CHECKING:
    from pulumi_chatcomp._config import Settings
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.core._datasets import SkippedExample

__all__ = ["FORMATS", "Tally", "register", "run", "write_json_lines"]

FORMATS = ("finetune", "raw")
"""The ``--format`` choices; the first is the default."""

EXAMPLE = """\
examples:
  chatcomp export --metadata dataset=faq --output faq.jsonl
  chatcomp export --stack dev --set evals --output evals.jsonl   # a set's items
  chatcomp export --format raw --model gpt-4o-mini --order desc --limit 500 > recent.jsonl

A finetune line: {"messages": [{"role": "user", "content": "Hi"},
                               {"role": "assistant", "content": "Hello!"}]}
"""

# Completions whose messages are read at the same time in finetune format (one request
# each; the reads run ahead of the writing by at most twice this many completions). The
# local server answers a read in a few milliseconds, where this gains little; the real API
# takes a hundred or more, so one read at a time would make the export latency-bound.
_MESSAGE_WORKERS = 4

# One encoder for every line: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` to the ``chatcomp`` parser (``_app`` calls it for every command).

    >>> parser = argparse.ArgumentParser(prog="chatcomp")
    >>> register(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["export", "--metadata", "dataset=faq", "--limit", "5"]).metadata
    {'dataset': 'faq'}
    """
    parser = commands.add_parser(
        "export",
        help="write stored completions as JSON Lines (a fine-tuning dataset, or raw)",
        description=(
            "Write the stored completions the filters select as JSON Lines: a training\n"
            "example per completion in OpenAI's chat fine-tuning format, or each completion\n"
            "as the API returns it. A completion that makes no valid example is skipped with\n"
            "a line on stderr (--strict: the export fails instead)."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_selection_flags(parser)
    stack = parser.add_argument_group(
        "a stack's set", "the items of a ChatCompletionSet of a stack, by its name"
    )
    stack.add_argument("--stack", help="the stack (with --set)")
    stack.add_argument("--set", metavar="NAME", help="the set's name (or URN) in the stack")
    stack.add_argument(
        "--cwd", type=Path, default=Path(), help="the project's folder (default: this one)"
    )
    written = parser.add_argument_group("what is written")
    written.add_argument(
        "--format",
        choices=FORMATS,
        default=FORMATS[0],
        help="finetune: one training example per completion (default); raw: the completions "
        "as the API returns them",
    )
    written.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default="-",
        help="where to write (default: stdout); FILE is replaced only when the export succeeds",
    )
    written.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) if any completion makes no valid example, instead of skipping it",
    )
    add_settings_flags(parser)
    parser.set_defaults(run=lambda args: run(args, parser))


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Export what ``args`` select; returns the exit status (``parser`` reports bad flags).

    Example::

        main(["export", "--format", "raw", "--limit", "10"])  # runs this with the parsed flags
    """
    query = query_of(args, parser)
    selection: SetSelection | None = None
    if args.stack is None and args.set is None:
        settings = settings_of(args)
    elif args.stack is None or args.set is None:
        parser.error("argument --set: a set is named with --stack STACK --set NAME, both")
    elif query.set_tag is not None:
        parser.error("argument --set-tag: not with --set, which reads the set's tag")
    else:
        selection, settings = stack_set(args, query)
    where = "stdout" if args.output == "-" else args.output
    try:
        tally = _export(args, query, settings, selection)
    except _StdoutClosed:
        # Whoever reads the lines stopped reading: not worth a message, but not a success.
        return 1
    things = "examples" if args.format == "finetune" else "completions"
    summary = f"chatcomp export: wrote {tally.written} {things} to {where}"
    if args.format == "finetune":
        summary += f" ({tally.skipped} skipped)" if tally.skipped else " (none skipped)"
    print(summary, file=sys.stderr)
    return 0


def _export(
    args: argparse.Namespace,
    query: CompletionsQuery,
    settings: Settings,
    selection: SetSelection | None,
) -> Tally:
    # Loaded here: `chatcomp --help` and the other commands need neither.
    from tqdm import tqdm

    from pulumi_chatcomp.client import ChatCompletionsClient

    with (
        _output(args.output) as out,
        ChatCompletionsClient(settings) as client,
        tqdm(
            total=query.limit,
            unit=" completions",
            desc="chatcomp export",
            file=sys.stderr,
            # Completely quiet unless a person is watching.
            disable=not _is_terminal(sys.stderr),
            dynamic_ncols=True,
        ) as bar,
    ):

        def skip(skipped: SkippedExample) -> None:
            bar.write(f"chatcomp export: skipped {skipped}", file=sys.stderr)

        def missing(ids: list[str]) -> None:
            name = selection.name if selection is not None else "the set"
            some = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            bar.write(
                f"chatcomp export: {len(ids)} completion{'s' if len(ids) != 1 else ''} of "
                f"{name} not found ({some}): deleted, or their metadata replaced, "
                "since the stack's last refresh; pulumi refresh says which",
                file=sys.stderr,
            )

        records = _records(client, query, args.format, selection, missing)
        tally = write_json_lines(records, out, on_skip=skip, on_line=bar.update)
        if args.strict and tally.skipped:
            # Raised inside the output's block, so FILE is not replaced: a failed export
            # leaves no dataset behind.
            kept = "" if args.output == "-" else f"; {args.output} was not written"
            raise ChatCompError(
                f"{tally.skipped} of {tally.total} completions made no valid example (listed "
                f"above) and --strict is given{kept}."
            )
    return tally


@dataclass
class Tally:
    """How many lines were written and how many completions were skipped.

    >>> Tally(written=9, skipped=1).total
    10
    """

    written: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        """Every completion seen."""
        return self.written + self.skipped


def write_json_lines(
    records: Iterable[Mapping[str, Any] | SkippedExample],
    out: BinaryIO,
    *,
    on_skip: Callable[[SkippedExample], object] = lambda skipped: None,
    on_line: Callable[[], object] = lambda: None,
) -> Tally:
    """Write each record as one line of UTF-8 JSON as soon as it arrives (nothing is kept),
    passing the ``SkippedExample`` ones to ``on_skip``; ``on_line`` is called per record.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_json_lines(iter([{"id": "chatcmpl-1", "content": "Grüße"}]), out)
    Tally(written=1, skipped=0)
    >>> out.getvalue().decode()
    '{"id": "chatcmpl-1", "content": "Grüße"}\\n'
    """
    tally = Tally()
    for record in records:
        if isinstance(record, Mapping):
            out.write(_line(record))
            tally.written += 1
        else:
            on_skip(record)
            tally.skipped += 1
        on_line()
    return tally


def _records(
    client: ChatCompletionsClient,
    query: CompletionsQuery,
    kind: str,
    selection: SetSelection | None,
    on_missing: Callable[[list[str]], object],
) -> Iterator[Mapping[str, Any] | SkippedExample]:
    if kind == "raw":
        if selection is None:
            return iter(client.list_raw(**filters(query)))
        return selection.listed(
            lambda q: client.list_raw(**filters(q)),
            lambda c: str(c["id"]),
            lambda c: int(c.get("created") or 0),
            on_missing=on_missing,
        )
    from pulumi_chatcomp.core._datasets import finetune_examples

    if selection is None:
        completions = client.list(**filters(query))
    else:
        completions = selection.listed(
            lambda q: client.list(**filters(q)),
            lambda c: c.id,
            lambda c: c.created,
            on_missing=on_missing,
        )
    return finetune_examples(client, completions, workers=_MESSAGE_WORKERS)


def _line(record: Mapping[str, Any]) -> bytes:
    text = _ENCODER.encode(record)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A lone surrogate (JSON allows "\ud800") has no UTF-8 form: keep it escaped.
        return json.dumps(record).encode("ascii") + b"\n"


@contextlib.contextmanager
def _output(path: str) -> Iterator[BinaryIO]:
    if path == "-":
        try:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader went away (`| head`). Any later flush of stdout, the interpreter's
            # own at exit included, would fail again and print a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise _StdoutClosed from None
        return
    target = Path(path)
    with contextlib.suppress(OSError):
        if not stat.S_ISREG(target.stat().st_mode) and not target.is_dir():
            # A device or a pipe (/dev/stdout, a FIFO): write to it as it is.
            with _appended(target) as device:
                yield device
            return
    if target.is_dir():
        raise InvalidArgumentError("--output", f"{path} is a directory; name a file in it")
    try:
        descriptor, partial = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
    except OSError as error:
        raise InvalidArgumentError(
            "--output", f"{path} cannot be written: {_reason(error)}"
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        # mkstemp's file is private (0600); the dataset gets the mode a new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


@contextlib.contextmanager
def _appended(target: Path) -> Iterator[BinaryIO]:
    try:
        handle = target.open("ab")
    except OSError as error:
        raise InvalidArgumentError(
            "--output", f"{target} cannot be written: {_reason(error)}"
        ) from None
    with handle:
        yield handle


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


class _StdoutClosed(Exception):
    """The pipe stdout writes to was closed by its reader."""


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
