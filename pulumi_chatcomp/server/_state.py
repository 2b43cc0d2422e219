"""What the routes and middleware share: storage, faults, counters, the API key."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulumi_chatcomp.server._counters import RequestCounters
from pulumi_chatcomp.server._faults import FaultInjector
from pulumi_chatcomp.server._store import CompletionStore


@dataclass
class ServerState:
    store: CompletionStore
    faults: FaultInjector = field(default_factory=FaultInjector)
    counters: RequestCounters = field(default_factory=RequestCounters)
    api_key: str | None = None
