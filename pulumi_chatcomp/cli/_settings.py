"""The provider's settings on the command line: one flag per ``chatcomp:*`` key.

Flags are the stack config keys in kebab case (``chatcomp:baseUrl`` is ``--base-url``) and
take the place of stack config; the environment variables are the provider's. The API key
has no flag, so it never shows in a process list or a shell history: it comes from
``OPENAI_API_KEY``, or from a stack's ``chatcomp:apiKey`` for the commands that read a stack.
The key-pairing rule is the provider's: the exported ``OPENAI_API_KEY`` goes to
``OPENAI_BASE_URL`` or the official API, and to a ``--base-url`` only with
``--use-env-api-key``.

>>> flag_of("maxRetries")
'--max-retries'
>>> in_flag_terms("Check chatcomp:baseUrl (or OPENAI_BASE_URL) and the network.")
'Check --base-url (or OPENAI_BASE_URL) and the network.'
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from typing import Any

from pulumi_chatcomp._config import CONFIG_KEYS, ConfigKey, Settings
from pulumi_chatcomp._exceptions import ConfigurationError, InvalidArgumentError

__all__ = ["add_settings_flags", "flag_of", "in_flag_terms", "settings_of"]

# Not a flag: the key (see above), and how many calls a provider serves at once.
_NO_FLAG = frozenset({"apiKey", "maxConcurrency"})
_FLAGGED = tuple(key for key in CONFIG_KEYS if key.name not in _NO_FLAG)
_FLAG_NAMES = frozenset(key.name for key in _FLAGGED)

# The package's errors give advice in stack config terms (they are mostly read by `pulumi up`
# users). On the command line the key comes only from OPENAI_API_KEY, so the advice about
# setting chatcomp:apiKey goes; the other keys become their flags.
_KEY_ADVICE = "chatcomp:apiKey (pulumi config set --secret chatcomp:apiKey ...)"
_PHRASES = (
    (f"set {_KEY_ADVICE}. ", ""),
    (f"{_KEY_ADVICE} or OPENAI_API_KEY", "OPENAI_API_KEY"),
    (_KEY_ADVICE, "OPENAI_API_KEY"),
    ("chatcomp:useEnvApiKey is true", "--use-env-api-key is given"),
)
_CONFIG_KEY = re.compile(r"\bchatcomp:([A-Za-z]+)\b")


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
    setting when a value is unusable (``in_flag_terms`` says it as a flag)."""
    given = {key.name: getattr(args, _dest(key)) for key in _FLAGGED}
    flagged = {name: value for name, value in given.items() if value is not None}
    try:
        return Settings.resolve({**(config or {}), **flagged}, os.environ)
    except ConfigurationError as error:
        name = (error.key or "").removeprefix("chatcomp:")
        if name not in flagged:
            raise  # the stack's config or the environment: not how the command was called
        # A flag's value is a usage mistake: it says so as argparse's own errors do.
        flag = flag_of(name)
        raise InvalidArgumentError(
            flag, in_flag_terms(str(error)).removeprefix(f"{flag} ")
        ) from None


def in_flag_terms(text: str) -> str:
    """An error message with the settings it names as the command line sets them: each
    ``chatcomp:*`` key as its flag, the API key as ``OPENAI_API_KEY``.

    >>> in_flag_terms("Raise chatcomp:timeout or try again later.")
    'Raise --timeout or try again later.'
    """
    for phrase, replacement in _PHRASES:
        text = text.replace(phrase, replacement)

    def flag(match: re.Match[str]) -> str:
        name = match[1]
        if name in _FLAG_NAMES:
            return flag_of(name)
        return "OPENAI_API_KEY" if name == "apiKey" else match[0]

    return _CONFIG_KEY.sub(flag, text)


def _dest(key: ConfigKey) -> str:
    return "setting_" + key.name


def _metavar(key: ConfigKey) -> str:
    return {"number": "SECONDS", "integer": "N", "boolean": "true|false"}.get(key.kind, "TEXT")
