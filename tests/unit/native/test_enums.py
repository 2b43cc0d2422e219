"""The plugin face's enums are the schema's, named as Pulumi's Python code generator names them."""

from __future__ import annotations

import json
import re

from pulumi_chatcomp import native
from pulumi_chatcomp.plugin._provider import SCHEMA_PATH


def _python_name(schema_name: str) -> str:
    # The generator's member names: "JsonObject" -> "JSON_OBJECT".
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", schema_name).upper()


def test_each_enum_of_the_schema_is_a_class_of_the_plugin_face_with_its_members() -> None:
    types = json.loads(SCHEMA_PATH.read_text())["types"]
    enums = {
        token.rsplit(":", 1)[1]: spec["enum"] for token, spec in types.items() if "enum" in spec
    }
    assert enums  # the schema has some: a role, kinds of tools and formats
    for name, members in enums.items():
        assert name in native.__all__
        expected = {_python_name(member["name"]): member["value"] for member in members}
        assert {m.name: m.value for m in getattr(native, name)} == expected, name


def test_a_member_is_the_apis_string() -> None:
    message = {"role": native.MessageParamRole.USER, "content": "Hi"}
    assert json.dumps(message) == '{"role": "user", "content": "Hi"}'
