"""The package's one way to load names on first use: a package's stub lists them once.

A package's ``__init__.pyi`` lists each public name once, as ``from <module> import Name as
Name``; type checkers read that file, and ``attach_stub`` reads it too, so that the package's
``__init__.py`` imports each name's module only when the name is first used (PEP 562).
Everything else is imported at the top of its module.

It is used only where loading a name's module early costs a process what it does not use;
``bench/bench_import.py`` measures each package's import as it is and as if eager:

- ``pulumi_chatcomp``: a program's ``from pulumi_chatcomp import ChatCompletion`` loads
  neither pydantic nor httpx;
- ``pulumi_chatcomp.models``: the program's pure checks (``deprecated_fields``) load no
  pydantic;
- ``pulumi_chatcomp.client``: ``core._check`` uses ``client._idempotency``, and the host's
  first check must not wait for httpx and the response models;
- ``pulumi_chatcomp.server``: the pytest plugin and ``LocalServer`` load no starlette or
  uvicorn (``create_app`` needs the ``server`` extra).

Otherwise a function imports a module where it runs only to keep it off a measured
start-up, as these two, each kept so by a test:

- ``plugin._server`` prints the plugin's port, then imports the provider on a thread
  (``tests/unit/plugin/test_server.py``);
- ``provider``'s methods import ``dynamic._operations`` where they run: every program
  imports the class to pickle it, and only the provider host calls them
  (``tests/unit/test_resource.py``).

Example, in a package's ``__init__.py``::

    __getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)

>>> import pulumi_chatcomp.client as client
>>> client.__all__  # the names of client/__init__.pyi
['ChatCompletionsClient', 'get_client']
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
    # The order ruff's RUF022 keeps ``__all__`` in (CONSTANTS, Classes, the rest);
    # tests/unit/test_exported_members.py asks ruff whether each package's list is in it.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)
