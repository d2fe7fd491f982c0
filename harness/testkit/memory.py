"""Memory the learner's process keeps alive, counted where it lives, without reading the
learner's private attributes: what 100,000 keys cost, and whether it goes away once they
are idle. Counted in allocated blocks (`sys.getallocatedblocks` there, after a garbage
collection): the process's every live object, the harness's messages too (freed once a
call is answered), so compare counts at a scale that dwarfs them (100,000 keys, not ten)."""

from __future__ import annotations

from typing import Any

from harness.testkit.process import probe


def learner_blocks(process: Any = None) -> int:
    """Memory blocks the learner's process (of `process`: a handle, or the current one) has
    allocated and not freed, after a garbage collection there; a difference of two counts
    is what the calls in between left alive::

        before = learner_blocks()
        call_each(limiter, "allow", [(f"k{i}",) for i in range(100_000)])
        kept = learner_blocks() - before       # about 3 blocks per key stored
    """
    return int(probe("allocated_blocks", process=process))
