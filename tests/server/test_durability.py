"""Server durability (issue 9.7): what the server acknowledged survives a SIGKILL."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
import pytest

from pulumi_chatcomp.server.testing import LocalServer

WRITERS = 4
KILL_AFTER = 60  # acknowledged creates before the kill


@pytest.mark.parametrize("synchronous", ["normal", "full"])
def test_every_acknowledged_create_survives_a_sigkill(tmp_path: Path, synchronous: str) -> None:
    server = LocalServer(["--db", str(tmp_path / "store.db"), "--synchronous", synchronous])
    server.start()
    acknowledged: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def write(worker: int) -> None:
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            for index in range(10_000):
                try:
                    response = client.post(
                        "/chat/completions",
                        json={
                            "model": "gpt-4o-mini",
                            "store": True,
                            "messages": [{"role": "user", "content": f"w{worker} #{index}"}],
                        },
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 200:
                    with lock:
                        acknowledged.append(response.json()["id"])
                        if len(acknowledged) >= KILL_AFTER:
                            enough.set()

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    try:
        assert enough.wait(120), f"only {len(acknowledged)} creates acknowledged"
        server.kill(signal.SIGKILL)
        for writer in writers:
            writer.join(30)
        server.restart(sig=signal.SIGKILL)
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            found = [i for i in acknowledged if client.get(f"/chat/completions/{i}").is_success]
    finally:
        server.stop()
    print(f"synchronous={synchronous}: acknowledged {len(acknowledged)}, found {len(found)}")
    assert len(found) == len(acknowledged)
