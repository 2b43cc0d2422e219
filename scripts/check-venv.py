"""Exit 0 when the venv running this holds what setup.sh installs, else say why and exit 1.

What setup.sh installs: pulumi-chatcomp, editable from the repository (this file's parent's
parent), with the extras named on the command line, and every requirement of it and of those
extras at a version it accepts. setup.sh asks this (and compares its stamp of pyproject.toml)
before running pip, so that a second run installs nothing.

    .venv/bin/python scripts/check-venv.py dev
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DISTRIBUTION = "pulumi-chatcomp"


def problem(extras: list[str]) -> str | None:
    """Why the venv does not hold what setup.sh installs, or None when it does."""
    try:
        # pytest's dependency, so there once the dev extras are; when not, pip is needed anyway.
        from packaging.requirements import Requirement
    except ImportError:
        return "packaging is not installed"
    try:
        installed = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"{DISTRIBUTION} is not installed"
    origin = json.loads(installed.read_text("direct_url.json") or "{}")
    if origin.get("url") != REPO.as_uri() or not origin.get("dir_info", {}).get("editable"):
        return f"{DISTRIBUTION} is not installed editable from {REPO}"
    # Every requirement, through the extras asked for and those the requirements ask for.
    wanted = [(DISTRIBUTION, set(extras))]
    seen: set[str] = set()
    while wanted:
        name, with_extras = wanted.pop()
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return f"{name} is not installed"
        for text in distribution.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in with_extras or {""}
            ):
                continue
            key = f"{requirement.name.lower()}[{','.join(sorted(requirement.extras))}]"
            if key in seen:
                continue
            seen.add(key)
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                return f"{requirement.name} (needed by {name}) is not installed"
            if not requirement.specifier.contains(version, prereleases=True):
                return f"{requirement.name} {version} does not satisfy {requirement}"
            wanted.append((requirement.name, set(requirement.extras)))
    return None


if __name__ == "__main__":
    found = problem(sys.argv[1:])
    if found is not None:
        print(f"check-venv: {found}", file=sys.stderr)
    sys.exit(0 if found is None else 1)
