"""The plugin's Pulumi package schema, generated from the model layer and the config home.

The resource's inputs are the request model's fields (``ChatCompletionCreateParams``) plus
``triggers``; its outputs are the inputs and the computed outputs (``ANSWER_PATHS``, typed
from the response model, and ``parsed``, plain JSON); the functions are the rows of
``core._functions.FUNCTIONS``, whose results are the response models (a completion with
``parsed`` too); the provider's config is ``CONFIG_KEYS``. ``_types`` makes the models
Pulumi's types; ``_docs`` says what the schema says of each (descriptions, deprecations,
examples).

Names follow Pulumi's conventions: every property is the camelCase of its API name
(``maxCompletionTokens``), so each SDK shows its language's form; ``_casing`` maps them back
at the plugin's boundary. ``scripts/generate-schema.py`` writes ``schema.json`` beside this
module; the plugin serves that file, and a test keeps it equal to what ``build_schema``
makes now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

from pulumi_chatcomp._config import CONFIG_KEYS, ConfigKey
from pulumi_chatcomp.core._functions import FUNCTIONS, Function
from pulumi_chatcomp.core._names import (
    ANSWER_PATHS,
    PACKAGE,
    PARSED_NAME,
    PLUGIN_TYPE_TOKEN,
    REQUIRED_OUTPUT_NAMES,
    SET_TYPE_TOKEN,
)
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionStoreMessage,
)
from pulumi_chatcomp.plugin._casing import camel, snake
from pulumi_chatcomp.plugin._docs import (
    MESSAGE_DEPRECATIONS,
    REQUEST_DEPRECATIONS,
    ROLE_DEPRECATIONS,
    Descriptions,
    deprecation_message,
    descriptions_from_spec,
    with_examples,
)
from pulumi_chatcomp.plugin._types import ANY, PulumiTypes, ref_name, schema_name

__all__ = [
    "Descriptions",
    "build_schema",
    "descriptions_from_spec",
]

_PACKAGE: Final = {
    "name": PACKAGE,
    "displayName": "Chat Completions",
    "description": (
        "OpenAI stored Chat Completions as infrastructure: a ChatCompletion resource and "
        "functions that read stored completions."
    ),
    "keywords": ["openai", "chat-completions", "llm", "category/ai"],
    "license": "Apache-2.0",
    "repository": "https://github.com/pulumi-chatcomp/pulumi-chatcomp",
    "publisher": "pulumi-chatcomp",
    "language": {
        "nodejs": {"packageName": "@pulumi-chatcomp/chatcomp"},
        "go": {"importBasePath": "github.com/pulumi-chatcomp/pulumi-chatcomp/sdk/go/chatcomp"},
        "python": {"packageName": "pulumi_chatcomp_sdk"},
        "csharp": {"rootNamespace": "PulumiChatcomp"},
    },
}
"""What the schema says of the package itself."""

_RESULT_MODELS: Final[Mapping[str, type[BaseModel]]] = {
    "StoredChatCompletion": ChatCompletion,
    "StoredChatCompletionMessage": ChatCompletionStoreMessage,
}
"""The response model each function's result type (``Function.result``) is made from."""

# What each kind of argument (``Argument.kind``) is in the schema.
_ARGUMENT_TYPES: Final[Mapping[type[object], Mapping[str, Any]]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    dict: {"type": "object", "additionalProperties": {"type": "string"}},
}

_RESOURCE_DESCRIPTION: Final = (
    "A stored chat completion: created on `pulumi up`, refreshed, updated in place when only "
    "its metadata changes, replaced when anything else changes, deleted on `pulumi destroy`."
)

_TRIGGERS_DESCRIPTION: Final = (
    "Any change to this map creates a new completion (and deletes the old one): regenerate "
    "on demand. Not sent to the API."
)

_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when `responseFormat` is `json_schema` or "
    "`json_object` and the content parses (e.g. `${completion.parsed.title}`); absent "
    "otherwise. With `json_schema` and `strict: true`, content that is not JSON, does not "
    "match the schema, was cut off or is a refusal fails the create (and the stored "
    "completion is deleted)."
)
_STORED_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when the stored completion's "
    "`response_format` is `json_schema` or `json_object` and the content parses; else null."
)


