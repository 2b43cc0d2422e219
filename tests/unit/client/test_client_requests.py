"""What the client sends and keeps: headers, URLs, bodies, request ids, sharing, cleanup."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from pulumi_chatcomp import __version__
from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client import _http
from pulumi_chatcomp.client._client import ChatCompletionsClient, get_client
from pulumi_chatcomp.client._idempotency import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.models import ChatCompletion, ChatCompletionDeleted
from tests.unit.client.helpers import (
    API_KEY,
    BASE_URL,
    Harness,
    Script,
    completion_body,
    ok,
    page_body,
)

ENV_KEY = "sk-env-key-abcdefghijklmnop"


def test_headers_on_every_request(harness: Harness) -> None:
    script = Script(ok(completion_body()))
    client = harness.client(script, organization="org-1", project="proj-1")
    client.retrieve("chatcmpl-1")
    headers = script.requests[0].headers
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["openai-organization"] == "org-1"
    assert headers["openai-project"] == "proj-1"
    assert headers["user-agent"] == f"pulumi-chatcomp/{__version__}"  # the package's one version
    assert headers["accept"] == "application/json"


def test_optional_headers_are_left_out(harness: Harness) -> None:
    script = Script(ok(completion_body()))
    harness.client(script, api_key=None).retrieve("chatcmpl-1")
    headers = script.requests[0].headers
    for name in ("authorization", "openai-organization", "openai-project"):
        assert name not in headers


@pytest.mark.parametrize(
    ("config", "env", "expected_authorization"),
    [
        pytest.param(
            {}, {"OPENAI_API_KEY": ENV_KEY}, f"Bearer {ENV_KEY}", id="env-key-official-url"
        ),
        pytest.param(
            {"baseUrl": "http://127.0.0.1:9/v1"},
            {"OPENAI_API_KEY": ENV_KEY},
            None,
            id="env-key-withheld",
        ),
        pytest.param(
            {"baseUrl": "http://127.0.0.1:9/v1", "useEnvApiKey": "true"},
            {"OPENAI_API_KEY": ENV_KEY},
            f"Bearer {ENV_KEY}",
            id="env-key-opted-in",
        ),
        pytest.param(
            {"baseUrl": "http://127.0.0.1:9/v1", "apiKey": "sk-config-abcdefgh"},
            {"OPENAI_API_KEY": ENV_KEY},
            "Bearer sk-config-abcdefgh",
            id="config-key",
        ),
    ],
)
def test_key_pairing_decides_the_authorization_header(
    harness: Harness,
    config: dict[str, str],
    env: dict[str, str],
    expected_authorization: str | None,
) -> None:
    script = Script(ok(completion_body()))
    harness.client(script, Settings.resolve(config, env)).retrieve("chatcmpl-1")
    assert script.requests[0].headers.get("authorization") == expected_authorization


def test_paths_join_the_base_url_and_ids_are_escaped(harness: Harness) -> None:
    script = Script(ok(completion_body()), ok(completion_body()))
    client = harness.client(script, base_url="https://proxy.test/openai/v1/")
    client.retrieve("chatcmpl-1")
    client.retrieve("../../admin?x=1")
    assert str(script.requests[0].url) == "https://proxy.test/openai/v1/chat/completions/chatcmpl-1"
    assert script.requests[1].url.raw_path == b"/openai/v1/chat/completions/..%2F..%2Fadmin%3Fx%3D1"


@pytest.mark.parametrize("completion_id", ["", "   ", None])
def test_empty_completion_id_is_refused_before_sending(
    harness: Harness, completion_id: object
) -> None:
    script = Script()
    with pytest.raises(ValueError, match="completion_id"):
        harness.client(script).retrieve(completion_id)  # type: ignore[arg-type]
    assert script.requests == []


@pytest.mark.parametrize("method", ["retrieve", "update", "delete", "list_messages"])
def test_an_over_long_completion_id_is_refused_before_sending(
    harness: Harness, method: str
) -> None:
    """Not an httpx.InvalidURL from deep inside: the argument, and the limit."""
    script = Script()
    call = getattr(harness.client(script), method)
    args: tuple[object, ...] = ("c" * 70_000, {}) if method == "update" else ("c" * 70_000,)
    with pytest.raises(ValueError, match="completion_id has 70000 characters; at most 256"):
        next(iter(call(*args))) if method == "list_messages" else call(*args)
    assert script.requests == []


def test_retrieve_update_delete(harness: Harness) -> None:
    script = Script(
        ok(completion_body(metadata={"a": "1"})),
        ok(completion_body(metadata={"b": "2"})),
        ok({"object": "chat.completion.deleted", "id": "chatcmpl-1", "deleted": True}),
    )
    client = harness.client(script)
    retrieved = client.retrieve("chatcmpl-1")
    updated = client.update("chatcmpl-1", {"b": "2"})
    deleted = client.delete("chatcmpl-1")
    assert isinstance(retrieved, ChatCompletion) and retrieved.metadata == {"a": "1"}
    assert updated.metadata == {"b": "2"}
    assert isinstance(deleted, ChatCompletionDeleted) and deleted.deleted
    methods = [(request.method, request.url.path) for request in script.requests]
    assert methods == [
        ("GET", "/v1/chat/completions/chatcmpl-1"),
        ("POST", "/v1/chat/completions/chatcmpl-1"),
        ("DELETE", "/v1/chat/completions/chatcmpl-1"),
    ]
    assert json.loads(script.requests[1].content) == {"metadata": {"b": "2"}}
    assert script.requests[1].headers["content-type"] == "application/json"


def test_update_with_none_clears_metadata(harness: Harness) -> None:
    script = Script(ok(completion_body()))
    harness.client(script).update("chatcmpl-1", None)
    assert json.loads(script.requests[0].content) == {"metadata": None}


def test_update_refuses_non_string_metadata(harness: Harness) -> None:
    with pytest.raises(ValueError, match="metadata must map strings to strings"):
        harness.client(Script()).update("chatcmpl-1", {"n": 1})  # type: ignore[dict-item]


def test_unknown_response_fields_are_kept(harness: Harness) -> None:
    script = Script(ok(completion_body(request_id="req_stored", seed=7)))
    completion = harness.client(script).retrieve("chatcmpl-1")
    assert completion.model_extra == {"request_id": "req_stored", "seed": 7}


def test_last_request_id_follows_the_latest_response(harness: Harness) -> None:
    script = Script(
        ok(completion_body(), request_id="req_1"), ok(completion_body(), request_id="req_2")
    )
    client = harness.client(script)
    assert client.last_request_id is None
    client.retrieve("chatcmpl-1")
    assert client.last_request_id == "req_1"
    client.retrieve("chatcmpl-1")
    assert client.last_request_id == "req_2"


def test_last_request_id_is_per_thread(harness: Harness) -> None:
    client = harness.client(
        lambda request: ok(completion_body(), request_id=f"req_{request.url.path[-1]}")
    )
    client.retrieve("chatcmpl-A")
    seen: list[str | None] = []

    def other_thread() -> None:
        client.retrieve("chatcmpl-B")
        seen.append(client.last_request_id)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen == ["req_B"]
    assert client.last_request_id == "req_A"


def test_timeouts_and_pool_limits() -> None:
    client = ChatCompletionsClient(Settings(timeout=30, connect_timeout=5))
    try:
        timeout = client._session.httpx_client.timeout
        assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5, 30, 30, 30)
        pool = client._session.httpx_client._transport._pool  # type: ignore[attr-defined]
        assert pool._max_connections >= 64
    finally:
        client.close()


class _HeldCreates(BaseHTTPRequestHandler):
    """Holds every create until ``release`` is set; answers a list at once."""

    protocol_version = "HTTP/1.1"
    received = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.set()
        type(self).release.wait(10)
        self._answer(completion_body())

    def do_GET(self) -> None:
        self._answer(page_body([], False))

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_look_up_is_answered_while_creates_hold_every_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An exactly-once create lists its token while it is in flight: reads and writes have a
    # pool each, so with every write connection taken the look-up still goes out (one pool
    # of one connection would wait here until the create it runs beside had its answer).
    monkeypatch.setattr(_http, "_LIMITS", httpx.Limits(max_connections=1))
    _HeldCreates.received.clear()
    _HeldCreates.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HeldCreates)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    client = ChatCompletionsClient(Settings(base_url=base_url, timeout=5, max_retries=0))
    request = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    creating = threading.Thread(target=client.create, args=(request,))
    try:
        creating.start()
        assert _HeldCreates.received.wait(5)
        assert client.created_with("a" * 32) == ()
        assert creating.is_alive()  # the create was still waiting for its answer
    finally:
        _HeldCreates.release.set()
        creating.join(10)
        client.close()
        server.shutdown()
        server.server_close()


def test_connect_timeout_never_exceeds_the_overall_timeout() -> None:
    with ChatCompletionsClient(Settings(timeout=1, connect_timeout=5)) as client:
        assert client._session.httpx_client.timeout.connect == 1


def test_repr_hides_the_key() -> None:
    with ChatCompletionsClient(Settings(api_key=API_KEY, base_url=BASE_URL)) as client:
        assert API_KEY not in repr(client)
        assert BASE_URL in repr(client)


def test_context_manager_closes() -> None:
    with ChatCompletionsClient(Settings()) as client:
        assert not client.is_closed
    assert client.is_closed


def test_get_client_shares_one_client_per_settings() -> None:
    first = get_client(Settings(api_key="sk-shared-1-abcdefgh"))
    assert get_client(Settings(api_key="sk-shared-1-abcdefgh")) is first
    other = get_client(Settings(api_key="sk-shared-2-abcdefgh"))
    assert other is not first
    first.close()
    replacement = get_client(Settings(api_key="sk-shared-1-abcdefgh"))
    assert replacement is not first and not replacement.is_closed
    replacement.close()
    other.close()


def test_get_client_is_safe_under_concurrency() -> None:
    settings = Settings(api_key="sk-concurrent-abcdefgh")
    results: list[ChatCompletionsClient] = []
    barrier = threading.Barrier(8)

    def grab() -> None:
        barrier.wait()
        results.append(get_client(settings))

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in results}) == 1
    results[0].close()


def test_requests_carry_no_body_where_the_api_has_none(harness: Harness) -> None:
    script = Script(ok(completion_body()))
    harness.client(script).retrieve("chatcmpl-1")
    assert script.requests[0].content == b""
    assert isinstance(script.requests[0], httpx.Request)


@pytest.mark.parametrize(
    ("metadata", "shown"),
    [
        pytest.param(None, None, id="none"),
        pytest.param({IDEMPOTENCY_METADATA_KEY: "t"}, {}, id="only-the-token"),
        pytest.param({"owner": "e2e", IDEMPOTENCY_METADATA_KEY: "t"}, {"owner": "e2e"}, id="both"),
    ],
)
def test_completions_leave_the_client_without_the_reserved_key(
    harness: Harness, metadata: dict[str, str] | None, shown: dict[str, str] | None
) -> None:
    script = Script(
        ok(completion_body(metadata=metadata)),
        ok(page_body([completion_body(metadata=metadata)], False)),
    )
    client = harness.client(script)
    assert client.retrieve("chatcmpl-1").metadata == shown
    assert [c.metadata for c in client.list()] == [shown]
