"""The ``chatcomp`` parser, its subcommands, and how a run ends.

A subcommand module registers a parser whose ``run`` default takes the parsed arguments and
returns an exit status. Everything a user can get wrong ends here as one line on stderr,
``chatcomp <command>: <what and why>``, never a traceback and never the API key: a bad flag
or argument (exit 2, argparse's usage status, also when the run finds it) and a failed run
(exit 1) alike, with the settings named by their flags::

    $ chatcomp recover --stack dev --cwd /tmp
    chatcomp recover: --cwd '/tmp' holds no Pulumi.yaml
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from pulumi_chatcomp import __version__
from pulumi_chatcomp._exceptions import ChatCompError, InvalidArgumentError
from pulumi_chatcomp.cli import _export, _import_file, _recover, _report, _serve
from pulumi_chatcomp.cli._settings import FLAGS

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_USAGE", "build_parser", "main"]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# Each subcommand's module; ``register`` adds its parser. ``serve`` is the local server's own
# command line (``chatcomp-server``), passed through.
_COMMANDS: Sequence[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = (
    _serve.register,
    _export.register,
    _import_file.register,
    _report.register,
    _recover.register,
)


class _Parser(argparse.ArgumentParser):
    # Subcommands' parsers are made of the same class (argparse's default parser_class).

    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage first; one line that names the flag reads better
        # in a script's log, and --help has the rest.
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``chatcomp`` parser with every subcommand."""
    # Declared as the base class, so the subparsers' action has the type the commands'
    # register() take; argparse makes the subcommands' parsers _Parser all the same.
    parser: argparse.ArgumentParser = _Parser(
        prog="chatcomp",
        description="Stored OpenAI chat completions from the shell: a local server, and more.",
        epilog="Run 'chatcomp COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"chatcomp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _COMMANDS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``chatcomp`` with ``argv`` (default: the process's); returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        # The server parses its own flags (``chatcomp serve --help`` is the server's help).
        return _serve.serve(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except ChatCompError as error:
        print(f"chatcomp {args.command}: {error.render(FLAGS)}", file=sys.stderr)
        # A bad argument is a usage mistake, whether argparse or the run found it.
        return EXIT_USAGE if isinstance(error, InvalidArgumentError) else EXIT_FAILED
    except KeyboardInterrupt:
        print(f"chatcomp {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
