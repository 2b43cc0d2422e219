"""Small helpers shared by the server tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any


def user(text: str) -> list[Any]:
    return [{"role": "user", "content": text}]


WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "minLength": 2},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
            },
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    },
}


# The completions in old_store.sql: the first and the third are live, the second deleted.
OLD_STORE_IDS = (
    "chatcmpl-M3jxR03YlAgJhORhC4w8B61vCZ7xh",
    "chatcmpl-dDD8kzW7TyOWAnfwfosXDvOgi703I",
    "chatcmpl-c9kVTPyQAMPx7KK0YiE2sPJne0inR",
)


def write_old_store(path: Path) -> None:
    """Write ``old_store.sql`` (a file of the schema before message rows) to ``path``."""
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(Path(__file__).with_name("old_store.sql").read_text())
