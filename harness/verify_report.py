"""What `kata verify` found out about a kata: each claim and whether it held, each
known-wrong version and the tests that caught it, and the figures of the runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness import generated
from harness.result import Status


@dataclass
class Check:
    """One claim about a kata and whether it held."""

    name: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


NOT_APPLIED = "not applied"  # the status of a mutant whose mistake no longer fits the reference


@dataclass
class MutantVerdict:
    """A known-wrong version and the tests that caught it (none: it survived, or never ran)."""

    name: str
    killed_by: list[str]
    status: str  # the run's status, or NOT_APPLIED
    why: str = ""
    problem: str = ""  # why it did not count: it did not apply, or did not load
    catcher: str = ""  # the first test that failed, as mutants.toml's caught_by names it
    recorded: str | None = None  # mutants.toml's caught_by
    catcher_seconds: float = 0.0  # how long the catcher ran before it failed

    @property
    def unrecorded(self) -> bool:
        """Caught, but not by the test mutants.toml records (or none is): its run went
        through the suite instead of stopping at the first test (kata mutant record)."""
        return self.killed and self.catcher != self.recorded

    @property
    def killed(self) -> bool:
        """The run got to the tests and a hidden test failed; a mutant that does not load
        proves nothing about the suite."""
        return self.status == Status.FAIL.value and bool(self.killed_by)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "why": self.why, "killed": self.killed,
                "killed_by": self.killed_by, "status": self.status, "problem": self.problem,
                "caught_by": self.catcher, "recorded": self.recorded}


@dataclass
class KataVerification:
    """Everything `kata verify` found out about one kata."""

    slug: str
    checks: list[Check] = field(default_factory=list)
    mutants: list[MutantVerdict] = field(default_factory=list)
    repeat: int = 0
    reference_time: float = 0.0
    slowest_test: tuple[str, float] | None = None
    coverage: dict[str, Any] = field(default_factory=dict)
    generated: generated.GeneratedMutants | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        slowest = ({"name": self.slowest_test[0], "duration": round(self.slowest_test[1], 4)}
                   if self.slowest_test else None)
        return {"kata": self.slug, "ok": self.ok, "checks": [c.to_dict() for c in self.checks],
                "mutants": [m.to_dict() for m in self.mutants], "repeat": self.repeat,
                "reference_time": round(self.reference_time, 3), "slowest_test": slowest,
                "coverage": self.coverage,
                "generated": self.generated.to_dict() if self.generated else None}
