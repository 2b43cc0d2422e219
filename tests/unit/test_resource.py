"""What a Pulumi program pays to declare ChatCompletions: the SDK, not our model layer.

The program only registers resources (the provider host validates and calls the API), so
importing ``ChatCompletion`` must not load pydantic's models, httpx or our client: that keeps
the time before the first resource registers, on every ``pulumi up`` and ``preview``, close
to a program's with no package of ours. What the provider host loads, and when, is
test_provider.py's.
"""

from __future__ import annotations

import pytest

from tests.unit.loaded import modules_after

HEAVY = (
    "httpx",
    "jsonschema",
    "pydantic.main",
    "pulumi_chatcomp.client._client",
    "pulumi_chatcomp.dynamic._operations",
    "pulumi_chatcomp.models._request",
)


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
    loaded = modules_after(statement)
    assert sorted(loaded & set(HEAVY)) == []
