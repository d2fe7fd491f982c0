"""The child process's entry: applies limits, loads the learner's code, runs pytest."""

from __future__ import annotations

import importlib
import json
import os
import sys

from harness import sandbox
from harness.feedback import Places, describe_load_error, describe_missing


def main(config_path: str) -> int:
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    sandbox.apply_in_child(config["limits"])

    import pytest

    from harness.plugin import Channel, Collector

    channel = Channel(config["fd"])
    places = Places(work=config["work"], suite=config["suite"])
    os.chdir(config["work"])
    sys.path.insert(0, config["work"])
    measure = _start_coverage(config) if config.get("coverage") else None
    try:
        if not _load_learner_modules(config, channel, places):
            return 0
        collector = Collector(channel, places, config["markers"], config["limits"]["test"])
        return int(pytest.main(config["pytest_args"], plugins=[collector]))
    finally:
        if measure is not None:
            channel.send("coverage", files=_stop_coverage(measure, config, places))


def _start_coverage(config: dict):
    """Measures lines and branches of the learner's files only, from before they load."""
    import coverage

    measure = coverage.Coverage(data_file=None, branch=True, config_file=False,
                                include=[os.path.join(config["work"], "*")])
    measure.start()
    return measure


def _stop_coverage(measure, config: dict, places: Places) -> dict:
    """Summarises what the suite ran of each learner file: missing lines and branches."""
    measure.stop()
    report = os.path.join(config["coverage"])
    measure.json_report(outfile=report, show_contexts=False)
    with open(report, encoding="utf-8") as handle:
        files = json.load(handle).get("files", {})
    return {
        places.clean(os.path.realpath(name)): {
            "summary": data["summary"],
            "missing_lines": data.get("missing_lines", []),
            "missing_branches": data.get("missing_branches", []),
        }
        for name, data in files.items()
    }


def _load_learner_modules(config: dict, channel, places: Places) -> bool:
    """Imports the learner's modules once, so a broken file is explained, not a crash."""
    for module_name, expected in config["modules"].items():
        module_file = os.path.join(config["work"], module_name + ".py")
        try:
            module = importlib.import_module(module_name)
        except BaseException as exc:  # anything at import time is the learner's to fix
            channel.send("load_error", message=describe_load_error(exc, places, module_file))
            return False
        missing = [name for name in expected if not hasattr(module, name)]
        if missing:
            channel.send("load_error", message=describe_missing(module_file, missing))
            return False
    return True
