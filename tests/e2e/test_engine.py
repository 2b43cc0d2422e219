"""The engine itself: the pinned CLI, our language hosts, the dynamic provider host."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from tests.e2e.helpers import PULUMI_VERSION, Engine, export_state, write_project

PROGRAM = """
import pulumi
from pulumi.dynamic import CreateResult, ReadResult, Resource, ResourceProvider


class Greeter(ResourceProvider):
    def create(self, props):
        return CreateResult(id_="greeting-1", outs={"text": f"hello {props['who']}"})

    def read(self, id_, props):
        return ReadResult(id_=id_, outs=props)


class Greeting(Resource, module="smoke", name="Greeting"):
    text: pulumi.Output[str]

    def __init__(self, name, who):
        super().__init__(Greeter(), name, {"who": who, "text": None})


greeting = Greeting("g", pulumi.Config().require("who"))
pulumi.export("text", greeting.text)
"""


def test_pulumi_version_is_the_pinned_release(engine: Engine, tmp_path: Path) -> None:
    done = engine.cli("version", cwd=tmp_path)
    assert done.stdout.strip() == f"v{PULUMI_VERSION}"


def test_dynamic_resource_survives_up_refresh_and_destroy(
    engine: Engine, project_dir: Path
) -> None:
    write_project(project_dir, PROGRAM)
    stack = engine.stack(project_dir, config={"who": "world"})

    up = stack.up()
    assert up.outputs["text"].value == "hello world"
    assert up.summary.resource_changes == {"create": 2}

    state = json.loads(export_state(engine, project_dir, stack.name, show_secrets=False))
    (greeting,) = [
        r for r in state["deployment"]["resources"] if r["type"].endswith("smoke:Greeting")
    ]
    assert greeting["type"] == "pulumi-python:dynamic/smoke:Greeting"
    assert greeting["id"] == "greeting-1"
    assert "__provider" in greeting["outputs"]

    refresh = stack.refresh()
    assert refresh.summary.result == "succeeded"

    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    assert json.loads(export_state(engine, project_dir, stack.name, show_secrets=False))[
        "deployment"
    ].get("resources") in (None, [])


def test_a_stack_without_any_config_runs(engine: Engine, project_dir: Path) -> None:
    # The everyday case of a program configured by environment variables only: the language
    # host must pass "no config" to the program, not a JSON null it cannot read.
    write_project(project_dir, PROGRAM.replace('.require("who")', '.get("who") or "nobody"'))
    stack = engine.stack(project_dir)
    assert stack.get_all_config() == {}

    up = stack.up()
    assert up.outputs["text"].value == "hello nobody"


def test_the_language_host_stops_on_sigint_even_when_started_ignoring_it(
    engine: Engine, tmp_path: Path
) -> None:
    # The engine stops plugins with SIGINT and kills them only five seconds later. A
    # background job of a non-interactive shell starts with SIGINT ignored; before the
    # host handled SIGINT itself, every pulumi command run that way waited the five seconds.
    with subprocess.Popen(
        [str(engine.bin_dir / "pulumi-language-python")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    ) as host:
        try:
            assert host.stdout is not None
            port = host.stdout.readline().strip()
            assert port.isdigit(), f"no port from the language host: {port!r}"
            host.send_signal(signal.SIGINT)
            # Without a handler the host never exits: a yes/no, not a time asserted.
            assert host.wait(timeout=30) == 0
        finally:
            host.kill()


def test_after_an_engine_error_the_host_interrupts_a_program_still_waiting(
    engine: Engine, project_dir: Path
) -> None:
    # As Pulumi's own Python host does (and so as users see it): a program still waiting on a
    # registration when the engine gives up (here, on a provider that does not exist) gets
    # SIGINT, and Python prints the KeyboardInterrupt where it was. A plugin must not leave a
    # program waiting so (see ChatCompletionPlugin.check_config).
    write_project(
        project_dir, 'import pulumi\n\npulumi.CustomResource("nope:index:Thing", "thing", {})\n'
    )
    engine.cli("stack", "init", "dev", "--non-interactive", cwd=project_dir)
    preview = engine.cli("preview", "--non-interactive", cwd=project_dir, check=False)
    text = preview.stdout + preview.stderr
    assert preview.returncode != 0
    assert "no resource plugin 'pulumi-resource-nope' found" in text
    assert "KeyboardInterrupt" in text
