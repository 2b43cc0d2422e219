"""The plugin's schema: generated from the model layer, the config home and the API reference,
named as Pulumi's conventions want and documented everywhere."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest

from pulumi_chatcomp import __version__, data_sources, native
from pulumi_chatcomp._config import CONFIG_KEYS
from pulumi_chatcomp.core._functions import BY_TOKEN
from pulumi_chatcomp.core._names import OUTPUT_NAMES, PLUGIN_TYPE_TOKEN, SET_TYPE_TOKEN
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.core._reads import CompletionsQuery
from pulumi_chatcomp.models._warnings import (
    DEPRECATED_MESSAGE_FIELDS,
    DEPRECATED_MESSAGE_ROLES,
    DEPRECATED_REQUEST_FIELDS,
)
from pulumi_chatcomp.plugin._casing import SCHEMA_PATH, camel, snake
from pulumi_chatcomp.plugin._docs import EXAMPLE_PROGRAMS, examples_from
from pulumi_chatcomp.plugin._schema import build_schema, descriptions_from_spec
from tests.e2e.helpers import REPO
from tests.helpers import load_spec

COMMITTED = json.loads(SCHEMA_PATH.read_text())
RESOURCE = COMMITTED["resources"][PLUGIN_TYPE_TOKEN]
MESSAGE = COMMITTED["types"]["chatcomp:index:MessageParam"]


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every property the schema declares: (where, name, spec)."""
    for token, declared in schema["types"].items():
        for name, prop in declared.get("properties", {}).items():
            yield token, name, prop
    for token, resource in schema["resources"].items():
        for part in ("inputProperties", "properties"):
            for name, prop in resource[part].items():
                yield f"{token} {part}", name, prop
    for token, function in schema["functions"].items():
        for part in ("inputs", "outputs"):
            for name, prop in function[part]["properties"].items():
                yield f"{token} {part}", name, prop
    for name, prop in schema["config"]["variables"].items():
        yield "config", name, prop
    for name, prop in schema["provider"]["inputProperties"].items():
        yield "provider", name, prop


