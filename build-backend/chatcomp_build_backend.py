"""The package's build backend: setuptools', plus one file at the root of every wheel.

``pulumi_chatcomp-startup.pth`` (next to this file) must land in site-packages, in a wheel
install and in an editable one alike: it is what lets ``pulumi import`` of a dynamic
resource fail with one line (see ``pulumi_chatcomp/dynamic/_startup.py``). setuptools
installs nothing outside the package, and its editable wheels hold no file of the build, so
each wheel gets the file here, after setuptools has built it, with its line in ``RECORD``
(so that pip uninstalls it with the package). Every other hook is setuptools' own.

    python -m pip wheel --no-deps -w dist .   # dist/pulumi_chatcomp-*.whl holds the .pth
"""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (every other hook, as setuptools has it)

STARTUP_FILE = Path(__file__).with_name("pulumi_chatcomp-startup.pth")


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    name: str = _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    add_to_wheel(Path(wheel_directory, name), STARTUP_FILE)
    return name


def build_editable(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    name: str = _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    add_to_wheel(Path(wheel_directory, name), STARTUP_FILE)
    return name


def add_to_wheel(wheel: Path, file: Path) -> None:
    """Put ``file`` at the root of ``wheel``, with its line in the wheel's ``RECORD``."""
    data = file.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    records = [info.filename for info, _ in entries if info.filename.endswith(".dist-info/RECORD")]
    if len(records) != 1 or any(info.filename == file.name for info, _ in entries):
        raise RuntimeError(f"{wheel.name}: expected one RECORD and no {file.name} in it")
    rebuilt = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(file.name, data)
        for info, content in entries:
            if info.filename == records[0]:
                line = f"{file.name},sha256={digest},{len(data)}\n".encode()
                content = line + content
            target.writestr(info, content)
    os.replace(rebuilt, wheel)
