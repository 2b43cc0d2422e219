"""``check``: validate a ChatCompletion's inputs with the model layer, as pure functions.

Every problem becomes a ``FieldProblem`` naming the property in the user's words; nothing
raises. Values unknown during preview are not judged (they are checked again at ``up``).

A stored completion's checked inputs also carry its create token (``CREATE_TOKEN``): the
prior one while nothing forces a new completion, else one derived from the resource's
``identity`` and the token of the completion it replaces (``derived_token``), which the next
run derives again whatever happened to this one.

>>> inputs, problems = check_inputs({"model": "gpt-4o-mini", "messages": []})
>>> inputs["store"], [p.path for p in problems]
(True, ['messages'])
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping
from typing import Any

from pulumi.runtime.rpc import UNKNOWN
from pydantic import ValidationError

from pulumi_chatcomp.client._idempotency import (
    IDEMPOTENCY_METADATA_KEY,
    derived_token,
    new_token,
)
from pulumi_chatcomp.core._diff import diff_inputs
from pulumi_chatcomp.core._names import (
    CREATE_TOKEN,
    IDENTITY_NAME,
    PROVIDER_KEY,
    RETIRED_OUTPUT_NAMES,
)
from pulumi_chatcomp.core._properties import (
    ADOPT_NAME,
    INPUT_NAMES,
    OUTPUT_NAMES,
    contains_unknown,
    inputs_of,
    request_of,
)
from pulumi_chatcomp.models import (
    METADATA_MAX_PAIRS,
    FieldProblem,
    validate_metadata,
    validation_problems,
)

__all__ = ["check_inputs"]

_TOP_LEVEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*")


def check_inputs(
    news: Mapping[str, Any],
    olds: Mapping[str, Any] | None = None,
    *,
    identity: str | None = None,
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Checked inputs (``store`` defaults to true) and every problem with them; ``olds``
    are the prior inputs, if any (their create token is kept while it still applies).

    ``identity`` names the resource within its stack instance (see ``derived_token``); the
    unknown value while it is not known yet (a preview's new provider), or None where there
    is none, which makes a random token that a later run cannot find again."""
    problems: list[FieldProblem] = []
    for name, value in news.items():
        known = (
            name in INPUT_NAMES
            or name in OUTPUT_NAMES
            or name in RETIRED_OUTPUT_NAMES
            or name in (PROVIDER_KEY, ADOPT_NAME, CREATE_TOKEN, IDENTITY_NAME)
        )
        if not known and value is not None:
            shown = repr(name) if name.isidentifier() else f"{name!r} (a property name)"
            close = difflib.get_close_matches(name, sorted(INPUT_NAMES), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(FieldProblem(name, f"{shown} is not an input of ChatCompletion{hint}"))

    inputs = inputs_of(news)
    adopt = news.get(ADOPT_NAME)
    if adopt is not None:
        inputs[ADOPT_NAME] = adopt
    # read, update and delete need a stored completion, so storing is the default.
    inputs.setdefault("store", True)
    unknown = {name for name, value in inputs.items() if contains_unknown(value)}

    triggers = inputs.get("triggers")
    if triggers is not None and not isinstance(triggers, Mapping):
        problems.append(FieldProblem("triggers", "triggers must be a map of strings"))

    if "store" not in unknown and "metadata" not in unknown:
        problems += _metadata_problems(inputs)

    with warnings.catch_warnings():
        # Deprecations are reported to the user by the resource in the program process.
        warnings.simplefilter("ignore")
        try:
            request_of(inputs)
        except ValidationError as exc:
            problems += validation_problems(exc)

    token = _create_token(olds, inputs, identity)
    if token is not None:
        inputs[CREATE_TOKEN] = token
    return inputs, _unique(p for p in problems if _top_level(p.path) not in unknown)


def _create_token(
    olds: Mapping[str, Any] | None, inputs: Mapping[str, Any], identity: str | None
) -> str | None:
    # Only a stored create is found again; an adopted completion is not created at all.
    if inputs.get("store") is not True or ADOPT_NAME in inputs:
        return None
    prior = (olds or {}).get(CREATE_TOKEN)
    prior = prior if isinstance(prior, str) and prior and not contains_unknown(prior) else None
    if prior is not None and not diff_inputs(olds or {}, inputs).replaces:
        return prior
    if identity is None:
        return new_token()
    if contains_unknown(identity):
        return UNKNOWN
    # A replacement is a new completion while the old one still exists: its token names
    # the one it replaces, so that finding "its" completion never finds the old one.
    return derived_token(identity, replaces=prior)


def _metadata_problems(inputs: Mapping[str, Any]) -> list[FieldProblem]:
    metadata = inputs.get("metadata")
    if not isinstance(metadata, Mapping):
        return []
    problems: list[FieldProblem] = []
    if IDEMPOTENCY_METADATA_KEY in metadata:
        problems.append(
            FieldProblem(
                f"metadata.{IDEMPOTENCY_METADATA_KEY}",
                f"metadata key {IDEMPOTENCY_METADATA_KEY!r} is reserved by pulumi-chatcomp "
                "for idempotent creates; choose another key",
            )
        )
    if inputs.get("store") is True and len(metadata) == METADATA_MAX_PAIRS:
        # The provider adds its idempotency key at create time, so a map the API would take
        # has no room left; every other limit is the model's to report, once.
        problems += validate_metadata(metadata, reserved_pairs=1)[:1]
    return problems


def _top_level(path: str) -> str:
    match = _TOP_LEVEL.match(path)
    return match[0] if match else path


def _unique(problems: Any) -> list[FieldProblem]:
    seen: dict[tuple[str, str], FieldProblem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.message), problem)
    return list(seen.values())
