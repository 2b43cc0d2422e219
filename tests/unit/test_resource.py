"""What a Pulumi program pays to declare ChatCompletions: the SDK, not our model layer.

The program only registers resources (the provider host validates and calls the API), so
importing ``ChatCompletion`` must not load pydantic's models, httpx or our client: that keeps
the time before the first resource registers, on every ``pulumi up`` and ``preview``, close
to a program's with no package of ours.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "httpx",
    "jsonschema",
    "pydantic.main",
    "pulumi_chatcomp.client._client",
    "pulumi_chatcomp.dynamic._operations",
    "pulumi_chatcomp.models._request",
)


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("from pulumi_chatcomp import ChatCompletion, ChatCompletionArgs", id="import"),
        pytest.param("import pulumi_chatcomp as c; c.TYPE_TOKEN", id="type-token"),
        pytest.param(
            "import pickle\nfrom pulumi_chatcomp.provider import ChatCompletionProvider\n"
            "pickle.loads(pickle.dumps(ChatCompletionProvider()))",
            id="pickled-provider",
        ),
    ],
)
def test_declaring_resources_does_not_load_the_model_layer(statement: str) -> None:
    loaded = _modules_after(statement)
    assert sorted(loaded & set(HEAVY)) == []


def test_the_provider_host_loads_the_model_layer_on_the_first_call() -> None:
    statement = (
        "from pulumi_chatcomp.provider import ChatCompletionProvider\n"
        "result = ChatCompletionProvider().check({}, {'model': 'm', 'messages': []})\n"
        "assert [f.property for f in result.failures] == ['messages'], result.failures"
    )
    loaded = _modules_after(statement)
    assert {"pulumi_chatcomp.dynamic._operations", "pydantic.main"} <= loaded


# The engine checks resources one at a time and every create waits for its check, so the
# host's first check loads only what validating needs; the HTTP side loads with the client,
# and jsonschema with the first strict structured-output create.
CLIENT_SIDE = ("httpx", "pulumi_chatcomp.client._client", "pulumi_chatcomp.models._response")


def test_the_first_check_loads_no_http_client_or_response_models() -> None:
    statement = (
        "from pulumi_chatcomp.provider import ChatCompletionProvider\n"
        "messages = [{'role': 'user', 'content': 'hi'}]\n"
        "result = ChatCompletionProvider().check({}, {'model': 'm', 'messages': messages})\n"
        "assert result.failures == [], result.failures"
    )
    assert sorted(_modules_after(statement) & {*CLIENT_SIDE, "jsonschema"}) == []


def test_the_client_side_loads_when_the_first_call_needs_the_api() -> None:
    statement = (
        "import os\n"
        "os.environ['OPENAI_API_KEY'] = 'sk-test-not-used'\n"
        "from pulumi_chatcomp.dynamic import _operations\n"
        "_operations._client()"
    )
    assert set(CLIENT_SIDE) <= _modules_after(statement)
