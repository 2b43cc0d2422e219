"""The provider's settings as the command line names them: an error names its settings as
fields, and the command line words them as its flags (the API key as ``OPENAI_API_KEY``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import httpx
import pytest

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import ChatCompError, ConfigurationError, InvalidArgumentError
from pulumi_chatcomp.cli._settings import FLAGS, add_settings_flags, settings_of
from pulumi_chatcomp.client import ChatCompletionsClient


def failure(settings: Settings, *steps: httpx.Response | Exception) -> ChatCompError:
    def answer(request: httpx.Request) -> httpx.Response:
        step = steps[0]
        if isinstance(step, Exception):
            raise step
        return step

    client = ChatCompletionsClient(settings, transport=httpx.MockTransport(answer))
    with pytest.raises(ChatCompError) as caught:
        client.retrieve("chatcmpl-1")
    return caught.value


def unauthorized() -> httpx.Response:
    body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
    return httpx.Response(401, json=body)


LOCAL = Settings(base_url="http://h/v1", max_retries=0)
KEYED = Settings(api_key="sk-test-cli-0123456789abcdef", base_url="http://h/v1", max_retries=0)
REFUSED = httpx.ConnectError("refused")


@pytest.mark.parametrize(
    ("error", "as_config", "as_flags"),
    [
        pytest.param(
            lambda: failure(LOCAL, REFUSED),
            "Check chatcomp:baseUrl (or OPENAI_BASE_URL) and the network.",
            "Check --base-url (or OPENAI_BASE_URL) and the network.",
            id="connection",
        ),
        pytest.param(
            lambda: failure(KEYED, unauthorized()),
            "Check chatcomp:apiKey (pulumi config set --secret chatcomp:apiKey ...) or "
            "OPENAI_API_KEY.",
            "Incorrect API key provided [type invalid_request_error]. Check OPENAI_API_KEY.",
            id="wrong-key",
        ),
        pytest.param(
            lambda: failure(LOCAL, unauthorized()),
            "No API key was sent to http://h/v1: set chatcomp:apiKey (pulumi config set "
            "--secret chatcomp:apiKey ...). OPENAI_API_KEY is only sent to the official API or "
            "to OPENAI_BASE_URL unless chatcomp:useEnvApiKey is true.",
            "No API key was sent to http://h/v1: OPENAI_API_KEY is only sent to the official "
            "API or to OPENAI_BASE_URL unless --use-env-api-key is given.",
            id="unpaired-key",
        ),
        pytest.param(
            lambda: failure(LOCAL, httpx.ReadTimeout("slow")),
            "Raise chatcomp:timeout or try again later.",
            "Raise --timeout or try again later.",
            id="timeout",
        ),
        pytest.param(
            lambda: failure(KEYED, httpx.Response(403, json={"error": {"message": "no"}})),
            "may use this model, chatcomp:organization and chatcomp:project.",
            "may use this model, --organization and --project.",
            id="permission",
        ),
        pytest.param(
            lambda: failure(KEYED, httpx.Response(200, text="<html>proxy</html>")),
            "Check that chatcomp:baseUrl points at an OpenAI-compatible API.",
            "Check that --base-url points at an OpenAI-compatible API.",
            id="not-the-api",
        ),
    ],
)
def test_errors_name_settings_as_flags(
    error: Callable[[], ChatCompError], as_config: str, as_flags: str
) -> None:
    made = error()
    assert str(made).endswith(as_config)
    assert made.render(FLAGS).endswith(as_flags)
    assert "chatcomp:" not in made.render(FLAGS)


def test_the_settings_an_error_names_are_fields() -> None:
    assert failure(LOCAL, REFUSED).settings == ("baseUrl",)
    assert failure(LOCAL, unauthorized()).settings == ("apiKey", "useEnvApiKey")
    assert failure(KEYED, httpx.ReadTimeout("slow")).settings == ("timeout",)


def test_a_bad_setting_flag_is_a_usage_error_naming_the_flag() -> None:
    parser = argparse.ArgumentParser()
    add_settings_flags(parser)
    args = parser.parse_args(["--timeout", "soon"])
    with pytest.raises(InvalidArgumentError) as caught:
        settings_of(args)
    assert caught.value.argument == "--timeout"
    assert str(caught.value) == "--timeout must be a positive number of seconds, got 'soon'"


def test_a_bad_setting_of_the_stack_is_named_as_the_stack_names_it() -> None:
    parser = argparse.ArgumentParser()
    add_settings_flags(parser)
    with pytest.raises(ConfigurationError) as caught:
        settings_of(parser.parse_args([]), {"chatcomp:timeout": "soon"})
    assert caught.value.key == "chatcomp:timeout"
    assert caught.value.problem == "must be a positive number of seconds, got 'soon'"
    assert caught.value.render(FLAGS).startswith("chatcomp:timeout must be")
