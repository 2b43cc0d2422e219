"""The API client: one pooled httpx client per process and settings, for the six stored
Chat Completions endpoints, shared by every face.

``ChatCompletionsClient`` (``_client``) sends each request through the one retry loop of
``_http`` (whose rules are the pure functions of ``_retry``), follows cursor pages
(``_pages``), assembles streamed answers (``_stream``), turns bodies into models or errors
(``_parse``) and makes creates idempotent (``_idempotency``). Its names load on first use: the
provider's first check uses ``_idempotency``, and must not wait for httpx (see ``_lazy``).
"""

from __future__ import annotations

from pulumi_chatcomp import _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
