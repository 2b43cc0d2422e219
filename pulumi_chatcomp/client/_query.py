"""The list's arguments, each checked, and the query string they make.

Every caller that lists stored completions (the client's ``list``, the data sources and the
plugin's invokes through ``core._reads``) checks its arguments here, so the rules are the
same everywhere; the client sends ``params()``.

>>> ListQuery.of(" gpt-4o-mini ", {"team": "ml"}, "desc", None).params()
{'model': 'gpt-4o-mini', 'metadata[team]': 'ml', 'order': 'desc'}
"""

from __future__ import annotations

from dataclasses import dataclass

from pulumi_chatcomp.models._lists import (
    Order,
    check_limit,
    check_list_metadata,
    check_model,
    check_order,
)

__all__ = ["ListQuery"]


@dataclass(frozen=True)
class ListQuery:
    """Which stored completions to list: filters, order, and a cap on how many in all."""

    model: str | None = None
    metadata: dict[str, str] | None = None
    order: Order | None = None
    limit: int | None = None
    """How many completions in all (None: every one); a page's size is the client's."""

    @classmethod
    def of(cls, model: object, metadata: object, order: object, limit: object) -> ListQuery:
        """The query of these arguments, each checked (``InvalidArgumentError`` names the
        first that is wrong)."""
        return cls(
            check_model(model),
            check_list_metadata(metadata),
            check_order(order),
            check_limit(limit),
        )

    def params(self) -> dict[str, str | int]:
        """The query string, as the API takes it (``metadata[key]=value``), without the limit."""
        params: dict[str, str | int] = {}
        if self.model is not None:
            params["model"] = self.model
        for key, value in (self.metadata or {}).items():
            params[f"metadata[{key}]"] = value
        if self.order is not None:
            params["order"] = self.order
        return params
