"""no-credentials-in-prompts: detection, and findings that never repeat the secret."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from pulumi_chatcomp.policy import find_credentials, no_credentials_in_prompts_policy

# Built at run time so that no complete credential-shaped literal sits in the repository.
SECRETS = {
    "openai": "sk-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ",
    "openai-project": "sk-proj-" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
    "aws": "AKIA" + "Z7Q3X9W2V5T8R1Y4",
    "github": "ghp_" + "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8",
    "slack": "xoxb-" + "123456789012-abcdefghijkl",
    "google": "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "bearer": "Bearer " + "eW91IGZvdW5kIGl0IQ4x9b2c7d1e",
    "jwt": "eyJ" + "hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r",
    "private-key": "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7n1Xv\n",
    "url-password": "postgres://app:" + "s3cr3t-Pa55@db.internal:5432/app",
}
LABELS = {
    "openai": "OpenAI-style API key",
    "openai-project": "OpenAI-style API key",
    "aws": "AWS access key ID",
    "github": "GitHub token",
    "slack": "Slack token",
    "google": "Google API key",
    "bearer": "bearer token",
    "jwt": "JSON Web Token",
    "private-key": "private key",
    "url-password": "password in a URL",
}
# The part of each secret after its non-secret kind prefix: it must never be echoed.
SECRET_PARTS = {
    "openai": "Ab3dEf6hIj",
    "openai-project": "a1B2c3D4e5",
    "aws": "Z7Q3X9W2V5",
    "github": "a1b2c3d4e5",
    "slack": "123456789012",
    "google": "SyA1b2C3d4",
    "bearer": "eW91IGZvdW5k",
    "jwt": "hbGciOiJIUzI1NiJ9",
    "private-key": "MIIEpAIBAAKCAQEA",
    "url-password": "s3cr3t-Pa55",
}


def _messages_with(text: str, where: str) -> list[dict[str, Any]]:
    if where == "string-content":
        return [{"role": "user", "content": f"please use {text} for this"}]
    if where == "text-part":
        return [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                    {"type": "text", "text": f"context:\n{text}\n"},
                ],
            }
        ]
    return [{"role": "user", "name": text, "content": "hello"}]


PATHS = {
    "string-content": "messages[0].content",
    "text-part": "messages[0].content[1].text",
    "name": "messages[0].name",
}


@pytest.mark.parametrize("kind", list(SECRETS))
@pytest.mark.parametrize("where", ["string-content", "text-part"])
def test_credentials_are_found_and_never_echoed(
    kind: str, where: str, run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    props = completion(messages=_messages_with(SECRETS[kind], where))
    outcome = run_resource(no_credentials_in_prompts_policy(), props)
    assert len(outcome.violations) == 1
    message = outcome.violations[0]
    assert message.startswith(f"{PATHS[where]} contains what looks like")
    assert LABELS[kind] in message
    assert SECRETS[kind] not in message
    assert SECRET_PARTS[kind] not in message
    assert "****" in message


def test_credentials_in_message_names_are_found(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    props = completion(messages=_messages_with(SECRETS["aws"], "name"))
    outcome = run_resource(no_credentials_in_prompts_policy(), props)
    assert outcome.violations[0].startswith("messages[0].name contains what looks like an AWS")
    assert "AKIA****, 20 characters" in outcome.violations[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Summarise how scikit-learn pipelines work.", id="prose"),
        pytest.param("Use sk-learn-pipelines-and-transformers today", id="sk-slug-without-digits"),
        pytest.param("Explain bearer token authentication in HTTP", id="bearer-prose"),
        pytest.param("The AKIA prefix marks AWS access key IDs.", id="aws-prefix-only"),
        pytest.param("-----BEGIN PUBLIC KEY-----", id="public-key"),
        pytest.param("See https://example.com/docs@v2 for details", id="url-without-password"),
    ],
)
def test_ordinary_text_is_not_flagged(
    text: str, run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    props = completion(messages=[{"role": "user", "content": text}])
    assert run_resource(no_credentials_in_prompts_policy(), props).violations == []


def test_overlapping_patterns_report_the_most_specific_once() -> None:
    found = find_credentials(f"Authorization: Bearer {SECRETS['openai-project']}")
    assert [credential.label for credential in found] == ["OpenAI-style API key"]


def test_several_credentials_in_one_text_are_each_reported(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    text = f"aws {SECRETS['aws']} and gh {SECRETS['github']}"
    props = completion(messages=[{"role": "user", "content": text}])
    outcome = run_resource(no_credentials_in_prompts_policy(), props)
    assert ["AWS access key ID" in outcome.violations[0], "GitHub" in outcome.violations[1]] == [
        True,
        True,
    ]


def test_additional_patterns_from_config(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    secret = "corp-" + "0123456789abcdef0123456789abcdef"
    props = completion(messages=[{"role": "user", "content": f"token {secret}"}])
    policy = no_credentials_in_prompts_policy()
    assert run_resource(policy, props).violations == []
    outcome = run_resource(
        policy, props, {"additionalPatterns": [r"(?P<prefix>corp-)[0-9a-f]{32}"]}
    )
    assert len(outcome.violations) == 1
    assert "corp-****, 37 characters" in outcome.violations[0]
    assert secret[5:15] not in outcome.violations[0]


def test_invalid_additional_pattern_is_reported_by_config_key(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    outcome = run_resource(
        no_credentials_in_prompts_policy(), completion(), {"additionalPatterns": ["(unclosed"]}
    )
    assert outcome.violations[0].startswith(
        "policy config additionalPatterns[0] is not a valid regular expression"
    )


def test_unknown_text_is_left_for_the_update_while_known_text_is_checked(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    messages = [
        {"role": "system", "content": UNKNOWN_STRING_VALUE},
        {"role": "user", "content": f"key {SECRETS['aws']}"},
    ]
    outcome = run_resource(no_credentials_in_prompts_policy(), completion(messages=messages))
    assert len(outcome.violations) == 1
    assert outcome.violations[0].startswith("messages[1].content")
    assert outcome.unknown_note is not None
    assert "cannot check messages[0].content during preview" in outcome.unknown_note
    assert "checks the real values before creating the completion" in outcome.unknown_note


def test_other_resource_types_are_ignored(run_resource: Callable[..., Any]) -> None:
    props = {"messages": [{"role": "user", "content": SECRETS["aws"]}]}
    outcome = run_resource(
        no_credentials_in_prompts_policy(), props, resource_type="command:local:Command"
    )
    assert outcome.violations == []


def test_default_enforcement_level_is_mandatory() -> None:
    assert no_credentials_in_prompts_policy().enforcement_level is EnforcementLevel.MANDATORY
