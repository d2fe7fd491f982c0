"""Mutant: ip hash takes a digest modulo the healthy servers, so one failure moves most clients."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

STRATEGIES = ("round_robin", "weighted_round_robin", "least_connections", "ip_hash")


class NoHealthyServerError(RuntimeError):
    """Raised when no healthy server can take the request."""


@dataclass
class _Server:
    weight: int
    healthy: bool = True
    current: int = 0  # smooth weighted round robin: the server's running score
    in_flight: int = 0  # least connections: requests routed and not yet released


class LoadBalancer:
    """Routes requests to servers with one of four strategies, skipping servers marked down."""

    def __init__(self, strategy: str = "round_robin") -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
        self._strategy = strategy
        self._servers: dict[str, _Server] = {}
        # The round robin cursor is a position in the ring, not a name: when the server under
        # it is removed, stepping the position back by one makes the next call land on the
        # server that followed it, and nothing else in the rotation moves.
        self._cursor = -1

    @property
    def servers(self) -> list[str]:
        """The servers in the order they were added, healthy or not."""
        return list(self._servers)

    def add_server(self, server: str, weight: int = 1) -> None:
        """Adds a server at the end of the ring."""
        if server in self._servers:
            raise ValueError(f"server {server!r} is already in the pool")
        if weight < 1:
            raise ValueError(f"weight must be at least 1, not {weight!r}")
        self._servers[server] = _Server(weight)

    def remove_server(self, server: str) -> None:
        """Removes a server; the rotation carries on with the server that followed it."""
        position = self._position(server)
        del self._servers[server]
        if position <= self._cursor:
            self._cursor -= 1

    def mark_down(self, server: str) -> None:
        """Takes a server out of rotation without forgetting its place or its state."""
        self._get(server).healthy = False

    def mark_up(self, server: str) -> None:
        """Puts a server back into rotation."""
        self._get(server).healthy = True

    def route_request(self, request: dict | None = None) -> str:
        """Returns the server that should handle the request."""
        if self._strategy == "ip_hash":
            return self._by_ip_hash(request)
        if not any(s.healthy for s in self._servers.values()):
            raise NoHealthyServerError("no healthy server in the pool")
        if self._strategy == "round_robin":
            return self._by_round_robin()
        if self._strategy == "weighted_round_robin":
            return self._by_smooth_weight()
        return self._by_least_connections()

    def release(self, server: str) -> None:
        """Says that a request routed to `server` has finished."""
        state = self._get(server)
        state.in_flight = max(0, state.in_flight - 1)

    # -- strategies ------------------------------------------------------------------------

    def _by_round_robin(self) -> str:
        names = list(self._servers)
        for step in range(1, len(names) + 1):
            position = (self._cursor + step) % len(names)
            if self._servers[names[position]].healthy:
                self._cursor = position
                return names[position]
        raise NoHealthyServerError("no healthy server in the pool")  # pragma: no cover -- checked by the caller

    def _by_smooth_weight(self) -> str:
        # nginx's smooth weighted round robin: interleaves (a a b a c a a for 5,1,1)
        # instead of sending bursts (a a a a a b c) to the heaviest server.
        healthy = [(name, s) for name, s in self._servers.items() if s.healthy]
        total = sum(s.weight for _, s in healthy)
        for _, state in healthy:
            state.current += state.weight
        name, chosen = max(healthy, key=lambda item: item[1].current)  # first wins ties
        chosen.current -= total
        return name

    def _by_least_connections(self) -> str:
        healthy = [(name, s) for name, s in self._servers.items() if s.healthy]
        name, chosen = min(healthy, key=lambda item: item[1].in_flight)  # first wins ties
        chosen.in_flight += 1
        return name

    def _by_ip_hash(self, request: dict | None) -> str:
        # Rendezvous (highest random weight) hashing: each client ranks every server by a
        # stable digest and takes the best healthy one. When a server goes down only its
        # clients move (to their second choice), and they come back when it returns.
        if not request or "client_ip" not in request:
            raise ValueError("ip_hash needs a request with a 'client_ip'")
        ip = str(request["client_ip"])
        healthy = [name for name, s in self._servers.items() if s.healthy]
        if not healthy:
            raise NoHealthyServerError("no healthy server in the pool")
        return healthy[_score(ip, '') % len(healthy)]

    # -- helpers ---------------------------------------------------------------------------

    def _get(self, server: str) -> _Server:
        try:
            return self._servers[server]
        except KeyError:
            raise KeyError(server) from None

    def _position(self, server: str) -> int:
        self._get(server)
        return list(self._servers).index(server)


def _score(ip: str, server: str) -> int:
    """A digest that is the same in every process (the built-in hash() is not)."""
    digest = hashlib.sha256(f"{ip}|{server}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
