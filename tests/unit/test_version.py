"""The package's version has one home, ``pulumi_chatcomp.__version__``: the distribution's
metadata is read from it (pyproject.toml's dynamic version), and the plugin, the policy pack
and the command line report it (each tested where it is reported)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from pulumi_chatcomp import __version__

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_installed_distribution_has_the_package_version() -> None:
    assert metadata.version("pulumi-chatcomp") == __version__


def test_pyproject_takes_the_version_from_the_package() -> None:
    project = tomllib.loads(PYPROJECT.read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "pulumi_chatcomp.__version__"
    }
