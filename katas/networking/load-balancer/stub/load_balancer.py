"""A load balancer: spread requests over a pool of servers.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations

STRATEGIES = ("round_robin", "weighted_round_robin", "least_connections", "ip_hash")


class NoHealthyServerError(RuntimeError):
    """Raised when no healthy server can take the request."""


class LoadBalancer:
    """Routes requests to servers with one of four strategies, skipping servers marked down.

    Strategies:
    - "round_robin": the servers form a ring in the order they were added. A cursor rests
      on the last server returned (before the first one at the start); each call moves it
      forward to the next healthy server and returns that server.
    - "weighted_round_robin": nginx's smooth algorithm. On each call every healthy server's
      `current` grows by its weight; the server with the largest `current` is chosen (ties:
      the one added first) and its `current` drops by the total weight of the healthy
      servers. Weights 5, 1, 1 for a, b, c give a a b a c a a, again and again.
    - "least_connections": the healthy server with the fewest requests in flight (ties: the
      one added first); routing counts one more in flight, `release` one fewer.
    - "ip_hash": `request["client_ip"]` picks the server, the same one in every process.
    """

    def __init__(self, strategy: str = "round_robin") -> None:
        """Creates an empty pool. Any strategy not in STRATEGIES raises ValueError."""
        # TODO: check the strategy and set up the pool
        raise NotImplementedError

    @property
    def servers(self) -> list[str]:
        """The servers in the order they were added, healthy or not."""
        # TODO: return the names, in insertion order
        raise NotImplementedError

    def add_server(self, server: str, weight: int = 1) -> None:
        """Adds a server at the end of the ring, healthy.

        A name already in the pool, or a weight below 1, raises ValueError.
        A server added later starts with `current` at 0.
        """
        # TODO: add the server
        raise NotImplementedError

    def remove_server(self, server: str) -> None:
        """Removes a server; an unknown name raises KeyError.

        If the cursor rests on it, the cursor stays in its place: the next call returns
        the server that followed the removed one.
        """
        # TODO: remove the server without disturbing the rotation
        raise NotImplementedError

    def mark_down(self, server: str) -> None:
        """Takes a server out of rotation (it keeps its place and state); unknown: KeyError.

        Marking servers down or up never resets the rotation.
        """
        # TODO: mark the server unhealthy
        raise NotImplementedError

    def mark_up(self, server: str) -> None:
        """Puts a server back into rotation; unknown: KeyError."""
        # TODO: mark the server healthy
        raise NotImplementedError

    def route_request(self, request: dict | None = None) -> str:
        """Returns the server for this request, by the balancer's strategy.

        No healthy server raises NoHealthyServerError. For "ip_hash", a missing request
        or a request without "client_ip" raises ValueError; when a server goes down only
        the clients that were on it move, and they return when it comes back up.
        """
        # TODO: pick a server with the strategy
        raise NotImplementedError

    def release(self, server: str) -> None:
        """Counts one request fewer in flight on `server` (never below zero); unknown: KeyError."""
        # TODO: release one request
        raise NotImplementedError
