"""What tokens cost: the per-model price table the budget policy and ``chatcomp report`` use.

One table, one home: the budget policy estimates a request's worst case with it before
anything is spent, and the report prices what stored completions actually used. Prices are
US dollars per 1M tokens; cached input tokens (``usage.prompt_tokens_details.cached_tokens``)
are billed at the cached rate, and reasoning tokens are output tokens (the API counts them
in ``completion_tokens``, and ``completion_tokens_details.reasoning_tokens`` says how many).

>>> price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES).cost_of_usage(
...     {"prompt_tokens": 1_000_000, "completion_tokens": 0,
...      "prompt_tokens_details": {"cached_tokens": 500_000}})
0.1125
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["DEFAULT_PRICES", "PRICE_KEYS", "Price", "parse_prices", "price_for", "tokens_of"]

PRICE_KEYS: Final = ("input", "output")
"""The keys every entry of a price table needs (``cached_input`` is optional)."""


@dataclass(frozen=True)
class Price:
    """Prices in US dollars per 1M tokens; ``cached_input`` defaults to ``input``.

    >>> Price(input=0.15, output=0.60).cost(1_000_000, 1_000_000)
    0.75
    """

    input: float
    output: float
    cached_input: float | None = None

    def cost(self, input_tokens: int, output_tokens: int, cached_tokens: int = 0) -> float:
        """The price of ``input_tokens`` in (``cached_tokens`` of them cached) and
        ``output_tokens`` out, in US dollars."""
        cached_rate = self.input if self.cached_input is None else self.cached_input
        fresh = input_tokens - cached_tokens
        return (
            fresh * self.input + cached_tokens * cached_rate + output_tokens * self.output
        ) / 1_000_000

    def cost_of_usage(self, usage: Mapping[str, Any]) -> float:
        """The price of a completion's ``usage``, as the API reports it."""
        counted = tokens_of(usage)
        return self.cost(counted["prompt_tokens"], counted["completion_tokens"], counted["cached"])


DEFAULT_PRICES: Final[Mapping[str, Price]] = {
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5": Price(1.25, 10.00, 0.125),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "o3": Price(2.00, 8.00, 0.50),
    "*": Price(15.00, 60.00),
}
"""Illustrative list prices per 1M tokens; check current pricing and set your own table.

Keys are model-name prefixes; the longest matching prefix wins, and ``*`` matches any model
that no other key does, priced high on purpose so an unlisted model is not under-counted.
"""


def price_for(model: str, prices: Mapping[str, Price]) -> Price | None:
    """The price of ``model``: the longest key of ``prices`` that prefixes it, else ``*``.

    >>> price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES)
    Price(input=0.15, output=0.6, cached_input=0.075)
    """
    matches = [prefix for prefix in prices if prefix != "*" and model.startswith(prefix)]
    if matches:
        return prices[max(matches, key=len)]
    return prices.get("*")


def tokens_of(usage: Mapping[str, Any] | None) -> dict[str, int]:
    """The token counts of a ``usage`` that prices need (0 where the API left one out).

    >>> tokens_of({"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14,
    ...            "completion_tokens_details": {"reasoning_tokens": 3}})["reasoning"]
    3
    """
    usage = usage or {}
    prompt_details = usage.get("prompt_tokens_details") or {}
    completion_details = usage.get("completion_tokens_details") or {}
    return {
        "prompt_tokens": _count(usage.get("prompt_tokens")),
        "completion_tokens": _count(usage.get("completion_tokens")),
        "cached": _count(prompt_details.get("cached_tokens")),
        "reasoning": _count(completion_details.get("reasoning_tokens")),
    }


def parse_prices(value: object) -> dict[str, Price]:
    """A price table from JSON (``{"gpt-4o": {"input": 2.5, "output": 10}}``); raises
    ``ValueError`` saying which entry is wrong, for the caller to name where it came from."""
    if not isinstance(value, Mapping):
        raise ValueError(f"must be an object, got {value!r}")
    prices: dict[str, Price] = {}
    for prefix, entry in value.items():
        optional = entry.get("cached_input") if isinstance(entry, Mapping) else None
        if not (
            isinstance(entry, Mapping)
            and all(_is_price(entry.get(k)) for k in PRICE_KEYS)
            and (optional is None or _is_price(optional))
        ):
            raise ValueError(
                f"[{prefix!r}] must be an object with numbers input and output, and optionally"
                f" cached_input (US dollars per 1M tokens), got {entry!r}"
            )
        cached = None if optional is None else float(optional)
        prices[str(prefix)] = Price(float(entry["input"]), float(entry["output"]), cached)
    return prices


def _is_price(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _count(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0
