"""Corrupt a JSON body the ways broken proxies and gateways do."""

from __future__ import annotations

import json
from typing import Any

_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


def malform(body: bytes, mode: str) -> tuple[bytes, bytes]:
    """Return ``(content_type, payload)`` for a corrupted version of ``body``.

    >>> malform(b'{"id": "x"}', "wrong_types")
    (b'application/json', b'{"id": 0}')
    """
    if mode == "html":
        return b"text/html; charset=utf-8", _HTML
    if mode == "empty":
        return b"application/json", b""
    if mode == "wrong_types":
        try:
            data = json.loads(body)
        except ValueError:
            return b"application/json", body
        wrong = {k: _wrong(v) for k, v in data.items()} if isinstance(data, dict) else {}
        return b"application/json", json.dumps(wrong).encode()
    return b"application/json", body[: max(1, len(body) // 2)]


def _wrong(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, str):
        return 0
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return {"items": value}
    if isinstance(value, dict):
        return [value]
    return {}
