"""Errors raised by pulumi-chatcomp: one hierarchy, the same class for the same mistake from
every entry point (resource, data source, client, plugin, CLI, policy).

Every error is a ``ChatCompError``, so one ``except ChatCompError`` catches them all::

    ChatCompError
    ├── InvalidArgumentError (ValueError) a call got an argument it cannot use; nothing was sent
    ├── ConfigurationError               a chatcomp:* setting or environment variable is unusable
    ├── PolicyConfigError (ValueError)   a policy pack's config value is unusable
    ├── ImportMismatchError              an imported completion is not the one the program describes
    ├── StructuredOutputError            a strict json_schema answer does not hold to its schema
    └── APIError                         a call to the Chat Completions API failed
        ├── APIStatusError               the server answered with an HTTP error status
        │   ├── BadRequestError          400
        │   ├── AuthenticationError      401
        │   ├── PermissionDeniedError    403
        │   ├── NotFoundError            404
        │   ├── ConflictError            409
        │   ├── UnprocessableEntityError 422
        │   ├── RateLimitError           429
        │   └── InternalServerError      >= 500
        ├── APIConnectionError           no usable answer: connection refused, dropped, ...
        │   └── APITimeoutError          ... or too slow (chatcomp:timeout)
        └── APIResponseValidationError   an answer that is not what the API promises

``str()`` of every error is one or two sentences naming the endpoint (method and path) and,
when the server sent one, the request id (``x-request-id``) to quote to OpenAI support. The
entry point the user called (``function``) is attached where the call enters the package, by
``entry_point``, as httpx attaches a request to its errors; the completion a call is about,
by ``about_completion``. Texts are redacted where they are made (``_redact``), so they never
hold an API key.

What an error names is kept as fields, not only as words: the setting a
``ConfigurationError`` is about (``key``) and what is wrong with it (``problem``), the
argument of an ``InvalidArgumentError`` and its ``problem``, and the settings its advice
names (``settings``: each ``Phrase`` names the settings by their stack config names). The
words are made where the error is shown, in that edge's ``Terms``: ``str(error)`` speaks of
stack config (``chatcomp:timeout``), as a Pulumi program's user sets it; the command line
renders the same error with its flags (``--timeout``), without parsing the message.

>>> try:
...     with entry_point("get_chat_completions"):
...         raise InvalidArgumentError("limit", "must be a whole number, 1 or more, got 0")
... except ChatCompError as error:
...     print(error)
get_chat_completions: limit must be a whole number, 1 or more, got 0
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from pulumi_chatcomp._redact import redact

if TYPE_CHECKING:
    import httpx  # types only: raising these errors needs no httpx

__all__ = [
    "TERMS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatCompError",
    "ConfigurationError",
    "ConflictError",
    "ImportMismatchError",
    "InternalServerError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "Phrase",
    "PolicyConfigError",
    "RateLimitError",
    "StructuredOutputError",
    "Terms",
    "Text",
    "UnprocessableEntityError",
    "about_completion",
    "entry_point",
    "in_terms",
    "status_error_from_event",
    "status_error_from_response",
    "without_entry_point",
]

_SNIPPET_LENGTH = 160
_TAG = re.compile(r"<[^>]*>")  # proxies answer errors with HTML pages; their text is enough


class Terms:
    """How the edge that shows an error names the settings and arguments it mentions.

    These are a Pulumi program's terms, which ``str(error)`` speaks: settings as stack config.
    Another edge (the command line) subclasses them and renders errors with
    ``ChatCompError.render``.

    >>> TERMS.setting("timeout"), TERMS.switched_on("useEnvApiKey")
    ('chatcomp:timeout', 'chatcomp:useEnvApiKey is true')
    """

    def setting(self, name: str) -> str:
        """How a user of this edge names the setting ``name`` (its stack config name)."""
        return f"chatcomp:{name}"

    def switched_on(self, name: str) -> str:
        """How a user of this edge turns on the boolean setting ``name``, as a clause."""
        return f"{self.setting(name)} is true"

    def set_key(self) -> str | None:
        """How a user of this edge gives the API key besides ``OPENAI_API_KEY``; None when
        only the environment variable can."""
        return "chatcomp:apiKey (pulumi config set --secret chatcomp:apiKey ...)"

    def given_as(self, argument: str) -> str:
        """How a user of this edge passes a value to ``argument``, as a clause."""
        return f"as {argument}"


TERMS = Terms()
"""The terms of ``str(error)``: a Pulumi program's."""


