"""The SDKs Pulumi's own code generators make from the plugin's schema, and what a release
publishes (scripts/release.sh).

The schema validates against Pulumi's meta-schema and passes ``pulumi schema check`` (which
also binds it as the code generators do); the TypeScript SDK compiles with tsc and the Go SDK
with ``go build`` (scripts/check-sdks.sh, which the release runs). A release holds the wheel
and sdist, a plugin archive that ``pulumi plugin install --file`` takes and every project of
the machine then finds, an npm package that installs into a fresh program and compiles, and
the Go module. (The examples, through ``pulumi package add``, run in test_packages.py.)
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from pulumi_chatcomp.plugin._provider import SCHEMA_PATH
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import PULUMI_VERSION, REPO, Engine, another_machine

KEY = "sk-e2e-sdks-0123456789abcdefghijkl"

# One worker builds the release once for every test of the module.
pytestmark = pytest.mark.xdist_group("release")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of the working tree (scripts/release.sh), into a folder of its own."""
    folder = tmp_path_factory.mktemp("release")
    done = subprocess.run(
        [
            "bash",
            str(REPO / "scripts" / "release.sh"),
            "--out",
            str(folder / "dist"),
            "--keep-sdks",
            str(folder / "sdks"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return folder


@pytest.fixture(scope="module")
def sdks(release: Path) -> Path:
    """The Node.js and Go SDKs of the committed schema, generated and compiled."""
    return release / "sdks"


@pytest.fixture(scope="module")
def dist(release: Path) -> Path:
    return release / "dist"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


def test_the_schema_is_valid_for_pulumis_meta_schema() -> None:
    # The meta-schema ships in pkg/v3, which the engine's build downloaded.
    gomodcache = subprocess.run(
        ["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True
    ).stdout.strip()
    meta_path = Path(gomodcache, f"github.com/pulumi/pulumi/pkg/v3@v{PULUMI_VERSION}")
    text = (meta_path / "codegen" / "schema" / "pulumi.json").read_text()
    # Its patterns use Go's named groups, (?<name>...); Python's re spells them (?P<name>...).
    meta = json.loads(text.replace("(?<", "(?P<"))
    validator = jsonschema.validators.validator_for(meta)(meta)
    problems = [
        f"{list(e.path)}: {e.message}"
        for e in validator.iter_errors(json.loads(SCHEMA_PATH.read_text()))
    ]
    assert problems == []


def test_pulumi_schema_check_passes(engine: Engine, tmp_path: Path) -> None:
    checked = engine.cli("schema", "check", str(SCHEMA_PATH), cwd=tmp_path, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Error" not in checked.stdout + checked.stderr


def test_the_sdks_document_each_property_and_deprecation(sdks: Path) -> None:
    # What an IDE's hover shows: the API reference's words, in each language's names.
    typescript = (sdks / "nodejs" / "chatCompletion.ts").read_text()
    assert "maxCompletionTokens?: pulumi.Input<number" in typescript
    assert "@deprecated Use maxCompletionTokens instead." in typescript
    assert "```typescript" in typescript and "```go" not in typescript
    go = (sdks / "go" / "chatcomp" / "chatCompletion.go").read_text()
    assert "MaxCompletionTokens pulumi.IntPtrInput" in go
    assert "// Deprecated: Use maxCompletionTokens instead." in go
    assert "reasoning tokens" in go  # the spec's description of maxCompletionTokens


def test_the_typescript_and_go_sdks_compile(sdks: Path) -> None:
    assert (sdks / "nodejs" / "bin" / "chatCompletion.d.ts").is_file()
    assert json.loads((sdks / "nodejs" / "bin" / "package.json").read_text())["version"] == "0.1.0"
    assert (sdks / "go" / "chatcomp" / "chatCompletion.go").is_file()


def test_a_release_holds_the_python_package_the_plugin_and_the_sdks(dist: Path) -> None:
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    assert sorted(path.name for path in dist.iterdir()) == [
        "pulumi-chatcomp-chatcomp-0.1.0.tgz",
        f"pulumi-resource-chatcomp-v0.1.0-{platform.system().lower()}-{machine}.tar.gz",
        "pulumi_chatcomp-0.1.0-py3-none-any.whl",
        "pulumi_chatcomp-0.1.0.tar.gz",
        "sdk",
    ]
    with zipfile.ZipFile(dist / "pulumi_chatcomp-0.1.0-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
    # Both faces, the plugin's schema and the SDK under the Python name the schema gives.
    assert {"pulumi_chatcomp/plugin/schema.json", "pulumi_chatcomp_sdk/__init__.py"} <= names
    # The Go module's path is the folder above the import path the schema gives the package.
    import_path = json.loads(SCHEMA_PATH.read_text())["language"]["go"]["importBasePath"]
    go_mod = (dist / "sdk" / "go" / "go.mod").read_text()
    assert go_mod.startswith(f"module {import_path.rsplit('/', 1)[0]}\n")
    assert (dist / "sdk" / "go" / import_path.rsplit("/", 1)[1] / "chatCompletion.go").is_file()


def test_the_plugin_archive_installs_once_for_every_project_of_the_machine(
    engine: Engine, server: LocalServer, dist: Path, tmp_path: Path
) -> None:
    machine = another_machine(engine, tmp_path / "machine", plugin_on_path=False)
    (archive,) = dist.glob("pulumi-resource-chatcomp-*.tar.gz")
    machine.cli(
        "plugin", "install", "resource", "chatcomp", "0.1.0", "--file", str(archive), cwd=tmp_path
    )
    listed = machine.cli("plugin", "ls", cwd=tmp_path).stdout
    assert re.search(r"chatcomp\s+resource\s+0\.1\.0", listed)

    project = tmp_path / "installed"
    project.mkdir()
    # Neither packages nor plugins: the engine finds the installed plugin by itself.
    (project / "Pulumi.yaml").write_text(
        "name: installed\nruntime: yaml\nresources:\n  haiku:\n"
        "    type: chatcomp:index:ChatCompletion\n    properties:\n      model: gpt-4o-mini\n"
        "      messages: [{role: user, content: A haiku.}]\n"
        "outputs:\n  content: ${haiku.content}\n"
    )
    machine.cli("stack", "init", "dev", "--non-interactive", cwd=project)
    machine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    machine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)
    up = machine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project)
    assert "warning" not in up.stdout + up.stderr
    shown = machine.cli("stack", "output", "content", cwd=project)
    assert shown.stdout.strip()
    machine.cli("destroy", "--yes", "--non-interactive", cwd=project)


def test_the_npm_package_installs_into_a_fresh_program_and_compiles(
    dist: Path, tmp_path: Path
) -> None:
    # A fresh program with the example's dependencies, then the release's package.
    manifest = json.loads((REPO / "examples" / "typescript" / "package.json").read_text())
    (tmp_path / "package.json").write_text(json.dumps({**manifest, "name": "fresh"}))
    (tmp_path / "tsconfig.json").write_bytes(
        (REPO / "examples" / "typescript" / "tsconfig.json").read_bytes()
    )
    (tmp_path / "index.ts").write_text(
        'import * as chatcomp from "@pulumi-chatcomp/chatcomp";\n\n'
        'const haiku = new chatcomp.ChatCompletion("haiku", {\n'
        '    model: "gpt-4o-mini",\n'
        '    messages: [{ role: chatcomp.MessageParamRole.User, content: "A haiku." }],\n'
        "    maxCompletionTokens: 64,\n"
        "    // @ts-expect-error: the SDK's types name it maxCompletionTokens\n"
        "    max_completion_tokens: 64,\n"
        "});\n"
        "export const content = haiku.content;\n"
    )
    (package,) = dist.glob("*.tgz")
    for command in (
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", str(package)],
        ["npx", "--no-install", "tsc", "--noEmit", "-p", "."],
    ):
        done = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
