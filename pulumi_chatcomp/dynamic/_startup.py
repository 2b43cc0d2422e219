"""What the package's ``.pth`` file runs as Python starts: in the dynamic provider host only,
``pulumi import`` of a dynamic ChatCompletion fails with one line that says what to do.

``pulumi import pulumi-python:dynamic/chatcomp:ChatCompletion NAME ID`` has the engine ask
the dynamic provider host (``python -m pulumi.dynamic``) to read the resource with no
properties at all. A dynamic provider lives pickled in each resource's state, so the host
has none to ask: its ``get_provider`` fails with ``KeyError: '__provider'`` and the engine
prints the host's 30-line traceback. Nothing of this package is loaded in that host then
(nothing is unpickled), so the one way in is Python's start: installing the package puts
``pulumi_chatcomp-startup.pth`` in site-packages (``build-backend/`` adds it to every
wheel, editable ones included), whose one line imports this module only in a process whose
command line names ``pulumi.dynamic``, and costs nothing in any other.

There ``adapt`` wraps ``traceback.format_exc``, which the host uses to send errors to the
engine: for that one error, raised in the host's ``Read`` of one of our resources, it
gives ``IMPORT_HINT`` instead; for anything else, the traceback as before. It relies on the
host's shape (a ``Read(self, request, context)`` whose ``request`` has ``urn`` and ``id``)
only to find that case, and leaves the traceback alone when it finds another shape.
``_host`` adapts the same host further once our provider is loaded.

>>> print(IMPORT_HINT.format(id="chatcmpl-123"))
pulumi import cannot read a pulumi-python:dynamic/chatcomp:ChatCompletion (dynamic \
resources keep their provider in state, so there is none to read it with): declare it in the \
program with opts=pulumi.ResourceOptions(import_="chatcmpl-123") and the same model and \
messages, then run pulumi up; or import it as the provider plugin's \
chatcomp:index:ChatCompletion
"""

from __future__ import annotations

import itertools
import sys
import traceback
from types import TracebackType
from typing import Any

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN

__all__ = ["IMPORT_HINT", "adapt", "import_hint"]

IMPORT_HINT = (
    f"pulumi import cannot read a {TYPE_TOKEN} (dynamic resources keep their provider in "
    "state, so there is none to read it with): declare it in the program with "
    'opts=pulumi.ResourceOptions(import_="{id}") and the same model and messages, then run '
    f"pulumi up; or import it as the provider plugin's {PLUGIN_TYPE_TOKEN}"
)
"""What ``pulumi import`` of a dynamic ChatCompletion prints instead of the host's traceback."""

_PROVIDER_KEY = "__provider"  # pulumi.dynamic's, not imported: the host has not loaded it yet


def adapt() -> bool:
    """In the dynamic provider host, word the import error (idempotent); True if adapted.

    Never raises: it runs while Python starts, where an error would print a traceback.
    """
    try:
        argv = sys.orig_argv
        in_host = any(
            flag == "-m" and module == "pulumi.dynamic" for flag, module in itertools.pairwise(argv)
        )
        if not in_host:
            return False
        if not isinstance(traceback.format_exc, _FormatExc):
            traceback.format_exc = _FormatExc(traceback.format_exc)
        return True
    except Exception:
        return False


def import_hint(error: BaseException | None) -> str | None:
    """``IMPORT_HINT`` when ``error`` is the host's failure to read a ChatCompletion that
    ``pulumi import`` asked for, else None.

    >>> import_hint(KeyError("__provider")) is None  # not raised in the host's Read
    True
    """
    if not isinstance(error, KeyError) or error.args != (_PROVIDER_KEY,):
        return None
    request = _read_request(error.__traceback__)
    urn = getattr(request, "urn", None)
    if not isinstance(urn, str) or urn.count("::") < 3:
        return None
    # urn:pulumi:<stack>::<project>::<parent types $ ...>type::<name>
    type_token = urn.split("::")[2].rsplit("$", 1)[-1]
    if type_token != TYPE_TOKEN:
        return None
    return IMPORT_HINT.format(id=getattr(request, "id", "") or "chatcmpl-...")


def _read_request(frames: TracebackType | None) -> Any:
    while frames is not None:
        code = frames.tb_frame.f_code
        if code.co_name == "Read" and "request" in code.co_varnames:
            return frames.tb_frame.f_locals.get("request")
        frames = frames.tb_next
    return None


class _FormatExc:
    """``traceback.format_exc``, except for the error ``import_hint`` words."""

    def __init__(self, original: Any) -> None:
        self._original = original

    def __call__(self, limit: int | None = None, chain: bool = True) -> str:
        try:
            hint = import_hint(sys.exc_info()[1])
        except Exception:
            hint = None
        if hint is not None:
            return hint
        text: str = self._original(limit, chain)
        return text
