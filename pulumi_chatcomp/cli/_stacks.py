"""A stack's state, read and written through the Pulumi CLI (the Automation API's runner).

The commands that work on a stack (``recover``, ``report``, ``export --set``) read its
exported state; only ``recover`` writes it back, with ``pulumi stack import``. The state is
exported twice when settings are needed: as it is, secrets as ciphertext, which is what is
edited and imported (so no plaintext secret is ever written to a file), and with
``--show-secrets``, kept in memory only, for the settings of the providers the stack's
completions use.

    stack = Stack("dev", Path("infra"))
    deployment = stack.export()
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_chatcomp._exceptions import ChatCompError, InvalidArgumentError

__all__ = [
    "Stack",
    "StackLockedError",
    "asset_text",
    "named_set",
    "provider_settings",
    "reveal",
]

# How ``pulumi stack export --show-secrets`` writes a secret: this signature key beside the
# JSON-encoded value under "plaintext". Assets are written with the same key, and this value.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
_ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"


# How a file or cloud-storage backend names each holder of a stack's lock.
_HOLDER = re.compile(r"created by (?P<user>\S*)@(?P<host>\S+) \(pid (?P<pid>\d+)\)")


class StackLockedError(ChatCompError):
    """Another ``pulumi`` holds the stack's lock (or held it, and was killed)."""

    def __init__(self, message: str, holders: list[tuple[str, int]]) -> None:
        super().__init__(message)
        self.holders = ", ".join(f"pid {pid} on {host}" for host, pid in holders) or "unknown"
        """Who holds the lock, as the backend tells."""
        self.stale = bool(holders) and all(_gone(host, pid) for host, pid in holders)
        """Whether every holder was a process of this machine that no longer runs."""


@dataclass(frozen=True)
class Stack:
    """A stack of the Pulumi project in ``cwd``, by name (as ``pulumi --stack`` takes it)."""

    name: str
    cwd: Path

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """The exported state (``version`` and ``deployment``), of the shape every reader
        here walks (else a ``ChatCompError`` says what ``pulumi`` printed instead)."""
        args = ["stack", "export", "--stack", self.name]
        if show_secrets:
            args.append("--show-secrets")
        printed = self._pulumi(args)
        try:
            state = json.loads(printed)
        except json.JSONDecodeError:
            raise ChatCompError(
                f"pulumi stack export --stack {self.name} printed no JSON "
                f"(it begins {printed[:60]!r}); is 'pulumi' on PATH the Pulumi CLI?"
            ) from None
        problem = _state_problem(state)
        if problem is not None:
            raise ChatCompError(
                f"pulumi stack export --stack {self.name} printed JSON that is not a stack's "
                f"state: {problem}"
            )
        checked: dict[str, Any] = state
        return checked

    def import_(self, state: Mapping[str, Any]) -> None:
        """Replace the stack's state with ``state`` (as ``export`` returns it)."""
        handle, name = tempfile.mkstemp(prefix="chatcomp-state-", suffix=".json")
        try:
            with os.fdopen(handle, "w") as file:
                json.dump(state, file)
            self._pulumi(["stack", "import", "--file", name, "--stack", self.name])
        finally:
            os.unlink(name)

    def cancel(self) -> None:
        """Remove the stack's lock (``pulumi cancel``), as after a killed update."""
        self._pulumi(["cancel", "--yes", "--stack", self.name])

    def _pulumi(self, args: list[str]) -> str:
        from pulumi.automation import CommandError, PulumiCommand

        if not (self.cwd / "Pulumi.yaml").is_file() and not (self.cwd / "Pulumi.yml").is_file():
            raise InvalidArgumentError("--cwd", f"{str(self.cwd)!r} holds no Pulumi.yaml")
        try:
            command = PulumiCommand(skip_version_check=True)
            # A copy: the runner adds its own flags to the list it is given.
            return command.run(list(args), str(self.cwd), {}).stdout
        except CommandError as error:
            if "currently locked" in str(error):
                holders = [
                    (found["host"], int(found["pid"])) for found in _HOLDER.finditer(str(error))
                ]
                raise StackLockedError(f"{self.name!r} is locked", holders) from None
            raise InvalidArgumentError(
                "--stack", f"{self.name!r}: pulumi {' '.join(args[:2])} failed: {_reason(error)}"
            ) from None
        except FileNotFoundError:
            raise ChatCompError(
                "the pulumi CLI is not on PATH; install it, or put its folder on PATH"
            ) from None


