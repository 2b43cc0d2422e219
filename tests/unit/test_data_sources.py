"""Data sources on a mock API: arguments, not-found advice, pages, filters, results, Outputs;
and each pinned to its row of ``core._functions`` (its name, its arguments in order, the result
class of that row), as they are written out for type checkers."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import typing
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pulumi
import pytest
from pulumi.runtime import rpc

from pulumi_chatcomp import data_sources
from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import ChatCompError, NotFoundError
from pulumi_chatcomp.client._client import ChatCompletionsClient
from pulumi_chatcomp.core._functions import FUNCTIONS, Function
from pulumi_chatcomp.data_sources import InvalidArgumentError
from pulumi_chatcomp.program import _settings
from tests.unit.client.helpers import completion_body, error, ok, page_body

T = TypeVar("T")
KEY = "sk-config-key-0123456789abcdefXYZ"


class FakeAPI:
    """Stored completions behind a MockTransport: retrieve, list (filters, order), messages."""

    def __init__(self, total: int = 0) -> None:
        self.completions = [
            completion_body(
                f"chatcmpl-{n:04d}",
                content=f"answer {n}",
                created=1_700_000_000 + n,
                model="gpt-4o-mini" if n % 2 else "gpt-4o",
                metadata={"split": "train" if n % 3 else "test"},
            )
            for n in range(total)
        ]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request_id = f"req_{len(self.requests)}"
        path = request.url.path.removeprefix("/v1/chat/completions")
        found = {c["id"]: c for c in self.completions}
        if path == "":
            return ok(self._page(self._matching(request.url.params), request), request_id)
        completion_id, _, rest = path.strip("/").partition("/")
        if completion_id not in found:
            return error(404, f"No chat completion found with id '{completion_id}'", request_id)
        if rest == "messages":
            messages = [
                {"id": f"{completion_id}-{i}", "role": "user", "content": f"question {i}"}
                for i in range(3)
            ]
            return ok(self._page(messages, request), request_id)
        return ok(found[completion_id], request_id)

    def _matching(self, params: httpx.QueryParams) -> list[dict[str, Any]]:
        items = [
            c
            for c in self.completions
            if params.get("model") in (None, c["model"])
            and all(
                c["metadata"].get(key[len("metadata[") : -1]) == value
                for key, value in params.multi_items()
                if key.startswith("metadata[")
            )
        ]
        return items[::-1] if params.get("order") == "desc" else items

    @staticmethod
    def _page(items: list[dict[str, Any]], request: httpx.Request) -> dict[str, Any]:
        params = request.url.params
        limit = int(params.get("limit", "20"))
        ids = [item["id"] for item in items]
        start = ids.index(params["after"]) + 1 if "after" in params else 0
        return page_body(items[start : start + limit], start + limit < len(items))

    def queries(self) -> list[dict[str, str]]:
        return [dict(request.url.params) for request in self.requests]


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """A fake API with 250 stored completions, wired in place of the shared client."""
    fake = FakeAPI(250)
    clients: list[ChatCompletionsClient] = []

    def get_client(settings: Settings) -> ChatCompletionsClient:
        client = ChatCompletionsClient(settings, transport=httpx.MockTransport(fake))
        clients.append(client)
        return client

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PULUMI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_settings, "get_client", get_client)
    yield fake
    for client in clients:
        client.close()


def resolve(make: Callable[[], pulumi.Output[T]]) -> tuple[T | None, bool, bool]:
    """Build an Output in a fresh event loop; return (value, is_known, is_secret)."""

    async def main() -> tuple[T | None, bool, bool]:
        output = make()
        return await output.future(), await output.is_known(), await output.is_secret()

    return asyncio.run(main())


def unknown() -> pulumi.Output[Any]:
    """An Output whose value is unknown, as a new resource's id is during preview."""
    loop = asyncio.get_running_loop()
    value: asyncio.Future[Any] = loop.create_future()
    value.set_result(None)
    known: asyncio.Future[bool] = loop.create_future()
    known.set_result(False)
    return pulumi.Output(set(), value, known)


