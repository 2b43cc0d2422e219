"""``FieldProblem``: one thing wrong with an input, in the user's words.

It lives apart from ``_problems`` (which words pydantic errors): the checks that need no
pydantic (``deprecated_fields``, ``validate_metadata``) use it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with an input, in the user's words.

    ``path`` says where (``messages[2].content[0].image_url.url``; ``""`` for the input as a
    whole) and ``message`` is a complete sentence that starts with that path and says what
    is wrong and what is allowed. Messages never repeat long or secret-looking values.

    >>> FieldProblem("n", "n must be between 1 and 128, got 0").message
    'n must be between 1 and 128, got 0'
    """

    path: str
    message: str

    def __str__(self) -> str:
        return self.message
