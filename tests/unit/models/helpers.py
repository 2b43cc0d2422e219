"""Request bodies and problem extraction shared by the model tests."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pulumi_chatcomp.models import ChatCompletionCreateParams, FieldProblem, validation_problems

USER = {"role": "user", "content": "Write a haiku about mountain rivers."}


def request(**fields: Any) -> dict[str, Any]:
    """A minimal valid request body with ``fields`` added or replaced."""
    return {"model": "gpt-4o", "messages": [USER], **fields}


def problems_of(body: dict[str, Any]) -> list[FieldProblem]:
    """The problems of an invalid body; fails the test if the body is valid."""
    with pytest.raises(ValidationError) as caught:
        ChatCompletionCreateParams.from_body(body, warn_deprecated=False)
    return validation_problems(caught.value)
