"""The error boundary of the program face: ``reported(function)``.

An error raised in a Pulumi program is printed by Pulumi's exec script with the program's
traceback, unless it is a ``pulumi.RunError``, whose message alone is printed. So every
``ChatCompError`` that leaves a data source or the resource's constructor, from the plain form
or from inside an ``_output`` form's Output, names the function the user called
(``_exceptions.entry_point``) and is also a ``pulumi.RunError``; it stays an instance of its
own class, so ``except NotFoundError`` still works in the program and outside Pulumi alike.

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

from pulumi_chatcomp._exceptions import ChatCompError, entry_point

__all__ = ["reported"]

_classes: dict[type[ChatCompError], type[ChatCompError]] = {}
_classes_lock = threading.Lock()


@contextlib.contextmanager
def reported(function: str) -> Iterator[None]:
    """Let a ``ChatCompError`` raised in the body name ``function`` and print cleanly."""
    try:
        with entry_point(function):
            yield
    except ChatCompError as error:
        # The same object (traceback, cause and attributes kept), with one more base class.
        error.__class__ = _run_error_class(type(error))
        raise


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