# -- arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: data_sources.get_chat_completion(""),
            "get_chat_completion: completion_id must be a non-empty string",
            id="empty-id",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion(42),  # type: ignore[arg-type]
            "get_chat_completion: completion_id must be a non-empty string such as "
            '"chatcmpl-abc123", got 42',
            id="id-not-a-string",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(order="up"),
            'get_chat_completions: order must be "asc" or "desc", got \'up\'',
            id="bad-order",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(limit=0),
            "get_chat_completions: limit must be a whole number, 1 or more (None for all), got 0",
            id="limit-zero",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(limit=2.5),  # type: ignore[arg-type]
            "get_chat_completions: limit must be a whole number, 1 or more (None for all), got 2.5",
            id="limit-float",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(limit=True),
            "get_chat_completions: limit must be a whole number",
            id="limit-bool",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata=["dataset", "faq"]),  # type: ignore[arg-type]
            "get_chat_completions: metadata must map strings to strings",
            id="metadata-list",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata={"run": 3}),  # type: ignore[dict-item]
            "get_chat_completions: metadata['run'] must be a string, got 3",
            id="metadata-value-int",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata={1: "a"}),  # type: ignore[dict-item]
            "get_chat_completions: metadata keys must be non-empty strings, got the key 1",
            id="metadata-key-int",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(model=""),
            "get_chat_completions: model must be a non-empty string",
            id="empty-model",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(set_tag=" "),
            "get_chat_completions: set_tag must be a set's tag (its tag output, a non-empty "
            "string), got ' '",
            id="blank-set-tag",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata={"pulumi_chatcomp_set": "t"}),
            "get_chat_completions: metadata['pulumi_chatcomp_set'] is a key pulumi-chatcomp "
            "reserves; give a set's tag as set_tag",
            id="reserved-set-key",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata={"pulumi_chatcomp_token": "t"}),
            "get_chat_completions: metadata['pulumi_chatcomp_token'] is a key pulumi-chatcomp "
            "reserves; leave it out",
            id="reserved-token-key",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_messages(" ", order="asc"),
            "get_chat_completion_messages: completion_id must be a non-empty string",
            id="messages-blank-id",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_messages("chatcmpl-0001", limit=-1),
            "get_chat_completion_messages: limit must be a whole number",
            id="messages-negative-limit",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions_output(order="newest"),
            'get_chat_completions_output: order must be "asc" or "desc", got \'newest\'',
            id="output-form-checks-plain-values-at-once",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_output(""),
            "get_chat_completion_output: completion_id must be a non-empty string",
            id="output-form-empty-id",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_messages_output("chatcmpl-1", limit=0),
            "get_chat_completion_messages_output: limit must be a whole number",
            id="messages-output-form-limit",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion("c" * 70_000),
            "get_chat_completion: completion_id has 70000 characters; at most 256 are accepted",
            id="over-long-id",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_messages("c" * 70_000),
            "get_chat_completion_messages: completion_id has 70000 characters; at most 256",
            id="messages-over-long-id",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(metadata={"k": "v" * 70_000}),
            'get_chat_completions: metadata["k"] has 70000 characters; values may have at most',
            id="over-long-filter",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions(model="m" * 70_000),
            "get_chat_completions: model has 70000 characters; at most 256 are accepted",
            id="over-long-model",
        ),
    ],
)
def test_bad_arguments_name_function_and_argument_and_send_nothing(
    api: FakeAPI, call: Callable[[], object], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=re.escape(message)) as raised:
        call()
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, ChatCompError)
    assert api.requests == []


def test_a_bad_value_arriving_through_an_output_fails_that_output(api: FakeAPI) -> None:
    with pytest.raises(InvalidArgumentError, match="get_chat_completions_output: order must be"):
        resolve(
            lambda: data_sources.get_chat_completions_output(order=pulumi.Output.from_input("up"))
        )
    assert api.requests == []


# -- not found ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "function"),
    [
        pytest.param(data_sources.get_chat_completion, "get_chat_completion", id="completion"),
        pytest.param(
            data_sources.get_chat_completion_messages,
            "get_chat_completion_messages",
            id="messages",
        ),
    ],
)
def test_a_missing_completion_says_why_it_may_be_missing(
    api: FakeAPI, call: Callable[[str], object], function: str
) -> None:
    with pytest.raises(NotFoundError) as raised:
        call("chatcmpl-gone")
    text = str(raised.value)
    assert text.startswith(f"{function}: completion_id 'chatcmpl-gone' names no stored completion")
    for reason in ("store=false", "deleted", "expired", "30 days"):
        assert reason in text
    assert raised.value.status_code == 404
    assert raised.value.request_id == "req_1"
    assert "req_1" in text


