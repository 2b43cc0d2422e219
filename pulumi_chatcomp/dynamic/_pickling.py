"""The pickled provider every ChatCompletion's state holds: ``serialized_provider()``.

``pulumi.dynamic.Resource.__init__`` pickles each resource's provider with
``serialize_provider``. To sort dicts it sets
``pickle._Pickler._batch_setitems`` to a wrapper around whatever is there, and never puts it
back. So every dynamic resource a program declares adds one wrapper to a chain that each
later pickled dict walks through: declaring gets slower with every resource, and once about
975 resources are declared, pickling a provider whose state is a dict (ours is) exceeds
Python's recursion limit and the program fails with ``RecursionError``.

Our provider holds nothing, so its pickled form is the same for every resource:
``serialized_provider(ChatCompletionProvider)`` makes it once per program, with the SDK's
own ``serialize_provider``, inside ``pickler_restored()``, which puts the two attributes
back as they were. The ``__provider`` string is the one already in every stack's state.
``pulumi_chatcomp._sdk`` lists this with the test that fails once the SDK stops doing it.

>>> import pickle
>>> before = pickle._Pickler._batch_setitems
>>> with pickler_restored():
...     pickle._Pickler._batch_setitems = lambda self, items: None
>>> pickle._Pickler._batch_setitems is before
True
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from collections.abc import Iterator

from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

__all__ = ["pickler_restored", "serialized_provider"]

# The pure-Python pickler's attributes that serialize_provider replaces (dill's Pickler
# derives from it, so every dill pickle uses them).
_REPLACED = ("_batch_setitems", "save_dict")


@contextlib.contextmanager
def pickler_restored() -> Iterator[None]:
    """Run the body, then give ``pickle._Pickler`` back the attributes it had before."""
    pickler = pickle._Pickler
    saved = {name: pickler.__dict__[name] for name in _REPLACED if name in pickler.__dict__}
    try:
        yield
    finally:
        for name in _REPLACED:
            if name in saved:
                setattr(pickler, name, saved[name])
            elif name in pickler.__dict__:
                delattr(pickler, name)


@functools.cache
def serialized_provider(provider: type[ResourceProvider]) -> str:
    """The ``__provider`` property of every resource of a ``provider`` that holds nothing
    (an instance is the same as any other): pickled once, the pickler left as it was."""
    with pickler_restored():
        pickled: str = serialize_provider(provider())
    return pickled
