"""validation_problems: paths in the user's words and messages that say what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chatcomp.models import FieldProblem
from tests.unit.models.helpers import problems_of, request

IMAGE_WITH_BAD_URL = {
    "role": "user",
    "content": [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {}}],
}


def test_path_of_a_deep_error_uses_indices_and_field_names_only() -> None:
    body = request(messages=[{"role": "system", "content": "x"}, {"role": "user", "content": "y"}])
    body["messages"].append(IMAGE_WITH_BAD_URL)
    (problem,) = problems_of(body)
    assert problem == FieldProblem(
        "messages[2].content[1].image_url.url", "messages[2].content[1].image_url.url is required"
    )


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        pytest.param(
            {"response_format": {"type": "xml"}},
            "response_format.type",
            "response_format.type must be one of 'text', 'json_schema', 'json_object', got 'xml'",
            id="response-format-unknown-type",
        ),
        pytest.param(
            {"response_format": {"type": "json_schema", "json_schema": {}}},
            "response_format.json_schema.name",
            "response_format.json_schema.name is required",
            id="json-schema-needs-name",
        ),
        pytest.param(
            {"tools": [{"type": "web", "web": {}}]},
            "tools[0].type",
            "tools[0].type must be one of 'function', 'custom', got 'web'",
            id="tool-unknown-type",
        ),
        pytest.param(
            {"tools": [{"function": {"name": "f"}}]},
            "tools[0].type",
            "tools[0].type is required: one of 'function', 'custom'",
            id="tool-without-type",
        ),
        pytest.param(
            {"tool_choice": {"type": "function", "function": {}}},
            "tool_choice.function.name",
            "tool_choice.function.name is required",
            id="tool-choice-object-missing-name",
        ),
        pytest.param(
            {"tool_choice": "sometimes"},
            "tool_choice",
            "tool_choice must be 'none', 'auto' or 'required' or an object with type one of"
            " 'allowed_tools', 'function', 'custom', got 'sometimes'",
            id="tool-choice-unknown-mode",
        ),
        pytest.param(
            {"tool_choice": {"type": "any"}},
            "tool_choice.type",
            "tool_choice.type must be one of 'allowed_tools', 'function', 'custom', got 'any'",
            id="tool-choice-unknown-type",
        ),
        pytest.param(
            {"function_call": "always"},
            "function_call",
            "function_call must be 'none' or 'auto' or an object, got 'always'",
            id="function-call-unknown-mode",
        ),
        pytest.param(
            {"stop": 7},
            "stop",
            "stop must be a string or a list, got 7",
            id="stop-wrong-kind",
        ),
        pytest.param(
            {"audio": {"voice": 7, "format": "mp3"}},
            "audio.voice",
            "audio.voice must be a string or an object, got 7",
            id="voice-wrong-kind",
        ),
        pytest.param(
            {"store": True, "metadata": {"team": 7}},
            'metadata["team"]',
            'metadata["team"] must be a string, got 7',
            id="metadata-value-not-string",
        ),
        pytest.param(
            {"tools": [{"type": "function", "function": {"name": "f", "paramters": {}}}]},
            "tools[0].function.paramters",
            "tools[0].function.paramters is not a known field; did you mean 'parameters'?",
            id="nested-typo",
        ),
        pytest.param(
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "image_url",
                                "image_url": {"url": "https://example.com/a.png", "detial": "low"},
                            }
                        ],
                    }
                ]
            },
            "messages[0].content[0].image_url.detial",
            "messages[0].content[0].image_url.detial is not a known field; did you mean 'detail'?",
            id="typo-in-content-part",
        ),
        pytest.param(
            {"temperature": "hot"},
            "temperature",
            "temperature must be a number, got 'hot'",
            id="number-wrong-kind",
        ),
        pytest.param(
            {"store": "yes please"},
            "store",
            "store must be true or false, got 'yes please'",
            id="bool-wrong-kind",
        ),
    ],
)
def test_problem_paths_and_messages(fields: dict[str, Any], path: str, message: str) -> None:
    assert problems_of(request(**fields)) == [FieldProblem(path, message)]


def test_every_problem_is_reported_in_field_order() -> None:
    problems = problems_of(request(temperature=3.5, n=0, top_p=-1))
    assert [problem.path for problem in problems] == ["n", "temperature", "top_p"]


def test_missing_required_fields_are_each_named() -> None:
    problems = problems_of({})
    assert [problem.message for problem in problems] == [
        "messages is required",
        "model is required",
    ]


def test_input_that_is_not_an_object_is_named_as_a_whole() -> None:
    (problem,) = problems_of([1, 2])  # type: ignore[arg-type]
    assert problem.path == ""
    assert problem.message == "the input must be an object, got a list of 2 items"


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param("sk-proj-abcdefghijklmnop", id="api-key"),
        pytest.param("x" * 100, id="long-string"),
    ],
)
def test_messages_never_repeat_secret_looking_or_long_values(secret: str) -> None:
    (problem,) = problems_of(request(reasoning_effort=secret))
    assert secret not in problem.message
    assert f"a string of {len(secret)} characters" in problem.message


def test_problem_prints_as_its_message() -> None:
    problem = FieldProblem("n", "n must be between 1 and 128, got 0")
    assert str(problem) == "n must be between 1 and 128, got 0"
