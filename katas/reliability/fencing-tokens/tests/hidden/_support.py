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

    def told(self) -> str:
        return "what happened:\n  " + "\n  ".join(self.story)


def is_token(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
