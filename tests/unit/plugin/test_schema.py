"""The plugin's schema: generated from the model layer, the config home and the API reference."""

from __future__ import annotations

import json

from pulumi_chatcomp import __version__
from pulumi_chatcomp._config import CONFIG_KEYS
from pulumi_chatcomp.core._names import OUTPUT_NAMES, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.plugin._provider import SCHEMA_PATH
from pulumi_chatcomp.plugin._schema import FUNCTIONS, build_schema, descriptions_from_spec
from tests.helpers import load_spec

COMMITTED = json.loads(SCHEMA_PATH.read_text())
RESOURCE = COMMITTED["resources"][PLUGIN_TYPE_TOKEN]


def test_the_committed_schema_is_what_the_model_layer_generates() -> None:
    # After a model, setting or spec change: python scripts/generate-schema.py
    generated = build_schema(descriptions_from_spec(load_spec()), version=__version__)
    assert json.loads(json.dumps(generated)) == COMMITTED


def test_the_resource_has_the_dynamic_resources_inputs_and_outputs() -> None:
    assert set(RESOURCE["inputProperties"]) == INPUT_NAMES
    assert set(RESOURCE["properties"]) == INPUT_NAMES | set(OUTPUT_NAMES)
    assert COMMITTED["version"] == __version__


def test_the_provider_config_is_the_config_home() -> None:
    variables = COMMITTED["config"]["variables"]
    assert list(variables) == sorted(key.name for key in CONFIG_KEYS)
    for key in CONFIG_KEYS:
        assert variables[key.name]["type"] == key.kind
        assert variables[key.name].get("secret", False) is key.secret
        assert key.env in variables[key.name]["description"]
    assert COMMITTED["provider"]["inputProperties"] == variables


def test_descriptions_are_the_api_references() -> None:
    inputs = RESOURCE["inputProperties"]
    assert "sampling temperature" in inputs["temperature"]["description"]
    assert "https://platform.openai.com/docs/" in inputs["max_completion_tokens"]["description"]
    assert "The contents of the message" in RESOURCE["properties"]["content"]["description"]


def test_messages_are_typed_and_free_form_json_is_any() -> None:
    messages = RESOURCE["inputProperties"]["messages"]
    assert messages == {
        "type": "array",
        "items": {"$ref": "#/types/chatcomp:index:MessageParam"},
        "description": messages["description"],
    }
    message = COMMITTED["types"]["chatcomp:index:MessageParam"]["properties"]
    assert message["role"] == {"type": "string"}
    # A string or a list of parts is plain JSON in every language.
    assert message["content"] == {"$ref": "pulumi.json#/Any"}


def test_every_function_is_declared() -> None:
    assert set(COMMITTED["functions"]) == set(FUNCTIONS)


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
