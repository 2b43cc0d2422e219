"""Settings for data sources: the stack config of the running program, then ``OPENAI_*`` env."""

from __future__ import annotations

import os

import pulumi.runtime

from pulumi_chatcomp._config import CONFIG_KEYS, Settings
from pulumi_chatcomp.client._client import ChatCompletionsClient, get_client

__all__ = ["program_client", "program_config"]


def program_config() -> dict[str, str]:
    """The ``chatcomp:*`` values of the running program; empty outside a Pulumi program.

    Read through ``pulumi.runtime.get_config`` so that a secret (``chatcomp:apiKey``) arrives
    as the plain string the engine handed the program: no ``Output`` to unwrap, no warning
    that could print it.
    """
    found = {key.name: pulumi.runtime.get_config(key.key) for key in CONFIG_KEYS}
    return {name: value for name, value in found.items() if value is not None}


def program_client() -> ChatCompletionsClient:
    """The shared client (same retries, errors and pool as the provider's) for these settings."""
    return get_client(Settings.resolve(program_config(), os.environ))
