"""The provider's settings on the command line: one flag per ``chatcomp:*`` key.

Flags are the stack config keys in kebab case (``chatcomp:baseUrl`` is ``--base-url``) and
take the place of stack config; the environment variables are the provider's. The API key
has no flag, so it never shows in a process list or a shell history: it comes from
``OPENAI_API_KEY``, or from a stack's ``chatcomp:apiKey`` for the commands that read a stack.
The key-pairing rule is the provider's: the exported ``OPENAI_API_KEY`` goes to
``OPENAI_BASE_URL`` or the official API, and to a ``--base-url`` only with
``--use-env-api-key``.

Errors keep the settings their advice names as fields; ``FLAGS`` words them as the command
line sets them:

>>> flag_of("maxRetries")
'--max-retries'
>>> from pulumi_chatcomp._exceptions import AuthenticationError
>>> print(AuthenticationError.hint.text(FLAGS))
Check OPENAI_API_KEY
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp._config import CONFIG_KEYS, ConfigKey, Settings
from pulumi_chatcomp._exceptions import ConfigurationError, InvalidArgumentError, Terms

__all__ = ["FLAGS", "FlagTerms", "add_settings_flags", "flag_of", "settings_of"]

# Not a flag: the key (see above), and how many calls a provider serves at once.
_NO_FLAG = frozenset({"apiKey", "maxConcurrency"})
_FLAGGED = tuple(key for key in CONFIG_KEYS if key.name not in _NO_FLAG)
_FLAGGED_BY_KEY = {key.key: key for key in _FLAGGED}


def flag_of(name: str) -> str:
    """The command-line flag of a setting's stack config name."""
    return "--" + re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """Add the settings' flags to a subcommand's parser, in a group of their own."""
    group = parser.add_argument_group(
        "settings", "as the provider's chatcomp:* settings; the API key is OPENAI_API_KEY"
    )
    for key in _FLAGGED:
        help_text = f"{key.description} (else ${key.env})"
        if key.kind == "boolean":
            group.add_argument(
                flag_of(key.name),
                dest=_dest(key),
                action="store_const",
                const="true",
                help=help_text,
            )
        else:
            group.add_argument(
                flag_of(key.name), dest=_dest(key), metavar=_metavar(key), help=help_text
            )


def settings_of(args: argparse.Namespace, config: Mapping[str, Any] | None = None) -> Settings:
    """The settings for a run: ``config`` (a stack's ``chatcomp:*`` values, if any) overlaid
    by the flags given, then the environment. Raises ``ConfigurationError`` naming the
    setting when a value is unusable, or ``InvalidArgumentError`` naming the flag when the
    value is a flag's."""
    given = {key.name: getattr(args, _dest(key)) for key in _FLAGGED}
    flagged = {name: value for name, value in given.items() if value is not None}
    try:
        return Settings.resolve({**(config or {}), **flagged}, os.environ)
    except ConfigurationError as error:
        key = _FLAGGED_BY_KEY.get(error.key or "")
        if key is None or key.name not in flagged or error.problem is None:
            raise  # the stack's config or the environment: not how the command was called
        # A flag's value is a usage mistake: it says so as argparse's own errors do.
        raise InvalidArgumentError(flag_of(key.name), error.problem) from None


class FlagTerms(Terms):
    """Errors in the command line's terms: each setting with a flag as its flag, the API key
    only from ``OPENAI_API_KEY``, and the arguments in ``arguments`` (a command's own
    flags, by the argument's name) as their flags.

    >>> terms = FlagTerms({"set_tag": "--set-tag"})
    >>> terms.setting("timeout"), terms.switched_on("useEnvApiKey"), terms.given_as("set_tag")
    ('--timeout', '--use-env-api-key is given', 'with --set-tag')
    """

    def __init__(self, arguments: Mapping[str, str] | None = None) -> None:
        self.arguments = dict(arguments or {})

    def setting(self, name: str) -> str:
        return flag_of(name) if name in _FLAG_NAMES else super().setting(name)

    def switched_on(self, name: str) -> str:
        if name in _FLAG_NAMES:
            return f"{flag_of(name)} is given"
        return super().switched_on(name)

    def set_key(self) -> str | None:
        return None

    def given_as(self, argument: str) -> str:
        flag = self.arguments.get(argument)
        return f"with {flag}" if flag else super().given_as(argument)


_FLAG_NAMES = frozenset(key.name for key in _FLAGGED)

FLAGS = FlagTerms()
"""The terms of every error a command prints."""


def _dest(key: ConfigKey) -> str:
    return "setting_" + key.name


def _metavar(key: ConfigKey) -> str:
    return {"number": "SECONDS", "integer": "N", "boolean": "true|false"}.get(key.kind, "TEXT")