class Phrase:
    """Words of our own that name settings or arguments, made when the error is shown, in
    the terms of the edge that shows it.

    >>> raise_timeout = Phrase(lambda terms: f"Raise {terms.setting('timeout')}", "timeout")
    >>> raise_timeout.settings, raise_timeout.text(TERMS)
    (('timeout',), 'Raise chatcomp:timeout')
    """

    def __init__(self, words: Callable[[Terms], str], *settings: str) -> None:
        self.words = words
        self.settings = settings
        """The settings the words name, by stack config name (``timeout``, ``baseUrl``)."""

    def text(self, terms: Terms) -> str:
        """The words in ``terms``, redacted."""
        return redact(self.words(terms))

    def __repr__(self) -> str:
        return f"Phrase({self.text(TERMS)!r})"


Text: TypeAlias = str | Phrase
"""A message or a sentence: fixed words, or a ``Phrase`` worded by the edge."""


def in_terms(text: Text, terms: Terms) -> str:
    """``text`` as ``terms`` word it, redacted.

    >>> in_terms("Nothing was stored", TERMS)
    'Nothing was stored'
    """
    return redact(text) if isinstance(text, str) else text.text(terms)


_ENTRY_POINT_MARK = ": "  # between the entry point and the message (see without_entry_point)


class ChatCompError(Exception):
    """Base class of every error pulumi-chatcomp raises on purpose."""

    function: str | None = None
    """The entry point the user called (``get_chat_completion``, ``ChatCompletion 'a'``),
    when the error left through one (see ``entry_point``); it leads ``str(error)``."""

    def __init__(self, message: Text) -> None:
        super().__init__(in_terms(message, TERMS))
        self._message = message
        self.advice: list[Text] = []
        """Our own sentences (never server text) after the message, e.g. why no retry."""

    @property
    def settings(self) -> tuple[str, ...]:
        """The settings the message and advice name, by stack config name."""
        texts = (self._message, *self.advice)
        named = (name for text in texts if isinstance(text, Phrase) for name in text.settings)
        return tuple(dict.fromkeys(named))

    def add_sentence(self, sentence: Text) -> None:
        """Append our own advice to ``str(error)``."""
        self.advice.append(sentence)

    def describe(self, terms: Terms = TERMS) -> str:
        """The message and advice in ``terms``, without the entry point."""
        message = in_terms(self._message, terms)
        if not self.advice:
            return message
        advice = (in_terms(sentence, terms) for sentence in self.advice)
        return " ".join(_end(text) for text in (message, *advice))

    def render(self, terms: Terms = TERMS) -> str:
        """The whole text in ``terms``: ``str(error)`` is ``render(TERMS)``."""
        text = self.describe(terms)
        return f"{self.function}{_ENTRY_POINT_MARK}{text}" if self.function else text

    def __str__(self) -> str:
        return self.render(TERMS)


def without_entry_point(text: str, function: str) -> str:
    """The message of an error of ``function`` that reached us as text (``str(error)`` sent
    across a process, within a sentence of whoever carried it), without the entry point
    ``render`` put before it; ``text`` itself if it names none.

    >>> error = InvalidArgumentError("limit", "must be 1 or more", function="get_chat_completions")
    >>> without_entry_point(f"invoke failed: {error}", "get_chat_completions")
    'limit must be 1 or more'
    """
    head = f"{function}{_ENTRY_POINT_MARK}"
    return text.rsplit(head, 1)[-1] if head in text else text