def provider_settings(state: Mapping[str, Any], provider_ref: str | None) -> dict[str, Any]:
    """The settings a resource's provider was configured with: the inputs of the provider
    resource ``provider_ref`` (``urn::id``) in a ``--show-secrets`` export, secrets as plain
    values. The dynamic face's provider keeps every stack config value (``chatcomp:baseUrl``);
    the plugin's its own properties (``baseUrl``): ``Settings.resolve`` takes both."""
    if not provider_ref:
        return {}
    urn, _, provider_id = provider_ref.rpartition("::")
    for resource in state.get("deployment", {}).get("resources") or []:
        if resource.get("urn") == urn and resource.get("id") == provider_id:
            inputs: Mapping[str, Any] = resource.get("inputs") or {}
            return {key: reveal(value) for key, value in inputs.items()}
    return {}


def named_set(state: Mapping[str, Any], name: str, *, stack: str) -> Mapping[str, Any]:
    """The ChatCompletionSet called ``name`` (its resource name, or its URN) in ``state``.

    >>> state = {"deployment": {"resources": [{"type": "chatcomp:index:ChatCompletionSet",
    ...     "urn": "urn:pulumi:dev::p::chatcomp:index:ChatCompletionSet::evals"}]}}
    >>> named_set(state, "evals", stack="dev")["urn"][-5:]
    'evals'
    """
    from pulumi_chatcomp.core._names import SET_TYPE_TOKEN

    sets = [
        resource
        for resource in state.get("deployment", {}).get("resources") or []
        if resource.get("type") == SET_TYPE_TOKEN and not resource.get("delete")
    ]
    found = [r for r in sets if name in (r.get("urn"), str(r.get("urn")).rsplit("::", 1)[-1])]
    if len(found) == 1:
        one: Mapping[str, Any] = found[0]
        return one
    if found:
        urns = ", ".join(str(r.get("urn")) for r in found)
        raise InvalidArgumentError(
            "--set", f"{name!r} names {len(found)} sets; give one URN: {urns}"
        )
    names = ", ".join(sorted(str(r.get("urn")).rsplit("::", 1)[-1] for r in sets)) or "none"
    raise InvalidArgumentError(
        "--set", f"{name!r} is no ChatCompletionSet of stack {stack!r} (its sets: {names})"
    )


def asset_text(asset: object, cwd: Path) -> str | None:
    """The text of an asset as state records it: a string asset's text, or a file asset's
    file, its path taken from the project's folder ``cwd`` as the program takes it (None
    when it cannot be read).

    >>> asset_text({"4dabf18193072939515e22adb298388d": _ASSET_SIG, "text": "{}"}, Path())
    '{}'
    """
    if not isinstance(asset, Mapping) or asset.get(_SECRET_SIG) != _ASSET_SIG:
        return None
    if isinstance(asset.get("text"), str):
        return str(asset["text"])
    if not isinstance(asset.get("path"), str):
        return None
    try:
        return (cwd / str(asset["path"])).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def reveal(value: Any) -> Any:
    """``value`` of a ``--show-secrets`` export with each secret replaced by its value.

    >>> reveal({"tokens": {"4dabf18193072939515e22adb298388d": "x", "plaintext": "42"}})
    {'tokens': 42}
    """
    if isinstance(value, Mapping):
        if value.get(_SECRET_SIG) and "plaintext" in value:
            return reveal(json.loads(value["plaintext"]))
        return {key: reveal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal(item) for item in value]
    return value


def _state_problem(state: Any) -> str | None:
    # The parts of an export the commands walk: objects and lists where they expect them.
    if not isinstance(state, dict):
        return f"the top is {type(state).__name__}, not an object"
    deployment = state.get("deployment", {})
    if not isinstance(deployment, dict):
        return "deployment is not an object"
    for part in ("resources", "pending_operations"):
        items = deployment.get(part) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return f"deployment.{part} is not a list of objects"
        resources = [item.get("resource", {}) if part != "resources" else item for item in items]
        for index, resource in enumerate(resources):
            if not isinstance(resource, dict):
                return f"deployment.{part}[{index}].resource is not an object"
            for field in ("inputs", "outputs"):
                if not isinstance(resource.get(field) or {}, dict):
                    return f"deployment.{part}[{index}].{field} is not an object"
    return None


def _gone(host: str, pid: int) -> bool:
    if host != socket.gethostname():
        return False  # another machine's process: nothing here can tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process, alive
    return False


def _reason(error: Exception) -> str:
    # The CLI's own last line of error says what is wrong (no such stack, not logged in).
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    errors = [line.rsplit("error: ", 1)[-1] for line in lines if "error: " in line]
    return (errors or lines or ["no output"])[-1]
