"""The public surface of pulumi_chatcomp.models: complete, sorted, cheap to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
