"""What the routes and middleware share: storage and the backend over it, faults, counters,
the API key."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulumi_chatcomp.server._backend import CompletionsBackend
from pulumi_chatcomp.server._counters import RequestCounters
from pulumi_chatcomp.server._faults import FaultInjector
from pulumi_chatcomp.server._store import CompletionStore


@dataclass
class ServerState:
    store: CompletionStore
    faults: FaultInjector = field(default_factory=FaultInjector)
    counters: RequestCounters = field(default_factory=RequestCounters)
    api_key: str | None = None
    backend: CompletionsBackend = field(init=False)

    def __post_init__(self) -> None:
        # Built here so that the backend is always over this state's store and faults.
        self.backend = CompletionsBackend(self.store, self.faults)
