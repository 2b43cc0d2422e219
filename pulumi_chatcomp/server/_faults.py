"""Fault injection: latency, error statuses, lost responses and malformed bodies.

Set at start by CLI flags and at run time by ``POST /_admin/faults``. With a ``seed`` the
sequence of faults for a given sequence of requests is the same on every run.

Keys (all optional in an update; omitted keys keep their value):

- ``latency``: seconds added to every ``/v1`` request.
- ``rate_429``, ``rate_500``, ``rate_503``: probability (0..1) of answering with that status
  before the request is handled (nothing is stored). 429 and 503 carry ``Retry-After``
  (whole seconds, at least 1) and ``retry-after-ms``.
- ``retry_after``: seconds advertised by those headers (default 1).
- ``fail_next``: list of statuses answered, in order, to the next requests (e.g. ``[429, 500]``).
- ``drop_after_commit``: a float in 0..1 is a probability, an integer is a count of the next
  writes (create, update, delete) whose change is committed and whose connection is then
  closed without a complete response.
- ``malformed``: a probability, or a mode (``"html"``, ``"truncated"``, ``"wrong_types"``,
  ``"empty"``) applied to every successful JSON answer; ``malformed_mode`` picks the mode used
  with a probability (default ``"truncated"``).
- ``structured_next``: list of modes (``"not_json"``, ``"schema_mismatch"``, ``"cut_off"``,
  ``"refusal"``) applied, in order, to the next creates whose ``response_format`` asks for
  JSON (``json_schema`` or ``json_object``; other creates leave the list alone). Each
  answers as a model can go wrong, and that answer is the one stored: ``not_json`` wraps
  the JSON in a Markdown fence; ``schema_mismatch`` gives the first property of the object
  a value of another JSON type (for ``json_object``, answers an array instead of an
  object); ``cut_off`` keeps the first half of the tokens with ``finish_reason``
  ``"length"``; ``refusal`` answers no content and a ``refusal``.
- ``outage``: list of endpoints, keyed as the counters key them (``"GET
  /v1/chat/completions"``: the list), answered 503 with ``Retry-After`` whatever else is set,
  as when one part of an API is down (say, the list that finds a lost create again).
- ``seed``: integer seed for the dice (``null`` for fresh randomness).
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

MALFORMED_MODES = ("html", "truncated", "wrong_types", "empty")
STRUCTURED_MODES = ("not_json", "schema_mismatch", "cut_off", "refusal")
FAULT_STATUSES = (429, 500, 503)


class FaultConfigError(ValueError):
    """A fault setting is invalid; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class FaultConfig:
    """Current fault settings (see the module docstring for each key).

    >>> FaultConfig().updated({"rate_429": 0.5}).rate_429
    0.5
    """

    latency: float = 0.0
    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_503: float = 0.0
    retry_after: float = 1.0
    fail_next: list[int] = field(default_factory=list)
    drop_after_commit: float = 0.0
    drop_after_commit_next: int = 0
    malformed: float = 0.0
    malformed_mode: str = "truncated"
    structured_next: list[str] = field(default_factory=list)
    outage: list[str] = field(default_factory=list)
    seed: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: dict[str, Any]) -> FaultConfig:
        values: dict[str, Any] = {}
        for key, value in changes.items():
            values.update(_parse(key, value))
        return replace(self, **values)


