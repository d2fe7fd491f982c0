"""A correct alternative: parallel lists, a name-based cursor, consistent hashing for ip_hash."""

import bisect
import hashlib

STRATEGIES = ("round_robin", "weighted_round_robin", "least_connections", "ip_hash")


class NoHealthyServerError(RuntimeError):
    """Raised when no healthy server can take the request."""


def _point(text):
    return int(hashlib.md5(text.encode()).hexdigest(), 16)


class LoadBalancer:
    def __init__(self, strategy="round_robin"):
        if strategy not in STRATEGIES:
            raise ValueError(strategy)
        self.strategy = strategy
        self.names, self.weights, self.up = [], [], []
        self.current, self.busy = [], []
        self.last = None  # name of the last server returned
        self.follower = None  # set when the last server returned was removed
        self.wraps = False  # that server was the last of the ring: a new one takes its place

    @property
    def servers(self):
        return list(self.names)

    def add_server(self, server, weight=1):
        if server in self.names or weight < 1:
            raise ValueError(server)
        if self.follower is not None and self.wraps:
            self.follower, self.wraps = server, False
        for column, value in ((self.names, server), (self.weights, weight), (self.up, True),
                              (self.current, 0), (self.busy, 0)):
            column.append(value)

    def _index(self, server):
        if server not in self.names:
            raise KeyError(server)
        return self.names.index(server)

    def remove_server(self, server):
        i = self._index(server)
        if server in (self.last, self.follower):  # the cursor stays in the removed one's place
            self.wraps = i == len(self.names) - 1 or (server == self.follower and self.wraps)
            self.last = None
            self.follower = self.names[(i + 1) % len(self.names)] if len(self.names) > 1 else None
        for column in (self.names, self.weights, self.up, self.current, self.busy):
            del column[i]

    def mark_down(self, server):
        self.up[self._index(server)] = False

    def mark_up(self, server):
        self.up[self._index(server)] = True

    def release(self, server):
        i = self._index(server)
        self.busy[i] = max(0, self.busy[i] - 1)

    def route_request(self, request=None):
        if self.strategy == "ip_hash":
            if request is None or "client_ip" not in request:
                raise ValueError("client_ip")
        healthy = [i for i, ok in enumerate(self.up) if ok]
        if not healthy:
            raise NoHealthyServerError()
        if self.strategy == "round_robin":
            return self._round_robin()
        if self.strategy == "weighted_round_robin":
            total = sum(self.weights[i] for i in healthy)
            for i in healthy:
                self.current[i] += self.weights[i]
            best = healthy[0]
            for i in healthy:
                if self.current[i] > self.current[best]:
                    best = i
            self.current[best] -= total
            return self.names[best]
        if self.strategy == "least_connections":
            best = healthy[0]
            for i in healthy:
                if self.busy[i] < self.busy[best]:
                    best = i
            self.busy[best] += 1
            return self.names[best]
        ring = sorted((_point(f"{self.names[i]}#{v}"), self.names[i])
                      for i in healthy for v in range(64))
        key = _point(str(request["client_ip"]))
        at = bisect.bisect(ring, (key, "")) % len(ring)
        return ring[at][1]

    def _round_robin(self):
        n = len(self.names)
        if self.follower is not None:
            start = self.names.index(self.follower)
            self.follower = None
        elif self.last is None:
            start = 0
        else:
            start = self.names.index(self.last) + 1
        for step in range(n):
            i = (start + step) % n
            if self.up[i]:
                self.last = self.names[i]
                return self.last
        raise NoHealthyServerError()
