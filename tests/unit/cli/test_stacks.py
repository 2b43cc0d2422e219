"""What the stack commands (``recover``, ``report``, ``export --set``) read from a stack's
exported state: the set a user names, the settings of a resource's provider with secrets
revealed, an items file, and whether a stack's lock is a killed ``pulumi``'s.

``recover`` under the real engine: ``tests/e2e/test_cli.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_chatcomp._exceptions import InvalidArgumentError
from pulumi_chatcomp.cli._stacks import (
    StackLockedError,
    asset_text,
    named_set,
    provider_settings,
)
from pulumi_chatcomp.core._names import SET_TYPE_TOKEN

SECRET = "4dabf18193072939515e22adb298388d"  # the signature an export marks secrets with
ASSET = "c44067f5952c0a294b673a41bacd8c17"  # ... and assets
PREFIX = "urn:pulumi:dev::infra::"


def _set(name: str, *, parent: str = "", delete: bool = False) -> dict[str, Any]:
    urn = f"{PREFIX}{parent}{SET_TYPE_TOKEN}::{name}"
    return {"type": SET_TYPE_TOKEN, "urn": urn, **({"delete": True} if delete else {})}


def _state(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"deployment": {"resources": list(resources)}}


def test_a_set_is_found_by_its_name_or_its_urn() -> None:
    evals, faq = _set("evals"), _set("faq")
    state = _state(evals, faq)
    assert named_set(state, "faq", stack="dev") is faq
    assert named_set(state, evals["urn"], stack="dev") is evals


def test_a_name_that_is_no_set_lists_the_sets_the_stack_has() -> None:
    other = {"type": "chatcomp:index:ChatCompletion", "urn": f"{PREFIX}ChatCompletion::faq"}
    state = _state(_set("evals"), _set("old", delete=True), other)
    with pytest.raises(InvalidArgumentError) as raised:
        named_set(state, "faq", stack="dev")
    assert raised.value.argument == "--set"
    assert "'faq' is no ChatCompletionSet of stack 'dev' (its sets: evals)" in str(raised.value)


def test_a_name_two_sets_share_asks_for_a_urn() -> None:
    first, second = _set("evals"), _set("evals", parent="my:Component$")
    with pytest.raises(InvalidArgumentError) as raised:
        named_set(_state(first, second), "evals", stack="dev")
    assert "'evals' names 2 sets; give one URN: " in str(raised.value)
    assert first["urn"] in str(raised.value) and second["urn"] in str(raised.value)


def test_a_resources_provider_settings_are_its_inputs_with_secrets_revealed() -> None:
    provider = {
        "urn": f"{PREFIX}pulumi:providers:chatcomp::default",
        "id": "p-1",
        "inputs": {
            "baseUrl": "http://localhost:8000/v1",
            "apiKey": {SECRET: "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"sk-x"'},
        },
    }
    state = _state(provider)
    ref = f"{provider['urn']}::p-1"
    assert provider_settings(state, ref) == {
        "baseUrl": "http://localhost:8000/v1",
        "apiKey": "sk-x",
    }
    assert provider_settings(state, None) == {}  # the default provider: settings come elsewhere
    assert provider_settings(state, f"{provider['urn']}::p-2") == {}


def test_an_items_file_is_read_from_the_projects_folder(tmp_path: Path) -> None:
    (tmp_path / "items.json").write_text('{"items": []}', encoding="utf-8")
    assert asset_text({SECRET: ASSET, "path": "items.json"}, tmp_path) == '{"items": []}'
    assert asset_text({SECRET: ASSET, "path": "moved.json"}, tmp_path) is None
    assert asset_text({"path": "items.json"}, tmp_path) is None  # not an asset


def test_a_lock_is_stale_only_when_every_holder_is_a_dead_process_of_this_machine() -> None:
    here = socket.gethostname()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    assert StackLockedError("locked", [(here, dead_pid)]).stale
    assert not StackLockedError("locked", [(here, dead_pid), (here, os.getpid())]).stale
    assert not StackLockedError("locked", [("another-host", dead_pid)]).stale
    unknown = StackLockedError("locked", [])
    assert not unknown.stale
    assert unknown.holders == "unknown"
