"""Settings resolution, validation and the key-pairing rule (pulumi_chatcomp._config)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_chatcomp._config import (
    CONFIG_KEYS,
    DATA_RESIDENCY_REGIONS,
    DEFAULT_BASE_URL,
    Settings,
)
from pulumi_chatcomp._exceptions import ConfigurationError

CONFIG_KEY = "sk-config-0123456789abcdef"
ENV_KEY = "sk-env-0123456789abcdef"
PROXY = "https://proxy.example.com/v1"
LOCAL = "http://127.0.0.1:8080/v1"


@pytest.mark.parametrize(
    ("config", "env", "expected_key", "expected_url"),
    [
        pytest.param({}, {}, None, DEFAULT_BASE_URL, id="nothing-set"),
        pytest.param(
            {}, {"OPENAI_API_KEY": ENV_KEY}, ENV_KEY, DEFAULT_BASE_URL, id="env-key-default-url"
        ),
        pytest.param(
            {},
            {"OPENAI_API_KEY": ENV_KEY, "OPENAI_BASE_URL": LOCAL},
            ENV_KEY,
            LOCAL,
            id="env-key-env-url",
        ),
        pytest.param(
            {"baseUrl": PROXY},
            {"OPENAI_API_KEY": ENV_KEY},
            None,
            PROXY,
            id="config-url-withholds-env-key",
        ),
        pytest.param(
            {"baseUrl": PROXY},
            {"OPENAI_API_KEY": ENV_KEY, "OPENAI_BASE_URL": LOCAL},
            None,
            PROXY,
            id="config-url-differs-from-env-url",
        ),
        pytest.param(
            {"baseUrl": LOCAL + "/"},
            {"OPENAI_API_KEY": ENV_KEY, "OPENAI_BASE_URL": LOCAL},
            ENV_KEY,
            LOCAL,
            id="config-url-same-as-env-url",
        ),
        pytest.param(
            {"baseUrl": DEFAULT_BASE_URL},
            {"OPENAI_API_KEY": ENV_KEY},
            ENV_KEY,
            DEFAULT_BASE_URL,
            id="config-url-is-official",
        ),
        pytest.param(
            {"baseUrl": PROXY, "apiKey": CONFIG_KEY},
            {"OPENAI_API_KEY": ENV_KEY},
            CONFIG_KEY,
            PROXY,
            id="config-key-pairs-with-config-url",
        ),
        pytest.param(
            {"apiKey": CONFIG_KEY},
            {"OPENAI_API_KEY": ENV_KEY, "OPENAI_BASE_URL": LOCAL},
            CONFIG_KEY,
            LOCAL,
            id="config-key-pairs-with-env-url",
        ),
        pytest.param(
            {"baseUrl": PROXY, "useEnvApiKey": "true"},
            {"OPENAI_API_KEY": ENV_KEY},
            ENV_KEY,
            PROXY,
            id="config-opt-in",
        ),
        pytest.param(
            {"baseUrl": PROXY},
            {"OPENAI_API_KEY": ENV_KEY, "CHATCOMP_USE_ENV_API_KEY": "true"},
            ENV_KEY,
            PROXY,
            id="env-opt-in",
        ),
        pytest.param(
            {"baseUrl": PROXY, "useEnvApiKey": "false"},
            {"OPENAI_API_KEY": ENV_KEY, "CHATCOMP_USE_ENV_API_KEY": "true"},
            None,
            PROXY,
            id="config-opt-out-beats-env-opt-in",
        ),
        pytest.param(
            {"baseUrl": PROXY, "useEnvApiKey": True},
            {"OPENAI_API_KEY": ENV_KEY},
            ENV_KEY,
            PROXY,
            id="opt-in-as-bool",
        ),
        pytest.param(
            {"chatcomp:baseUrl": PROXY, "chatcomp:apiKey": CONFIG_KEY},
            {},
            CONFIG_KEY,
            PROXY,
            id="namespaced-keys",
        ),
        pytest.param(
            {"apiKey": ""},
            {"OPENAI_API_KEY": ENV_KEY},
            ENV_KEY,
            DEFAULT_BASE_URL,
            id="empty-config-key",
        ),
        pytest.param({}, {"OPENAI_API_KEY": ""}, None, DEFAULT_BASE_URL, id="empty-env-key"),
    ],
)
def test_key_pairing_rule(
    config: dict[str, Any], env: dict[str, str], expected_key: str | None, expected_url: str
) -> None:
    settings = Settings.resolve(config, env)
    assert (settings.api_key, settings.base_url) == (expected_key, expected_url)


@pytest.mark.parametrize("region", sorted(DATA_RESIDENCY_REGIONS))
def test_the_exported_key_goes_to_every_data_residency_host(region: str) -> None:
    url = f"https://{region}.api.openai.com/v1"
    settings = Settings.resolve({"baseUrl": url}, {"OPENAI_API_KEY": ENV_KEY})
    assert (settings.api_key, settings.base_url) == (ENV_KEY, url)


@pytest.mark.parametrize(
    ("base_url", "sent"),
    [
        pytest.param("https://EU.api.openai.com/v1/", True, id="host-case-and-slash"),
        pytest.param("https://eu.api.openai.com:443/v1", True, id="default-port-spelled"),
        pytest.param("https://eu.api.openai.com.example.net/v1", False, id="suffix-look-alike"),
        pytest.param("https://api.openai.com.example.net/v1", False, id="global-look-alike"),
        pytest.param("https://evil-eu.api.openai.com/v1", False, id="not-a-region"),
        pytest.param("https://xx.api.openai.com/v1", False, id="unknown-region"),
        pytest.param("https://eu.eu.api.openai.com/v1", False, id="two-labels"),
        pytest.param("https://eu.api.openai.com.evil/v1", False, id="trailing-label"),
        pytest.param("https://euapi.openai.com/v1", False, id="no-dot"),
        pytest.param("http://eu.api.openai.com/v1", False, id="plain-http"),
        pytest.param("https://eu.api.openai.com:8443/v1", False, id="other-port"),
        pytest.param("https://eu.api.openai.com/v2", False, id="other-path"),
        pytest.param("https://eu.api.openai.com/proxy/v1", False, id="deeper-path"),
        pytest.param("https://user@eu.api.openai.com/v1", False, id="user-info"),
    ],
)
def test_only_the_exact_official_hosts_get_the_exported_key(base_url: str, sent: bool) -> None:
    settings = Settings.resolve({"baseUrl": base_url}, {"OPENAI_API_KEY": ENV_KEY})
    assert settings.api_key == (ENV_KEY if sent else None)


@pytest.mark.parametrize(
    ("config", "env", "field", "expected"),
    [
        pytest.param({}, {}, "timeout", 600.0, id="timeout-default"),
        pytest.param(
            {"timeout": "30"}, {"CHATCOMP_TIMEOUT": "5"}, "timeout", 30.0, id="timeout-config-wins"
        ),
        pytest.param({}, {"CHATCOMP_TIMEOUT": "2.5"}, "timeout", 2.5, id="timeout-env"),
        pytest.param({"timeout": 12}, {}, "timeout", 12.0, id="timeout-number"),
        pytest.param({}, {}, "max_retries", 2, id="retries-default"),
        pytest.param({"maxRetries": "0"}, {}, "max_retries", 0, id="retries-zero"),
        pytest.param({}, {"CHATCOMP_MAX_RETRIES": "5"}, "max_retries", 5, id="retries-env"),
        pytest.param(
            {"maxRetries": "7"},
            {"CHATCOMP_MAX_RETRIES": "5"},
            "max_retries",
            7,
            id="retries-config-wins",
        ),
        pytest.param(
            {"organization": "org-1"},
            {"OPENAI_ORG_ID": "org-2"},
            "organization",
            "org-1",
            id="org-config",
        ),
        pytest.param({}, {"OPENAI_ORG_ID": "org-2"}, "organization", "org-2", id="org-env"),
        pytest.param({}, {"OPENAI_PROJECT_ID": "proj-2"}, "project", "proj-2", id="project-env"),
        pytest.param({"project": "proj-1"}, {}, "project", "proj-1", id="project-config"),
        pytest.param(
            {"baseUrl": "http://localhost:9/v1///"},
            {},
            "base_url",
            "http://localhost:9/v1",
            id="url-trailing-slash",
        ),
    ],
)
def test_resolution(
    config: dict[str, Any], env: dict[str, str], field: str, expected: object
) -> None:
    assert getattr(Settings.resolve(config, env), field) == expected


@pytest.mark.parametrize(
    ("config", "env", "message"),
    [
        pytest.param(
            {"timeout": "abc"},
            {},
            "chatcomp:timeout must be a positive number of seconds, got 'abc'",
            id="timeout-text",
        ),
        pytest.param(
            {"timeout": "0"},
            {},
            "chatcomp:timeout must be a positive number of seconds, got '0'",
            id="timeout-zero",
        ),
        pytest.param({"timeout": "-3"}, {}, "chatcomp:timeout", id="timeout-negative"),
        pytest.param({"timeout": "nan"}, {}, "chatcomp:timeout", id="timeout-nan"),
        pytest.param({"timeout": "inf"}, {}, "chatcomp:timeout", id="timeout-inf"),
        pytest.param({"timeout": True}, {}, "chatcomp:timeout", id="timeout-bool"),
        pytest.param(
            {},
            {"CHATCOMP_TIMEOUT": "soon"},
            "CHATCOMP_TIMEOUT must be a positive number",
            id="timeout-env",
        ),
        pytest.param(
            {"maxRetries": "-1"},
            {},
            "chatcomp:maxRetries must be a whole number of retries, 0 or more, got '-1'",
            id="retries-negative",
        ),
        pytest.param({"maxRetries": "1.5"}, {}, "chatcomp:maxRetries", id="retries-fraction"),
        pytest.param({"maxRetries": "many"}, {}, "chatcomp:maxRetries", id="retries-text"),
        pytest.param({}, {"CHATCOMP_MAX_RETRIES": "x"}, "CHATCOMP_MAX_RETRIES", id="retries-env"),
        pytest.param(
            {"baseUrl": "ftp://example.com"},
            {},
            "chatcomp:baseUrl must be an http(s) URL",
            id="url-scheme",
        ),
        pytest.param({"baseUrl": "api.openai.com/v1"}, {}, "chatcomp:baseUrl", id="url-no-scheme"),
        pytest.param({"baseUrl": "https://"}, {}, "chatcomp:baseUrl", id="url-no-host"),
        pytest.param(
            {"baseUrl": "https://x.example/v1?a=b"}, {}, "chatcomp:baseUrl", id="url-query"
        ),
        pytest.param(
            {},
            {"OPENAI_BASE_URL": "localhost:8080"},
            "OPENAI_BASE_URL must be an http(s) URL",
            id="url-env",
        ),
        pytest.param(
            {"useEnvApiKey": "maybe"},
            {},
            "chatcomp:useEnvApiKey must be true or false, got 'maybe'",
            id="flag-config",
        ),
        pytest.param(
            {}, {"CHATCOMP_USE_ENV_API_KEY": "perhaps"}, "CHATCOMP_USE_ENV_API_KEY", id="flag-env"
        ),
    ],
)
def test_bad_values_name_the_setting(
    config: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(config, env)
    assert message in str(caught.value)
    assert caught.value.key is not None and caught.value.key in str(caught.value)


def test_bad_base_url_does_not_echo_a_key() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve({"baseUrl": f"not a url {CONFIG_KEY}", "apiKey": CONFIG_KEY}, {})
    assert CONFIG_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"timeout": 0}, "Settings.timeout", id="timeout"),
        pytest.param({"connect_timeout": -1}, "Settings.connect_timeout", id="connect-timeout"),
        pytest.param({"max_retries": -1}, "Settings.max_retries", id="retries"),
        pytest.param({"base_url": "file:///etc"}, "Settings.base_url", id="url"),
    ],
)
def test_direct_construction_is_validated(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigurationError, match=field):
        Settings(**kwargs)


def test_os_environ_is_the_default_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    settings = Settings.resolve()
    assert (settings.api_key, settings.organization) == (ENV_KEY, "org-from-env")


def test_repr_and_str_hide_the_key() -> None:
    settings = Settings(api_key=CONFIG_KEY, base_url="https://user:hunter22@proxy.example/v1")
    for text in (repr(settings), str(settings), f"{settings}"):
        assert CONFIG_KEY not in text
        assert "hunter22" not in text
        assert "REDACTED" in text


def test_settings_are_hashable_and_compare_by_value() -> None:
    first = Settings.resolve({"apiKey": CONFIG_KEY}, {})
    second = Settings.resolve({"apiKey": CONFIG_KEY}, {})
    assert first == second and hash(first) == hash(second)
    assert first != Settings.resolve({"apiKey": CONFIG_KEY + "x"}, {})


def test_the_readme_lists_every_setting_as_the_config_home_declares_it() -> None:
    # The README's table is for people; the declarations are what the code reads.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = re.findall(r"^\| `(chatcomp:\w+)`( \(secret\))? \| `(\w+)` \|", readme, re.M)
    assert rows == [(key.key, " (secret)" if key.secret else "", key.env) for key in CONFIG_KEYS]
