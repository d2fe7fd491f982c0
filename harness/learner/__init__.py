"""What runs in the learner's process, and only that: standard library, nothing else of harness.

The grader (pytest, the plugin, the suites) never imports the learner's code. It starts
a learner process through `zygote`, which forks one `server` per request; the server
imports the learner's files and answers calls that arrive as `protocol` messages. See
docs/security.md for what crosses and what each process can reach.
"""
