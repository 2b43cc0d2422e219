"""The startup hook of the dynamic provider host (pulumi_chatcomp.dynamic._startup): which
error it words, and that it changes nothing elsewhere. Under the real engine:
tests/e2e/test_host_adaptation.py."""

from __future__ import annotations

import sys
import sysconfig
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.dynamic._startup import IMPORT_HINT, adapt, import_hint

REPO = Path(__file__).resolve().parents[3]
HOST_ARGV = ["/venv/bin/python", "-u", "-m", "pulumi.dynamic"]


@dataclass
class ReadRequest:
    urn: str
    id: str


def Read(self: object, request: ReadRequest, context: object) -> object:  # the host's shape
    properties: dict[str, object] = {}  # what `pulumi import` sends
    return properties["__provider"]


def _error_of_read(type_token: str) -> KeyError:
    request = ReadRequest(f"urn:pulumi:dev::proj::{type_token}::imported", "chatcmpl-42")
    with pytest.raises(KeyError) as raised:
        Read(None, request, None)
    return raised.value


@pytest.mark.parametrize(
    "type_token",
    [TYPE_TOKEN, f"pulumi:pulumi:Stack${TYPE_TOKEN}"],
    ids=["top-level", "with-parent"],
)
def test_the_read_of_pulumi_import_is_worded_as_what_to_do(type_token: str) -> None:
    hint = import_hint(_error_of_read(type_token))
    assert hint == IMPORT_HINT.format(id="chatcmpl-42")
    assert 'import_="chatcmpl-42"' in hint and PLUGIN_TYPE_TOKEN in hint
    assert "\n" not in hint


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(_error_of_read("pulumi-python:dynamic:Other"), id="another-type"),
        pytest.param(KeyError("__provider"), id="not-in-a-read"),
        pytest.param(KeyError("model"), id="another-key"),
        pytest.param(None, id="no-error"),
    ],
)
def test_every_other_error_keeps_its_traceback(error: BaseException | None) -> None:
    assert import_hint(error) is None


def test_only_the_dynamic_provider_host_is_adapted(monkeypatch: pytest.MonkeyPatch) -> None:
    original = traceback.format_exc
    monkeypatch.setattr(traceback, "format_exc", original)  # restored after the test
    monkeypatch.setattr(sys, "orig_argv", ["/venv/bin/python", "-m", "pytest"])
    assert adapt() is False
    assert traceback.format_exc is original

    monkeypatch.setattr(sys, "orig_argv", HOST_ARGV)
    assert adapt() is True and adapt() is True  # idempotent
    try:
        raise _error_of_read(TYPE_TOKEN)
    except KeyError:
        assert traceback.format_exc() == IMPORT_HINT.format(id="chatcmpl-42")
    try:
        raise ValueError("a bug")
    except ValueError:
        text = traceback.format_exc()
    assert text.startswith("Traceback (most recent call last):")
    assert text.endswith("ValueError: a bug\n")


def test_installing_the_package_puts_the_startup_file_in_site_packages() -> None:
    # This venv's install (scripts/setup.sh, through build-backend/) holds the file.
    shipped = (REPO / "build-backend" / "pulumi_chatcomp-startup.pth").read_text()
    installed = Path(sysconfig.get_paths()["purelib"]) / "pulumi_chatcomp-startup.pth"
    assert installed.read_text() == shipped
    assert "from pulumi_chatcomp.dynamic._startup import adapt" in shipped
