"""A local OpenAI-compatible stored-completions server (offline demos, tests, CI).

Start it with ``chatcomp-server --port 0`` (or ``python -m pulumi_chatcomp.server``); it
prints ``chatcomp-server listening on http://127.0.0.1:PORT`` and serves ``/v1``. From Python::

    from pulumi_chatcomp.server import LocalServer

    with LocalServer(["--api-key", "sk-local"]) as server:
        print(server.base_url)  # http://127.0.0.1:41234/v1

Admin API (outside ``/v1``, no key needed): ``GET /_admin/health``; ``GET``/``POST``/``DELETE
/_admin/faults`` (read, change some, reset; keys in ``pulumi_chatcomp.server._faults``);
``GET /_admin/counters`` (``{"POST /v1/chat/completions": 3, ...}``);
``POST /_admin/reset-counters``.

``create_app`` (the ASGI app) needs the ``server`` extra (starlette, uvicorn); the rest of
this package, including the pytest plugin, does not. Names load on first use.
"""

from __future__ import annotations

from pulumi_chatcomp import _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
