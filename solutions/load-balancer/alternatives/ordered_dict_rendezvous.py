"""A correct alternative: an OrderedDict of records, in-flight counts for every strategy."""

from collections import OrderedDict
from hashlib import blake2b

STRATEGIES = ("round_robin", "weighted_round_robin", "least_connections", "ip_hash")


class NoHealthyServerError(RuntimeError):
    """Raised when no healthy server can take the request."""


class LoadBalancer:
    def __init__(self, strategy: str = "round_robin") -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"bad strategy {strategy!r}")
        self._strategy = strategy
        self._pool: OrderedDict = OrderedDict()
        self._cursor = -1

    @property
    def servers(self) -> list:
        return [*self._pool]

    def add_server(self, server: str, weight: int = 1) -> None:
        if weight < 1:
            raise ValueError("weight")
        if server in self._pool:
            raise ValueError("duplicate")
        self._pool[server] = {"w": weight, "ok": True, "cur": 0, "busy": 0}

    def _rec(self, server):
        if server not in self._pool:
            raise KeyError(server)
        return self._pool[server]

    def remove_server(self, server: str) -> None:
        self._rec(server)
        index = [*self._pool].index(server)
        self._pool.pop(server)
        if index <= self._cursor:
            self._cursor -= 1

    def mark_down(self, server: str) -> None:
        self._rec(server)["ok"] = False

    def mark_up(self, server: str) -> None:
        self._rec(server)["ok"] = True

    def release(self, server: str) -> None:
        rec = self._rec(server)
        if rec["busy"]:
            rec["busy"] -= 1

    def route_request(self, request=None) -> str:
        names = [*self._pool]
        healthy = [n for n in names if self._pool[n]["ok"]]
        if self._strategy == "ip_hash":
            ip = (request or {}).get("client_ip")
            if ip is None:
                raise ValueError("no client_ip")
            if not healthy:
                raise NoHealthyServerError()
            chosen = max(healthy, key=lambda n: blake2b(f"{n}/{ip}".encode()).digest())
        elif not healthy:
            raise NoHealthyServerError()
        elif self._strategy == "round_robin":
            for step in range(1, len(names) + 1):
                i = (self._cursor + step) % len(names)
                if self._pool[names[i]]["ok"]:
                    self._cursor = i
                    chosen = names[i]
                    break
        elif self._strategy == "weighted_round_robin":
            for n in healthy:
                self._pool[n]["cur"] += self._pool[n]["w"]
            chosen = healthy[0]
            for n in healthy[1:]:
                if self._pool[n]["cur"] > self._pool[chosen]["cur"]:
                    chosen = n
            self._pool[chosen]["cur"] -= sum(self._pool[n]["w"] for n in healthy)
        else:
            chosen = min(healthy, key=lambda n: self._pool[n]["busy"])
        self._pool[chosen]["busy"] += 1
        return chosen