def build_schema(descriptions: Descriptions, *, version: str) -> dict[str, Any]:
    """The package schema, as the JSON object ``pulumi package get-schema`` prints."""
    types = PulumiTypes(descriptions)
    inputs = _completion_inputs(types)
    outputs = _completion_outputs(types, descriptions, inputs)
    results = _result_types(types)
    config = {key.name: _config_property(key) for key in CONFIG_KEYS}
    return {
        **_PACKAGE,
        "version": version,
        "config": {"variables": config},
        "provider": {
            "description": "Where and how the provider reaches the Chat Completions API.",
            "inputProperties": config,
        },
        "types": types.defined,
        "resources": {
            PLUGIN_TYPE_TOKEN: _completion_resource(descriptions, inputs, outputs),
            SET_TYPE_TOKEN: _set_resource(types.defined, inputs, outputs),
        },
        "functions": {
            function.token: _function(function, descriptions, types.defined, results)
            for function in FUNCTIONS
        },
    }


def _completion_inputs(types: PulumiTypes) -> dict[str, Any]:
    """The ChatCompletion's inputs: the request model's fields and ``triggers``, with the
    deprecated ones (fields, a message's fields and roles) marked."""
    params = ChatCompletionCreateParams.model_json_schema(by_alias=True)
    inputs = types.properties(params)
    inputs["triggers"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": _TRIGGERS_DESCRIPTION,
    }
    assert {snake(name) for name in inputs} == INPUT_NAMES, "the inputs are the resource's"
    for field, advice in REQUEST_DEPRECATIONS.items():
        inputs[camel(field)]["deprecationMessage"] = deprecation_message(advice)
    _deprecate_messages(types.defined, inputs["messages"])
    return inputs


