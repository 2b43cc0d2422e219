"""The public surface of pulumi_chatcomp.models: complete, sorted, cheap to import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pulumi_chatcomp.models as models

CONTRACT = {
    "ChatCompDeprecationWarning",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionCreateParams",
    "ChatCompletionDeleted",
    "ChatCompletionMessage",
    "ChatCompletionStoreMessage",
    "Choice",
    "ContentPart",
    "CursorPage",
    "FieldProblem",
    "MESSAGES_ADAPTER",
    "METADATA_KEY_MAX",
    "METADATA_MAX_PAIRS",
    "METADATA_VALUE_MAX",
    "MessageParam",
    "ToolCall",
    "Usage",
    "validate_metadata",
    "validation_problems",
}


def _isort_style(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return group, name


def test_all_is_sorted_and_names_real_objects() -> None:
    assert models.__all__ == sorted(set(models.__all__), key=_isort_style)
    for name in models.__all__:
        assert hasattr(models, name), name


def test_every_public_name_is_exported() -> None:
    public = {
        name
        for name, value in vars(models).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith(models.__name__)
    }
    assert public <= set(models.__all__)


def test_shared_contract_names_are_exported() -> None:
    assert set(models.__all__) >= CONTRACT


# Imports the models package on its own: a stand-in parent package keeps
# pulumi_chatcomp/__init__.py (which loads pulumi) out of the measurement.
_IMPORT_MODELS_ALONE = f"""
import sys, types
parent = types.ModuleType("pulumi_chatcomp")
parent.__path__ = [{str(Path(models.__file__).parent.parent)!r}]
sys.modules["pulumi_chatcomp"] = parent
import pulumi_chatcomp.models
print(sorted(m for m in ("jsonschema", "yaml", "pulumi", "httpx") if m in sys.modules))
"""


def test_import_does_not_load_jsonschema_yaml_pulumi_or_httpx() -> None:
    code = _IMPORT_MODELS_ALONE
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", models.__all__)
def test_every_exported_name_imports_by_name(name: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"from pulumi_chatcomp.models import {name}", namespace)
    assert namespace[name] is getattr(models, name)
    assert name in dir(models)


def test_unknown_name_is_an_attribute_error_naming_the_module() -> None:
    misspelt = "ChatCompletionParams"
    with pytest.raises(AttributeError, match=r"module 'pulumi_chatcomp.models' has no attribute"):
        getattr(models, misspelt)
    with pytest.raises(ImportError, match=misspelt):
        exec(f"from pulumi_chatcomp.models import {misspelt}", {})


# What a Pulumi program uses from the models. It runs in a fresh interpreter and must not
# load pydantic's models (pydantic.main) or internals, which cost a program most of a second.
_PROGRAM_SIDE = """
import json, sys
{imports}
print(json.dumps({{
    "loaded": sorted(m for m in sys.modules
                     if m == "pydantic.main" or m.startswith("pydantic._internal")),
    "deprecated": [p.path for p in deprecated_fields({{"model": "m", "max_tokens": 5}})],
    "metadata": [p.path for p in validate_metadata({{"k": 1}})],
    "limits": [METADATA_MAX_PAIRS, METADATA_KEY_MAX, METADATA_VALUE_MAX],
    "warning": issubclass(ChatCompDeprecationWarning, FutureWarning),
    "fields": "max_tokens" in DEPRECATED_REQUEST_FIELDS,
}}))
"""


@pytest.mark.parametrize(
    "imports",
    [
        pytest.param(
            "from pulumi_chatcomp.models._warnings import (\n"
            "    DEPRECATED_REQUEST_FIELDS, ChatCompDeprecationWarning, deprecated_fields)\n"
            "from pulumi_chatcomp.models._metadata import (\n"
            "    METADATA_KEY_MAX, METADATA_MAX_PAIRS, METADATA_VALUE_MAX, validate_metadata)",
            id="private-modules",
        ),
        pytest.param(
            "from pulumi_chatcomp.models import (\n"
            "    DEPRECATED_REQUEST_FIELDS, METADATA_KEY_MAX, METADATA_MAX_PAIRS,\n"
            "    METADATA_VALUE_MAX, ChatCompDeprecationWarning, FieldProblem,\n"
            "    deprecated_fields, validate_metadata)",
            id="package",
        ),
    ],
)
def test_program_side_checks_do_not_load_pydantic_models(imports: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM_SIDE.format(imports=imports)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == {
        "loaded": [],
        "deprecated": ["max_tokens"],
        "metadata": ['metadata["k"]'],
        "limits": [16, 64, 512],
        "warning": True,
        "fields": True,
    }


def test_importing_the_package_builds_no_model() -> None:
    code = "import sys, pulumi_chatcomp.models; print('pydantic.main' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
