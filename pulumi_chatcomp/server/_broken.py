"""How a JSON answer goes wrong, for the ``structured_next`` faults (see ``_faults``).

Each takes the JSON text the server would have answered and returns what a model that went
wrong answers instead: deterministically, so that a test knows where the answer breaks.

>>> not_json('{"title": "Rain"}')
'```json\\n{"title": "Rain"}\\n```'
>>> mismatched('{"title": "Rain", "pages": 3}', "json_schema")
'{"title": 42, "pages": 3}'
>>> cut_off('{"title": "Rain"}')
'{"title"'
"""

from __future__ import annotations

import json
from typing import Any, Final

from pulumi_chatcomp.server._text import tokenize

REFUSAL: Final = "I'm sorry, but I can't help with that request."
"""The refusal a ``refusal`` fault answers with (no content)."""


def not_json(text: str) -> str:
    """The JSON in a Markdown fence, as chat models like to answer: not JSON any more."""
    return f"```json\n{text}\n```"


def mismatched(text: str, kind: str) -> str:
    """Valid JSON that does not match the schema: the object's first property gets a value of
    another JSON type (a string becomes 42, anything else a string). For ``json_object``, or
    a value that is no object, the value inside an array."""
    value: Any = json.loads(text)
    if kind == "json_schema" and isinstance(value, dict) and value:
        first = next(iter(value))
        value[first] = 42 if isinstance(value[first], str) else "not the schema's type"
        return json.dumps(value)
    return json.dumps([value])


def cut_off(text: str) -> str:
    """The first half of the tokens (at least one), as a token limit would cut it."""
    tokens = tokenize(text)
    return "".join(tokens[: max(1, len(tokens) // 2)])
