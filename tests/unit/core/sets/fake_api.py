"""An in-memory API for a set's lifecycle: what each test asserts is the requests it got."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import httpx

from tests.unit.client.helpers import completion_body, error, ok, page_body


class FakeAPI:
    """Stored completions in memory (and their messages), filtered lists, updates and
    deletes; a create whose last message says ``fail`` is refused (400)."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.made = 0
        self.messages: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1/chat/completions").strip("/")
        with self.lock:
            if request.method == "GET" and not path:
                self.calls["list"] += 1
                wanted = {
                    key[len("metadata[") : -1]: value
                    for key, value in request.url.params.items()
                    if key.startswith("metadata[")
                }
                found = [c for c in self.stored.values() if wanted.items() <= c["metadata"].items()]
                return ok(page_body(found, False))
            if request.method == "GET" and path.endswith("/messages"):
                self.calls["messages"] += 1
                messages = self.messages.get(path.removesuffix("/messages"), [])
                return ok(page_body(messages, False))
            if request.method == "GET":
                self.calls["retrieve"] += 1
                return ok(self.stored[path]) if path in self.stored else error(404, "gone")
            if request.method == "DELETE":
                self.calls["delete"] += 1
                if self.stored.pop(path, None) is None:
                    return error(404, "gone")
                return ok({"id": path, "object": "chat.completion.deleted", "deleted": True})
            body = json.loads(request.content)
            if path:
                self.calls["update"] += 1
                self.stored[path]["metadata"] = body["metadata"]
                return ok(self.stored[path])
            self.calls["create"] += 1
            if body["messages"][-1]["content"] == "fail":
                return error(400, "this one is refused")
            self.made += 1
            cid = f"chatcmpl-{self.made:03d}"
            self.stored[cid] = completion_body(
                cid, f"answer {self.made}", metadata=body["metadata"]
            )
            self.messages[cid] = [
                {"id": f"{cid}-{n}", **message} for n, message in enumerate(body["messages"])
            ]
            return ok(self.stored[cid])