# -- listing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "expected", "page_sizes"),
    [
        pytest.param(None, 250, ["100", "100", "100"], id="all-pages"),
        pytest.param(120, 120, ["100", "20"], id="limit-across-pages"),
        pytest.param(7, 7, ["7"], id="limit-within-a-page"),
        pytest.param(1000, 250, ["100", "100", "100"], id="limit-above-total"),
    ],
)
def test_every_page_is_followed_and_limit_caps_the_total(
    api: FakeAPI, limit: int | None, expected: int, page_sizes: list[str]
) -> None:
    result = data_sources.get_chat_completions(limit=limit)
    assert [c.id for c in result.data] == [c["id"] for c in api.completions[:expected]]
    assert [query["limit"] for query in api.queries()] == page_sizes
    assert result.limit == limit


def test_filters_and_order_reach_the_api_and_shape_the_result(api: FakeAPI) -> None:
    result = data_sources.get_chat_completions(
        model="gpt-4o-mini", metadata={"split": "test"}, order="desc", limit=5
    )
    expected = [
        c["id"]
        for c in reversed(api.completions)
        if c["model"] == "gpt-4o-mini" and c["metadata"]["split"] == "test"
    ][:5]
    assert [c.id for c in result.data] == expected
    assert api.queries()[0] == {
        "model": "gpt-4o-mini",
        "metadata[split]": "test",
        "order": "desc",
        "limit": "5",
    }
    assert (result.model, result.metadata, result.order) == (
        "gpt-4o-mini",
        {"split": "test"},
        "desc",
    )


def test_set_tag_reads_the_items_of_one_set_and_is_echoed(api: FakeAPI) -> None:
    for n in (3, 5, 8):
        api.completions[n]["metadata"]["pulumi_chatcomp_set"] = "tag-1"
    api.completions[9]["metadata"]["pulumi_chatcomp_set"] = "tag-2"
    result = data_sources.get_chat_completions(metadata={"split": "train"}, set_tag="tag-1")
    assert [c.id for c in result.data] == ["chatcmpl-0005", "chatcmpl-0008"]
    assert api.queries()[0] == {
        "metadata[split]": "train",
        "metadata[pulumi_chatcomp_set]": "tag-1",
        "limit": "100",
    }
    assert (result.set_tag, result.metadata) == ("tag-1", {"split": "train"})
    # The tag is the package's: the completions read back show the user's metadata only.
    assert [c.metadata for c in result.data] == [{"split": "train"}] * 2


def test_request_id_is_the_last_calls(api: FakeAPI) -> None:
    assert data_sources.get_chat_completions().request_id == "req_3"
    assert data_sources.get_chat_completion("chatcmpl-0007").request_id == "req_4"
    assert data_sources.get_chat_completion_messages("chatcmpl-0007").request_id == "req_5"


def test_messages_are_read_in_the_order_asked(api: FakeAPI) -> None:
    result = data_sources.get_chat_completion_messages("chatcmpl-0003", order="asc", limit=2)
    assert [(m.id, m.role, m.content) for m in result.data] == [
        ("chatcmpl-0003-0", "user", "question 0"),
        ("chatcmpl-0003-1", "user", "question 1"),
    ]
    assert api.queries() == [{"order": "asc", "limit": "2"}]
    assert result.completion_id == "chatcmpl-0003"


# -- results --------------------------------------------------------------------------------


def test_results_read_by_attribute_and_by_key(api: FakeAPI) -> None:
    result = data_sources.get_chat_completions(limit=2)
    first = result.data[0]
    assert first.choices[0].message.content == "answer 0"
    assert first["choices"][0]["message"]["content"] == "answer 0"
    assert first.usage is not None and first.usage.total_tokens == 4
    assert first.choices[0].message.tool_calls is None  # a documented field that is null
    with pytest.raises(AttributeError, match="has no field 'contnet'"):
        _ = first.choices[0].message.contnet
    single = data_sources.get_chat_completion("chatcmpl-0001")
    assert single == result.data[1]
    assert single.model == "gpt-4o-mini"


def test_results_serialise_for_pulumi_export_as_plain_json(api: FakeAPI) -> None:
    result = data_sources.get_chat_completions(limit=2)
    serialised = asyncio.run(rpc.serialize_property(result, [], None))
    assert json.loads(json.dumps(serialised)) == json.loads(json.dumps(result))
    assert serialised["data"][0]["choices"][0]["message"]["content"] == "answer 0"
    assert "request_id" not in serialised  # an attribute, so exports do not change every run
    assert result.to_dict() == serialised


