"""``chatcomp``: the command line for what teams do with stored completions.

Each subcommand is a module with ``register(subparsers)``; ``_app`` assembles them, turns this
package's errors into one line on stderr and picks the exit status (0 done, 1 failed, 2 bad
arguments, 130 interrupted). ``_settings`` reads the provider's settings from flags and the
environment, with the provider's key-pairing rule, and has the terms (``FLAGS``) errors are
printed in: the settings they name, as flags.

    chatcomp serve --port 8000 --db completions.db
    chatcomp export --metadata dataset=faq --output faq.jsonl
    chatcomp --help
"""

from __future__ import annotations

from pulumi_chatcomp.cli._app import main

__all__ = ["main"]
