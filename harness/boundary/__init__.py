"""The grader's side of the boundary: suites call the learner's code through mirrors.

In a grading run, `import load_balancer` in a suite gives a *mirror* module built
from the kata's stub (the trusted statement of the API), never from anything the
learner's process says. Its classes and functions forward each call as a message
to the learner's process (`harness.learner`); what comes back is plain data, a
stub dataclass rebuilt here from its fields, or a handle to one of the learner's
objects whose methods are forwarded in turn. Exceptions arrive as the stub's
exception class of that name, else the built-in of that name. A callable the test
passes in crosses as a callback the learner's code can call.

Each call waits at most until the running test's deadline; a call that does not
come back, or a learner process that dies, fails that test only: the process is
killed and a fresh one serves the next test.

The modules, in the order a call meets them: `mirror` (the stub's classes and functions,
and handles to the learner's objects), `peer` (the connection to one learner process:
calls, deadlines, what crosses), `frontier` (the run's learner processes, started
through `zygote`, the learner side's forking process) and `failures` (what a test sees
when a call fails for a reason of the learner's making).
"""
