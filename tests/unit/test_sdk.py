"""The list of the package's adaptations of Pulumi's SDKs (``pulumi_chatcomp._sdk``): complete,
each with a test that exists, and the SDK behaviour those tests pin that no part's tests do.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from pathlib import Path

import pulumi.runtime.rpc
import pytest
from pulumi.dynamic import Resource

import pulumi_chatcomp
from pulumi_chatcomp._sdk import ADAPTATIONS, SUPPORTED_PULUMI, Adaptation

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path(pulumi_chatcomp.__file__).parent

# What relying on an SDK's internals looks like in our source: a private (not dunder) name
# of pulumi's, the pickler's, grpc's server or a pool's, an error's implicit context, a
# replaced traceback, a resource that initialises itself as CustomResource around the dynamic
# Resource's __init__ (native's registration helper, given the resource, calls the public
# initialiser of its own base and is no adaptation).
INTERNALS = re.compile(
    r"\bpulumi(?:_policy)?(?:\.\w+)*\._(?!_)\w+"
    r"|pickle\._Pickler|grpc\._server|gc\.get_objects|\._max_workers|__context__"
    r"|traceback\.format_exc = |CustomResource\.__init__\(self\b"
)


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("adaptation", ADAPTATIONS, ids=lambda a: a.test.rsplit("::", 1)[-1])
def test_every_adaptation_names_a_test_that_exists(adaptation: Adaptation) -> None:
    path, name = adaptation.test.split("::")
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    tests = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert name in tests
    assert adaptation.checked and adaptation.changes and adaptation.upstream
    assert adaptation.upstream == "none filed" or "github.com/pulumi/" in adaptation.upstream


def test_every_module_that_relies_on_the_sdks_internals_is_listed() -> None:
    relying = {
        _module(path)
        for path in PACKAGE.rglob("*.py")
        if path != PACKAGE / "_sdk.py" and INTERNALS.search(path.read_text(encoding="utf-8"))
    }
    listed = {module for adaptation in ADAPTATIONS for module in adaptation.where}
    assert relying - listed == set()
    assert listed - relying == set()


def test_the_supported_range_is_the_dependency_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (low_major, low_minor), (high_major, high_minor) = SUPPORTED_PULUMI
    high = f"{high_major}.{high_minor}" if high_minor else f"{high_major}"
    wanted = f"pulumi>={low_major}.{low_minor},<{high}"
    assert wanted in project["project"]["dependencies"]


def test_the_sdk_marks_assets_with_the_signature_sets_read() -> None:
    # plugin._sets tells an asset the engine sent without its contents by these.
    assert pulumi.runtime.rpc._special_sig_key == "4dabf18193072939515e22adb298388d"
    assert pulumi.runtime.rpc._special_asset_sig == "c44067f5952c0a294b673a41bacd8c17"


def test_a_dynamic_resource_is_a_custom_resource_with_its_provider() -> None:
    # What ChatCompletion.__init__ does in its place, with the provider pickled once.
    source = inspect.getsource(Resource.__init__)
    assert "props[PROVIDER_KEY] = serialized_provider" in source
    assert 'getattr(\n            provider, "serialize_as_secret_always", True\n        )' in source
    assert 'super().__init__(f"pulumi-python:{self._resource_type_name}"' in source
