"""The package root's docstring is the map of the package: it names every part."""

from __future__ import annotations

import pkgutil
import re

import pulumi_chatcomp


def _parts() -> set[str]:
    """Every subpackage and module directly under the package root, but ``_lazy`` (plumbing)."""
    names = {module.name for module in pkgutil.iter_modules(pulumi_chatcomp.__path__)}
    return names - {"_lazy"}


def _mapped() -> set[str]:
    """The names the map's bullets start with: ``- ``a``, ``b``: what they are``."""
    doc = pulumi_chatcomp.__doc__ or ""
    bullets = re.findall(r"^- (.+?):", doc, flags=re.MULTILINE)
    return {name for bullet in bullets for name in re.findall(r"``(\w+)``", bullet)}


def test_the_root_map_names_every_part_of_the_package() -> None:
    assert _parts() - _mapped() == set()


def test_the_root_map_names_nothing_that_is_not_there() -> None:
    assert _mapped() - _parts() == set()
