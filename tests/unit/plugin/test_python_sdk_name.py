"""The Python package the plugin's schema names is one that pulumi-chatcomp installs.

``pulumi import ... --out`` and ``pulumi package add`` print ``import <packageName> as
chatcomp`` for a Python program, with the schema's ``language.python.packageName``: with the
package installed, that line must import the plugin face, not fail.
"""

from __future__ import annotations

import importlib
import json

from pulumi_chatcomp import native
from pulumi_chatcomp.plugin._provider import SCHEMA_PATH


def test_the_schemas_python_package_is_the_plugin_face() -> None:
    name = json.loads(SCHEMA_PATH.read_text())["language"]["python"]["packageName"]
    printed = importlib.import_module(name)
    assert sorted(printed.__all__) == sorted(native.__all__)
    assert all(getattr(printed, each) is getattr(native, each) for each in native.__all__)