def _completion_outputs(
    types: PulumiTypes, descriptions: Descriptions, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """The ChatCompletion's outputs: its inputs, each computed output (typed from the
    response model at its place in the answer), and ``parsed``."""
    answer = ChatCompletion.model_json_schema(by_alias=True)
    outputs = {name: dict(prop) for name, prop in inputs.items()}
    for name, path in ANSWER_PATHS.items():
        node, defs, (model, field) = _walk(answer, path)
        outputs[schema_name(name)] = {
            **types.convert((node, defs)),
            "description": descriptions.field(model, field),
        }
    outputs[PARSED_NAME] = {**ANY, "description": _PARSED_DESCRIPTION}
    return outputs


def _completion_resource(
    descriptions: Descriptions, inputs: Mapping[str, Any], outputs: Mapping[str, Any]
) -> dict[str, Any]:
    required_inputs = [
        schema_name(name)
        for name, field in ChatCompletionCreateParams.model_fields.items()
        if field.is_required()
    ]
    return {
        "description": with_examples(_RESOURCE_DESCRIPTION, descriptions.examples),
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "properties": outputs,
        "required": [schema_name(name) for name in REQUIRED_OUTPUT_NAMES],
    }


def _result_types(types: PulumiTypes) -> dict[str, str]:
    """Each result type of the functions, by name, as a reference to its declared type; a
    stored completion has ``parsed`` too, which the reads add to every completion."""
    refs = {
        name: types.object_ref(model.model_json_schema(by_alias=True), name)
        for name, model in _RESULT_MODELS.items()
    }
    completion = types.defined[refs["StoredChatCompletion"].removeprefix("#/types/")]
    completion["properties"][PARSED_NAME] = {**ANY, "description": _STORED_PARSED_DESCRIPTION}
    return refs


def _function(
    function: Function,
    descriptions: Descriptions,
    types: Mapping[str, Any],
    results: Mapping[str, str],
) -> dict[str, Any]:
    """A function: its arguments, and its result (the object it reads, or a list of them in
    ``data`` beside the arguments, echoed as generated SDKs echo them)."""
    inputs = _arguments(function, descriptions)
    ref = results[function.result]
    if function.listing is None:
        read = types[ref.removeprefix("#/types/")]
        outputs = {
            "description": read["description"],
            "properties": read["properties"],
            "required": read.get("required", []),
        }
    else:
        outputs = _listed(ref, function, descriptions, inputs["properties"])
    return {"description": function.description, "inputs": inputs, "outputs": outputs}


_SET_DESCRIPTION: Final = """Many stored chat completions kept as one resource: a dataset, an \
evaluation set. Every item is a completion made from the fields the items share and its own \
(its messages after the shared ones, its metadata over the shared metadata, any other field \
in place of the shared one); `items` maps a key you choose to each item, and `itemsFile` \
reads more from a JSON Lines file (one item per line, with its `key`). A preview names the \
items an edit creates, makes again, updates in place (metadata only) or deletes, and calls \
no API; `pulumi up` runs only those, many at once, each exactly once; items that fail leave \
the others kept, and the next `up` retries only them; a refresh finds items deleted out of \
band with one paged list of the set, not a read per item.

{{% examples %}}
## Example Usage
{{% example %}}
### A small evaluation set

```yaml
resources:
  evals:
    type: chatcomp:index:ChatCompletionSet
    properties:
      model: gpt-4o-mini
      messages:
        - role: developer
          content: Answer in one short sentence.
      metadata:
        dataset: faq
      items:
        q-0001:
          messages:
            - role: user
              content: Where is my order?
        q-0002:
          messages:
            - role: user
              content: How do I return an item?
outputs:
  first: ${evals.results["q-0001"].content}
```
{{% /example %}}
{{% /examples %}}"""

_SET_INPUTS: Final = {
    "items": (
        "The items, by a key you choose (kept across edits: an item whose key stays is only "
        "made again when what it asks changes): each an object with its own `messages` "
        "(after the shared ones), its `metadata` (over the shared metadata) and any other "
        "field of a completion in place of the shared one."
    ),
    "itemsFile": (
        "More items, from a JSON Lines file (a Pulumi asset, such as a file asset): one "
        "object per line, with its `key` and the fields an entry of `items` takes."
    ),
    "maxConcurrency": (
        "How many items run at once (creates, updates, deletes). Defaults to the provider's "
        "`maxConcurrency` (64)."
    ),
    "triggers": (
        "Any change to this map makes every item of the set again (a new completion each, "
        "the old ones deleted). Not sent to the API."
    ),
}
_SET_ITEM_DESCRIPTION: Final = (
    "One item of a ChatCompletionSet: its messages and its own values of any completion field."
)
_REGENERATE_DESCRIPTION: Final = (
    "Any change to this value makes the item again (a new completion, the old one deleted). "
    "Not sent to the API."
)
_SET_RESULT_DESCRIPTION: Final = "What a ChatCompletionSet keeps of one item's completion."
_FINGERPRINT_DESCRIPTION: Final = (
    "What the item was made from, as a hash: a preview compares it with the program's item "
    "to tell an item to make again from one whose metadata changes in place."
)
_SET_USAGE_DESCRIPTION: Final = "Token counts summed over the items of a set."


def _set_resource(
    types: dict[str, Any], inputs: Mapping[str, Any], outputs: Mapping[str, Any]
) -> dict[str, Any]:
    """The ChatCompletionSet: the completion's request fields shared by its items, the
    items, and what users read of each item's completion."""
    shared = {name: dict(prop) for name, prop in inputs.items() if name != "triggers"}
    item_token = f"{PACKAGE}:index:ChatCompletionSetItem"
    types[item_token] = {
        "type": "object",
        "description": _SET_ITEM_DESCRIPTION,
        "properties": {
            **{name: dict(prop) for name, prop in shared.items()},
            "regenerate": {"type": "string", "description": _REGENERATE_DESCRIPTION},
        },
    }
    result_token = f"{PACKAGE}:index:ChatCompletionSetResult"
    types[result_token] = {
        "type": "object",
        "description": _SET_RESULT_DESCRIPTION,
        "properties": {
            "id": {"type": "string", "description": "The stored completion's ID."},
            **{
                schema_name(name): dict(outputs[schema_name(name)])
                for name in ("content", "finish_reason", "usage")
            },
            PARSED_NAME: dict(outputs[PARSED_NAME]),
            "fingerprint": {"type": "string", "description": _FINGERPRINT_DESCRIPTION},
        },
        "required": ["id", "fingerprint"],
    }
    usage_token = f"{PACKAGE}:index:ChatCompletionSetUsage"
    types[usage_token] = {
        "type": "object",
        "description": _SET_USAGE_DESCRIPTION,
        "properties": {
            camel(name): {"type": "integer", "description": what}
            for name, what in (
                ("prompt_tokens", "Prompt tokens, summed over the items."),
                ("completion_tokens", "Completion tokens, summed over the items."),
                ("total_tokens", "All tokens, summed over the items."),
            )
        },
        "required": ["completionTokens", "promptTokens", "totalTokens"],
    }
    set_inputs = {
        **shared,
        "items": {
            "type": "object",
            "additionalProperties": {"$ref": f"#/types/{item_token}"},
            "description": _SET_INPUTS["items"],
        },
        "itemsFile": {"$ref": "pulumi.json#/Asset", "description": _SET_INPUTS["itemsFile"]},
        "maxConcurrency": {"type": "integer", "description": _SET_INPUTS["maxConcurrency"]},
        "triggers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": _SET_INPUTS["triggers"],
        },
    }
    return {
        "description": _SET_DESCRIPTION,
        "inputProperties": set_inputs,
        "properties": {
            "results": {
                "type": "object",
                "additionalProperties": {"$ref": f"#/types/{result_token}"},
                "description": "Each item's completion, by the item's key.",
            },
            "count": {"type": "integer", "description": "How many items the set holds."},
            "usage": {"$ref": f"#/types/{usage_token}", "description": _SET_USAGE_DESCRIPTION},
            "tag": {
                "type": "string",
                "description": (
                    "The set's tag, which every item carries in its metadata (under the "
                    "reserved key `pulumi_chatcomp_set`): one list filtered on it reads every "
                    "item of the set."
                ),
            },
            "selector": {
                "type": "string",
                "description": (
                    "For a set adopted by `pulumi import`, the selector it was imported by "
                    "(`<key name>:<name>=<value>,...`): a refresh lists its items by it."
                ),
            },
        },
        "required": ["count", "results", "tag", "usage"],
    }


