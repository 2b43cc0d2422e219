"""The public API: every public module lists its public names in a sorted ``__all__``."""

from __future__ import annotations

import importlib
import inspect

import pytest

import pulumi_chatcomp

PUBLIC_MODULES = [
    "pulumi_chatcomp",
    "pulumi_chatcomp.data_sources",
    "pulumi_chatcomp.models",
    "pulumi_chatcomp.provider",
    "pulumi_chatcomp.resource",
]


def _ruff_order(name: str) -> tuple[int, str]:
    # ruff's RUF022 ("isort-style"): CONSTANTS, then Classes, then everything else.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_ruff_order)
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


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
