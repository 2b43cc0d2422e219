"""Cursor pages: the envelope of both list endpoints."""

from __future__ import annotations

from typing import Generic, TypeVar

from pulumi_chatcomp.models._base import ResponseModel
from pulumi_chatcomp.models._response import ChatCompletion, ChatCompletionStoreMessage

Item = TypeVar("Item")


class CursorPage(ResponseModel, Generic[Item]):
    """One page of a list: ``data`` plus the cursors around it.

    Ask for the next page with ``after=last_id`` while ``has_more`` is true. On an empty
    page ``first_id`` and ``last_id`` may be empty or null.

    >>> page = CursorPage[ChatCompletion].model_validate(
    ...     {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    ... )
    >>> page.data, page.has_more
    ([], False)
    """

    object: str = "list"
    data: list[Item]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


ChatCompletionList = CursorPage[ChatCompletion]
"""A page of ``GET /chat/completions``."""
ChatCompletionMessageList = CursorPage[ChatCompletionStoreMessage]
"""A page of ``GET /chat/completions/{completion_id}/messages``."""
