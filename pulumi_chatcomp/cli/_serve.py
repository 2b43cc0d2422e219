"""``chatcomp serve``: the local OpenAI-compatible server (the same as ``chatcomp-server``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["register", "serve"]

EXAMPLE = "example: chatcomp serve --port 8000 --db completions.db --latency 0.2"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` to the ``chatcomp`` parser (its flags are the server's own)."""
    commands.add_parser(
        "serve",
        help="run the local OpenAI-compatible server (chatcomp serve --help for its flags)",
        add_help=False,
    )


def serve(argv: Sequence[str]) -> int:
    """Run the server with ``argv`` until it is stopped; returns the exit status."""
    # Imported here: the server's dependencies (starlette, uvicorn) are an extra, and the
    # other subcommands do not need them.
    try:
        from pulumi_chatcomp.server._cli import main as server_main
    except ImportError as error:
        print(
            f"chatcomp serve: the server needs the 'server' extra"
            f" (pip install 'pulumi-chatcomp[server]'): {error}",
            file=sys.stderr,
        )
        return 1
    try:
        server_main(argv, prog="chatcomp serve", epilog=EXAMPLE)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0
