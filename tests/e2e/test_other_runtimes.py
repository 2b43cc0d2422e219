"""Programs in other languages under the pinned engine: YAML through the official host
(pulumi-yaml), TypeScript through our test-only Node.js host (scripts/engine/langhost-nodejs)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.helpers import PROGRAMS, Engine, copy_project


def test_a_yaml_program_runs_up_and_destroy(engine: Engine, project_dir: Path) -> None:
    copy_project(PROGRAMS / "yaml-hello", project_dir)
    engine.cli("stack", "init", "yaml", "--non-interactive", cwd=project_dir)
    engine.cli("config", "set", "who", "world", cwd=project_dir)

    up = engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project_dir)
    # The host is found next to the CLI, not on PATH (which the CLI warns about).
    assert "pulumi-language-yaml from $PATH" not in up.stdout + up.stderr
    outputs = json.loads(engine.cli("stack", "output", "--json", cwd=project_dir).stdout)
    assert outputs == {"greeting": "hello world"}

    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project_dir)
    assert "1 deleted" in destroy.stdout


def test_a_typescript_program_runs_under_the_nodejs_host(engine: Engine, project_dir: Path) -> None:
    copy_project(PROGRAMS / "nodejs-hello", project_dir)
    # InstallDependencies: `npm install` of the program's package.json.
    engine.cli("install", cwd=project_dir)
    assert (project_dir / "node_modules" / "@pulumi" / "pulumi").is_dir()
    engine.cli("stack", "init", "ts", "--non-interactive", cwd=project_dir)
    engine.cli("config", "set", "who", "world", cwd=project_dir)
    engine.cli("config", "set", "--secret", "token", "s3cr3t", cwd=project_dir)

    up = engine.cli("up", "--yes", "--non-interactive", "--skip-preview", cwd=project_dir)
    assert "pulumi-language-nodejs from $PATH" not in up.stdout + up.stderr
    shown = engine.cli("stack", "output", "--json", "--show-secrets", cwd=project_dir)
    assert json.loads(shown.stdout) == {"greeting": "hello world", "token": "s3cr3t", "stack": "ts"}
    hidden = engine.cli("stack", "output", "--json", cwd=project_dir)
    assert json.loads(hidden.stdout)["token"] == "[secret]"

    # A type error fails the run with the compiler's message, and changes nothing.
    program = project_dir / "index.ts"
    good = program.read_text()
    program.write_text(good + 'export const broken: number = "not a number";\n')
    preview = engine.cli("preview", "--non-interactive", cwd=project_dir, check=False)
    assert preview.returncode != 0
    assert "TS2322" in preview.stdout + preview.stderr
    program.write_text(good)

    refresh = engine.cli("refresh", "--yes", "--non-interactive", cwd=project_dir)
    assert "1 unchanged" in refresh.stdout
    destroy = engine.cli("destroy", "--yes", "--non-interactive", cwd=project_dir)
    assert "1 deleted" in destroy.stdout
