"""The public API: every public module lists its public names in a sorted ``__all__``."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import pulumi_chatcomp

PUBLIC_MODULES = [
    "pulumi_chatcomp",
    "pulumi_chatcomp.client",
    "pulumi_chatcomp.data_sources",
    "pulumi_chatcomp.models",
    "pulumi_chatcomp.provider",
    "pulumi_chatcomp.resource",
    "pulumi_chatcomp.server",
]


def _ruff_finds_unsorted(exported: list[str]) -> str:
    """What ruff's RUF022 says of ``__all__ = exported`` ("" when it is in ruff's order).

    The lazily loaded packages build their ``__all__`` at run time (``_lazy``), where ruff
    never sees it: ruff itself is asked, so that nothing here copies its order.
    """
    command = ["check", "--isolated", "--select", "RUF022", "--output-format", "concise"]
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--stdin-filename", "all.py", "-"],
        input=f"__all__ = {exported!r}\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout if done.returncode else ""


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert _ruff_finds_unsorted(exported) == ""
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


def test_an_unsorted_all_is_found() -> None:
    assert "RUF022" in _ruff_finds_unsorted(["get_client", "ChatCompletionsClient"])


def test_every_exported_name_resolves() -> None:
    for name in pulumi_chatcomp.__all__:
        assert getattr(pulumi_chatcomp, name) is not None, name


def test_package_exports_every_public_object_it_defines() -> None:
    defined = {
        name
        for name, value in vars(pulumi_chatcomp).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", "").startswith("pulumi_chatcomp")
    }
    assert defined <= set(pulumi_chatcomp.__all__)


def test_resource_type_token_is_what_policies_match() -> None:
    assert pulumi_chatcomp.TYPE_TOKEN == "pulumi-python:dynamic/chatcomp:ChatCompletion"
    assert pulumi_chatcomp.ChatCompletion._resource_type_name == "dynamic/chatcomp:ChatCompletion"


def test_every_error_class_is_exported_from_the_package() -> None:
    # The package root lists the error names again (it imports them lazily); keep both lists
    # in step, so a new error is catchable as pulumi_chatcomp.<Name>.
    from pulumi_chatcomp import _exceptions

    errors = {
        name
        for name in _exceptions.__all__
        if inspect.isclass(getattr(_exceptions, name))
        and issubclass(getattr(_exceptions, name), _exceptions.ChatCompError)
    }
    assert errors - set(pulumi_chatcomp.__all__) == set()