def _described(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Everything the schema declares that an SDK documents: (where, spec)."""
    for where, name, prop in _properties(schema):
        yield f"{where}.{name}", prop
    for token, declared in schema["types"].items():
        yield token, declared
        for value in declared.get("enum", []):
            yield f"{token} = {value['value']}", value
    for token, resource in schema["resources"].items():
        yield token, resource
    for token, function in schema["functions"].items():
        yield token, function
        yield f"{token} outputs", function["outputs"]
    yield "provider", schema["provider"]


def test_the_committed_schema_is_what_the_model_layer_generates() -> None:
    # After a model, setting, spec or example change: python scripts/generate-schema.py
    descriptions = descriptions_from_spec(load_spec(), examples=examples_from(REPO / "examples"))
    generated = build_schema(descriptions, version=__version__)
    assert json.loads(json.dumps(generated)) == COMMITTED


def test_no_name_in_the_schema_is_snake_case() -> None:
    snake = [f"{where}.{name}" for where, name, _ in _properties(COMMITTED) if "_" in name]
    assert snake == []
    camel_case = re.compile(r"[a-z][A-Za-z0-9]*")
    assert [n for _, n, _ in _properties(COMMITTED) if not camel_case.fullmatch(n)] == []
    # Types and functions: PascalCase and camelCase tokens; enum members: PascalCase.
    names = [token.rsplit(":", 1)[-1] for token in (*COMMITTED["types"], *COMMITTED["functions"])]
    names += [v["name"] for t in COMMITTED["types"].values() for v in t.get("enum", [])]
    assert [name for name in names if "_" in name] == []


def test_every_name_is_the_camel_case_of_the_api_name() -> None:
    # So the plugin maps it back exactly, and Python's SDK names are the API's.
    assert set(RESOURCE["inputProperties"]) == {camel(name) for name in INPUT_NAMES}
    assert set(RESOURCE["properties"]) == {camel(n) for n in INPUT_NAMES | set(OUTPUT_NAMES)}
    assert "maxCompletionTokens" in RESOURCE["inputProperties"]
    assert COMMITTED["types"]["chatcomp:index:Usage"]["properties"].keys() >= {
        "promptTokens",
        "completionTokens",
        "totalTokens",
        "completionTokensDetails",
    }
    assert RESOURCE["required"] == ["content", "created", "messages", "model", "responseModel"]
    assert COMMITTED["version"] == __version__


def test_everything_in_the_schema_is_described() -> None:
    undescribed = [where for where, spec in _described(COMMITTED) if not spec.get("description")]
    assert undescribed == []


def test_descriptions_are_the_api_references_through_the_model_layer() -> None:
    inputs = RESOURCE["inputProperties"]
    assert "sampling temperature" in inputs["temperature"]["description"]
    assert "https://platform.openai.com/docs/" in inputs["maxCompletionTokens"]["description"]
    # Properties whose spec text is behind a reference (ServiceTier, Metadata, ...).
    assert "processing type" in inputs["serviceTier"]["description"]
    assert "16 key-value pairs" in inputs["metadata"]["description"]
    assert "The contents of the message" in RESOURCE["properties"]["content"]["description"]
    usage = COMMITTED["types"]["chatcomp:index:Usage"]
    assert usage["description"] == "Usage statistics for the completion request."
    assert "generated completion" in usage["properties"]["completionTokens"]["description"]
    arguments = COMMITTED["functions"]["chatcomp:index:getChatCompletionMessages"]["inputs"]
    assert "retrieve messages from" in arguments["properties"]["completionId"]["description"]


def test_deprecated_fields_are_the_deprecation_homes() -> None:
    deprecated = {
        f"{where}.{name}": prop["deprecationMessage"]
        for where, name, prop in _properties(COMMITTED)
        if "deprecationMessage" in prop
    }
    inputs = f"{PLUGIN_TYPE_TOKEN} inputProperties"
    outputs = f"{PLUGIN_TYPE_TOKEN} properties"
    # A set takes the same request fields, shared and per item.
    in_sets = (f"{SET_TYPE_TOKEN} inputProperties", "chatcomp:index:ChatCompletionSetItem")
    expected = {
        f"{part}.{camel(f)}"
        for f in DEPRECATED_REQUEST_FIELDS
        for part in (inputs, outputs, *in_sets)
    }
    expected |= {f"chatcomp:index:MessageParam.{camel(f)}" for f in DEPRECATED_MESSAGE_FIELDS}
    assert set(deprecated) == expected
    assert deprecated[f"{inputs}.maxTokens"] == "Use maxCompletionTokens instead."
    assert deprecated[f"{inputs}.user"] == (
        "Use safetyIdentifier (and promptCacheKey for caching) instead."
    )
    roles = COMMITTED["types"][MESSAGE["properties"]["role"]["$ref"].removeprefix("#/types/")]
    marked = {
        v["value"]: v["deprecationMessage"] for v in roles["enum"] if "deprecationMessage" in v
    }
    assert set(marked) == set(DEPRECATED_MESSAGE_ROLES)
    assert marked["function"] == "Use role 'tool' with toolCallId instead."


def test_the_resource_shows_the_example_programs_in_each_language() -> None:
    description = RESOURCE["description"]
    assert "{{% examples %}}" in description and "{{% /examples %}}" in description
    for language, path in EXAMPLE_PROGRAMS.items():
        program = (REPO / "examples" / path).read_text().strip()
        assert f"```{language}\n{program}\n```" in description
    assert "maxCompletionTokens: 64" in description  # the examples use the schema's names


def test_the_provider_config_is_the_config_home() -> None:
    variables = COMMITTED["config"]["variables"]
    assert list(variables) == sorted(key.name for key in CONFIG_KEYS)
    for key in CONFIG_KEYS:
        assert variables[key.name]["type"] == key.kind
        assert variables[key.name].get("secret", False) is key.secret
        assert key.env in variables[key.name]["description"]
    assert COMMITTED["provider"]["inputProperties"] == variables


def test_messages_are_typed_and_free_form_json_is_any() -> None:
    messages = RESOURCE["inputProperties"]["messages"]
    assert messages["items"] == {"$ref": "#/types/chatcomp:index:MessageParam"}
    role = COMMITTED["types"]["chatcomp:index:MessageParamRole"]
    assert MESSAGE["properties"]["role"]["$ref"] == "#/types/chatcomp:index:MessageParamRole"
    assert [v["value"] for v in role["enum"]] == [
        "assistant",
        "developer",
        "function",
        "system",
        "tool",
        "user",
    ]
    # A string or a list of parts is plain JSON in every language.
    assert MESSAGE["properties"]["content"]["$ref"] == "pulumi.json#/Any"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("metadata", {"type": "string"}, id="metadata"),
        pytest.param("logitBias", {"type": "integer"}, id="logit-bias"),
        pytest.param("triggers", {"type": "string"}, id="triggers"),
    ],
)
def test_user_keys_are_maps(name: str, kind: dict[str, Any]) -> None:
    # A map's keys are the user's: no SDK renames them, nor does the plugin.
    assert RESOURCE["inputProperties"][name]["additionalProperties"] == kind


@pytest.mark.parametrize(
    ("token", "name"),
    [
        pytest.param("chatcomp:index:JSONSchemaFormat", "schema", id="json-schema"),
        pytest.param("chatcomp:index:FunctionDefinition", "parameters", id="tool-parameters"),
        pytest.param("chatcomp:index:LegacyFunction", "parameters", id="function-parameters"),
    ],
)
def test_json_schemas_are_plain_json(token: str, name: str) -> None:
    assert COMMITTED["types"][token]["properties"][name]["$ref"] == "pulumi.json#/Any"


def test_every_function_is_declared() -> None:
    assert set(COMMITTED["functions"]) == set(BY_TOKEN)


@pytest.mark.parametrize("token", sorted(BY_TOKEN))
def test_every_face_of_a_function_takes_the_schemas_arguments(token: str) -> None:
    # The data source in the program, the native invoke, the plugin: one set of arguments,
    # each echoed in a list's result.
    function = COMMITTED["functions"][token]
    arguments = sorted(snake(name) for name in function["inputs"]["properties"])
    echoed = {snake(name) for name in function["outputs"]["properties"]}
    assert "data" not in echoed or set(arguments) <= echoed
    name = BY_TOKEN[token].name
    for face in (data_sources, native):
        for form in (name, f"{name}_output"):
            taken = inspect.signature(getattr(face, form)).parameters
            assert sorted(p for p in taken if p != "opts") == arguments, (face.__name__, form)


def test_the_list_takes_what_its_query_holds() -> None:
    inputs = COMMITTED["functions"]["chatcomp:index:getChatCompletions"]["inputs"]["properties"]
    assert {snake(name) for name in inputs} == {f.name for f in fields(CompletionsQuery)}
    assert "`${evals.tag}`" in inputs["setTag"]["description"]


def test_parsed_is_plain_json_on_the_resource_and_on_every_stored_completion() -> None:
    parsed = RESOURCE["properties"]["parsed"]
    assert parsed["$ref"] == "pulumi.json#/Any"
    assert "json_schema" in parsed["description"] and "strict" in parsed["description"]
    assert "parsed" not in RESOURCE["inputProperties"]
    stored = COMMITTED["types"]["chatcomp:index:StoredChatCompletion"]["properties"]
    one = COMMITTED["functions"]["chatcomp:index:getChatCompletion"]["outputs"]["properties"]
    for properties in (stored, one):
        assert properties["parsed"]["$ref"] == "pulumi.json#/Any"
        assert "response_format" in properties["parsed"]["description"]
