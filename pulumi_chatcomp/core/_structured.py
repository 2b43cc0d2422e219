"""Structured outputs: the ``parsed`` output, and what a strict ``json_schema`` create checks.

A completion whose ``response_format`` asks for JSON (``json_schema`` or ``json_object``) has
a ``parsed`` output: its first choice's content decoded as JSON (``parsed_of``), or None when
the content does not parse; any other completion has none. The data sources decide the same
way from the ``response_format`` a stored completion echoes (``parsed_from_answer``).

With ``json_schema`` and ``strict: true`` a create also holds the answer to the schema
(``StrictSchema``): the schema must be a JSON Schema before anything is sent, and the
answer must be JSON that validates against it, neither cut off (``finish_reason`` length)
nor a refusal; otherwise ``check_answer`` raises ``StructuredOutputError`` and the create
deletes the stored completion (``_operations.create``). Refresh never checks: a completion
that was accepted once stays accepted.

Validation uses ``jsonschema``, imported by the two methods that validate, which only a
create calls: programs, checks and reads never load it.

>>> parsed_of({"type": "json_object"}, '{"title": "Dune"}')
{'title': 'Dune'}
>>> parsed_of({"type": "json_object"}, "not JSON") is None
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pulumi_chatcomp._exceptions import InvalidArgumentError, StructuredOutputError

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = ["JSON_FORMATS", "StrictSchema", "json_format", "parsed_from_answer", "parsed_of"]

JSON_FORMATS: Final = ("json_schema", "json_object")
"""The ``response_format`` types whose answers are JSON, so have a ``parsed`` output."""

_SHOWN_LENGTH = 80


def json_format(response_format: object) -> str | None:
    """``json_schema`` or ``json_object`` when ``response_format`` asks for JSON, else None."""
    kind = response_format.get("type") if isinstance(response_format, Mapping) else None
    return kind if kind in JSON_FORMATS else None


def parsed_of(response_format: object, content: object) -> Any:
    """``content`` decoded as JSON when ``response_format`` asks for JSON; otherwise, or when
    it does not parse, None."""
    if json_format(response_format) is None or not isinstance(content, str):
        return None
    try:
        return _decoded(content)
    except ValueError:
        return None


def parsed_from_answer(answer: Mapping[str, Any]) -> Any:
    """``parsed`` of a completion as the API returns it (JSON), by the ``response_format`` a
    stored completion echoes.

    >>> parsed_from_answer({"response_format": {"type": "json_object"},
    ...     "choices": [{"message": {"content": "[1, 2]"}}]})
    [1, 2]
    """
    choices = answer.get("choices")
    first = choices[0] if isinstance(choices, list) and choices else {}
    message = first.get("message") if isinstance(first, Mapping) else None
    content = message.get("content") if isinstance(message, Mapping) else None
    return parsed_of(answer.get("response_format"), content)


@dataclass(frozen=True)
class StrictSchema:
    """The schema a strict ``json_schema`` create holds its answer to.

    >>> strict = StrictSchema.of({"type": "json_schema", "json_schema": {
    ...     "name": "book", "strict": True, "schema": {"type": "object", "required": ["title"]}}})
    >>> strict.check_answer({"content": "{}", "finish_reason": "stop"})
    Traceback (most recent call last):
    ...
    pulumi_chatcomp._exceptions.StructuredOutputError: the answer does not follow
    response_format.json_schema 'book' (strict): $ lacks the required property 'title'
    (schema at /required). Run pulumi up to ask again.
    """

    name: str
    schema: dict[str, Any]

    @classmethod
    def of(cls, response_format: object) -> StrictSchema | None:
        """The strict schema of a ``response_format``; None unless it is a strict
        ``json_schema`` (the API's default is not strict)."""
        if json_format(response_format) != "json_schema":
            return None
        assert isinstance(response_format, Mapping)
        spec = response_format.get("json_schema")
        if not isinstance(spec, Mapping) or spec.get("strict") is not True:
            return None
        # A strict format without a schema still promises JSON: any JSON value then.
        schema = spec.get("schema")
        return cls(str(spec.get("name", "")), dict(schema) if isinstance(schema, Mapping) else {})

    def check_schema(self) -> None:
        """Raise ``InvalidArgumentError`` when the schema is no JSON Schema: before the
        request, so that nothing is stored that no answer could satisfy."""
        from jsonschema.exceptions import SchemaError

        try:
            self._validator_class().check_schema(self.schema)
        except SchemaError as error:
            raise InvalidArgumentError(
                "response_format.json_schema.schema",
                f"is not a valid JSON Schema: at {_pointer(error.absolute_path)}, "
                f"{_shown(error.message)}",
            ) from None

    def check_answer(self, outputs: Mapping[str, Any]) -> None:
        """Raise ``StructuredOutputError`` unless the first choice (the ``content``,
        ``refusal``, ``finish_reason`` and ``tool_calls`` outputs) is JSON that validates.

        A choice that calls tools instead of answering has no content to hold to the schema.
        """
        if outputs.get("tool_calls"):
            return
        if outputs.get("refusal"):
            # The refusal is generated text (maybe secret): it is not quoted.
            raise self._error(
                "the model refused to answer (the first choice has a refusal)",
                next_step="Rephrase the prompt, then run pulumi up again",
            )
        finish_reason = outputs.get("finish_reason")
        if finish_reason == "length":
            raise self._error(
                "the content was cut off at the token limit (finish_reason 'length')",
                next_step="Raise max_completion_tokens, then run pulumi up again",
            )
        content = outputs.get("content")
        if not isinstance(content, str):
            why = f" (finish_reason {finish_reason!r})" if finish_reason else ""
            raise self._error(f"the first choice has no content{why}")
        try:
            instance = _decoded(content)
        except json.JSONDecodeError as error:
            raise self._error(
                f"the content is not JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno} (char {error.pos})"
            ) from None
        except ValueError as error:
            raise self._error(f"the content is not JSON: {error}") from None
        from jsonschema.exceptions import best_match

        found = best_match(self._validator_class()(self.schema).iter_errors(instance))
        if found is not None:
            raise self._error(
                _reason(found),
                content_path=found.json_path,
                schema_path=_pointer(found.absolute_schema_path),
            )

    def _validator_class(self) -> type[Validator]:
        from jsonschema import Draft202012Validator
        from jsonschema.validators import validator_for

        # Structured Outputs documents no draft: a schema's own "$schema" wins, else 2020-12.
        # "format" stays an annotation (as 2020-12 has it), so no format needs a plugin.
        return validator_for(self.schema, default=Draft202012Validator)

    def _error(
        self,
        reason: str,
        *,
        content_path: str | None = None,
        schema_path: str | None = None,
        next_step: str = "Run pulumi up to ask again",
    ) -> StructuredOutputError:
        return StructuredOutputError(
            self.name,
            reason,
            content_path=content_path,
            schema_path=schema_path,
            next_step=next_step,
        )


def _decoded(content: str) -> Any:
    # NaN and Infinity are not JSON (and no Pulumi value), though Python's json reads them.
    return json.loads(content, parse_constant=_not_json)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _reason(error: ValidationError) -> str:
    # Worded from the schema and the JSON type of the value, never from the value itself:
    # the content is generated text, which secret_outputs may keep secret.
    keyword, instance = error.validator, error.instance
    expected: Any = error.validator_value  # set on every error best_match returns
    if keyword == "type":
        wanted = (
            f"type {expected!r}"
            if isinstance(expected, str)
            else "one of types " + ", ".join(repr(t) for t in expected)
        )
        return f"is {_kind(instance)}, the schema wants {wanted}"
    if keyword == "required" and isinstance(instance, Mapping):
        missing = [name for name in expected if name not in instance]
        return f"lacks the required property {_shown(repr(missing[0]))}"
    if keyword == "additionalProperties" and isinstance(instance, Mapping):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = sorted(str(name) for name in instance if name not in allowed)
        names = _shown(", ".join(repr(name) for name in extra))
        return f"has properties the schema does not allow ({names})"
    if keyword == "enum":
        return f"is not one of the schema's values {_shown(repr(expected))}"
    if keyword == "const":
        return f"is not the schema's constant {_shown(repr(expected))}"
    if keyword == "anyOf":
        return "matches none of the schema's anyOf branches"
    if keyword == "oneOf":
        return "matches not exactly one of the schema's oneOf branches"
    if keyword == "not":
        return "matches the schema's 'not'"
    if keyword is None:  # a false schema: nothing is allowed there
        return "is not allowed by the schema"
    return f"breaks the schema's {keyword} {_shown(json.dumps(expected))}"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _pointer(path: Any) -> str:
    """A JSON pointer (RFC 6901) for jsonschema's path of keys and indexes."""
    steps = [str(step).replace("~", "~0").replace("/", "~1") for step in path]
    return "/" + "/".join(steps) if steps else "/"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."
