"""The names of ``core._names`` are each declared there once: the SDK's own spelling of the
provider key is pinned to ours, and no other module of the package spells it again."""

from __future__ import annotations

import ast
from pathlib import Path

from pulumi.dynamic.dynamic import PROVIDER_KEY as SDK_PROVIDER_KEY

import pulumi_chatcomp
from pulumi_chatcomp.core._names import PROVIDER_KEY

PACKAGE = Path(pulumi_chatcomp.__file__).parent

# The dynamic provider host's start-up runs before the host has loaded pulumi or our core,
# so it spells the key itself (and its test keeps it equal to the host's error).
SPELT_ELSEWHERE = {"core/_names.py", "dynamic/_startup.py"}


def test_the_provider_key_is_the_sdks() -> None:
    assert PROVIDER_KEY == SDK_PROVIDER_KEY


def _string_constants(tree: ast.AST) -> set[str]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_no_other_module_spells_the_provider_key() -> None:
    spelt = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if PROVIDER_KEY in _string_constants(ast.parse(path.read_text(encoding="utf-8")))
    )
    assert set(spelt) <= SPELT_ELSEWHERE, f"import PROVIDER_KEY from core._names in {spelt}"