class InvalidArgumentError(ChatCompError, ValueError):
    """A call got an argument it cannot use; nothing was sent.

    The message names the argument as the caller wrote it, after the function's name.
    """

    def __init__(self, argument: str, problem: Text, *, function: str | None = None) -> None:
        super().__init__(
            Phrase(
                lambda terms: f"{argument} {in_terms(problem, terms)}",
                *(problem.settings if isinstance(problem, Phrase) else ()),
            )
        )
        self.argument = argument
        """The argument, e.g. ``order`` or ``opts.provider``."""
        self.problem = problem
        """What is wrong with it, after its name: ``must be 1 or more, got 0``."""
        if function is not None:
            self.function = function


class ConfigurationError(ChatCompError):
    """A setting (stack config ``chatcomp:*``, an environment variable or ``Settings``) is
    unusable.

    Give the whole ``message``, or the setting's ``key`` and its ``problem``.

    >>> print(ConfigurationError(key="chatcomp:timeout", problem="must be positive, got '0'"))
    chatcomp:timeout must be positive, got '0'
    """

    def __init__(
        self, message: str | None = None, *, key: str | None = None, problem: str | None = None
    ) -> None:
        super().__init__(f"{key} {problem}" if message is None else message)
        self.key = key
        """The setting in the user's words, e.g. ``chatcomp:timeout`` or ``OPENAI_BASE_URL``."""
        self.problem = problem
        """What is wrong with its value, after its name, when the error says."""


class PolicyConfigError(ChatCompError, ValueError):
    """A policy config value has the wrong type or range."""


class ImportMismatchError(ChatCompError):
    """An imported completion (``import_``) differs from the program's model or messages."""


class StructuredOutputError(ChatCompError):
    """A strict ``json_schema`` answer is not JSON, does not match its schema, was cut off, or
    is a refusal; the create fails, and deletes the stored completion first.

    The message names the schema, where the content fails (``content_path``, a JSON path such
    as ``$.title``, and ``schema_path``, a JSON pointer into the schema) and why, without
    quoting the generated text (which ``secret_outputs`` may keep secret).

    >>> error = StructuredOutputError(
    ...     "summary", "is an integer, the schema wants type 'string'",
    ...     content_path="$.title", schema_path="/properties/title/type")
    >>> print(error)
    the answer does not follow response_format.json_schema 'summary' (strict): $.title is an
    integer, the schema wants type 'string' (schema at /properties/title/type)
    """

    def __init__(
        self,
        schema_name: str,
        reason: str,
        *,
        content_path: str | None = None,
        schema_path: str | None = None,
        next_step: str | None = None,
    ) -> None:
        where = f"{content_path} " if content_path else ""
        at = f" (schema at {schema_path})" if schema_path else ""
        super().__init__(
            f"the answer does not follow response_format.json_schema {schema_name!r} (strict): "
            f"{where}{reason}{at}"
        )
        self.schema_name = schema_name
        """The ``name`` of the request's ``response_format.json_schema``."""
        self.reason = reason
        """Why the content fails, e.g. ``is not JSON (Expecting value at char 0)``."""
        self.content_path = content_path
        """Where in the content, as a JSON path (``$`` is the whole answer)."""
        self.schema_path = schema_path
        """The schema keyword that failed, as a JSON pointer (``/properties/title/type``)."""
        self.next_step = redact(next_step) if next_step else None
        """What to do about it; it ends the message, after any advice."""
        self.completion_id: str | None = None
        """The completion that answered (deleted by the create, which adds a sentence)."""

    def describe(self, terms: Terms = TERMS) -> str:
        text = super().describe(terms)
        return f"{_end(text)} {_end(self.next_step)}" if self.next_step else text


@contextlib.contextmanager
def entry_point(function: str) -> Iterator[None]:
    """Name ``function`` in every ``ChatCompError`` that leaves the body.

    Entry points nest (a data source calls the client); the outermost, the one the user
    called, is named.
    """
    try:
        yield
    except ChatCompError as error:
        error.function = function
        raise


@contextlib.contextmanager
def about_completion(completion_id: str) -> Iterator[None]:
    """Tell a ``NotFoundError`` leaving the body which completion was not found."""
    try:
        yield
    except NotFoundError as error:
        if error.completion_id is None:
            error.completion_id = completion_id
        raise


