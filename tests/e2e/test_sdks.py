"""The SDKs Pulumi's own code generators make from the plugin's schema, in other languages.

The schema validates against Pulumi's meta-schema and passes ``pulumi schema check`` (which
also binds it as the code generators do); the TypeScript SDK compiles with tsc and
the Go SDK with ``go build`` (scripts/check-sdks.sh); the TypeScript example runs under the
engine (through the test-only Node.js language host) and the Go example compiles.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from pulumi_chatcomp.plugin._provider import SCHEMA_PATH
from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import PULUMI_VERSION, REPO, Engine, copy_project, plugin_section

KEY = "sk-e2e-sdks-0123456789abcdefghijkl"


@pytest.fixture(scope="module")
def sdks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Node.js and Go SDKs of the committed schema, generated and compiled."""
    folder = tmp_path_factory.mktemp("sdks")
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "check-sdks.sh"), "--keep", str(folder), str(SCHEMA_PATH)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return folder


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


def test_the_go_example_compiles_against_the_generated_sdk(sdks: Path, tmp_path: Path) -> None:
    example = copy_project(REPO / "examples" / "go", tmp_path / "go")
    shutil.copytree(sdks / "go", example / "sdks" / "chatcomp")
    for command in (["go", "mod", "tidy"], ["go", "build", "-o", "/dev/null", "."]):
        done = subprocess.run(command, cwd=example, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]


def test_the_typescript_example_runs_under_the_engine(
    engine: Engine, server: LocalServer, sdks: Path, tmp_path: Path
) -> None:
    project = copy_project(REPO / "examples" / "typescript", tmp_path / "typescript")
    # Where `pulumi package add` puts the SDK it generates; here, the compiled one.
    shutil.copytree(sdks / "nodejs" / "bin", project / "sdks" / "chatcomp")
    with (project / "Pulumi.yaml").open("a") as header:
        header.write(plugin_section())
    engine.cli("install", cwd=project)
    engine.cli("stack", "init", "ts", "--non-interactive", cwd=project)
    engine.cli("config", "set", "chatcomp:baseUrl", server.base_url, cwd=project)
    engine.cli("config", "set", "--secret", "chatcomp:apiKey", KEY, cwd=project)

    engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project)
    outputs = json.loads(engine.cli("stack", "output", "--json", cwd=project).stdout)
    assert outputs["id"].startswith("chatcmpl-")
    assert outputs["content"] and outputs["tokens"] > 0
    assert outputs["listed"] == [outputs["id"]]
    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project)
    assert "deleted" in destroy.stdout
