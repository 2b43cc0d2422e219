"""The package's layout, as its readers and its tests see it: the package root's docstring
names every part, and the unit tests mirror the parts (``tests/unit/<part>/`` for a
subpackage, ``tests/unit/test_<module>.py`` for a module)."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pulumi_chatcomp

TESTS = Path(__file__).resolve().parents[1]
UNIT = TESTS / "unit"

# Parts whose tests live elsewhere, and where.
ELSEWHERE = {
    # The server's tests run the server; the unit tests run none (README, "tests/").
    "server": TESTS / "server",
    # ``python -m pulumi_chatcomp`` is ``plugin.main()``.
    "__main__": UNIT / "plugin",
    # What it loads is what the root exports.
    "_lazy": UNIT / "test_exported_members.py",
}

# Unit tests of the whole package, or of the repository around it, not of one part.
WHOLE = {
    "test_build_backend.py",
    "test_docstring_examples.py",
    "test_exported_members.py",
    "test_layout.py",
    "test_version.py",
}


def _modules() -> dict[str, bool]:
    """Every subpackage and module directly under the package root: is it a package?"""
    return {module.name: module.ispkg for module in pkgutil.iter_modules(pulumi_chatcomp.__path__)}


def _parts() -> set[str]:
    """The parts the root map names: all but ``_lazy`` (plumbing)."""
    return set(_modules()) - {"_lazy"}


def _mapped() -> set[str]:
    """The names the map's bullets start with: ``- ``a``, ``b``: what they are``."""
    doc = pulumi_chatcomp.__doc__ or ""
    bullets = re.findall(r"^- (.+?):", doc, flags=re.MULTILINE)
    return {name for bullet in bullets for name in re.findall(r"``(\w+)``", bullet)}


def _tests_of(name: str, is_package: bool) -> Path:
    if name in ELSEWHERE:
        return ELSEWHERE[name]
    return UNIT / name if is_package else UNIT / f"test_{name.lstrip('_')}.py"


def _has_tests(path: Path) -> bool:
    return path.is_file() or any(path.rglob("test_*.py"))


def test_the_root_map_names_every_part_of_the_package() -> None:
    assert _parts() - _mapped() == set()


def test_the_root_map_names_nothing_that_is_not_there() -> None:
    assert _mapped() - _parts() == set()


def test_every_part_of_the_package_has_tests_where_its_name_says() -> None:
    missing = {
        name: str(_tests_of(name, is_package).relative_to(TESTS.parent))
        for name, is_package in _modules().items()
        if not _has_tests(_tests_of(name, is_package))
    }
    assert missing == {}


def test_every_unit_test_folder_and_file_is_a_parts_or_the_whole_packages() -> None:
    expected = {
        _tests_of(name, is_package)
        for name, is_package in _modules().items()
        if name not in ELSEWHERE
    }
    found = {path for path in UNIT.iterdir() if path.is_dir() and _has_tests(path)}
    found |= {path for path in UNIT.glob("test_*.py") if path.name not in WHOLE}
    assert sorted(str(path.relative_to(UNIT)) for path in found - expected) == []
