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
    for path, message in entries("messages", messages):
        if isinstance(message, Unknown):
            yield path, message
            continue
        yield from _content_texts(f"{path}.content", message.get("content"))
        name = message.get("name")
        if isinstance(name, str | Unknown):
            yield f"{path}.name", name


def entries(path: str, values: Any) -> Iterator[tuple[str, Mapping[str, Any] | Unknown]]:
    """Each mapping of the list ``values`` with its path, ``path[index]``; what is unknown
    during preview (the list, or an entry) as ``UNKNOWN`` with its path. Anything else is
    passed over: the model layer reports it.

    >>> list(entries("messages", [{"role": "user"}, UNKNOWN, "hi"]))
    [('messages[0]', {'role': 'user'}), ('messages[1]', UNKNOWN)]
    """
    if is_unknown(values):
        yield path, UNKNOWN
        return
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if is_unknown(value) or isinstance(value, Mapping):
            yield f"{path}[{index}]", value


def _content_texts(path: str, content: Any) -> Iterator[tuple[str, str | Unknown]]:
    if isinstance(content, str):
        yield path, content
        return
    for part_path, part in entries(path, content):
        if isinstance(part, Unknown):
            yield part_path, part
            continue
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
