"""A package's public names, listed once in its stub and imported on first use.

A package's ``__init__.pyi`` lists each public name once, as ``from <module> import Name as
Name``; type checkers read that file, and ``attach_stub`` reads it too, so that the package's
``__init__.py`` imports each name's module only when the name is first used (PEP 562), so
each process pays only for what it uses (importing ``pulumi_chatcomp.server`` does not load
the Pulumi SDK).

Example, in a package's ``__init__.py``::

    __getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["attach_stub"]


def attach_stub(
    package: str, init_file: str
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of ``package``, from its stub
    (``__init__.pyi`` beside ``init_file``): the names it imports load lazily, the names it
    only annotates (such as ``__version__``) are the package's own."""
    homes, own = _read(Path(init_file).with_suffix(".pyi"))
    public = sorted({*homes, *own}, key=_isort_order)

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        vars(sys.modules[package])[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public))

    return __getattr__, __dir__, public


def _read(stub: Path) -> tuple[dict[str, str], set[str]]:
    homes: dict[str, str] = {}
    own: set[str] = set()
    for node in ast.parse(stub.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                # Only `Name as Name` is a re-export; anything else is the stub's own import.
                if alias.asname == alias.name:
                    homes[alias.name] = node.module
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            own.add(node.target.id)
    own.discard("__all__")
    return homes, own


def _isort_order(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes, then the rest.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)
