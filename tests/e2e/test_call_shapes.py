"""The call shapes of generated Pulumi SDKs, in a program under the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.e2e.helpers import Engine, write_project

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
    assert up.summary.resource_changes == {"create": 5}
    ids = up.outputs["ids"].value
    assert len(set(ids)) == 4 and all(i.startswith("chatcmpl-") for i in ids)
    assert up.outputs["listed"].value == sorted(ids)
    assert up.outputs["first"].value == ids[0]
    assert up.outputs["before"].value == 0
