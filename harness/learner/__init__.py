"""What runs in the learner's process, and only that: standard library, nothing else of harness.

The grader (pytest, the plugin, the suites) never imports the learner's code. It starts
a learner process through `zygote`, which forks one `server` per request; the server
imports the learner's files and answers, through its `peer`, calls that arrive as
`protocol` messages (values in `codec`, one conversation per thread in `conversations`).
What the learner prints is kept by `output`; `switching` forces thread switches; `guard`
and `limits` confine the process. See docs/security.md for what crosses and what each
process can reach.
"""