def test_the_resources_idempotency_token_is_hidden(api: FakeAPI) -> None:
    api.completions[0]["metadata"]["pulumi_chatcomp_token"] = "f" * 32
    assert data_sources.get_chat_completion("chatcmpl-0000").metadata == {"split": "test"}
    assert data_sources.get_chat_completions(limit=1).data[0].metadata == {"split": "test"}


# -- settings -------------------------------------------------------------------------------


def test_settings_come_from_stack_config_before_env(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine hands a Pulumi program its config (secrets decrypted) in these variables.
    config = {"chatcomp:baseUrl": "https://config.test/v1", "chatcomp:apiKey": KEY}
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(config))
    monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", json.dumps(["chatcomp:apiKey"]))
    monkeypatch.setenv("OPENAI_BASE_URL", "https://env.test/v1")
    data_sources.get_chat_completion("chatcmpl-0001")
    (request,) = api.requests
    assert str(request.url) == "https://config.test/v1/chat/completions/chatcmpl-0001"
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_outside_a_program_settings_come_from_env(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://env.test/v1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    data_sources.get_chat_completions(limit=1)
    (request,) = api.requests
    assert request.url.host == "env.test"
    assert request.headers["authorization"] == f"Bearer {KEY}"


# -- Output forms ---------------------------------------------------------------------------


def test_output_form_resolves_inputs_and_returns_the_same_result(api: FakeAPI) -> None:
    value, known, secret = resolve(
        lambda: data_sources.get_chat_completions_output(
            metadata={"split": pulumi.Output.from_input("test")}, limit=pulumi.Output.from_input(3)
        )
    )
    assert known and not secret
    assert value == data_sources.get_chat_completions(metadata={"split": "test"}, limit=3)
    assert isinstance(value, data_sources.GetChatCompletionsResult)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: data_sources.get_chat_completion_output(unknown()), id="completion-id"
        ),
        pytest.param(
            lambda: data_sources.get_chat_completions_output(metadata={"run": unknown()}),
            id="metadata-value",
        ),
        pytest.param(
            lambda: data_sources.get_chat_completion_messages_output(unknown(), order="asc"),
            id="messages-completion-id",
        ),
    ],
)
def test_output_form_is_unknown_while_an_input_is_and_sends_nothing(
    api: FakeAPI, make: Callable[[], pulumi.Output[Any]]
) -> None:
    value, known, _ = resolve(make)
    assert (value, known) == (None, False)
    assert api.requests == []


def test_output_form_keeps_a_secret_input_secret(api: FakeAPI) -> None:
    value, known, secret = resolve(
        lambda: data_sources.get_chat_completion_output(pulumi.Output.secret("chatcmpl-0002"))
    )
    assert known and secret
    assert value is not None and value.id == "chatcmpl-0002"


def test_output_form_reads_the_programs_config_on_its_worker_thread(api: FakeAPI) -> None:
    def make() -> pulumi.Output[data_sources.GetChatCompletionResult]:
        # How the language host hands a program its stack config: context variables.
        config = {"chatcomp:baseUrl": "https://config.test/v1", "chatcomp:apiKey": KEY}
        pulumi.runtime.set_all_config(config, ["chatcomp:apiKey"])
        return data_sources.get_chat_completion_output("chatcmpl-0001")

    value, known, _ = resolve(make)
    assert known and value is not None and value.id == "chatcmpl-0001"
    (request,) = api.requests
    assert request.url.host == "config.test"
    assert request.headers["authorization"] == f"Bearer {KEY}"


# -- call shapes of generated SDKs and the error boundary -----------------------------------


def test_plain_forms_take_invoke_options_as_generated_sdks_do(api: FakeAPI) -> None:
    opts = pulumi.InvokeOptions(version="1.2.3")
    assert data_sources.get_chat_completion("chatcmpl-0001", opts=opts).id == "chatcmpl-0001"
    assert len(data_sources.get_chat_completions(limit=2, opts=opts).data) == 2
    messages = data_sources.get_chat_completion_messages("chatcmpl-0001", opts=opts)
    assert [m.content for m in messages.data] == ["question 0", "question 1", "question 2"]


