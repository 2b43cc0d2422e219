"""Declaring many ChatCompletions: the SDK's provider pickling must not pile up.

pulumi 3.272's ``serialize_provider`` leaves one wrapper around ``pickle._Pickler`` per
dynamic resource; without ``pickler_restored`` a program fails with ``RecursionError`` at
its 975th ChatCompletion. Each program runs in a fresh interpreter under pulumi's mocks.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import json, pickle
import pulumi

providers = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        if args.typ.endswith(":ChatCompletion"):  # not the stack's anchor
            providers.append(args.inputs["__provider"])
        return [args.name + "-id", args.inputs]

    def call(self, args):
        return {}


pulumi.runtime.set_mocks(Mocks(), preview=False)
import pulumi_chatcomp as chatcomp

before = pickle._Pickler._batch_setitems
outcome = "declared"
try:
    for index in range(COUNT):
        chatcomp.ChatCompletion(
            f"c{index}", model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi?"}]
        )
except RecursionError as error:
    outcome = f"RecursionError at {index}: {error}"


@pulumi.runtime.test
def registered():
    return None


registered()  # waits for the registrations to reach the mocks
print(json.dumps({
    "outcome": outcome,
    "pickler_unchanged": pickle._Pickler._batch_setitems is before,
    "providers": sorted(set(providers)),
    "count": len(providers),
}))
"""


# The `__provider` every existing stack holds for a ChatCompletion (pulumi 3.272, dill).
STORED_PROVIDER = (
    "gASVSgAAAAAAAACMGHB1bHVtaV9jaGF0Y29tcC5wcm92aWRlcpSMFkNoYXRDb21wbGV0aW9uUHJvdmlkZXKU"
    "k5QpgZR9lIwHdmVyc2lvbpRLAXNiLg=="
)


def _declare(count: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM.replace("COUNT", str(count))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_program_declares_over_a_thousand_completions() -> None:
    result = _declare(1200)
    assert result["outcome"] == "declared"
    assert result["pickler_unchanged"] is True
    # Every resource pickled the same provider as before: no state changes on upgrade.
    assert result["providers"] == [STORED_PROVIDER]
    assert result["count"] == 1200


# The SDK's own pickling, in a fresh interpreter: which of the pickler's attributes it
# leaves replaced.
SDK_PICKLING = """
import json, pickle
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_chatcomp.provider import ChatCompletionProvider

names = ("_batch_setitems", "save_dict")
before = {name: pickle._Pickler.__dict__.get(name) for name in names}
serialize_provider(ChatCompletionProvider())
after = {name: pickle._Pickler.__dict__.get(name) for name in names}
print(json.dumps([name for name in names if after[name] is not before[name]]))
"""


def test_the_sdk_still_leaves_its_wrapper_on_the_pickler() -> None:
    # What pickler_restored puts back. Once a pulumi release stops replacing these (or puts
    # them back itself), this fails, and pickler_restored can go (see pulumi_chatcomp._sdk).
    done = subprocess.run(
        [sys.executable, "-c", SDK_PICKLING],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == ["_batch_setitems", "save_dict"]
