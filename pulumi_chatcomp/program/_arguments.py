"""A resource's arguments as generated Pulumi SDKs take them: ``args_and_opts``.

``(name, args, opts)``, ``(name, opts, **fields)`` with ``opts`` positional or not, and
keywords only, as pulumi-random and pulumi-tls do. A call that cannot be meant raises
``InvalidArgumentError`` naming the argument (the resource's boundary names the resource).

An args class made with ``resource_arguments`` takes a misspelt or missing field too, and
keeps the call, so that the resource it is given to reports it exactly as it reports the
same fields given as keywords (an args object does not know its resource's name, and a
``TypeError`` from its constructor would print a traceback under ``pulumi up``).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pulumi

from pulumi_chatcomp._exceptions import InvalidArgumentError

__all__ = ["args_and_opts", "resource_arguments"]

ArgsT = TypeVar("ArgsT")

# Where an args object made from a bad call keeps that call's keywords.
_BAD_CALL = "_bad_call"


def resource_arguments(args_type: type[ArgsT]) -> type[ArgsT]:
    """Make a keyword-only args dataclass keep a call with unknown or missing fields, for
    ``args_and_opts`` to report with the resource's name, instead of raising ``TypeError``.

    >>> @resource_arguments
    ... @dataclasses.dataclass(frozen=True, kw_only=True)
    ... class PetArgs:
    ...     length: int
    >>> args_and_opts(PetArgs, [PetArgs(lenght=2)], {})
    Traceback (most recent call last):
    ...
    pulumi_chatcomp._exceptions.InvalidArgumentError: lenght is not an argument of Pet \
(see PetArgs); did you mean 'length'?
    """
    init = args_type.__init__
    fields = dataclasses.fields(args_type)  # type: ignore[arg-type]
    names = {field.name for field in fields}
    required = {field.name for field in fields if _required(field)}

    @functools.wraps(init)
    def __init__(self: Any, *positional: Any, **keywords: Any) -> None:
        if positional or (keywords.keys() <= names and required <= keywords.keys()):
            init(self, *positional, **keywords)
            return
        for field in fields:
            value = keywords.get(field.name, _default(field))
            object.__setattr__(self, field.name, value)
        object.__setattr__(self, _BAD_CALL, dict(keywords))

    args_type.__init__ = __init__  # type: ignore[method-assign]
    return args_type


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return None


def args_and_opts(
    args_type: type[ArgsT], positional: Sequence[Any], keywords: Mapping[str, Any]
) -> tuple[ArgsT | None, pulumi.ResourceOptions | None]:
    """The args (``args_type``, a dataclass) and options of a resource's constructor call.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class PetArgs:
    ...     length: int
    >>> options = pulumi.ResourceOptions(protect=True)
    >>> args_and_opts(PetArgs, [options], {"length": 2})
    (PetArgs(length=2), ...)
    """
    kwargs = dict(keywords)
    if len(positional) > 2:
        raise InvalidArgumentError(
            "arguments", f"after the name are at most args and opts, got {len(positional)}"
        )
    slots: dict[str, object] = dict(zip(("args", "opts"), positional, strict=False))
    for name in ("args", "opts"):
        if kwargs.get(name) is not None:
            if slots.get(name) is not None:
                raise InvalidArgumentError(name, f"is given twice, positionally and as {name}=")
            slots[name] = kwargs[name]
        kwargs.pop(name, None)
    args, opts = slots.get("args"), slots.get("opts")
    if isinstance(args, pulumi.ResourceOptions):  # (name, opts, **fields)
        if opts is not None:
            raise InvalidArgumentError("opts", "is given twice, positionally and as opts=")
        args, opts = None, args
    kind = args_type.__name__
    if args is not None and not isinstance(args, args_type):
        raise InvalidArgumentError(
            "args", f"must be a {kind} or pulumi.ResourceOptions, got {type(args).__name__}"
        )
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise InvalidArgumentError(
            "opts", f"must be a pulumi.ResourceOptions, got {type(opts).__name__}"
        )
    if args is not None and kwargs:
        given = ", ".join(sorted(kwargs))
        raise InvalidArgumentError(
            "args", f"and keyword arguments cannot both be given (got args and {given})"
        )
    bad_call = getattr(args, _BAD_CALL, None)
    if bad_call is not None:  # reported as the same fields given as keywords are
        args, kwargs = None, bad_call
    if not kwargs:
        return args, opts
    fields = dataclasses.fields(args_type)  # type: ignore[arg-type]
    names = sorted(field.name for field in fields)
    unknown = sorted(set(kwargs) - set(names))
    if unknown:
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        resource = kind.removesuffix("Args")
        raise InvalidArgumentError(
            ", ".join(unknown),
            f"{'is not an argument' if len(unknown) == 1 else 'are not arguments'} of "
            f"{resource} (see {kind}){hint}",
        )
    missing = [field.name for field in fields if _required(field) and field.name not in kwargs]
    if missing:
        raise InvalidArgumentError(
            " and ".join(missing), f"{'is' if len(missing) == 1 else 'are'} required"
        )
    return args_type(**kwargs), opts
