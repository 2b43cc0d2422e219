"""Adopting stored completions as a set: the selector, the inputs rebuilt as a program would
write them (so that the next check plans nothing), and refresh by the selector."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp.core._sets._import import Selector, parse_selector
from pulumi_chatcomp.core._sets._operations import (
    check_set,
    diff_set,
    import_set,
    read_set,
    update_set,
)
from tests.unit.core.sets.fake_api import FakeAPI

_SYSTEM = {"role": "system", "content": "Answer in one word."}


def _store(api: FakeAPI, cid: str, question: str, **metadata: str) -> None:
    api.stored[cid] = {
        "id": cid,
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": f"re: {question}"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
        "metadata": metadata,
    }
    api.messages[cid] = [
        {"id": f"{cid}-0", **_SYSTEM},
        {"id": f"{cid}-1", "role": "user", "content": question},
    ]


@pytest.fixture
def evals(api: FakeAPI) -> FakeAPI:
    """Three completions of an evals dataset (one tagged by a split), one of another."""
    _store(api, "c1", "Capital of France?", dataset="evals", item="q1")
    _store(api, "c2", "Capital of Peru?", dataset="evals", item="q2", split="hard")
    _store(api, "c3", "Capital of Chad?", dataset="evals", item="q3")
    _store(api, "c4", "Unrelated", dataset="other", item="q1")
    _store(api, "c5", "No key", dataset="evals")
    return api


def test_a_selector_names_the_key_and_the_pairs() -> None:
    assert parse_selector("item") == Selector("item", {})
    assert parse_selector(" item : dataset = evals , split=test ") == Selector(
        "item", {"dataset": "evals", "split": "test"}
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "names no metadata key"),
        (":dataset=evals", "names no metadata key"),
        ("dataset=evals", "begins with a pair, 'dataset=evals'"),
        ("item:dataset", "'dataset' is not a name=value"),
        ("item:=evals", "'=evals' is not a name=value"),
        ("pulumi_chatcomp_set:x=1", "is reserved"),
    ],
)
def test_a_bad_selector_says_how_to_write_one(text: str, problem: str) -> None:
    with pytest.raises(ChatCompError) as raised:
        parse_selector(text)
    message = str(raised.value)
    assert problem in message and "<key name>:<name>=<value>" in message
    assert f"the import id {text!r}" in message


def test_an_import_rebuilds_the_inputs_a_program_would_write(evals: FakeAPI, client: Any) -> None:
    inputs, outputs = import_set(client, "item:dataset=evals", concurrency=4)
    assert inputs == {
        "model": "gpt-4o-mini-2024-07-18",
        "metadata": {"dataset": "evals"},
        "messages": [_SYSTEM],
        "items": {
            "q1": {
                "messages": [{"role": "user", "content": "Capital of France?"}],
                "metadata": {"item": "q1"},
            },
            "q2": {
                "messages": [{"role": "user", "content": "Capital of Peru?"}],
                "metadata": {"item": "q2", "split": "hard"},
            },
            "q3": {
                "messages": [{"role": "user", "content": "Capital of Chad?"}],
                "metadata": {"item": "q3"},
            },
        },
    }
    assert {key: r["id"] for key, r in outputs["results"].items()} == {
        "q1": "c1",
        "q2": "c2",
        "q3": "c3",
    }
    assert outputs["results"]["q2"]["content"] == "re: Capital of Peru?"
    assert outputs["count"] == 3 and outputs["usage"]["total_tokens"] == 21
    assert outputs["selector"] == "item:dataset=evals" and outputs["tag"] == ""
    # One list, then each completion's messages: no read per completion.
    assert evals.calls == {"list": 1, "messages": 3}


def test_the_program_an_import_prints_plans_nothing(evals: FakeAPI, client: Any) -> None:
    """What `pulumi import` prints, run by `up`, is the set as it is: nothing to make."""
    inputs, outputs = import_set(client, "item:dataset=evals", concurrency=4)
    news, problems = check_set(inputs, identity="p/urn")
    assert problems == []
    assert not diff_set(outputs, news).changed


def test_a_program_that_edits_an_imported_set_changes_only_that_item(
    evals: FakeAPI, client: Any
) -> None:
    inputs, outputs = import_set(client, "item:dataset=evals", concurrency=4)
    inputs["items"]["q3"]["messages"][0]["content"] = "Capital of Mali?"
    news, _ = check_set(inputs, identity="p/urn")
    set_plan = diff_set(outputs, news)
    assert set_plan.replace == ("q3",) and not set_plan.create and not set_plan.delete
    evals.calls.clear()
    after = update_set(client, "item:dataset=evals", outputs, news, concurrency=2)
    # The item's look-up of an earlier create of its token, its create, the old one's delete.
    assert evals.calls == {"list": 1, "create": 1, "delete": 1}
    assert after["selector"] == "item:dataset=evals" and after["tag"]  # its own tag now
    assert "c3" not in evals.stored and after["results"]["q1"]["id"] == "c1"


def test_an_imported_set_refreshes_by_its_selector(evals: FakeAPI, client: Any) -> None:
    _, outputs = import_set(client, "item:dataset=evals", concurrency=4)
    del evals.stored["c2"]
    evals.calls.clear()
    found = read_set(client, outputs)
    assert sorted(found["results"]) == ["q1", "q3"] and found["count"] == 2
    assert evals.calls == {"list": 1, "retrieve": 1}  # the list, and the one it misses


def test_an_import_refuses_two_completions_for_one_key(evals: FakeAPI, client: Any) -> None:
    _store(evals, "c6", "Capital of France, again?", dataset="evals", item="q1")
    with pytest.raises(ChatCompError, match=r"'q1' \(c1, c6\).*one completion per key"):
        import_set(client, "item:dataset=evals", concurrency=4)


def test_an_import_that_selects_nothing_says_what_it_looked_for(client: Any) -> None:
    with pytest.raises(ChatCompError, match="none has a 'item' value in its metadata with x=1"):
        import_set(client, "item:x=1", concurrency=4)


def test_items_on_different_models_keep_their_own(evals: FakeAPI, client: Any) -> None:
    evals.stored["c3"]["model"] = "gpt-4o"
    inputs, _ = import_set(client, "item:dataset=evals", concurrency=4)
    assert "model" not in inputs
    assert inputs["items"]["q3"]["model"] == "gpt-4o"
    assert inputs["items"]["q1"]["model"] == "gpt-4o-mini-2024-07-18"
