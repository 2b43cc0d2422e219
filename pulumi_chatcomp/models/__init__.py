"""The pydantic model layer shared by the client, server, provider and data sources.

Requests refuse unknown fields and check the API's limits; responses keep unknown fields.
``validation_problems`` words a ``ValidationError`` for users.

Names are imported on first use: a Pulumi program that only needs the pure checks
(``deprecated_fields``, ``validate_metadata``, the ``METADATA_*`` limits) never loads
pydantic, and a provider builds only the models it touches.

>>> from pulumi_chatcomp.models import ChatCompletionCreateParams
>>> ChatCompletionCreateParams(
...     model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]
... ).to_body()
{'messages': [{'role': 'user', 'content': 'Hello'}], 'model': 'gpt-4o-mini'}
"""

from __future__ import annotations

from pulumi_chatcomp import _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
