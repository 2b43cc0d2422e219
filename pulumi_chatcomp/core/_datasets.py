"""Training data from stored completions: each one as an example in OpenAI's chat
fine-tuning format, ``{"messages": [...], "tools": [...]}``.

``messages`` are the completion's input messages as its messages list stores them, put back
in request shape (the stored ``id`` and null fields left out; a message sent as parts gets its
parts back as ``content``), followed by the answer: the first choice's message, as an
``assistant`` message with its ``content`` and/or ``tool_calls``. ``tools`` is there only when
the completion's request had tools (stored completions echo them).

An example is checked as the request it would be, by the model layer
(``ChatCompletionCreateParams``: every message against the spec's message schemas, the tools
against its tool schemas). A completion that does not make a valid example is not written:
``finetune_example`` returns a ``SkippedExample`` naming the field and the problem. Choices
after the first are left out, so a completion made with ``n`` > 1 gives one example; a first
choice that refused is skipped (a refusal is not an answer to train on); web-search
annotations and audio of the answer are left out (the format has no place for them).

>>> from pulumi_chatcomp.models import ChatCompletion, ChatCompletionStoreMessage
>>> completion = ChatCompletion.model_validate({
...     "id": "chatcmpl-1", "created": 1, "model": "gpt-4o-mini",
...     "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}}],
... })
>>> question = ChatCompletionStoreMessage(id="chatcmpl-1-0", role="user", content="Hi")
>>> finetune_example(completion, [question])
{'messages': [{'role': 'user', 'content': 'Hi'}, {'role': 'assistant', 'content': 'Hello!'}]}
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pydantic

from pulumi_chatcomp._exceptions import NotFoundError
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionMessage,
    ChatCompletionStoreMessage,
    FieldProblem,
    validation_problems,
)

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient

__all__ = [
    "SkippedExample",
    "answer_message",
    "finetune_example",
    "finetune_examples",
    "request_message",
]

# The fields of an answer that a request's assistant message has (``refusal`` is checked
# first; annotations, audio and fields the API adds later have no place in the format).
_ANSWER_FIELDS = ("content", "tool_calls", "function_call")


@dataclass(frozen=True)
class SkippedExample:
    """A stored completion that makes no valid example, and why: ``problem.path`` is the
    field (``messages[1].content``, ``choices[0].message.refusal``) and ``problem.message``
    a sentence that starts with it.

    >>> str(SkippedExample("chatcmpl-1", FieldProblem("choices", "choices is empty")))
    'chatcmpl-1: choices is empty'
    """

    completion_id: str
    problem: FieldProblem

    def __str__(self) -> str:
        return f"{self.completion_id}: {self.problem.message}"


def request_message(message: ChatCompletionStoreMessage) -> dict[str, Any]:
    """A stored input message as the request message it was sent as.

    >>> stored = ChatCompletionStoreMessage(
    ...     id="chatcmpl-1-0", role="user", content="Look", content_parts=[
    ...         {"type": "text", "text": "Look"},
    ...         {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
    ...     ],
    ... )
    >>> request_message(stored)["content"][1]
    {'type': 'image_url', 'image_url': {'url': 'https://example.com/a.png'}}
    """
    # exclude_none drops nested nulls (an image's unset detail); the response model keeps
    # content and refusal even when null, which a request message must not carry.
    data = message.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("id", None)
    parts = data.pop("content_parts", None)
    if parts is not None:
        data["content"] = parts
    return {key: value for key, value in data.items() if value is not None}


def answer_message(message: ChatCompletionMessage) -> dict[str, Any]:
    """A reply of the model as the assistant message of a request (content, tool calls).

    >>> answer_message(ChatCompletionMessage(content="Hi", annotations=[]))
    {'role': 'assistant', 'content': 'Hi'}
    """
    data = message.model_dump(mode="json", by_alias=True, exclude_none=True)
    answer: dict[str, Any] = {"role": "assistant"}
    answer.update((key, data[key]) for key in _ANSWER_FIELDS if data.get(key) is not None)
    return answer


def finetune_example(
    completion: ChatCompletion, messages: Iterable[ChatCompletionStoreMessage]
) -> dict[str, Any] | SkippedExample:
    """The training example of ``completion`` whose stored input messages are ``messages``,
    or a ``SkippedExample`` saying which field makes it invalid (an example is in the
    module's docstring).

    >>> refused = ChatCompletion.model_validate({"id": "chatcmpl-2", "created": 1, "model": "m",
    ...     "choices": [{"index": 0, "message": {"refusal": "I can't help with that."}}]})
    >>> finetune_example(refused, []).problem.path
    'choices[0].message.refusal'
    """
    if not completion.choices:
        return _skipped(completion, "choices", "choices is empty: there is no answer")
    reply = completion.choices[0].message
    if reply.refusal is not None:
        return _skipped(
            completion,
            "choices[0].message.refusal",
            "choices[0].message.refusal is set: the model refused, and a refusal is not an "
            "answer to train on",
        )
    inputs = [request_message(message) for message in messages]
    example: dict[str, Any] = {"messages": [*inputs, answer_message(reply)]}
    tools = (completion.model_extra or {}).get("tools")
    if tools is not None and tools != []:  # [] would be refused, and means no tools
        example["tools"] = tools
    try:
        ChatCompletionCreateParams.from_body(
            {"model": completion.model, **example}, warn_deprecated=False
        )
    except pydantic.ValidationError as exc:
        first = validation_problems(exc)[0]
        # The answer is the example's last message; name it where it came from.
        answer = f"messages[{len(inputs)}]"
        if first.path.startswith(answer):
            where = "choices[0].message"
            first = FieldProblem(
                first.path.replace(answer, where, 1), first.message.replace(answer, where, 1)
            )
        return SkippedExample(completion.id, first)
    return example


def finetune_examples(
    client: ChatCompletionsClient, completions: Iterable[ChatCompletion], *, workers: int = 1
) -> Iterator[dict[str, Any] | SkippedExample]:
    """``finetune_example`` of each completion, in order, lazily: each one's messages are
    read (``GET /chat/completions/{id}/messages``) as the iteration reaches it.

    With ``workers`` > 1 the messages of the next few completions are read at the same time,
    at most ``2 * workers`` completions ahead, so memory stays bounded however many there
    are. A completion deleted or expired between the list and its messages is skipped.

    Example::

        with ChatCompletionsClient(Settings.resolve()) as client:
            for example in finetune_examples(client, client.list(model="gpt-4o"), workers=4):
                print(example)  # a dict, or a SkippedExample
    """
    if workers <= 1:
        for completion in completions:
            yield _example_of(client, completion)
        return
    pending: deque[Future[dict[str, Any] | SkippedExample]] = deque()
    pool = ThreadPoolExecutor(workers, thread_name_prefix="chatcomp-messages")
    try:
        for completion in completions:
            pending.append(pool.submit(_example_of, client, completion))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Stopped early (an error, or the caller closed us): the reads ahead are not needed.
        pool.shutdown(wait=True, cancel_futures=True)


def _example_of(
    client: ChatCompletionsClient, completion: ChatCompletion
) -> dict[str, Any] | SkippedExample:
    try:
        messages = list(client.list_messages(completion.id, order="asc"))
    except NotFoundError:
        return _skipped(
            completion,
            "messages",
            "messages could not be read: the completion was deleted or expired during the export",
        )
    return finetune_example(completion, messages)


def _skipped(completion: ChatCompletion, path: str, message: str) -> SkippedExample:
    return SkippedExample(completion.id, FieldProblem(path, message))
