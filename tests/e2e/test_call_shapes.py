"""The call shapes of generated Pulumi SDKs, in a program under the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import FACES, Engine, Face, write_project

KEY = "sk-e2e-shapes-0123456789abcdef"

# How users of pulumi-random or pulumi-tls write resources and invokes without thinking.
PROGRAM = """
import pulumi
import pulumi_chatcomp as chatcomp

prompt = [{"role": "user", "content": "Say hello."}]
tags = {"suite": pulumi.get_stack()}
opts = pulumi.ResourceOptions(protect=False)
before = chatcomp.get_chat_completions(metadata=tags, opts=pulumi.InvokeOptions())
pulumi.export("before", len(before.data))
made = [
    chatcomp.ChatCompletion(
        "args-and-opts",
        chatcomp.ChatCompletionArgs(model="gpt-4o-mini", messages=prompt, metadata=tags),
        opts,
    ),
    chatcomp.ChatCompletion(
        "opts-positional", opts, model="gpt-4o-mini", messages=prompt, metadata=tags
    ),
    chatcomp.ChatCompletion(
        "keywords", model="gpt-4o-mini", messages=prompt, metadata=tags, opts=opts
    ),
    chatcomp.ChatCompletion(
        resource_name="all-named",
        args=chatcomp.ChatCompletionArgs(model="gpt-4o-mini", messages=prompt, metadata=tags),
        opts=opts,
    ),
]
pulumi.export("ids", [completion.id for completion in made])
listed = chatcomp.get_chat_completions_output(
    metadata=tags, opts=pulumi.InvokeOutputOptions(depends_on=made)
)
pulumi.export("listed", listed.data.apply(lambda data: sorted(c.id for c in data)))
first = chatcomp.get_chat_completion_output(
    made[0].id, opts=pulumi.InvokeOutputOptions(depends_on=made)
)
pulumi.export("first", first.id)
"""


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


def test_every_call_shape_of_generated_sdks_works(
    engine: Engine, server: LocalServer, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "shapes", PROGRAM)
    stack = engine.stack(
        project, config={"chatcomp:baseUrl": server.base_url}, secrets={"chatcomp:apiKey": KEY}
    )
    up = stack.up()
    # Four completions, the stack, and the stack's anchor (dynamic completions declare one).
    assert up.summary.resource_changes == {"create": 6}
    ids = up.outputs["ids"].value
    assert len(set(ids)) == 4 and all(i.startswith("chatcmpl-") for i in ids)
    assert up.outputs["listed"].value == sorted(ids)
    assert up.outputs["first"].value == ids[0]
    assert up.outputs["before"].value == 0


# The same misspelt field in both call shapes, for the face and shape the stack config names.
TYPO = """
import pulumi
import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import native

config = pulumi.Config()
face = native if config.get("face") == "plugin" else chatcomp
fields = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "max_completon_tokens": 64,
}
if config.require("shape") == "args":
    face.ChatCompletion("c", face.ChatCompletionArgs(**fields))
else:
    face.ChatCompletion("c", **fields)
"""


@pytest.mark.parametrize("face", FACES, ids=[face.name for face in FACES])
def test_a_misspelt_field_is_one_line_in_both_call_shapes(
    engine: Engine, server: LocalServer, face: Face, tmp_path: Path
) -> None:
    project = face.prepare(write_project(tmp_path / "typo", TYPO))
    errors: dict[str, set[str]] = {}
    for shape in ("args", "keywords"):
        stack = engine.stack(
            project,
            config={"chatcomp:baseUrl": server.base_url, "face": face.name, "shape": shape},
            secrets={"chatcomp:apiKey": KEY},
        )
        with pytest.raises(auto.CommandError) as failed:
            stack.up()
        text = str(failed.value)
        assert "Traceback" not in text and "TypeError" not in text, text
        # Each error the engine printed (in the progress and in the diagnostics).
        errors[shape] = {
            line.split("error: ", 1)[1].strip() for line in text.splitlines() if "error: " in line
        }
    expected = (
        "ChatCompletion 'c': max_completon_tokens is not an argument of ChatCompletion "
        "(see ChatCompletionArgs); did you mean 'max_completion_tokens'?"
    )
    assert errors["args"] == errors["keywords"]
    # Besides the engine's own "program exited with non-zero exit code", that line alone.
    assert {e for e in errors["args"] if "exit code" not in e} == {expected}, errors
