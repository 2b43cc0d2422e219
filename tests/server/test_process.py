"""Process behaviour: concurrent writers, stopping with the parent, the printed URL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from pulumi_chatcomp.server.testing import LocalServer


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    with (
        LocalServer(["--db", str(tmp_path / "c.db")]) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as shared,  # thread-safe pool
    ):
        tag = {"model": "gpt-4o", "store": True, "metadata": {"batch": "concurrent"}}

        def create(index: int) -> str:
            body = {**tag, "messages": [{"role": "user", "content": f"q{index}"}]}
            response = shared.post("/chat/completions", json=body)
            response.raise_for_status()
            completion_id: str = response.json()["id"]
            return completion_id

        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(create, range(80)))
        listed: list[str] = []
        query: dict[str, Any] = {"limit": 30, "metadata[batch]": "concurrent"}
        while True:
            page = shared.get("/chat/completions", params=query).json()
            listed += [item["id"] for item in page["data"]]
            if not page["has_more"]:
                break
            query["after"] = page["last_id"]
    assert len(ids) == 80 and sorted(listed) == sorted(ids)


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status  # exited, waiting to be reaped by its new parent


def test_exit_with_parent_stops_an_orphaned_server() -> None:
    parent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import subprocess, sys\n"
            "p = subprocess.Popen([sys.executable, '-m', 'pulumi_chatcomp.server', '--port', '0',"
            " '--exit-with-parent'], stdout=subprocess.PIPE, text=True)\n"
            "print(p.pid, p.stdout.readline().strip(), flush=True)\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    pid_text, announcement = parent.stdout.split(" ", 1)
    assert announcement.startswith("chatcomp-server listening on http://127.0.0.1:")
    pid = int(pid_text)
    deadline = time.monotonic() + 30
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not _gone(pid):
        os.kill(pid, 9)
    assert _gone(pid)