class APIError(ChatCompError):
    """A call to the Chat Completions API failed."""

    def __init__(
        self,
        description: str,
        *,
        endpoint: str,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(description)
        self.message = self.args[0]
        """What went wrong; for status errors the server's own message."""
        self.endpoint = endpoint
        """Method and path, e.g. ``POST /chat/completions``."""
        self.request = request
        self.request_id = request_id
        """The ``x-request-id`` the server sent, if any."""
        self.type: str | None = None
        self.code: str | None = None
        self.param: str | None = None
        self.body: object | None = None
        self.maybe_created = False
        """For a create: whether the server may have stored the completion although the
        call failed (its answer was lost or unreadable), so sending it again could store a
        second one."""


class APIStatusError(APIError):
    """The server answered with an HTTP error status (4xx or 5xx)."""

    hint: ClassVar[Text] = ""
    """Advice of our own every error of this class gets (unless the raiser gives its own)."""

    def __init__(
        self,
        *,
        endpoint: str,
        response: httpx.Response,
        status_code: int | None = None,
        message: str,
        error_type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        body: object | None = None,
        hint: Text | None = None,
    ) -> None:
        status = response.status_code if status_code is None else status_code
        request_id = response.headers.get("x-request-id")
        details = [f"{label} {value}" for label, value in _details(error_type, code, param)]
        if request_id:
            details.append(f"request id {request_id}")
        sentence = f"{endpoint} failed with HTTP {status} {_reason(status)}: "
        sentence += message.strip().rstrip(".")
        if details:
            sentence += f" [{', '.join(details)}]"
        super().__init__(
            _end(sentence), endpoint=endpoint, request=response.request, request_id=request_id
        )
        advice = self.hint if hint is None else hint
        if advice:
            self.add_sentence(advice)
        self.message = redact(message)
        self.status_code = status
        self.response = response
        self.type = error_type
        self.code = code
        self.param = param
        self.body = _redact_json(body)


class BadRequestError(APIStatusError):
    """400: the request is invalid; the message and ``param`` say which field."""


def _check_key(terms: Terms) -> str:
    set_key = terms.set_key()
    return f"Check {set_key} or OPENAI_API_KEY" if set_key else "Check OPENAI_API_KEY"


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""

    hint = Phrase(_check_key, "apiKey")


class PermissionDeniedError(APIStatusError):
    """403: the key may not use this model, organization or project."""

    hint = Phrase(
        lambda terms: (
            f"Check that the key may use this model, {terms.setting('organization')} and "
            f"{terms.setting('project')}"
        ),
        "organization",
        "project",
    )


class NotFoundError(APIStatusError):
    """404: no such completion (only store=true completions exist; they expire after 30 days).

    Through a data source it reads as the data source's answer: which completion, and why it
    may be missing.
    """

    hint = (
        "Only completions created with store=true can be read, updated or deleted, "
        "and stored completions expire after 30 days"
    )
    completion_id: str | None = None
    """The completion that was not found, when the call named one (see ``about_completion``)."""

    def render(self, terms: Terms = TERMS) -> str:
        if self.function is None or self.completion_id is None:
            return super().render(terms)
        answer = f"{self.endpoint} answered HTTP 404"
        if self.request_id:
            answer += f", request id {self.request_id}"
        return (
            f"{self.function}: completion_id {self.completion_id!r} names no stored completion "
            f"({answer}). It may have been created with store=false (only stored completions "
            "can be read), deleted, or expired (stored completions are kept for 30 days)."
        )


class ConflictError(APIStatusError):
    """409: the request conflicts with another one in flight."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests or tokens, or the quota is used up."""

    hint = "Wait and retry, lower parallelism (pulumi up --parallel N), or check your quota"


class InternalServerError(APIStatusError):
    """>= 500: the server failed; retrying later usually helps."""

    hint = "The server had a problem; try again later"


class APIConnectionError(APIError):
    """No usable answer arrived: connection refused, reset or dropped mid-response."""


class APITimeoutError(APIConnectionError):
    """The server did not answer within the timeout (chatcomp:timeout)."""


class APIResponseValidationError(APIError):
    """The server answered, but not with what the API promises (HTML page, broken JSON, ...)."""

    def __init__(self, problem: str, *, endpoint: str, response: httpx.Response) -> None:
        request_id = response.headers.get("x-request-id")
        sentence = f"{endpoint} returned an unexpected response (HTTP {response.status_code}): "
        sentence += problem.rstrip(".")
        if request_id:
            sentence += f" [request id {request_id}]"
        super().__init__(
            sentence, endpoint=endpoint, request=response.request, request_id=request_id
        )
        self.add_sentence(_OPENAI_COMPATIBLE)
        self.status_code = response.status_code
        self.response = response


_OPENAI_COMPATIBLE = Phrase(
    lambda terms: f"Check that {terms.setting('baseUrl')} points at an OpenAI-compatible API",
    "baseUrl",
)

_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

# Errors inside an SSE stream carry no status of their own; their `type` says which it is.
_TYPE_STATUS: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "rate_limit_error": 429,
    "rate_limit_exceeded": 429,
    "insufficient_quota": 429,
    "server_error": 500,
}


