"""Exactly once: whatever earlier attempts of a create stored, one completion keeps its token.

The fake API below stores completions in memory, answers the token look-up (a list filtered on
the reserved metadata key) and deletes; each create plays a scripted outcome.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_chatcomp._exceptions import APIConnectionError, ChatCompError, InternalServerError
from pulumi_chatcomp.client._idempotency import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.core._once import RETRY_IS_SAFE, create_once
from pulumi_chatcomp.models import ChatCompletionCreateParams
from tests.unit.client.helpers import Harness, completion_body, error, ok, page_body

TOKEN = "a" * 32
REQUEST = ChatCompletionCreateParams.model_validate(
    {"model": "gpt-4o-mini", "store": True, "messages": [{"role": "user", "content": "Hi"}]}
)


class FakeAPI:
    """Stored completions in memory; creates play ``outcomes`` in order ("ok", "drop": store
    then lose the answer, or an error response/exception without storing)."""

    def __init__(self, *outcomes: Any, stored: tuple[str, ...] = ()) -> None:
        self.outcomes = list(outcomes)
        self.stored = {cid: _tagged(cid) for cid in stored}
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.failing: set[str] = set()
        """Requests that answer 500: "list", "delete"."""
        self.lookup_waits_for_create = False
        """Else the first create waits for the first look-up, as a slow create would."""
        self.created = threading.Event()
        self.listed = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            if self.lookup_waits_for_create:
                self.created.wait(5)
            with self.lock:
                self.listed.set()
                self.log.append("list")
                if "list" in self.failing:
                    return error(500, "list is down")
                wanted = request.url.params[f"metadata[{IDEMPOTENCY_METADATA_KEY}]"]
                found = [
                    c
                    for c in self.stored.values()
                    if c["metadata"].get(IDEMPOTENCY_METADATA_KEY) == wanted
                ]
                return ok(page_body(sorted(found, key=lambda c: c["id"], reverse=True), False))
        if request.method == "DELETE":
            cid = request.url.path.rsplit("/", 1)[-1]
            with self.lock:
                self.log.append(f"delete {cid}")
                if "delete" in self.failing:
                    return error(500, "delete is down")
                if self.stored.pop(cid, None) is None:
                    return error(404, "gone")
            return ok({"id": cid, "object": "chat.completion.deleted", "deleted": True})
        if not self.lookup_waits_for_create:
            self.listed.wait(5)
        with self.lock:
            self.log.append("create")
            outcome = self.outcomes.pop(0)
            if outcome in ("ok", "drop"):
                cid = f"chatcmpl-{len(self.log):02d}"
                body = json.loads(request.content)
                self.stored[cid] = completion_body(cid, metadata=body["metadata"])
        if outcome in ("ok", "drop"):
            self.created.set()
            if outcome == "drop":
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            return ok(self.stored[cid])
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, httpx.Response)
        return outcome


def _tagged(completion_id: str) -> dict[str, Any]:
    return completion_body(completion_id, metadata={IDEMPOTENCY_METADATA_KEY: TOKEN})


@pytest.fixture
def harness() -> Iterator[Harness]:
    harness = Harness()
    yield harness
    for client in harness.clients:
        client.close()


def test_a_first_create_lists_the_token_beside_the_create_and_deletes_nothing(
    harness: Harness,
) -> None:
    api = FakeAPI("ok")
    completion = create_once(harness.client(api), REQUEST, TOKEN)
    assert sorted(api.log) == ["create", "list"]  # one extra request, run beside the create
    assert list(api.stored) == [completion.id]
    assert api.stored[completion.id]["metadata"] == {IDEMPOTENCY_METADATA_KEY: TOKEN}


def test_what_an_earlier_attempt_stored_is_deleted_once_this_one_is_stored(
    harness: Harness,
) -> None:
    """An earlier `up` lost its answer (or its plugin): its completion carries the token.
    So does the one a `pulumi up --replace` replaces; either way one completion remains."""
    api = FakeAPI("ok", stored=("chatcmpl-earlier",))
    completion = create_once(harness.client(api), REQUEST, TOKEN)
    assert completion.id != "chatcmpl-earlier"  # a new completion, never the earlier one
    assert list(api.stored) == [completion.id]
    assert "delete chatcmpl-earlier" in api.log


def test_a_lost_answer_adopts_this_create_and_never_an_earlier_one(harness: Harness) -> None:
    api = FakeAPI("drop", stored=("chatcmpl-earlier",))
    completion = create_once(harness.client(api), REQUEST, TOKEN)
    assert completion.id != "chatcmpl-earlier"
    assert api.log.count("create") == 1  # found, not sent again
    assert list(api.stored) == [completion.id]


def test_a_look_up_that_saw_this_create_sends_again_and_keeps_one(harness: Harness) -> None:
    """The look-up beside the create answered after the create was stored, and then the
    create's answer was lost: nothing tells this create's completion from an earlier one,
    so the create is sent again and the first is deleted with the rest."""
    api = FakeAPI("drop", "ok")
    api.lookup_waits_for_create = True
    completion = create_once(harness.client(api), REQUEST, TOKEN)
    assert api.log.count("create") == 2
    assert list(api.stored) == [completion.id]


def test_a_lost_answer_whose_look_up_fails_says_running_up_again_is_safe(
    harness: Harness,
) -> None:
    api = FakeAPI(error(500, "boom"))
    api.failing.add("list")
    with pytest.raises(InternalServerError) as caught:
        create_once(harness.client(api, max_retries=1), REQUEST, TOKEN)
    assert caught.value.maybe_created
    assert RETRY_IS_SAFE in str(caught.value)
    assert api.log.count("create") == 1  # never sent blind


def test_a_refused_create_deletes_nothing(harness: Harness) -> None:
    """Nothing was stored by this create, so the earlier one (perhaps the very completion a
    replacement would replace) stays."""
    api = FakeAPI(error(400, "bad"), stored=("chatcmpl-earlier",))
    with pytest.raises(ChatCompError) as caught:
        create_once(harness.client(api), REQUEST, TOKEN)
    assert RETRY_IS_SAFE not in str(caught.value)
    assert list(api.stored) == ["chatcmpl-earlier"]


@pytest.mark.parametrize(
    ("failing", "said"),
    [
        pytest.param("list", "could not check whether an earlier attempt", id="look-up"),
        pytest.param("delete", "could not delete chatcmpl-earlier", id="delete"),
    ],
)
def test_a_create_that_cannot_settle_earlier_attempts_fails_and_keeps_them_findable(
    harness: Harness, failing: str, said: str
) -> None:
    api = FakeAPI("ok", stored=("chatcmpl-earlier",))
    api.failing.add(failing)
    with pytest.raises(ChatCompError) as caught:
        create_once(harness.client(api, max_retries=0), REQUEST, TOKEN)
    text = str(caught.value)
    assert said in text
    assert "the next pulumi up finds every completion" in text
    # Both still carry the token, so the next run's create settles them.
    assert all(c["metadata"][IDEMPOTENCY_METADATA_KEY] == TOKEN for c in api.stored.values())


def test_a_connection_refused_create_is_sent_again_without_doubt(harness: Harness) -> None:
    api = FakeAPI(httpx.ConnectError("refused"), "ok")
    completion = create_once(harness.client(api), REQUEST, TOKEN)
    assert list(api.stored) == [completion.id]


def test_an_ambiguous_failure_on_every_attempt_is_reported_as_safe_to_retry(
    harness: Harness,
) -> None:
    api = FakeAPI(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    with pytest.raises(APIConnectionError):
        create_once(harness.client(api, max_retries=1), REQUEST, TOKEN)
    assert api.log.count("create") == 2
    assert not api.stored