def test_output_forms_take_invoke_output_options(api: FakeAPI) -> None:
    opts = pulumi.InvokeOutputOptions(depends_on=[])
    value, known, _ = resolve(
        lambda: data_sources.get_chat_completion_output("chatcmpl-0001", opts=opts)
    )
    assert known and value is not None and value.id == "chatcmpl-0001"


@pytest.mark.parametrize(
    ("opts", "message"),
    [
        pytest.param(
            {"depends_on": []},
            "get_chat_completion: opts must be a pulumi.InvokeOptions, got dict",
            id="not-options",
        ),
        pytest.param(
            pulumi.ResourceOptions(),
            "get_chat_completion: opts must be a pulumi.InvokeOptions, got ResourceOptions",
            id="resource-options",
        ),
        pytest.param(
            # Stands in for a ProviderResource: any provider is refused, none is honoured.
            pulumi.InvokeOptions(provider=object()),  # type: ignore[arg-type]
            "get_chat_completion: opts.provider cannot be honoured",
            id="provider",
        ),
    ],
)
def test_bad_opts_are_named(api: FakeAPI, opts: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=re.escape(message)):
        data_sources.get_chat_completion("chatcmpl-0001", opts=opts)
    assert api.requests == []


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: data_sources.get_chat_completion("chatcmpl-gone"), id="not-found"),
        pytest.param(lambda: data_sources.get_chat_completions(order="up"), id="bad-argument"),
        pytest.param(
            lambda: resolve(lambda: data_sources.get_chat_completion_output("chatcmpl-gone")),
            id="not-found-through-an-output",
        ),
    ],
)
def test_errors_are_run_errors_that_keep_their_own_class(
    api: FakeAPI, call: Callable[[], object]
) -> None:
    # A Pulumi program prints a RunError's message alone; callers still catch our classes.
    with pytest.raises(pulumi.RunError) as raised:
        call()
    assert isinstance(raised.value, NotFoundError | InvalidArgumentError)
    assert isinstance(raised.value, ChatCompError)


# -- structured outputs -----------------------------------------------------------------------


def test_results_carry_parsed_by_each_completions_echoed_response_format(api: FakeAPI) -> None:
    api.completions[1] |= {"response_format": {"type": "json_object"}}
    api.completions[1]["choices"][0]["message"]["content"] = '{"title": "Rain", "tags": ["a"]}'
    api.completions[2] |= {"response_format": {"type": "json_object"}}
    api.completions[2]["choices"][0]["message"]["content"] = "not JSON after all"
    one = data_sources.get_chat_completion("chatcmpl-0001")
    assert one.parsed.title == one.parsed["title"] == "Rain"
    assert one.parsed.tags == ["a"]
    listed = data_sources.get_chat_completions(limit=3)
    assert [c.parsed for c in listed.data] == [None, {"title": "Rain", "tags": ["a"]}, None]
    assert json.loads(json.dumps(listed.data[1]))["parsed"] == {"title": "Rain", "tags": ["a"]}


def test_parsed_reads_as_none_when_an_answer_leaves_it_out() -> None:
    # The plugin's invokes drop null fields; both faces' results must read alike.
    one = data_sources.GetChatCompletionResult.of(completion_body())
    listed = data_sources.GetChatCompletionsResult.of({"data": [completion_body()]})
    assert one.parsed is None and listed.data[0].parsed is None
    assert "parsed" not in data_sources.GetChatCompletionsResult.of({"data": []})


def _answered(annotation: object) -> object:
    """The function the result class of a return annotation answers."""
    (result,) = typing.get_args(annotation) or (annotation,)
    return getattr(result, "_function", None)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
@pytest.mark.parametrize("form", ["", "_output"])
def test_each_data_source_takes_its_rows_arguments_and_returns_its_result(
    function: Function, form: str
) -> None:
    source = getattr(data_sources, f"{function.name}{form}")
    signature = inspect.signature(source, eval_str=True)
    assert [name for name in signature.parameters if name != "opts"] == list(function.names)
    assert _answered(signature.return_annotation) is function


def test_the_module_exports_every_function_and_its_result() -> None:
    exported = set(data_sources.__all__)
    for function in FUNCTIONS:
        result = inspect.signature(getattr(data_sources, function.name)).return_annotation
        assert {function.name, f"{function.name}_output", result} <= exported
