"""Every ``chatcomp:*`` setting, declared once: ``CONFIG_KEYS``, and what they resolve to.

Each key has one declaration (``ConfigKey``): its stack config name, the environment variable
it falls back to, its type, default and meaning. Everything else reads the declarations:
``Settings.resolve`` (how to reach the API), ``max_concurrency`` (how many calls a provider
serves at once), the faces that pass stack config in, the plugin's schema and the README's
table (kept in step by a test).

Key-pairing rule: an API key is only sent to a base URL it was paired with.

- ``chatcomp:apiKey`` pairs with whatever base URL is resolved (config, env or default).
- The ambient ``OPENAI_API_KEY`` pairs only with ``OPENAI_BASE_URL`` or the official API
  (``https://api.openai.com/v1`` and its data-residency hosts, see ``is_official_api``). If
  ``chatcomp:baseUrl`` names another server and no ``chatcomp:apiKey`` is set, the env key
  is not used and requests go without ``Authorization``, so a stack config pointing at a
  third-party or local server cannot collect the key of whoever runs ``pulumi up``. Opt in
  with ``chatcomp:useEnvApiKey=true`` (or ``CHATCOMP_USE_ENV_API_KEY=true``).

For example, with ``OPENAI_API_KEY=sk-...`` in the shell::

    pulumi config set chatcomp:baseUrl http://127.0.0.1:8080/v1
    # -> no key is sent to 127.0.0.1:8080
    pulumi config set chatcomp:useEnvApiKey true
    # -> OPENAI_API_KEY is sent to 127.0.0.1:8080

The same, as ``Settings.resolve`` applies it:

>>> shell = {"OPENAI_API_KEY": "sk-from-the-shell-0123456789"}
>>> local = {"baseUrl": "http://127.0.0.1:8080/v1"}
>>> Settings.resolve(local, shell).api_key is None
True
>>> Settings.resolve({**local, "useEnvApiKey": "true"}, shell).api_key == shell["OPENAI_API_KEY"]
True
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

from pulumi_chatcomp._exceptions import ConfigurationError
from pulumi_chatcomp._redact import REDACTED, redact, remember

__all__ = [
    "CONFIG_KEYS",
    "DATA_RESIDENCY_REGIONS",
    "DEFAULT_BASE_URL",
    "NAMESPACE",
    "ConfigKey",
    "Settings",
    "is_official_api",
    "max_concurrency",
]

NAMESPACE: Final = "chatcomp"
"""The stack config namespace: ``chatcomp:baseUrl`` and friends."""

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
DATA_RESIDENCY_REGIONS: Final = frozenset(
    {"ae", "au", "ca", "eu", "gb", "in", "jp", "kr", "sg", "us"}
)
"""Regions OpenAI serves at ``https://<region>.api.openai.com/v1`` for projects with data
residency, as its data-residency guide lists them (openai-python's ``data_residency`` option
names a subset)."""
_DEFAULT_TIMEOUT: Final = 600.0  # the official SDK's
_DEFAULT_MAX_RETRIES: Final = 2  # the official SDK's
_DEFAULT_MAX_CONCURRENCY: Final = 64


@dataclass(frozen=True)
class ConfigKey:
    """One setting: its stack config name (without the namespace), the environment variable
    it falls back to, its type, its default and what it means."""

    name: str
    env: str
    kind: Literal["string", "number", "integer", "boolean"]
    default: str | float | int | bool | None
    description: str
    secret: bool = False

    @property
    def key(self) -> str:
        """The stack config key, e.g. ``chatcomp:baseUrl``."""
        return f"{NAMESPACE}:{self.name}"


API_KEY = ConfigKey("apiKey", "OPENAI_API_KEY", "string", None, "API key", secret=True)
BASE_URL = ConfigKey(
    "baseUrl",
    "OPENAI_BASE_URL",
    "string",
    DEFAULT_BASE_URL,
    "the API root; a data-residency host such as https://eu.api.openai.com/v1",
)
ORGANIZATION = ConfigKey(
    "organization", "OPENAI_ORG_ID", "string", None, "sent as the OpenAI-Organization header"
)
PROJECT = ConfigKey(
    "project", "OPENAI_PROJECT_ID", "string", None, "sent as the OpenAI-Project header"
)
TIMEOUT = ConfigKey(
    "timeout",
    "CHATCOMP_TIMEOUT",
    "number",
    _DEFAULT_TIMEOUT,
    "seconds to wait for an answer (the connection: at most 5)",
)
MAX_RETRIES = ConfigKey(
    "maxRetries",
    "CHATCOMP_MAX_RETRIES",
    "integer",
    _DEFAULT_MAX_RETRIES,
    "retries on 408, 409, 429, 5xx and connection errors",
)
MAX_CONCURRENCY = ConfigKey(
    "maxConcurrency",
    "CHATCOMP_MAX_CONCURRENCY",
    "integer",
    _DEFAULT_MAX_CONCURRENCY,
    "calls the provider serves at once",
)
USE_ENV_API_KEY = ConfigKey(
    "useEnvApiKey",
    "CHATCOMP_USE_ENV_API_KEY",
    "boolean",
    False,
    "send OPENAI_API_KEY to a base URL it was not paired with (see the key-pairing rule)",
)

CONFIG_KEYS: Final = (
    API_KEY,
    BASE_URL,
    ORGANIZATION,
    PROJECT,
    TIMEOUT,
    MAX_RETRIES,
    MAX_CONCURRENCY,
    USE_ENV_API_KEY,
)
"""Every ``chatcomp:*`` key, in the order the README lists them."""

_CONNECT_TIMEOUT = 5.0
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True)
class Settings:
    """How to reach the Chat Completions API: key, base URL, headers, timeout and retries.

    Build one with ``Settings.resolve(config, env)``: each value comes from the stack config
    or else from its environment variable (``CONFIG_KEYS``), or else its default.
    Constructing ``Settings(...)`` directly pairs the given key with the given URL.

    >>> Settings(api_key="sk-test-123456789", timeout=30)
    Settings(api_key='[REDACTED]', base_url='https://api.openai.com/v1', organization=None, \
project=None, timeout=30.0, connect_timeout=5.0, max_retries=2)
    """

    api_key: str | None = None
    """Sent as ``Authorization: Bearer ...``; None sends no Authorization header."""
    base_url: str = DEFAULT_BASE_URL
    """The API root, e.g. ``https://api.openai.com/v1`` (no trailing slash)."""
    organization: str | None = None
    """Sent as ``OpenAI-Organization`` when set."""
    project: str | None = None
    """Sent as ``OpenAI-Project`` when set."""
    timeout: float = _DEFAULT_TIMEOUT
    """Seconds to wait for a response (read, write and pool), like the official SDK's 600."""
    connect_timeout: float = _CONNECT_TIMEOUT
    """Seconds to wait for a connection; capped at ``timeout``."""
    max_retries: int = _DEFAULT_MAX_RETRIES
    """Retries after the first attempt (so 2 means up to 3 attempts)."""

    def __post_init__(self) -> None:
        if self.api_key is not None and not isinstance(self.api_key, str):
            raise ConfigurationError(key="Settings.api_key", problem="must be a string")
        remember(self.api_key)
        object.__setattr__(self, "base_url", _base_url(self.base_url, "Settings.base_url"))
        object.__setattr__(self, "timeout", _seconds(self.timeout, "Settings.timeout"))
        object.__setattr__(
            self, "connect_timeout", _seconds(self.connect_timeout, "Settings.connect_timeout")
        )
        object.__setattr__(self, "max_retries", _retries(self.max_retries, "Settings.max_retries"))

    def __repr__(self) -> str:
        key = None if self.api_key is None else REDACTED
        return (
            f"Settings(api_key={key!r}, base_url={redact(self.base_url)!r}, "
            f"organization={self.organization!r}, project={self.project!r}, "
            f"timeout={self.timeout!r}, connect_timeout={self.connect_timeout!r}, "
            f"max_retries={self.max_retries!r})"
        )

    @classmethod
    def resolve(
        cls,
        config: Mapping[str, object] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Resolve settings from stack config values, then environment variables.

        ``config`` holds stack config values by key name (``baseUrl``; ``chatcomp:baseUrl``
        is accepted too). ``env`` defaults to ``os.environ``. Raises ``ConfigurationError``
        naming the setting when a value is unusable.

        >>> Settings.resolve({"timeout": "30"}, env={}).timeout
        30.0
        """
        values = _strip_namespace(config or {})
        environ: Mapping[str, str] = os.environ if env is None else env
        config_key = _text(values.get(API_KEY.name))
        env_key = _text(environ.get(API_KEY.env))
        remember(config_key, env_key)

        config_url = _text(values.get(BASE_URL.name))
        env_url = _text(environ.get(BASE_URL.env))
        if config_url is not None:
            base_url = _base_url(config_url, BASE_URL.key)
        elif env_url is not None:
            base_url = _base_url(env_url, BASE_URL.env)
        else:
            base_url = DEFAULT_BASE_URL

        # Checked even when no env key is set: a typo should not wait for a key to show up.
        env_key_paired = _env_key_paired(base_url, env_url, values, environ)
        if config_key is not None:
            api_key: str | None = config_key
        elif env_key is not None and env_key_paired:
            api_key = env_key
        else:
            api_key = None

        timeout, timeout_name = _pick(values, environ, TIMEOUT)
        retries, retries_name = _pick(values, environ, MAX_RETRIES)
        return cls(
            api_key=api_key,
            base_url=base_url,
            organization=_pick_text(values, environ, ORGANIZATION),
            project=_pick_text(values, environ, PROJECT),
            timeout=_DEFAULT_TIMEOUT if timeout is None else _seconds(timeout, timeout_name),
            max_retries=(
                _DEFAULT_MAX_RETRIES if retries is None else _retries(retries, retries_name)
            ),
        )


def max_concurrency(
    config: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None
) -> int:
    """How many calls a provider serves at once (``chatcomp:maxConcurrency``).

    >>> max_concurrency({"maxConcurrency": "8"}, env={})
    8
    """
    values = _strip_namespace(config or {})
    environ: Mapping[str, str] = os.environ if env is None else env
    raw, name = _pick(values, environ, MAX_CONCURRENCY)
    if raw is None:
        return _DEFAULT_MAX_CONCURRENCY
    try:
        value = int(str(raw))
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(
            key=name, problem=f"must be a positive whole number of calls, got {raw!r}"
        )
    return value


def is_official_api(base_url: str) -> bool:
    """Whether ``base_url`` is OpenAI's own API: the global host or a data-residency one.

    Only the exact hosts count, over https on the default port, at ``/v1``: a look-alike
    host receives no key it was not paired with.

    >>> is_official_api("https://eu.api.openai.com/v1")
    True
    >>> is_official_api("https://eu.api.openai.com.example.net/v1")
    False
    """
    parts = urlsplit(base_url.strip())
    try:
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    region, _, rest = host.partition(".")
    official_host = host == "api.openai.com" or (
        rest == "api.openai.com" and region in DATA_RESIDENCY_REGIONS
    )
    return (
        official_host
        and parts.scheme == "https"
        and port in (None, 443)
        and parts.username is None
        and parts.password is None
        and parts.path.rstrip("/") == "/v1"
        and not parts.query
        and not parts.fragment
    )


def _env_key_paired(
    base_url: str,
    env_url: str | None,
    values: Mapping[str, object],
    environ: Mapping[str, str],
) -> bool:
    opt_in = values.get(USE_ENV_API_KEY.name)
    if opt_in is not None and _text(opt_in) is not None:
        if _flag(opt_in, USE_ENV_API_KEY.key):
            return True
    elif _flag(environ.get(USE_ENV_API_KEY.env, ""), USE_ENV_API_KEY.env):
        return True
    if is_official_api(base_url):
        return True
    return env_url is not None and base_url == _base_url(env_url, BASE_URL.env)


def _strip_namespace(config: Mapping[str, object]) -> dict[str, object]:
    return {key.removeprefix(f"{NAMESPACE}:"): value for key, value in config.items()}


def _text(value: object) -> str | None:
    """A config or env value as text; empty means unset (e.g. ``OPENAI_API_KEY=``)."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else str(value)
    return text or None


def _pick(
    values: Mapping[str, object], environ: Mapping[str, str], key: ConfigKey
) -> tuple[object | None, str]:
    value = values.get(key.name)
    if value is not None and _text(value) is not None:
        return value, key.key
    return _text(environ.get(key.env)), key.env


def _pick_text(
    values: Mapping[str, object], environ: Mapping[str, str], key: ConfigKey
) -> str | None:
    return _text(values.get(key.name)) or _text(environ.get(key.env))


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigurationError(key=name, problem=f"must be true or false, got {str(value)!r}")


def _seconds(value: object, name: str) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        seconds = float(value) if isinstance(value, int | float | str) else math.nan
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ConfigurationError(
            key=name, problem=f"must be a positive number of seconds, got {_shown(value)}"
        )
    return seconds


def _retries(value: object, name: str) -> int:
    retries: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        retries = value
    elif isinstance(value, str) and value.strip().isdigit():
        retries = int(value.strip())
    if retries is None or retries < 0:
        raise ConfigurationError(
            key=name, problem=f"must be a whole number of retries, 0 or more, got {_shown(value)}"
        )
    return retries


def _base_url(value: object, name: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(char.isspace() for char in text)
    ):
        raise ConfigurationError(
            key=name,
            problem=f"must be an http(s) URL such as {DEFAULT_BASE_URL}, got {_shown(value)}",
        )
    return text.rstrip("/")


def _shown(value: object) -> str:
    return redact(repr(value) if isinstance(value, str) else repr(str(value)))
