"""The rule set as a whole, the example pack, its example config, and the public names."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path
from typing import Any

import jsonschema
import pulumi_policy.policy
import pytest
import yaml
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel, Policy, ResourceValidationPolicy, StackValidationPolicy
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

import pulumi_chatcomp.policy as policy_module
from pulumi_chatcomp import __version__
from pulumi_chatcomp.policy import CHAT_COMPLETION_TYPE, all_policies, chat_completion_policies
from pulumi_chatcomp.policy._serve import reporting_version

PACK = Path(__file__).resolve().parents[3] / "examples" / "policy-pack"
EXAMPLE_CONFIG: dict[str, dict[str, Any]] = json.loads(
    (PACK / "policy-config.example.json").read_text()
)

LEVELS = {
    "allowed-models": EnforcementLevel.MANDATORY,
    "max-output-tokens": EnforcementLevel.MANDATORY,
    "sampling-bounds": EnforcementLevel.ADVISORY,
    "required-metadata": EnforcementLevel.ADVISORY,
    "store-required": EnforcementLevel.MANDATORY,
    "no-deprecated-parameters": EnforcementLevel.ADVISORY,
    "no-credentials-in-prompts": EnforcementLevel.MANDATORY,
    "completion-budget": EnforcementLevel.MANDATORY,
}
POLICIES = {policy.name: policy for policy in all_policies()}


def test_all_policies_have_the_documented_names_and_default_levels() -> None:
    assert {name: policy.enforcement_level for name, policy in POLICIES.items()} == LEVELS
    assert len(all_policies()) == len(LEVELS)


def test_resource_and_stack_policies_are_split_as_documented() -> None:
    assert all(isinstance(p, ResourceValidationPolicy) for p in chat_completion_policies())
    assert [p.name for p in all_policies() if isinstance(p, StackValidationPolicy)] == [
        "completion-budget"
    ]


@pytest.mark.parametrize("policy", list(POLICIES.values()), ids=list(POLICIES))
def test_names_are_kebab_case_and_descriptions_one_sentence(policy: Policy) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", policy.name)
    assert policy.description.endswith(".")
    assert ". " not in policy.description


@pytest.mark.parametrize("policy", list(POLICIES.values()), ids=list(POLICIES))
def test_config_schema_is_valid_and_its_defaults_satisfy_it(policy: Policy) -> None:
    if policy.config_schema is None:
        return
    schema = {"type": "object", "properties": policy.config_schema.properties}
    jsonschema.Draft7Validator.check_schema(schema)
    defaults = {k: v["default"] for k, v in policy.config_schema.properties.items()}
    assert set(defaults) == set(policy.config_schema.properties)
    jsonschema.validate(defaults, schema)


def test_example_config_covers_every_rule_and_every_setting() -> None:
    assert set(EXAMPLE_CONFIG) == set(POLICIES)
    for name, entry in EXAMPLE_CONFIG.items():
        schema = POLICIES[name].config_schema
        settings = set(schema.properties) if schema else set()
        assert set(entry) == {"enforcementLevel", *settings}, name


@pytest.mark.parametrize("name", list(EXAMPLE_CONFIG))
def test_example_config_satisfies_each_schema(name: str) -> None:
    entry = dict(EXAMPLE_CONFIG[name])
    assert EnforcementLevel(entry.pop("enforcementLevel"))
    schema = POLICIES[name].config_schema
    properties = schema.properties if schema else {}
    jsonschema.validate(entry, {"type": "object", "properties": properties})


def test_pack_main_only_builds_the_pack_from_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []
    # PolicyPack() starts a gRPC server and blocks; record its arguments instead.
    monkeypatch.setattr("pulumi_policy.PolicyPack", lambda **kwargs: built.append(kwargs))
    runpy.run_path(str(PACK / "__main__.py"), run_name="__main__")
    assert len(built) == 1
    assert built[0]["name"] == "chatcomp"
    assert [p.name for p in built[0]["policies"]] == list(POLICIES)


def test_pack_project_file_uses_the_python_runtime() -> None:
    project = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    # The pack's version is the package's, which the pack reports (one home, no second copy).
    assert "version" not in project
    requirements = (PACK / "requirements.txt").read_text().split()
    assert requirements == ["pulumi-chatcomp[policy]"]


def _analyzer(config: dict[str, dict[str, Any]] | None = None) -> Any:
    # The SDK's own analyzer service, driven in-process as the engine drives it over gRPC.
    analyzer = _PolicyAnalyzerServicer(
        "chatcomp", "0.1.0", all_policies(), EnforcementLevel.ADVISORY
    )
    if config is not None:
        request = proto.ConfigureAnalyzerRequest()
        for name, entry in config.items():
            settings = {k: v for k, v in entry.items() if k != "enforcementLevel"}
            level = {"advisory": proto.ADVISORY, "mandatory": proto.MANDATORY}
            request.policyConfig[name].enforcementLevel = level[entry["enforcementLevel"]]
            json_format.ParseDict(settings, request.policyConfig[name].properties)
        analyzer.Configure(request, None)
    return analyzer


def _analyze(analyzer: Any, props: dict[str, Any]) -> dict[str, tuple[int, str]]:
    struct = struct_pb2.Struct()
    struct.update(props)
    request = proto.AnalyzeRequest(
        urn=f"urn:pulumi:dev::chat::{CHAT_COMPLETION_TYPE}::summary",
        type=CHAT_COMPLETION_TYPE,
        name="summary",
        properties=struct,
    )
    response = analyzer.Analyze(request, None)
    return {d.policyName: (d.enforcementLevel, d.message) for d in response.diagnostics}


def test_analyzer_reports_unknowns_as_advisory_and_violations_at_their_level() -> None:
    props = {
        "model": UNKNOWN_STRING_VALUE,
        "messages": [{"role": "user", "content": "hi"}],
        "metadata": {"owner": "ml", "purpose": "demo"},
        "store": False,
    }
    diagnostics = _analyze(_analyzer(), props)
    assert set(diagnostics) == {"allowed-models", "max-output-tokens", "store-required"}
    level, message = diagnostics["allowed-models"]
    assert level == proto.ADVISORY
    assert "during preview: cannot check model during preview because it is unknown" in message
    assert diagnostics["store-required"][0] == proto.MANDATORY
    assert diagnostics["max-output-tokens"][0] == proto.MANDATORY


def test_the_pack_names_the_package_version_in_its_info_and_its_notes() -> None:
    with reporting_version(__version__) as reporting:
        # As pulumi-policy's PolicyPack() makes its analyzer: with its own "0.0.1".
        analyzer = pulumi_policy.policy._PolicyAnalyzerServicer(
            "chatcomp", "0.0.1", all_policies(), EnforcementLevel.ADVISORY
        )
    assert reporting
    assert analyzer.GetAnalyzerInfo(None, None).version == __version__
    note = _analyze(analyzer, {"model": UNKNOWN_STRING_VALUE, "messages": []})["allowed-models"]
    assert f"from policy pack 'chatcomp@v{__version__}' during preview" in note[1]
    # Outside the pack's serving, pulumi-policy is as it was.
    assert pulumi_policy.policy._PolicyAnalyzerServicer is _PolicyAnalyzerServicer


def test_analyzer_applies_the_example_config() -> None:
    props = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "token corp-" + "0" * 32}],
        "max_completion_tokens": 100,
        "metadata": {"owner": "ml", "purpose": "demo"},
    }
    diagnostics = _analyze(_analyzer(EXAMPLE_CONFIG), props)
    assert set(diagnostics) == {"allowed-models", "no-credentials-in-prompts"}
    assert "gpt-4o-mini*, gpt-4.1-mini*, gpt-4.1-nano*" in diagnostics["allowed-models"][1]
    assert "corp-****, 37 characters" in diagnostics["no-credentials-in-prompts"][1]


def test_public_names_are_exactly_the_exported_ones() -> None:
    # isidentifier() skips names pytest's assertion rewriting adds to modules it imports.
    public = {n for n in vars(policy_module) if n.isidentifier() and not n.startswith("_")}
    assert public - {"annotations"} == set(policy_module.__all__)
