"""The data sources' error boundary: ``reported(function)``.

An error raised in a Pulumi program is printed by Pulumi's exec script with the program's
traceback, unless it is a ``pulumi.RunError``, whose message alone is printed. So every
``ChatCompError`` that leaves a data source, from the plain form or from inside an
``_output`` form's Output, names the function the user called and is also a
``pulumi.RunError``; it stays an instance of its own class, so ``except NotFoundError``
still works in the program and outside Pulumi alike.

>>> from pulumi_chatcomp._exceptions import ConfigurationError
>>> try:
...     with reported("get_chat_completions"):
...         raise ConfigurationError("chatcomp:timeout must be a positive number of seconds")
... except pulumi.RunError as error:
...     print(type(error).__name__, "|", error)
ConfigurationError | get_chat_completions: chatcomp:timeout must be a positive number of seconds
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pulumi

from pulumi_chatcomp._exceptions import ChatCompError

__all__ = ["as_run_error", "reported"]

_classes: dict[type[ChatCompError], type[ChatCompError]] = {}
_classes_lock = threading.Lock()


@contextlib.contextmanager
def reported(function: str) -> Iterator[None]:
    """Let a ``ChatCompError`` raised in the body name ``function`` and print cleanly."""
    try:
        yield
    except ChatCompError as error:
        text = str(error)
        if not text.startswith(f"{function}:"):
            error.args = (f"{function}: {text}",)
        raise as_run_error(error) from error.__cause__


def as_run_error(error: ChatCompError) -> ChatCompError:
    """``error`` itself, made a ``pulumi.RunError`` as well (its class gains one base)."""
    # Same object: traceback, cause and attributes are kept.
    error.__class__ = _run_error_class(type(error))
    return error


def _run_error_class(cls: type[ChatCompError]) -> type[ChatCompError]:
    if issubclass(cls, pulumi.RunError):
        return cls
    with _classes_lock:
        found = _classes.get(cls)
        if found is None:
            names = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
            found = _classes[cls] = type(
                cls.__name__, (cls, pulumi.RunError), {**names, "__doc__": cls.__doc__}
            )
        return found
