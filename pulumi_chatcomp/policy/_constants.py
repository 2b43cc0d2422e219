"""Names shared by every rule."""

from __future__ import annotations

CHAT_COMPLETION_TYPE = "pulumi-python:dynamic/chatcomp:ChatCompletion"
"""The type token of `ChatCompletion` resources; every rule matches on it."""
