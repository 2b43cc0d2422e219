"""Run the local server as a subprocess from tests, scripts and benchmarks.

Needs only the standard library and httpx (no server extras in the calling process).

For example::

    with LocalServer() as server:
        server.admin.set_faults(rate_429=0.5, seed=1)  # half the requests answer 429
        run_my_stack_against(server.base_url)          # http://127.0.0.1:41234/v1
"""

from __future__ import annotations

import collections
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import IO, Any

import httpx

_PREFIX = "chatcomp-server listening on "


class ServerAdmin:
    """The admin API of a running server (``/_admin/...``)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_admin/{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "health")
        return result

    def faults(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "faults")
        return result

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change some fault settings (see ``pulumi_chatcomp.server._faults``); returns all."""
        result: dict[str, Any] = self._call("POST", "faults", settings)
        return result

    def reset_faults(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("DELETE", "faults")
        return result

    def counters(self) -> dict[str, int]:
        result: dict[str, int] = self._call("GET", "counters")
        return result

    def reset_counters(self) -> None:
        self._call("POST", "reset-counters")

    def wait_until_idle(self, timeout: float = 120.0) -> None:
        """Wait until no ``/v1`` request is in flight: all the server was sent is done. A create
        whose client went away meanwhile is then stored, however long its latency fault or a
        busy machine made it take. (Stop the clients first: this sees only what arrived.)"""
        deadline = time.monotonic() + timeout
        while self.health()["in_flight"]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"requests still in flight at {self.url} after {timeout} s")
            time.sleep(0.05)


class LocalServer:
    """A ``chatcomp-server`` subprocess on a free port, stopped on exit.

    ``args`` are extra CLI flags (``["--db", path, "--api-key", "sk-test"]``). The server
    gets ``--exit-with-parent`` so it stops even if this process dies without cleaning up.
    """

    def __init__(
        self,
        args: Sequence[str] = (),
        *,
        startup_timeout: float = 30.0,
        python: str = sys.executable,
    ) -> None:
        self.args = list(args)
        self.startup_timeout = startup_timeout
        self.python = python
        self.url = ""
        self.process: subprocess.Popen[str] | None = None
        self._log: collections.deque[str] = collections.deque(maxlen=200)

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. ``http://127.0.0.1:41234/v1``."""
        return f"{self.url}/v1"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def admin(self) -> ServerAdmin:
        return ServerAdmin(self.url)

    @property
    def log(self) -> str:
        """The server's recent stderr lines (for failure messages)."""
        return "".join(self._log)

    def start(self, args: Sequence[str] | None = None) -> str:
        """Start the server (with ``args`` replacing the constructor's) and return base_url."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("server already running; stop() it first")
        if args is not None:
            self.args = list(args)
        command = [self.python, "-m", "pulumi_chatcomp.server", *self.args]
        if "--port" not in self.args:
            command += ["--port", "0"]
        if "--exit-with-parent" not in self.args:
            command.append("--exit-with-parent")
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None and self.process.stderr is not None
        _drain(self.process.stdout, lines.put, lambda: lines.put(None))
        _drain(self.process.stderr, self._log.append, lambda: None)
        try:
            while True:
                line = lines.get(timeout=self.startup_timeout)
                if line is None:
                    raise RuntimeError(f"chatcomp-server exited during startup:\n{self.log}")
                if line.startswith(_PREFIX):
                    self.url = line[len(_PREFIX) :].strip()
                    return self.base_url
        except queue.Empty:
            self.kill()
            raise RuntimeError(f"chatcomp-server did not start in time:\n{self.log}") from None

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait (then SIGKILL); returns the exit code (None if never started)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()

    def kill(self, sig: int = signal.SIGKILL) -> int | None:
        """Send ``sig`` (default SIGKILL: no cleanup) and wait for the process to end."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(30)

    def restart(self, *, sig: int = signal.SIGTERM) -> str:
        """Stop with ``sig`` and start again on the same port with the same flags."""
        port = self.port
        if sig == signal.SIGTERM:
            self.stop()
        else:
            self.kill(sig)
        args = list(self.args)
        if "--port" not in args:
            args += ["--port", str(port)]
        return self.start(args)

    def __enter__(self) -> LocalServer:
        if self.process is None or self.process.poll() is not None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _drain(stream: IO[str], sink: Callable[[str], object], on_end: Callable[[], object]) -> None:
    # Reading in a thread keeps the pipe from filling up and blocking the server.
    def pump() -> None:
        for line in stream:
            sink(line)
        on_end()
        stream.close()

    threading.Thread(target=pump, daemon=True).start()
