"""The learner's process: imports the learner's files and answers the grader's calls.

It holds no test, no pytest and no channel to the harness's parent: one socket to the
grader (`peer`), over which calls arrive and plain data goes back. What the learner
prints is kept for the grader (`output`); forced switching (`switching`, the seeded
tracer) runs here, on the learner's frames, while the grader asks for it.
"""

from __future__ import annotations

import os
import socket
import sys

from harness.learner import guard
from harness.learner.peer import LearnerPeer


def main(sock: socket.socket, config: dict) -> None:
    """Serves until the grader goes away, then ends the process at once (threads the
    learner left running must not keep it alive)."""
    work = config["work"]
    os.chdir(work)
    sys.path.append(work)
    peer = LearnerPeer(sock, config)
    sys.stdout = sys.stderr = peer.output
    guard.install(guard.Guard(work=work, run_dir=config["run_dir"], hidden=config["hidden"],
                              allow_processes=config["allow_processes"],
                              report=peer.alarms.append))
    if config.get("coverage"):
        import coverage  # the one package outside the standard library, for kata verify only

        measure = coverage.Coverage(data_file=None, branch=True, config_file=False,
                                    include=[os.path.join(work, "*")])
        measure.start()
        peer.coverage = (measure, config["coverage"])
    peer.start()
    peer.done.wait()
    os._exit(0)
