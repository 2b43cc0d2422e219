"""``chatcomp-server``: parse flags, bind the socket, run uvicorn, announce the URL."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from collections.abc import Sequence
from typing import Any

import uvicorn

from pulumi_chatcomp.server._app import create_app
from pulumi_chatcomp.server._faults import (
    MALFORMED_MODES,
    STRUCTURED_MODES,
    FaultConfig,
    FaultConfigError,
)

LISTENING = "chatcomp-server listening on {url}"


def _probability_or_count(text: str) -> float | int:
    return float(text) if any(c in text for c in ".eE") else int(text)


def _malformed(text: str) -> float | str:
    return text if text in MALFORMED_MODES else float(text)


def _modes(text: str) -> list[str]:
    return [mode.strip() for mode in text.split(",") if mode.strip()]


def build_parser(
    prog: str = "chatcomp-server", epilog: str | None = None
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Local OpenAI-compatible stored chat completions server.",
        epilog=epilog,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one")
    parser.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    parser.add_argument(
        "--synchronous",
        choices=("normal", "full"),
        default="normal",
        help="SQLite synchronous mode in WAL: normal survives a killed server, full also an "
        "OS crash (default normal)",
    )
    parser.add_argument("--api-key", default=None, help="require 'Authorization: Bearer KEY'")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to /v1 calls")
    parser.add_argument("--rate-429", type=float, default=0.0, metavar="P")
    parser.add_argument("--rate-500", type=float, default=0.0, metavar="P")
    parser.add_argument("--rate-503", type=float, default=0.0, metavar="P")
    parser.add_argument("--retry-after", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument(
        "--drop-after-commit",
        type=_probability_or_count,
        default=0.0,
        metavar="P_OR_COUNT",
        help="probability (0.5) or count of next writes (3) whose response is lost",
    )
    parser.add_argument(
        "--malformed",
        type=_malformed,
        default=0.0,
        metavar="P_OR_MODE",
        help=f"probability, or one of {', '.join(MALFORMED_MODES)}",
    )
    parser.add_argument(
        "--structured-next",
        type=_modes,
        default=[],
        metavar="MODE[,MODE...]",
        help=f"break the next creates that ask for JSON, in order: {', '.join(STRUCTURED_MODES)}",
    )
    parser.add_argument("--fault-seed", type=int, default=None, help="seed for fault dice")
    parser.add_argument(
        "--exit-with-parent", action="store_true", help="exit when the parent process is gone"
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level")
    parser.add_argument("--access-log", action="store_true", help="log each request to stdout")
    return parser


def _faults(args: argparse.Namespace) -> FaultConfig:
    changes: dict[str, Any] = {
        "latency": args.latency,
        "rate_429": args.rate_429,
        "rate_500": args.rate_500,
        "rate_503": args.rate_503,
        "retry_after": args.retry_after,
        "drop_after_commit": args.drop_after_commit,
        "malformed": args.malformed,
        "structured_next": args.structured_next,
        "seed": args.fault_seed,
    }
    return FaultConfig().updated(changes)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


async def _serve(server: Any, sock: socket.socket, url: str, exit_with_parent: bool) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(LISTENING.format(url=url), flush=True)
    watcher = asyncio.create_task(_watch_parent(server)) if exit_with_parent else None
    try:
        await task
    finally:
        if watcher is not None:
            watcher.cancel()


async def _watch_parent(server: Any) -> None:
    parent = os.getppid()
    while not server.should_exit:
        await asyncio.sleep(1.0)
        # Reparenting (to init or a subreaper) means the parent died.
        if os.getppid() != parent:
            server.should_exit = True


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "chatcomp-server",
    epilog: str | None = None,
) -> None:
    """Run the server until SIGINT/SIGTERM (or until the parent exits with --exit-with-parent).

    ``prog`` and ``epilog`` are for ``chatcomp serve``, which runs this same command line."""
    parser = build_parser(prog, epilog)
    args = parser.parse_args(argv)
    try:
        faults = _faults(args)
    except FaultConfigError as exc:
        parser.error(f"--{exc.param.replace('_', '-')}: {exc}")
    app = create_app(db=args.db, api_key=args.api_key, faults=faults, synchronous=args.synchronous)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this; without it uvicorn's separate header and body writes
    # meet the client's delayed ACK and every request takes ~45 ms instead of ~2 ms.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        parser.exit(2, f"{prog}: cannot listen on {args.host}:{args.port}: {exc}\n")
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level=args.log_level,
        access_log=args.access_log,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    try:
        asyncio.run(_serve(server, sock, _url(args.host, port), args.exit_with_parent))
    except KeyboardInterrupt:
        # uvicorn re-raises SIGINT after a clean shutdown; the database is closed by then.
        sys.exit(130)
