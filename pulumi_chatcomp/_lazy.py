"""PEP 562 lazy names for a package's ``__init__``: ``attach()``.

The package root and ``pulumi_chatcomp.models`` list where each public name lives and
import that module on first access, so that a program, the server or a policy pack pays
only for what it uses.

>>> getattr_, dir_ = attach("json", {"JSONDecoder": ".decoder"}, ["JSONDecoder"])
>>> getattr_("JSONDecoder").__module__
'json.decoder'
>>> "JSONDecoder" in dir_()
True
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str, homes: Mapping[str, str], names: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``homes`` maps each lazy name to
    its module (relative to ``package``); ``names`` is its public ``__all__``."""
    public = set(names)

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        vars(sys.modules[package])[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | public)

    return __getattr__, __dir__
