"""What the hidden tests of fencing-tokens share: a lock service on a fake clock that keeps
the story of every call, so a failure message can tell what happened before it."""

from fencing import LockService

from harness.testing import FakeClock


class Scene:
    """A LockService driven by a FakeClock; every call is written down with its time."""

    def __init__(self, start: float = 0.0) -> None:
        self.clock = FakeClock(start)
        self.locks = LockService(clock=self.clock)
        self.story: list[str] = []

    def at(self, t: float) -> None:
        self.clock.set(t)

    def _told(self, call: str, got: object) -> object:
        self.story.append(f"at t={self.clock.now:g}: {call} -> {got!r}")
        return got

    def acquire(self, owner: str, ttl: float):
        return self._told(f"acquire({owner!r}, ttl={ttl:g})", self.locks.acquire(owner, ttl))

    def renew(self, owner: str, token, ttl: float):
        return self._told(f"renew({owner!r}, {token!r}, ttl={ttl:g})",
                          self.locks.renew(owner, token, ttl))

    def release(self, owner: str, token) -> None:
        self._told(f"release({owner!r}, {token!r})", self.locks.release(owner, token))

    def overtaken(self):
        """'a' acquires at t=0 for 10 s and pauses; at t=11 'b' acquires; the clock is then
        at t=12, when 'a' wakes. Returns both tokens, 'a''s first."""
        old = self.acquire("a", 10)
        self.at(11)
        new = self.acquire("b", 10)
        self.at(12)
        return old, new

    def reacquired(self):
        """'a' acquires and releases at t=0, then acquires again at t=1; the clock is then
        at t=2. Returns both of 'a''s tokens, the released one first."""
        old = self.acquire("a", 10)
        self.release("a", old)
        self.at(1)
        new = self.acquire("a", 10)
        self.at(2)
        return old, new

    def told(self) -> str:
        return "what happened:\n  " + "\n  ".join(self.story)


def is_token(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
