"""The grader process: applies limits, opens the boundary to the learner's process, runs
pytest on the suites. It never imports the learner's files.

The suites are collected first, against the stub's mirrors, before any learner process
exists; where pytest would start running tests, the run begins: it gets its channel and
learner side and loads the learner's files there. A single run (`main`) does that in
place; a batch worker's prepared grader (`harness.grader_forks`) collects once and forks
one grader per run at that point, which goes on from `begin` the same way.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from harness import sandbox
from harness.errors import HarnessError
from harness.feedback import Places, describe_learner_load
from harness.grader_layout import helpers_folder

if TYPE_CHECKING:
    from harness.boundary.frontier import Boundary
    from harness.channel import Channel
    from harness.plugin import Collector


def main(config_path: str) -> NoReturn:
    """One run: the setup and the run's own fields come in one config file."""
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    sandbox.apply_in_child(config["limits"])

    import pytest
    import pytest_timeout  # noqa: F401

    collector, frontier = prepare(config)
    start = _Start(config, collector, frontier)
    pytest.hookimpl(tryfirst=True)(_Start.pytest_runtestloop)
    code = 0
    try:
        code = int(pytest.main(config["pytest_args"], plugins=[collector, start]))
    finally:
        if frontier is not None and config.get("coverage") and start.channel is not None:
            _send_coverage(frontier, start.channel)
    leave(code)


def prepare(setup: dict) -> tuple[Collector, Boundary | None]:
    """The plugin that reports outcomes, and the boundary whose mirror modules the suites
    import, both made before any run has a channel or a learner side."""
    from harness.plugin import Collector

    os.chdir(setup["suite"])
    # a hidden suite's own helper modules (tests/hidden/_*.py) import by name, like a test
    # folder's under pytest's default import mode; --import-mode=importlib does not add it
    sys.path.insert(0, str(helpers_folder(setup["suite"])))
    frontier = _boundary(setup) if setup["stubs"] else None
    places = Places(work=setup["placeholder_work"], suite=setup["suite"])
    collector = Collector(None, places, setup["markers"], setup["limits"]["test"])
    return collector, frontier


class _Start:
    """The pytest plugin of a single run: where the tests would run, the run begins."""

    def __init__(self, config: dict, collector: Collector, frontier: Boundary | None) -> None:
        self.config, self.collector, self.frontier = config, collector, frontier
        self.channel: Channel | None = None

    def pytest_runtestloop(self, session: Any) -> None:
        self.channel = begin(self.config, self.collector, self.frontier,
                              self.config["fd"], self.config.get("zygote"), session.items)


def begin(config: dict, collector: Collector, frontier: Boundary | None, channel_fd: int,
          zygote_fd: int | None, items: list) -> Channel:
    """Gives the collected suites (`items`) the run's channel and learner side, and loads
    the learner's files before any test runs; a file that does not load ends the run.
    The tests the run names `first` go before the others."""
    from harness.channel import Channel
    from harness.plugin import run_first

    channel = Channel(channel_fd)
    places = Places(work=config["work"], suite=config["suite"])
    os.chdir(config["work"])  # a SQL kata's suite reads the learner's schema.sql as data
    if frontier is not None:
        from harness.boundary.zygote import Zygote

        if zygote_fd is None:
            raise HarnessError("the run's suites call the learner's code, but the parent "
                               "passed no socket to its learner side")
        frontier.attach(Zygote(zygote_fd))
        if not _load(frontier, config, channel, places):
            leave(0)
    collector.attach(channel, places, frontier, config["shared_tmp"],
                     first_failure=bool(config.get("first_failure")))
    run_first(items, config.get("first") or ())
    return channel


def _boundary(setup: dict) -> Boundary:
    """The boundary and its mirror modules, installed for the suites to import; its learner
    side is attached when the run begins."""
    from harness.boundary import frontier as boundary
    from harness.boundary.mirror import Stub

    stubs = {name: Stub.load(name, path) for name, path in setup["stubs"].items()}
    frontier = boundary.Boundary(None, stubs, float(setup["limits"]["test"]))
    boundary.install(frontier)
    return frontier


def _load(frontier: Boundary, config: dict, channel: Channel, places: Places) -> bool:
    """Starts the first learner process and loads the learner's files there; a file that
    does not load is reported as data, and the run ends."""
    from harness.boundary.failures import BoundaryFailure

    frontier.alarm = lambda reason: channel.send("integrity", reason=reason)
    # The first load is the run's to time: an endless loop at import is the whole run's
    # timeout, which the parent enforces (and stretches while the machine is busy).
    frontier.load_seconds = float(config["limits"]["wall"]) * 4 + 20
    try:
        frontier.current()
    except BoundaryFailure:
        problem = frontier.load_problem or {"crash": "it did not start"}
        channel.send("load_error", message=describe_learner_load(problem, places),
                     timed_out="timeout" in problem)
        return False
    frontier.load_seconds = max(frontier.limit, 10.0)
    return True


def _send_coverage(frontier: Boundary, channel: Channel) -> None:
    """What the suites ran of each learner file, as measured in the learner's process."""
    from harness.boundary.failures import BoundaryFailure

    try:
        files = frontier.current().control("coverage")
    except (BoundaryFailure, Exception):
        return
    if isinstance(files, dict):
        channel.send("coverage", files=files)


def leave(code: int) -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave at once: a thread a test left waiting must not keep the run alive.
    os._exit(code)
