"""A deterministic JSON value that validates against a (JSON Schema) schema.

Covers what structured outputs and tool parameters use: objects (all properties, required
ones always), arrays with min/max items, enums and consts, numbers and integers with bounds
and ``multipleOf``, strings with lengths, common formats and simple patterns, ``$ref`` into
``$defs``/``definitions``, ``anyOf``/``oneOf`` (first usable branch) and ``allOf`` (merged).
"""

from __future__ import annotations

import math
import random
import re
import uuid
from typing import Any

from pulumi_chatcomp.server._text import VOCABULARY

_MAX_DEPTH = 8

_FORMATS: dict[str, Any] = {
    "date-time": lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T12:00:00Z",
    "date": lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z",
    "email": lambda r: f"{r.choice(VOCABULARY)}@example.com",
    "uri": lambda r: f"https://example.com/{r.choice(VOCABULARY)}",
    "url": lambda r: f"https://example.com/{r.choice(VOCABULARY)}",
    "hostname": lambda r: f"{r.choice(VOCABULARY)}.example.com",
    "ipv4": lambda r: f"192.0.2.{r.randint(1, 254)}",
    "ipv6": lambda r: f"2001:db8::{r.randint(1, 65535):x}",
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128), version=4)),
}


def value_for_schema(schema: Any, rng: random.Random) -> Any:
    """Generate a value for ``schema``; the same rng state gives the same value.

    >>> value_for_schema({"type": "object", "properties": {"n": {"enum": [3]}}},
    ...                  random.Random(0))
    {'n': 3}
    """
    return _Generator(schema if isinstance(schema, dict) else {}, rng).value(schema, 0)


class _Generator:
    def __init__(self, root: dict[str, Any], rng: random.Random) -> None:
        self.root = root
        self.rng = rng

    def value(self, schema: Any, depth: int) -> Any:
        if not isinstance(schema, dict):
            return None if schema is False else self.rng.choice(VOCABULARY)
        if "$ref" in schema:
            return self.value(self._resolve(schema["$ref"]), depth + 1)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return self.rng.choice(schema["enum"])
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                branches = [b for b in schema[key] if not _is_null(b)] or schema[key]
                return self.value(branches[0], depth + 1)
        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "integer":
            return self._integer(schema)
        if kind == "number":
            return self._number(schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self._string(schema)

    def _resolve(self, ref: str) -> Any:
        node: Any = self.root
        if not ref.startswith("#"):
            return {}
        for part in ref.lstrip("#/").split("/") if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node

    def _all_of(self, schema: dict[str, Any], depth: int) -> Any:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        values = [self.value(part, depth + 1) for part in [rest, *schema["allOf"]] if part]
        if values and all(isinstance(v, dict) for v in values):
            merged: dict[str, Any] = {}
            for v in values:
                merged.update(v)
            return merged
        return values[-1] if values else None

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        result: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or depth < _MAX_DEPTH:
                result[name] = self.value(sub, depth + 1)
        for name in sorted(required - properties.keys()):
            result[name] = self.rng.choice(VOCABULARY)
        minimum = schema.get("minProperties", 0)
        extra = schema.get("additionalProperties")
        while len(result) < minimum and extra is not False:
            result[f"{self.rng.choice(VOCABULARY)}_{len(result)}"] = self.value(
                extra if isinstance(extra, dict) else {"type": "string"}, depth + 1
            )
        return result

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        prefix: list[Any] = schema.get("prefixItems") or []
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        count = max(
            low, len(prefix), min(high, 1 if depth >= _MAX_DEPTH else self.rng.randint(1, 3))
        )
        count = min(count, high) if high >= low else low
        items = schema.get("items", {})
        result: list[Any] = []
        for index in range(count):
            sub = prefix[index] if index < len(prefix) else items
            value = self.value(sub, depth + 1)
            for _ in range(10 if schema.get("uniqueItems") else 0):
                if value not in result:
                    break
                value = self.value(sub, depth + 1)
            result.append(value)
        return result

    def _bounds(
        self, schema: dict[str, Any], default_low: float, default_high: float
    ) -> tuple[float, float, bool, bool]:
        low: Any = schema.get("minimum")
        high: Any = schema.get("maximum")
        ex_low: Any = schema.get("exclusiveMinimum")
        ex_high: Any = schema.get("exclusiveMaximum")
        open_low = isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool)
        open_high = isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool)
        lo = float(ex_low if open_low else low if low is not None else default_low)
        hi = float(
            ex_high if open_high else high if high is not None else max(default_high, lo + 100)
        )
        if low is None and not open_low and hi < lo:
            lo = hi - 100
        return lo, hi, open_low, open_high

    def _integer(self, schema: dict[str, Any]) -> int:
        lo, hi, open_low, open_high = self._bounds(schema, 0, 100)
        low = math.floor(lo) + 1 if open_low else math.ceil(lo)
        high = math.ceil(hi) - 1 if open_high else math.floor(hi)
        value = self.rng.randint(low, max(low, high))
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = math.ceil(value / step) * step
            if value > high:
                value -= step
        return value

    def _number(self, schema: dict[str, Any]) -> float | int:
        step = schema.get("multipleOf")
        if isinstance(step, (int, float)) and step > 0:
            lo, hi, _, _ = self._bounds(schema, 0, 100)
            k = self.rng.randint(
                math.ceil(lo / step), max(math.ceil(lo / step), math.floor(hi / step))
            )
            return k * step
        lo, hi, open_low, open_high = self._bounds(schema, 0, 100)
        value = round(self.rng.uniform(lo, hi), 2)
        if (open_low and value <= lo) or value < lo:
            value = lo + (hi - lo) / 2
        if (open_high and value >= hi) or value > hi:
            value = lo + (hi - lo) / 2
        return value

    def _string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        text = _FORMATS[fmt](self.rng) if fmt in _FORMATS else self._words(schema)
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            text = self._matching(pattern, text)
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        while len(text) < low:
            text += self.rng.choice("abcdefghij")
        return text[: int(high)] if high is not None else text

    def _words(self, schema: dict[str, Any]) -> str:
        return " ".join(self.rng.choice(VOCABULARY) for _ in range(self.rng.randint(1, 3)))

    def _matching(self, pattern: str, fallback: str) -> str:
        # Only simple patterns can be met by trying a few shapes; others keep the words.
        try:
            compiled = re.compile(pattern)
        except re.error:
            return fallback
        word = self.rng.choice(VOCABULARY)
        for candidate in (
            fallback,
            word,
            word.upper(),
            word.capitalize(),
            str(self.rng.randint(0, 9999)),
            f"{word}-{self.rng.randint(1, 99)}",
            f"{word}_{self.rng.randint(1, 99)}",
        ):
            if compiled.search(candidate):
                return candidate
        return fallback


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"] or ["null"]
        return str(kinds[0])
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "string"


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"
