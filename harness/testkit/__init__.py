"""Pieces for hidden suites, re-exported by `harness.testing` (import them from there):
CPU time of the learner's process (`cpu`), the modules its module uses (`imports`),
trusted functions made in its process (`functions`), parallelism observed and deadlocks
reported with the threads' stacks (`parallel`), and a seeded lossy network under a fake
clock (`lossy`). `process` finds the learner process a helper talks to."""
