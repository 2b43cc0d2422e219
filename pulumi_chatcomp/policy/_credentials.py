"""no-credentials-in-prompts: prompts must not contain API keys, tokens or private keys.

A prompt is sent to the API, stored with the completion, and kept in Pulumi state, so a key
pasted into a message leaks three times. Findings never repeat the secret: they show only
the fixed, non-secret prefix that identifies its kind (``sk-proj-****``) and its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from pulumi_chatcomp.policy._adapter import string_list_policy
from pulumi_chatcomp.policy._messages import message_texts
from pulumi_chatcomp.policy._values import Findings, Unknown

NAME: Final = "no-credentials-in-prompts"

# Random key material almost always holds a digit; requiring one keeps slugs such as
# "sk-learn-pipeline-examples" from matching.
_HAS_DIGIT = r"(?=[A-Za-z0-9_-]*[0-9])"


@dataclass(frozen=True)
class CredentialPattern:
    """A kind of credential: a label for messages and a regex.

    The regex's optional ``prefix`` group is the non-secret part that identifies the kind
    (e.g. ``AKIA``); it is the only matched text a finding shows.
    """

    label: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class FoundCredential:
    """A credential found in some text, described without its secret part.

    >>> pattern = CredentialPattern("token", re.compile(r"(?P<prefix>tok_)[0-9]{8}"))
    >>> find_credentials("use tok_12345678", [pattern])[0].redacted
    'tok_****, 12 characters'
    """

    label: str
    redacted: str
    start: int
    end: int


def _found(pattern: CredentialPattern, match: re.Match[str]) -> FoundCredential:
    prefix = match.group("prefix") if "prefix" in pattern.regex.groupindex else None
    length = match.end() - match.start()
    return FoundCredential(
        pattern.label, f"{prefix or ''}****, {length} characters", match.start(), match.end()
    )


CREDENTIAL_PATTERNS: Final[tuple[CredentialPattern, ...]] = (
    CredentialPattern(
        "private key",
        re.compile(r"(?P<prefix>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----)[^-]*"),
    ),
    CredentialPattern(
        "OpenAI-style API key",
        re.compile(
            rf"\b(?P<prefix>sk-(?:proj-|svcacct-|admin-|ant-)?){_HAS_DIGIT}[A-Za-z0-9_-]{{20,}}"
        ),
    ),
    CredentialPattern(
        "Stripe secret key", re.compile(r"\b(?P<prefix>[rs]k_live_)[0-9A-Za-z]{16,}")
    ),
    CredentialPattern("AWS access key ID", re.compile(r"\b(?P<prefix>AKIA|ASIA)[0-9A-Z]{16}\b")),
    CredentialPattern(
        "AWS secret access key",
        re.compile(r"(?i)(?P<prefix>aws_secret_access_key\s*[=:]\s*)[A-Za-z0-9/+=]{40}"),
    ),
    CredentialPattern("GitHub token", re.compile(r"\b(?P<prefix>gh[pousr]_)[A-Za-z0-9]{36,}")),
    CredentialPattern("GitHub token", re.compile(r"\b(?P<prefix>github_pat_)[A-Za-z0-9_]{22,}")),
    CredentialPattern("Slack token", re.compile(r"\b(?P<prefix>xox[abposr]-)[A-Za-z0-9-]{10,}")),
    CredentialPattern("Google API key", re.compile(r"\b(?P<prefix>AIza)[0-9A-Za-z_-]{35}")),
    CredentialPattern(
        "JSON Web Token",
        re.compile(r"\b(?P<prefix>eyJ)[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    CredentialPattern(
        "bearer token",
        re.compile(rf"(?i)\b(?P<prefix>bearer\s+){_HAS_DIGIT}[A-Za-z0-9._~+/-]{{20,}}=*"),
    ),
    CredentialPattern(
        "password in a URL",
        re.compile(r"(?P<prefix>\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.IGNORECASE),
    ),
)
"""The built-in credential kinds, most specific first."""


def find_credentials(
    text: str, patterns: Iterable[CredentialPattern] = CREDENTIAL_PATTERNS
) -> list[FoundCredential]:
    """The credentials in ``text``, in order, without overlaps.

    When two patterns match the same span (``Bearer sk-...``), the earlier, more specific
    pattern wins.

    >>> [found.label for found in find_credentials("key: AKIAIOSFODNN7EXAMPLE")]
    ['AWS access key ID']
    """
    found: list[FoundCredential] = []
    for pattern in patterns:
        for match in pattern.regex.finditer(text):
            if match.end() == match.start():
                continue
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            found.append(_found(pattern, match))
    return sorted(found, key=lambda credential: credential.start)


def custom_patterns(regexes: Sequence[str]) -> tuple[list[CredentialPattern], list[str]]:
    """Compile user-supplied regexes; returns the patterns and messages for invalid ones."""
    patterns: list[CredentialPattern] = []
    problems: list[str] = []
    for index, source in enumerate(regexes):
        try:
            patterns.append(CredentialPattern("secret (custom pattern)", re.compile(source)))
        except re.error as exc:
            problems.append(
                f"policy config additionalPatterns[{index}] is not a valid regular expression "
                f"({exc}); fix or remove it"
            )
    return patterns, problems


def check_no_credentials_in_prompts(
    props: Mapping[str, Any], *, extra_patterns: Sequence[CredentialPattern] = ()
) -> Findings:
    """Report message text (contents, text parts, names) that contains a credential.

    >>> check_no_credentials_in_prompts({"messages": [{"role": "user", "content": "hi"}]}).ok
    True
    """
    findings = Findings()
    patterns = (*CREDENTIAL_PATTERNS, *extra_patterns)
    for path, text in message_texts(props.get("messages")):
        if isinstance(text, Unknown):
            findings.unknown.append(path)
            continue
        for credential in find_credentials(text, patterns):
            article = "an" if credential.label[0] in "AEIOUaeiou" else "a"
            findings.violations.append(
                f"{path} contains what looks like {article} {credential.label} "
                f"({credential.redacted}); "
                "remove it from the prompt, which is sent to the API and kept in the stored "
                "completion and in Pulumi state, and rotate the credential"
            )
    return findings


def no_credentials_in_prompts_policy(
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    additional_patterns: Sequence[str] = (),
) -> ResourceValidationPolicy:
    """The ``no-credentials-in-prompts`` policy; config ``additionalPatterns`` adds regexes.

    >>> no_credentials_in_prompts_policy(additional_patterns=[r"corp-[0-9a-f]{32}"]).name
    'no-credentials-in-prompts'
    """

    def check(props: Mapping[str, Any], patterns: tuple[str, ...]) -> Findings:
        extra, problems = custom_patterns(patterns)
        findings = check_no_credentials_in_prompts(props, extra_patterns=extra)
        findings.violations[:0] = problems
        return findings

    return string_list_policy(
        name=NAME,
        description="Chat completion prompts must not contain API keys, tokens or private keys.",
        enforcement_level=enforcement_level,
        setting="additionalPatterns",
        setting_description=(
            "Extra regular expressions (Python syntax) for organisation-specific secrets; "
            "a named group `prefix` marks the non-secret part a finding may show."
        ),
        default=additional_patterns,
        check=check,
    )
