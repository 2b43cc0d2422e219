"""What the dynamic provider host loads, and when: the model layer with its first call, the
HTTP client only with the first call that needs the API.

The engine runs ``ChatCompletionProvider`` in the host after unpickling it from each
resource's state; every program imports this module too, so its work is in
``dynamic._operations``. What a program pays to declare resources: test_resource.py.
"""

from __future__ import annotations

from tests.unit.loaded import modules_after


def test_the_provider_host_loads_the_model_layer_on_the_first_call() -> None:
    statement = (
        "from pulumi_chatcomp.provider import ChatCompletionProvider\n"
        "result = ChatCompletionProvider().check({}, {'model': 'm', 'messages': []})\n"
        "assert [f.property for f in result.failures] == ['messages'], result.failures"
    )
    loaded = modules_after(statement)
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
    assert sorted(modules_after(statement) & {*CLIENT_SIDE, "jsonschema"}) == []


def test_the_client_side_loads_when_the_first_call_needs_the_api() -> None:
    statement = (
        "import os\n"
        "os.environ['OPENAI_API_KEY'] = 'sk-test-not-used'\n"
        "from pulumi_chatcomp.dynamic import _operations\n"
        "_operations._client()"
    )
    assert set(CLIENT_SIDE) <= modules_after(statement)
