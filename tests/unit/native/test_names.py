"""``pulumi_chatcomp.native`` under pulumi's mocks: Python programs write and read snake_case,
as with a generated Python SDK, while the plugin sees its schema's camelCase; user data keeps
its keys. Each program runs in a fresh interpreter (the mocks are global)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

PROGRAM = """
import json
import pulumi

seen = {"resources": {}, "calls": {}}


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        seen["resources"][args.name] = args.inputs
        # The plugin answers in its schema's names.
        outputs = {
            **args.inputs,
            "responseModel": "gpt-4o-mini-2024-07-18",
            "finishReason": "stop",
            "usage": {"totalTokens": 5, "completionTokensDetails": {"reasoningTokens": 1}},
        }
        return [args.name + "-id", outputs]

    def call(self, args):
        seen["calls"][args.token] = args.args
        if args.token.endswith("getChatCompletion"):
            return {
                "id": args.args["completionId"],
                "serviceTier": "default",
                "usage": {"totalTokens": 5},
                "metadata": {"run_id": "1"},
                "choices": [{"index": 0, "finishReason": "stop", "message": {"content": "Hi"}}],
            }
        return {"completionId": args.args["completionId"], "data": [
            {"id": "c-0", "role": "user", "contentParts": [{"type": "text", "text": "Hi"}]}
        ]}


pulumi.runtime.set_mocks(Mocks(), preview=False)
from pulumi_chatcomp import native

SCHEMA = {"type": "object", "properties": {"max_tokens": {"type": "integer"}}}
METADATA = {"max_tokens": "kept", "finishReason": "kept too"}
eu = native.Provider("eu", base_url="https://eu.example/v1", max_retries=1)
answer = native.ChatCompletion(
    "answer",
    model="gpt-4o-mini",
    messages=[{"role": "tool", "tool_call_id": "call_1", "content": "done"}],
    max_completion_tokens=64,
    metadata=METADATA,
    response_format=pulumi.Output.from_input(
        {"type": "json_schema", "json_schema": {"name": "a", "schema": SCHEMA}}
    ),
    tools=[{"type": "function", "function": {"name": "f", "parameters": SCHEMA}}],
    opts=pulumi.ResourceOptions(provider=eu),
)
stored = native.get_chat_completion(completion_id="chatcmpl-1")
messages = native.get_chat_completion_messages(completion_id="chatcmpl-1")
read = {}


def keep(name, value):
    read[name] = value


answer.response_model.apply(lambda v: keep("response_model", v))
answer.finish_reason.apply(lambda v: keep("finish_reason", v))
answer.usage.apply(lambda v: keep("usage", v))
answer.metadata.apply(lambda v: keep("metadata", v))
answer.max_completion_tokens.apply(lambda v: keep("max_completion_tokens", v))


@pulumi.runtime.test
def registered():
    return answer.urn.apply(lambda urn: None)


registered()
read["stored"] = {
    "service_tier": stored.service_tier,
    "total_tokens": stored.usage.total_tokens,
    "metadata": stored.metadata,
    "finish_reason": stored.choices[0].finish_reason,
}
read["parts"] = messages.data[0].content_parts
print(json.dumps({"seen": seen, "read": read}))
"""


@pytest.fixture(scope="module")
def program() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_plugin_sees_the_schemas_names(program: dict[str, Any]) -> None:
    sent = program["seen"]["resources"]["answer"]
    assert sent["maxCompletionTokens"] == 64
    assert sent["messages"] == [{"role": "tool", "toolCallId": "call_1", "content": "done"}]
    assert "max_completion_tokens" not in sent and "response_format" not in sent
    # Known later (an Output), renamed all the same.
    assert sent["responseFormat"]["jsonSchema"]["name"] == "a"


def test_user_data_keeps_its_keys(program: dict[str, Any]) -> None:
    sent = program["seen"]["resources"]["answer"]
    schema = {"type": "object", "properties": {"max_tokens": {"type": "integer"}}}
    assert sent["metadata"] == {"max_tokens": "kept", "finishReason": "kept too"}
    assert sent["responseFormat"]["jsonSchema"]["schema"] == schema
    assert sent["tools"][0]["function"]["parameters"] == schema


def test_the_program_reads_snake_case_outputs(program: dict[str, Any]) -> None:
    read = program["read"]
    assert read["response_model"] == "gpt-4o-mini-2024-07-18"
    assert read["finish_reason"] == "stop"
    assert read["max_completion_tokens"] == 64
    assert read["usage"] == {
        "total_tokens": 5,
        "completion_tokens_details": {"reasoning_tokens": 1},
    }
    assert read["metadata"] == {"max_tokens": "kept", "finishReason": "kept too"}


def test_the_provider_takes_python_keywords_and_sends_its_config_keys(
    program: dict[str, Any],
) -> None:
    sent = program["seen"]["resources"]["eu"]
    assert sent["baseUrl"] == "https://eu.example/v1"
    assert sent["maxRetries"] == 1


def test_functions_send_the_schemas_names_and_give_snake_case_results(
    program: dict[str, Any],
) -> None:
    calls = program["seen"]["calls"]
    assert calls["chatcomp:index:getChatCompletion"] == {"completionId": "chatcmpl-1"}
    assert program["read"]["stored"] == {
        "service_tier": "default",
        "total_tokens": 5,
        "metadata": {"run_id": "1"},
        "finish_reason": "stop",
    }
    assert program["read"]["parts"] == [{"type": "text", "text": "Hi"}]
