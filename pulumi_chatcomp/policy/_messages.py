"""Walking the text a completion request sends: message contents, text parts and names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_chatcomp.policy._values import UNKNOWN, Unknown, is_unknown

_TEXT_PART_FIELDS = ("text", "refusal")


def message_texts(messages: Any) -> Iterator[tuple[str, str | Unknown]]:
    """Yield ``(path, text)`` for every piece of text in ``messages``, in order.

    Paths are in the user's words (``messages[0].content[1].text``). Text that is unknown
    during preview is yielded as ``UNKNOWN`` with the path of the unknown value.

    >>> list(message_texts([{"role": "user", "name": "ann", "content": "hi"}]))
    [('messages[0].content', 'hi'), ('messages[0].name', 'ann')]
    """
    if is_unknown(messages):
        yield "messages", UNKNOWN
        return
    if not isinstance(messages, list):
        return
    for index, message in enumerate(messages):
        path = f"messages[{index}]"
        if is_unknown(message):
            yield path, UNKNOWN
        elif isinstance(message, Mapping):
            yield from _content_texts(f"{path}.content", message.get("content"))
            name = message.get("name")
            if isinstance(name, str | Unknown):
                yield f"{path}.name", name


def _content_texts(path: str, content: Any) -> Iterator[tuple[str, str | Unknown]]:
    if isinstance(content, str | Unknown):
        yield path, content
        return
    if not isinstance(content, list):
        return
    for index, part in enumerate(content):
        part_path = f"{path}[{index}]"
        if is_unknown(part):
            yield part_path, UNKNOWN
        elif isinstance(part, Mapping):
            for field in _TEXT_PART_FIELDS:
                value = part.get(field)
                if isinstance(value, str | Unknown):
                    yield f"{part_path}.{field}", value


def non_text_parts(messages: Any) -> int:
    """How many content parts of ``messages`` are not text (images, audio, files).

    >>> non_text_parts([{"role": "user", "content": [{"type": "image_url"}, {"type": "text"}]}])
    1
    """
    if not isinstance(messages, list):
        return 0
    count = 0
    for message in messages:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list):
            count += sum(
                1
                for part in content
                if isinstance(part, Mapping) and part.get("type") not in ("text", "refusal")
            )
    return count