def _class_for(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


def status_error_from_response(
    response: httpx.Response, *, endpoint: str, hint: Text | None = None
) -> APIStatusError:
    """Build the ``APIStatusError`` subclass for an error response whose body has been read.

    Reads the API's envelope ``{"error": {"type", "code", "param", "message"}}``; a body in
    another shape (an HTML page from a proxy, plain text) becomes the message, shortened.
    """
    try:
        body: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    fields = _error_fields(body)
    if fields is None:
        text = " ".join(_TAG.sub(" ", response.text).split())
        message = _shorten(text) if text else "the response has no body"
        fields = {"message": message}
    return _class_for(response.status_code)(
        endpoint=endpoint, response=response, body=body, hint=hint, **fields
    )


def status_error_from_event(
    data: Mapping[str, Any], *, endpoint: str, response: httpx.Response
) -> APIStatusError:
    """Build the ``APIStatusError`` for an ``error`` event inside a stream.

    The HTTP status was 200 when the stream began, so ``status_code`` is derived from the error's
    ``type`` (or its own ``status``/``status_code`` field): e.g. ``server_error`` is 500.
    """
    fields = _error_fields(data) or {"message": "the stream reported an error"}
    error = data.get("error")
    status: object = None
    if isinstance(error, Mapping):
        status = error.get("status_code", error.get("status"))
    if not isinstance(status, int) or isinstance(status, bool) or status < 400:
        status = (
            _TYPE_STATUS.get(fields.get("error_type") or "")
            or _TYPE_STATUS.get(fields.get("code") or "")
            or 500
        )
    return _class_for(status)(
        endpoint=endpoint, response=response, status_code=status, body=dict(data), **fields
    )


def _error_fields(body: object) -> dict[str, Any] | None:
    if not isinstance(body, Mapping) or ("error" not in body and "message" not in body):
        return None
    error = body.get("error", body)
    if isinstance(error, str):
        return {"message": error}
    if not isinstance(error, Mapping) or not isinstance(error.get("message"), str | None):
        return None
    message = error.get("message") or "the server gave no message"
    return {
        "message": message,
        "error_type": _optional_str(error.get("type")),
        "code": _optional_str(error.get("code")),
        "param": _optional_str(error.get("param")),
    }


def _optional_str(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _details(error_type: str | None, code: str | None, param: str | None) -> list[tuple[str, str]]:
    pairs = [("type", error_type), ("code", code), ("param", param)]
    return [(label, value) for label, value in pairs if value]


def _end(sentence: str) -> str:
    """``sentence`` with exactly one full stop at the end (unless it ends in ? or !)."""
    sentence = sentence.rstrip()
    return sentence if sentence.endswith((".", "?", "!")) else sentence + "."


def _reason(status: int) -> str:
    import httpx  # loaded already: there is a response

    return httpx.codes.get_reason_phrase(status) or "Error"


def _shorten(text: str) -> str:
    if len(text) <= _SNIPPET_LENGTH:
        return text
    return text[: _SNIPPET_LENGTH - 3] + "..."


def _redact_json(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: _redact_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_json(item) for item in value]
    return value
