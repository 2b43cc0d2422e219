"""A local OpenAI-compatible stored-completions server (offline demos, tests, CI).

Start it with ``chatcomp-server --port 0`` or ``python -m pulumi_chatcomp.server``.
"""

from __future__ import annotations

__all__: list[str] = []
