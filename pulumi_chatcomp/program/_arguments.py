"""A resource's arguments as generated Pulumi SDKs take them: ``args_and_opts``.

``(name, args, opts)``, ``(name, opts, **fields)`` with ``opts`` positional or not, and
keywords only, as pulumi-random and pulumi-tls do. A call that cannot be meant raises
``InvalidArgumentError`` naming the argument (the resource's boundary names the resource).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pulumi

from pulumi_chatcomp._exceptions import InvalidArgumentError

__all__ = ["args_and_opts"]

ArgsT = TypeVar("ArgsT")


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
    missing = [
        field.name
        for field in fields
        if field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
        and field.name not in kwargs
    ]
    if missing:
        raise InvalidArgumentError(
            " and ".join(missing), f"{'is' if len(missing) == 1 else 'are'} required"
        )
    return args_type(**kwargs), opts
