"""Base classes and small building blocks shared by every model module.

Request models refuse unknown fields so that a typo such as ``temprature`` is reported
instead of silently dropped; response models keep unknown fields because the API adds
fields over time.

Discriminated unions use a callable discriminator whose tags read ``key=value``
(``role=user``, ``type=image_url``). Pydantic puts the tag into error locations; a tag
that cannot look like a field name lets ``validation_problems`` drop it reliably (a plain
``type`` discriminator would put ``image_url`` next to the field ``image_url``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    GetCoreSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
)
from pydantic_core import PydanticCustomError, core_schema

# Error types that carry extra meaning for ``validation_problems``.
TAG_ERROR_PREFIX = "chatcomp_tag:"
OUT_OF_RANGE = "chatcomp_out_of_range"
INVALID_VALUE = "chatcomp_invalid"
PREWORDED = "chatcomp_preworded"

Number = TypeVar("Number", int, float)


class RequestModel(BaseModel):
    """Base for request bodies: unknown fields are errors, and values are not converted to
    another type (``"no"`` is no boolean, ``true`` no number), as the API refuses them too."""

    openapi: ClassVar[str] = ""
    """Where the model is in OpenAI's OpenAPI spec: a schema of ``components.schemas``, then
    properties (``[]``: a list's items; ``(Title)`` or ``(1)``: a branch of a union), e.g.
    ``ChatCompletionRequestMessageContentPartImage.image_url``. The plugin's schema takes
    the model's and its fields' descriptions from there."""

    model_config = ConfigDict(extra="forbid", defer_build=True, strict=True)


def whole_numbers(value: Any) -> Any:
    """``value`` with every whole float made an int, at any depth.

    Pulumi's wire carries every number as a double, so a program's ``2`` arrives as ``2.0``;
    it is still the whole number the program wrote.

    >>> whole_numbers({"n": 2.0, "temperature": 0.5, "stop": [True]})
    {'n': 2, 'temperature': 0.5, 'stop': [True]}
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


class ResponseModel(BaseModel):
    """Base for API responses: unknown fields are kept (``model_extra``) rather than refused."""

    openapi: ClassVar[str] = ""
    """Where the model is in OpenAI's OpenAPI spec (see ``RequestModel.openapi``)."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    # Fields the API always sends, null or not; `exclude_none` must not drop them.
    _required_nullable: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _keep_required_nulls(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        if info.exclude_none and isinstance(data, dict):
            for name in self._required_nullable:
                data.setdefault(name, None)
        return data

    def to_dict(self) -> dict[str, Any]:
        """The object as the API sends it: JSON-ready, optional fields that are null left
        out, fields the API always sends (such as ``content``) kept even when null."""
        return self.model_dump(mode="json", exclude_none=True)


def tag(key: str, value: str) -> str:
    """The union tag of the member whose ``key`` field equals ``value``."""
    return f"{key}={value}"


def tagged_by(key: str, *, infer: Callable[[Any], str | None] | None = None) -> Any:
    """Marks a union of models as told apart by their field ``key``: in
    ``Annotated[A | B, tagged_by("type")]`` each member is tagged ``tag(key, value)``, its
    ``value`` the default of its ``key`` field, so each tag is written once, in its model.
    An input whose ``key`` is none of them is refused with the values allowed.

    ``infer`` guesses the tag when the input lacks ``key`` (used for responses, where the
    spec does not require ``type`` on tool calls).

    >>> from pydantic import TypeAdapter
    >>> from pulumi_chatcomp.models import ResponseFormat
    >>> formats = TypeAdapter(ResponseFormat)
    >>> type(formats.validate_python({"type": "json_object"})).__name__
    'ResponseFormatJSONObject'
    """
    return _TaggedUnion(key, infer)


@dataclass(frozen=True)
class _TaggedUnion:
    key: str
    infer: Callable[[Any], str | None] | None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        values = [member.model_fields[self.key].default for member in get_args(source)]
        tagged = [
            Annotated[member, Tag(tag(self.key, value))]
            for member, value in zip(get_args(source), values, strict=True)
        ]
        union = functools.reduce(operator.or_, tagged)
        return handler.generate_schema(Annotated[union, self._discriminator(values)])

    def _discriminator(self, allowed: list[str]) -> Discriminator:
        key, infer = self.key, self.infer

        def discriminate(value: Any) -> str | None:
            found = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
            if isinstance(found, str):
                return tag(key, found)
            return infer(value) if infer is not None and isinstance(value, dict) else None

        # The allowed values travel in the message: a context dict would make the
        # discriminator unhashable, which breaks unions that contain it.
        return Discriminator(
            discriminate,
            custom_error_type=TAG_ERROR_PREFIX + key,
            custom_error_message=_one_of(allowed),
        )


def between(low: Number, high: Number) -> AfterValidator:
    """Validator: the value must lie in ``[low, high]`` (both ends allowed)."""

    def check(value: Number) -> Number:
        if not low <= value <= high:
            raise PydanticCustomError(
                OUT_OF_RANGE,
                "must be between {low} and {high}, got {value}",
                {"low": _number(low), "high": _number(high), "value": _number(value)},
            )
        return value

    return AfterValidator(check)


def invalid(message: str, *, at: str = "") -> PydanticCustomError:
    """An error with a ready-worded message; ``at`` is a path relative to the error location."""
    return PydanticCustomError(INVALID_VALUE, message, {"at": at} if at else None)


def preworded(message: str, *, at: str = "") -> PydanticCustomError:
    """An error whose message is already a whole sentence, path included."""
    return PydanticCustomError(PREWORDED, message, {"at": at} if at else None)


def _one_of(values: list[str]) -> str:
    quoted = [repr(value) for value in values]
    if len(quoted) == 1:
        return quoted[0]
    return "one of " + ", ".join(quoted)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
