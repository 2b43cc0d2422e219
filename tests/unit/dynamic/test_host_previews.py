"""Why the dynamic face cannot preview a metadata edit's dependents truthfully.

The README's "Previews of dependents" note rests on three facts about the pulumi SDK's
dynamic provider host (``python -m pulumi.dynamic``). If an SDK release changes one of them,
this fails, and the dynamic face may then be able to preview an in-place update as the
plugin face does. The host module starts its server when imported, so it is read as source.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def servicer() -> dict[str, str]:
    """The source of each method of the host's servicer, by name."""
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    (cls,) = (
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == "DynamicResourceProviderServicer"
    )
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
    }


def test_the_host_answers_configure_without_claiming_preview_support(
    servicer: dict[str, str],
) -> None:
    # The engine sends Configure before any resource's pickled provider reaches the host, so
    # none of this package has loaded there yet: the host's answer stands, and the engine
    # then skips Update during a preview and takes the new inputs as the outputs.
    assert "acceptSecrets" in servicer["Configure"]  # the answer is built here
    assert "supportsPreview" not in servicer["Configure"]


def test_the_host_would_write_during_previews_if_it_claimed_support(
    servicer: dict[str, str],
) -> None:
    # Claiming support from a hook loaded before Configure would not be safe either: the
    # host's Create and Update never read the request's preview flag, so every dynamic
    # provider in the program (ours and anyone else's) would call its API in a preview.
    for method in ("Create", "Update"):
        assert "provider." in servicer[method]  # it calls the provider's method
        assert "preview" not in servicer[method]


def test_the_host_drops_the_stables_a_diff_could_report(servicer: dict[str, str]) -> None:
    # Outputs an update keeps (a diff's stables) never reach the engine from this host.
    assert "DiffResponse" in servicer["Diff"]
    assert "stables" not in servicer["Diff"]
