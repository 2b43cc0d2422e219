"""Worst-case cost of one completion request: token estimates and a per-model price table.

Input tokens are estimated without a tokenizer, generously:

- each piece of message text (contents, text parts, names) counts ``ceil(chars / 4)`` tokens,
- each message adds ``MESSAGE_OVERHEAD_TOKENS`` (role and separators) and each request
  ``REQUEST_OVERHEAD_TOKENS`` (reply priming), after OpenAI's published counting recipe,
- tool and function definitions count ``ceil(chars / 4)`` of their JSON,
- each non-text content part (image, audio, file) counts a configurable flat amount.

Output tokens are the request's cap (``max_completion_tokens`` or ``max_tokens``) times
``n``; a request without a cap counts a configurable default cap. Input is billed once;
output for every one of the ``n`` choices. The prices are ``core._prices``'s.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

# The price table has one home, shared with `chatcomp report`; re-exported here for the policies.
from pulumi_chatcomp.core._prices import DEFAULT_PRICES, Price, price_for
from pulumi_chatcomp.policy._messages import message_texts, non_text_parts
from pulumi_chatcomp.policy._output_tokens import output_cap, requested_choices
from pulumi_chatcomp.policy._values import Unknown, is_unknown

__all__ = [
    "CHARS_PER_TOKEN",
    "DEFAULT_NON_TEXT_PART_TOKENS",
    "DEFAULT_PRICES",
    "DEFAULT_UNCAPPED_OUTPUT_TOKENS",
    "MESSAGE_OVERHEAD_TOKENS",
    "REQUEST_OVERHEAD_TOKENS",
    "CostEstimate",
    "Price",
    "estimate_cost",
    "estimate_input_tokens",
    "price_for",
    "unknown_cost_inputs",
]

CHARS_PER_TOKEN: Final = 4
MESSAGE_OVERHEAD_TOKENS: Final = 4
REQUEST_OVERHEAD_TOKENS: Final = 3
DEFAULT_UNCAPPED_OUTPUT_TOKENS: Final = 16384
DEFAULT_NON_TEXT_PART_TOKENS: Final = 1000


def _tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class CostEstimate:
    """The worst-case cost of one completion request and how it was reached."""

    model: str
    input_tokens: int
    output_tokens: int
    n: int
    capped: bool
    """False when the request has no output cap and the default cap was assumed."""
    cost: float


def estimate_input_tokens(props: Mapping[str, Any], *, non_text_part_tokens: int) -> int:
    """Estimate the input tokens of a request (see the module docstring for the recipe).

    >>> estimate_input_tokens({"messages": [{"role": "user", "content": "12345678"}]},
    ...                       non_text_part_tokens=1000)
    9
    """
    messages = props.get("messages")
    count = len(messages) if isinstance(messages, list) else 0
    tokens = REQUEST_OVERHEAD_TOKENS + count * MESSAGE_OVERHEAD_TOKENS
    tokens += sum(_tokens(text) for _, text in message_texts(messages) if isinstance(text, str))
    tokens += non_text_parts(messages) * non_text_part_tokens
    for field in ("tools", "functions"):
        definitions = props.get(field)
        if isinstance(definitions, list):
            tokens += _tokens(json.dumps(definitions, default=str))
    return tokens


def unknown_cost_inputs(props: Mapping[str, Any]) -> list[str]:
    """The properties the estimate needs that are unknown during preview."""
    unknown = [field for field in ("model", "tools", "functions") if is_unknown(props.get(field))]
    unknown += output_cap(props)[1]
    unknown += [
        path for path, text in message_texts(props.get("messages")) if isinstance(text, Unknown)
    ]
    return unknown


def estimate_cost(
    props: Mapping[str, Any],
    price: Price,
    *,
    uncapped_output_tokens: int,
    non_text_part_tokens: int,
) -> CostEstimate:
    """The worst-case cost of a request whose properties are all known."""
    cap, _ = output_cap(props)
    n = requested_choices(props)
    per_choice = cap.tokens if cap else uncapped_output_tokens
    input_tokens = estimate_input_tokens(props, non_text_part_tokens=non_text_part_tokens)
    return CostEstimate(
        model=str(props.get("model")),
        input_tokens=input_tokens,
        output_tokens=per_choice,
        n=n,
        capped=cap is not None,
        cost=price.cost(input_tokens, per_choice * n),
    )
