"""The build backend (build-backend/chatcomp_build_backend.py): setuptools' wheels, each with
the startup file at its root and in its RECORD. (A wheel built from a clone:
tests/e2e/test_quickstart_setup.py.)"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _backend() -> ModuleType:
    path = REPO / "build-backend" / "chatcomp_build_backend.py"
    spec = importlib.util.spec_from_file_location("chatcomp_build_backend", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wheel(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("pulumi_chatcomp/__init__.py", "")
        wheel.writestr("pulumi_chatcomp-0.1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        wheel.writestr(
            "pulumi_chatcomp-0.1.0.dist-info/RECORD",
            "pulumi_chatcomp/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n"
            "pulumi_chatcomp-0.1.0.dist-info/RECORD,,\n",
        )
    return path


def test_every_wheel_gets_the_startup_file_with_its_record_line(tmp_path: Path) -> None:
    backend = _backend()
    wheel = _wheel(tmp_path / "pulumi_chatcomp-0.1.0-py3-none-any.whl")
    backend.add_to_wheel(wheel, backend.STARTUP_FILE)

    data = backend.STARTUP_FILE.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(wheel) as built:
        assert built.read("pulumi_chatcomp-startup.pth") == data
        record = built.read("pulumi_chatcomp-0.1.0.dist-info/RECORD").decode().splitlines()
        assert built.read("pulumi_chatcomp/__init__.py") == b""
    assert f"pulumi_chatcomp-startup.pth,sha256={digest},{len(data)}" in record
    assert len(record) == 3  # what was there is kept


def test_a_wheel_that_has_it_already_is_refused(tmp_path: Path) -> None:
    backend = _backend()
    wheel = _wheel(tmp_path / "pulumi_chatcomp-0.1.0-py3-none-any.whl")
    backend.add_to_wheel(wheel, backend.STARTUP_FILE)
    with pytest.raises(RuntimeError, match=r"no pulumi_chatcomp-startup\.pth"):
        backend.add_to_wheel(wheel, backend.STARTUP_FILE)