def _parse(key: str, value: Any) -> dict[str, Any]:
    if key in ("latency", "retry_after"):
        return {key: _number(key, value, upper=None)}
    if key in ("rate_429", "rate_500", "rate_503"):
        return {key: _number(key, value, upper=1.0)}
    if key == "fail_next":
        if not isinstance(value, list) or not all(
            isinstance(s, int) and not isinstance(s, bool) and 400 <= s <= 599 for s in value
        ):
            raise FaultConfigError(key, "'fail_next' must be a list of HTTP statuses 400..599.")
        return {key: list(value)}
    if key == "drop_after_commit":
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                raise FaultConfigError(key, "'drop_after_commit' count must be >= 0.")
            return {"drop_after_commit_next": value, "drop_after_commit": 0.0}
        return {key: _number(key, value, upper=1.0)}
    if key == "drop_after_commit_next":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FaultConfigError(key, "'drop_after_commit_next' must be an integer >= 0.")
        return {key: value}
    if key in ("malformed", "malformed_mode"):
        if isinstance(value, str):
            if value not in MALFORMED_MODES:
                modes = ", ".join(MALFORMED_MODES)
                raise FaultConfigError(key, f"'{key}' must be one of {modes}, or a probability.")
            return {"malformed_mode": value} | ({"malformed": 1.0} if key == "malformed" else {})
        if key == "malformed":
            return {key: _number(key, value, upper=1.0)}
        raise FaultConfigError(key, "'malformed_mode' must be a mode name.")
    if key == "structured_next":
        if not isinstance(value, list) or not all(m in STRUCTURED_MODES for m in value):
            modes = ", ".join(STRUCTURED_MODES)
            raise FaultConfigError(key, f"'structured_next' must be a list of modes: {modes}.")
        return {key: list(value)}
    if key == "outage":
        if not isinstance(value, list) or not all(_is_endpoint(e) for e in value):
            raise FaultConfigError(
                key, "'outage' must be a list of endpoints such as 'GET /v1/chat/completions'."
            )
        return {key: list(value)}
    if key == "seed":
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise FaultConfigError(key, "'seed' must be an integer or null.")
        return {key: value}
    raise FaultConfigError(key, f"Unknown fault setting '{key}'.")


def _is_endpoint(value: Any) -> bool:
    method, _, path = value.partition(" ") if isinstance(value, str) else ("", "", "")
    return method.isupper() and path.startswith("/v1/")


def _number(key: str, value: Any, *, upper: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FaultConfigError(key, f"'{key}' must be a number.")
    if value < 0 or (upper is not None and value > upper):
        bound = f"between 0 and {upper:g}" if upper is not None else ">= 0"
        raise FaultConfigError(key, f"'{key}' must be {bound}, got {value}.")
    return float(value)


@dataclass(frozen=True)
class Decision:
    """What to do to one ``/v1`` request."""

    latency: float = 0.0
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    malformed: str | None = None


class FaultInjector:
    """Thread-safe holder of the fault settings that rolls the dice per request."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._rng = random.Random(self._config.seed)

    @property
    def config(self) -> FaultConfig:
        return self._config

    def update(self, changes: dict[str, Any]) -> FaultConfig:
        new = self._config.updated(changes)
        with self._lock:
            self._config = new
            if "seed" in changes:
                self._rng = random.Random(new.seed)
        return new

    def reset(self) -> FaultConfig:
        with self._lock:
            self._config = FaultConfig()
            self._rng = random.Random()
        return self._config

    def next_structured(self) -> str | None:
        """The next ``structured_next`` mode, taken off the list; None when it is empty.

        The backend asks only for creates that want JSON, so other requests keep the list.
        """
        with self._lock:
            modes = self._config.structured_next
            if not modes:
                return None
            self._config = replace(self._config, structured_next=modes[1:])
            return modes[0]

    def decide(self, *, is_write: bool, endpoint: str = "") -> Decision:
        """What to do to a request; ``endpoint`` is its counter key (for ``outage``)."""
        with self._lock:
            config = self._config
            status: int | None = None
            if endpoint in config.outage:
                status = 503
            elif config.fail_next:
                status = config.fail_next[0]
                self._config = replace(config, fail_next=config.fail_next[1:])
            else:
                for code, rate in zip(
                    FAULT_STATUSES, (config.rate_429, config.rate_500, config.rate_503), strict=True
                ):
                    if rate and self._rng.random() < rate:
                        status = code
                        break
            if status is not None:
                return Decision(config.latency, status, _retry_headers(status, config.retry_after))
            drop = False
            if is_write and self._config.drop_after_commit_next > 0:
                self._config = replace(
                    self._config, drop_after_commit_next=self._config.drop_after_commit_next - 1
                )
                drop = True
            elif is_write and config.drop_after_commit:
                drop = self._rng.random() < config.drop_after_commit
            malformed = None
            if not drop and config.malformed and self._rng.random() < config.malformed:
                malformed = config.malformed_mode
            return Decision(config.latency, None, {}, drop, malformed)


def _retry_headers(status: int, retry_after: float) -> dict[str, str]:
    if status not in (429, 503):
        return {}
    return {
        "retry-after": str(max(1, math.ceil(retry_after))),
        "retry-after-ms": str(round(retry_after * 1000)),
    }
