"""The pytest plugin loaded in the grader process: records per-test outcomes and sends them as data.

The hooks only record; messages are built by `feedback`, and the parent decides verdicts.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.channel import Channel
from harness.feedback import Places, cut, cut_output, describe_failure, ran_out_of_time
from harness.grader_layout import SUITES, helpers_folder

_PHASES = ("setup", "call", "teardown")


def human_name(function: str, cls: str | None, param: str | None) -> str:
    """Turns `TestRoundRobin::test_skips_down[x]` into "round robin > skips down [x]"."""
    words = function.removeprefix("test_").replace("_", " ").strip()
    if cls:
        title = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.removeprefix("Test")).lower().strip()
        if title:
            words = f"{title} > {words}"
    return f"{words} [{param}]" if param else words


def _brief_failure(excinfo: pytest.ExceptionInfo) -> str:
    return f"{excinfo.typename}: {excinfo.exconly()[:500]}"


class Collector:
    """Collects what happens to each test and sends it over the channel.

    A grader prepared once for many runs collects before any run has a channel: what
    collection reports waits in `_pending` until `attach` gives the run's channel.
    """

    def __init__(self, channel: Channel | None, places: Places, markers: list[str],
                 timeout: float | None = None, boundary: Any = None,
                 shared_tmp: str | None = None) -> None:
        self.boundary = boundary
        self.shared_tmp = shared_tmp
        self.channel = channel
        self.places = places
        self.markers = set(markers)
        self.timeout = timeout
        self._phases: dict[str, dict[str, Any]] = {}
        self._messages: dict[str, str] = {}
        self._timed_out: set[str] = set()  # the tests that ran out of time
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self.first_failure = False
        self.failed = False  # a test of the suites (not a control test) has failed

    def pytest_configure(self, config: pytest.Config) -> None:
        """A hidden suite's helper modules (tests/hidden/_*.py, imported by name) get
        pytest's assertion rewriting as its test modules do, so that an `assert` in one
        explains itself (what was compared) the same way."""
        hidden = helpers_folder(self.places.suite)
        names = sorted(path.stem for path in hidden.glob("_*.py")) if hidden.is_dir() else []
        if names:
            config.pluginmanager.rewrite_hook.mark_rewrite(*names)

    def attach(self, channel: Channel, places: Places, boundary: Any,
               shared_tmp: str | None, first_failure: bool = False) -> None:
        """Gives a prepared grader the run it now serves, and sends what collection found.
        With `first_failure`, the suites' tests after the first that fails are skipped."""
        self.channel, self.places = channel, places
        self.boundary, self.shared_tmp = boundary, shared_tmp
        self.first_failure = first_failure
        for event, data in self._pending:
            channel.send(event, **data)
        self._pending.clear()

    def _send(self, event: str, **data: Any) -> None:
        if self.channel is None:
            self._pending.append((event, data))
        else:
            self.channel.send(event, **data)

    @pytest.fixture
    def tmp_path(self, tmp_path_factory: pytest.TempPathFactory) -> Path:
        """A fresh folder the learner's process can also reach (object stores write there)."""
        if not self.shared_tmp:
            return tmp_path_factory.mktemp("t")
        path = Path(tempfile.mkdtemp(prefix="t", dir=self.shared_tmp))
        os.chmod(path, 0o777)
        return path

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if self.first_failure and self.failed and _in_suites(item.nodeid):
            pytest.skip("not run: an earlier test failed, and this run stops at the first")

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        if self.boundary is not None:
            self.boundary.begin_test()

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        if self.boundary is not None:
            self.boundary.end_test()

    def describe(self, item: pytest.Item) -> dict[str, Any]:
        tasks = sorted({m.name for m in item.iter_markers() if m.name in self.markers})
        cls = getattr(item, "cls", None)
        callspec = getattr(item, "callspec", None)
        function = getattr(item, "originalname", item.name)
        return {
            "id": item.nodeid,
            "function": function,
            "name": human_name(function, cls.__name__ if cls else None,
                               callspec.id if callspec else None),
            "markers": tasks,
            "visible": "visible/" in item.nodeid,
        }

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # pytest formats a long traceback for every failure; the harness builds its own
        # message (feedback.describe_failure), so the costly one is skipped.
        for item in items:
            if isinstance(item, pytest.Function):
                item.repr_failure = _brief_failure  # type: ignore[method-assign]

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._send("collected", tests=[self.describe(i) for i in session.items])

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            text = self.places.clean(str(report.longreprtext))
            self._send("collect_error", id=report.nodeid, message=cut(text, 3_000))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        excinfo = call.excinfo
        if excinfo is not None and not report.skipped and item.nodeid not in self._messages:
            self._messages[item.nodeid] = describe_failure(
                excinfo.value, excinfo.tb, self.places, self.timeout
            )
            if ran_out_of_time(excinfo.value):
                self._timed_out.add(item.nodeid)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        state = self._phases.setdefault(report.nodeid, {"outcomes": {}, "duration": 0.0,
                                                         "output": []})
        state["outcomes"][report.when] = report.outcome
        state["duration"] += report.duration
        for title, text in report.sections:
            if title.startswith("Captured") and text:
                state["output"].append(text)
        if report.when == "teardown":
            self._finish(report.nodeid, state)

    def _finish(self, nodeid: str, state: dict[str, Any]) -> None:
        outcomes = state["outcomes"]
        if outcomes.get("setup") == "skipped" or outcomes.get("call") == "skipped":
            status = "skip"
        elif outcomes.get("setup") == "failed":
            status = "error"
        elif "failed" in outcomes.values():
            status = "fail"
        else:
            status = "pass"
        if status in ("fail", "error") and _in_suites(nodeid):
            self.failed = True
        output = "".join(dict.fromkeys(state["output"]))  # phases repeat earlier sections
        self._send(
            "test",
            id=nodeid,
            status=status,
            duration=state["duration"],
            message=self._messages.pop(nodeid, "") if status in ("fail", "error") else "",
            output=cut_output(self.places.clean(output)),
            timed_out=nodeid in self._timed_out,
        )
        del self._phases[nodeid]

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self._send("done", exitstatus=int(exitstatus))


def run_first(items: list[pytest.Item], ids: Sequence[str]) -> None:
    """Moves the suites' tests named in `ids` (node ids, in that order) before the suites'
    other tests, in place: a known-wrong version's recorded catcher runs first, so that a
    run stopping at its first failure stops there. The control tests keep their places."""
    wanted = {nodeid: n for n, nodeid in enumerate(ids)}
    chosen = sorted((i for i in items if i.nodeid in wanted), key=lambda i: wanted[i.nodeid])
    if not chosen:
        return
    slots = [n for n, item in enumerate(items) if _in_suites(item.nodeid)]
    suite = [items[n] for n in slots]
    ordered = chosen + [item for item in suite if item.nodeid not in wanted]
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


def _in_suites(nodeid: str) -> bool:
    """A test of the kata's suites; the control tests live in folders of random names."""
    return nodeid.split("/", 1)[0] in SUITES
