"""ChatCompletion's argument handling: the call shapes of generated SDKs, and clean errors."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import pulumi_chatcomp as chatcomp
from pulumi_chatcomp import ChatCompletion, ChatCompletionArgs, InvalidArgumentError, native

PROMPT = [{"role": "user", "content": "Hi"}]
ARGS = ChatCompletionArgs(model="gpt-4o-mini", messages=PROMPT)
OPTS = pulumi.ResourceOptions()


@pytest.mark.parametrize(
    ("positional", "keywords", "message"),
    [
        pytest.param(
            (ARGS,),
            {"model": "gpt-4o"},
            "args and keyword arguments cannot both be given",
            id="both",
        ),
        pytest.param((OPTS,), {"opts": OPTS, "model": "m"}, "opts is given twice", id="opts-twice"),
        pytest.param((ARGS,), {"args": ARGS}, "args is given twice", id="args-twice"),
        pytest.param(
            ({"model": "m"},),
            {},
            "args must be a ChatCompletionArgs or pulumi.ResourceOptions, got dict",
            id="args-dict",
        ),
        pytest.param((ARGS, "protect"), {}, "opts must be a pulumi.ResourceOptions", id="opts-str"),
        pytest.param((ARGS, OPTS, OPTS), {}, "at most args and opts, got 3", id="too-many"),
        pytest.param(
            (),
            {"model": "m", "messages": PROMPT, "temprature": 1},
            "temprature is not an argument of ChatCompletion (see ChatCompletionArgs); "
            "did you mean 'temperature'?",
            id="typo",
        ),
        pytest.param((OPTS,), {"model": "m"}, "messages is required", id="no-messages"),
    ],
)
def test_a_bad_call_names_the_resource_and_the_argument(
    positional: tuple[Any, ...], keywords: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        ChatCompletion("greeting", *positional, **keywords)
    assert str(raised.value).startswith("ChatCompletion 'greeting': ")
    assert message in str(raised.value)
    # Under `pulumi up` a RunError is printed as its message alone, without a traceback.
    assert isinstance(raised.value, pulumi.RunError)


@pytest.mark.parametrize("face", [chatcomp, native], ids=["dynamic", "plugin"])
@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"model": "m", "messages": PROMPT, "max_completon_tokens": 64}, id="misspelt"),
        pytest.param({"model": "m"}, id="missing"),
        pytest.param({"modle": "m", "messages": PROMPT}, id="misspelt-and-missing"),
    ],
)
def test_args_with_a_bad_field_get_the_line_the_keywords_get(
    face: Any, fields: dict[str, Any]
) -> None:
    with pytest.raises(InvalidArgumentError) as as_keywords:
        face.ChatCompletion("c", **fields)
    args = face.ChatCompletionArgs(**fields)  # no TypeError: the resource reports it
    with pytest.raises(InvalidArgumentError) as as_args:
        face.ChatCompletion("c", args, OPTS)
    assert str(as_args.value) == str(as_keywords.value)
    assert str(as_args.value).startswith("ChatCompletion 'c': ")
    assert isinstance(as_args.value, pulumi.RunError)