def _deprecate_messages(types: dict[str, Any], messages: Mapping[str, Any]) -> None:
    """Mark the deprecated parts of a message: its fields, and its roles (enum values)."""
    message = types[messages["items"]["$ref"].removeprefix("#/types/")]
    for field, advice in MESSAGE_DEPRECATIONS.items():
        message["properties"][schema_name(field)]["deprecationMessage"] = deprecation_message(
            advice
        )
    roles = types[message["properties"]["role"]["$ref"].removeprefix("#/types/")]
    for value in roles["enum"]:
        role_advice = ROLE_DEPRECATIONS.get(value["value"])
        if role_advice is not None:
            value["deprecationMessage"] = deprecation_message(role_advice)


def _walk(
    model_schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> tuple[Mapping[str, Any], Mapping[str, Any], tuple[str, str]]:
    """The schema node at ``path`` of an answer (``0``: into a list's items), its defs, and
    the model and field it is (the last field on the path)."""
    defs = model_schema.get("$defs", {})
    node: Mapping[str, Any] = model_schema
    owner = ("", "")
    for step in path:
        node = _resolved(node, defs)
        if isinstance(step, int):
            node = node["items"]
        else:
            owner = (node.get("title", ""), step)
            node = node["properties"][step]
    return node, defs, owner


def _resolved(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        node = branches[0]
    name = ref_name(node)
    return defs[name] if name else node


def _arguments(function: Function, descriptions: Descriptions) -> dict[str, Any]:
    described = descriptions.arguments[function.name]
    properties = {
        schema_name(argument.name): {
            **_ARGUMENT_TYPES[argument.kind],
            "description": argument.description or described[argument.name],
        }
        for argument in function.arguments
    }
    required = [schema_name(argument.name) for argument in function.arguments if argument.required]
    return {"properties": properties, **({"required": required} if required else {})}


def _listed(
    item_ref: str, function: Function, descriptions: Descriptions, echoed: Mapping[str, Any]
) -> dict[str, Any]:
    data = descriptions.results[function.name]
    return {
        "description": function.listing,
        "properties": {
            "data": {"type": "array", "items": {"$ref": item_ref}, "description": data},
            **echoed,
        },
        "required": ["data"],
    }


def _config_property(key: ConfigKey) -> dict[str, Any]:
    prop: dict[str, Any] = {
        "type": key.kind,
        "description": f"{key.description[:1].upper()}{key.description[1:]}. Falls back to "
        f"the environment variable {key.env}.",
    }
    if key.default is not None:
        prop["default"] = key.default
    if key.secret:
        prop["secret"] = True
    return prop
