"""The provider's settings as the command line names them: each ``chatcomp:*`` key in an
error's text becomes its flag, the API key ``OPENAI_API_KEY``."""

from __future__ import annotations

import pytest

from pulumi_chatcomp.cli._settings import in_flag_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Could not connect to http://h/v1 for GET /chat/completions (refused). "
            "Check chatcomp:baseUrl (or OPENAI_BASE_URL) and the network.",
            "Could not connect to http://h/v1 for GET /chat/completions (refused). "
            "Check --base-url (or OPENAI_BASE_URL) and the network.",
            id="connection",
        ),
        pytest.param(
            "HTTP 401: Incorrect API key provided. Check chatcomp:apiKey (pulumi config set "
            "--secret chatcomp:apiKey ...) or OPENAI_API_KEY.",
            "HTTP 401: Incorrect API key provided. Check OPENAI_API_KEY.",
            id="wrong-key",
        ),
        pytest.param(
            "HTTP 401: no key. No API key was sent to http://h/v1: set chatcomp:apiKey (pulumi "
            "config set --secret chatcomp:apiKey ...). OPENAI_API_KEY is only sent to the "
            "official API or to OPENAI_BASE_URL unless chatcomp:useEnvApiKey is true.",
            "HTTP 401: no key. No API key was sent to http://h/v1: OPENAI_API_KEY is only sent "
            "to the official API or to OPENAI_BASE_URL unless --use-env-api-key is given.",
            id="unpaired-key",
        ),
        pytest.param(
            "timed out. Raise chatcomp:timeout or try again later.",
            "timed out. Raise --timeout or try again later.",
            id="timeout",
        ),
        pytest.param(
            "may use this model, chatcomp:organization and chatcomp:project",
            "may use this model, --organization and --project",
            id="permission",
        ),
    ],
)
def test_errors_name_settings_as_flags(text: str, expected: str) -> None:
    assert in_flag_terms(text) == expected
