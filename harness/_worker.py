"""A child that holds one implementation and runs operation sequences on it for `compare`.

Requests and answers are JSON lines on stdin/stdout. Each sequence runs on a fresh
instance; an outcome is ("ok", repr of the value) or ("raise", exception name).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import timeit

from harness import integrity, sandbox


def main(config_path: str) -> None:
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    sandbox.apply_in_child(config["limits"])
    work = config["work"]
    os.chdir(work)
    sys.path.append(work)
    modules = {}
    for name in config["modules"]:
        spec = importlib.util.spec_from_file_location(name, os.path.join(work, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        modules[name] = module
    integrity.install(integrity.Guard(work=work, run_dir=config["run_dir"],
                                      hidden=config["hidden"],
                                      allow_processes=config["allow_processes"],
                                      report=lambda reason: None))
    namespace = {name: module for name, module in modules.items()}
    for module in modules.values():
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    out = sys.stdout
    sys.stdout = sys.stderr  # the learner's prints must not corrupt the answers
    for line in sys.stdin:
        request = json.loads(line)
        if "benchmark" in request:
            answer = _benchmark(request["benchmark"], namespace)
        else:
            answer = {"outcomes": run_sequence(request, namespace)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


def run_sequence(request: dict, namespace: dict) -> list[list]:
    """Runs the operations on a fresh instance. The constructor is step 0 of the outcomes; an
    exception there ends the sequence, one from an operation is an outcome like any other."""
    outcomes = []
    target = None
    constructor = request.get("constructor")
    if constructor:
        try:
            target = namespace[constructor["name"]](*constructor["args"])
        except Exception as exc:
            return [["raise", _name(exc)]]
        outcomes.append(["ok", "<constructed>"])  # step 0 is the constructor, on both sides
    for name, args, is_property in request["ops"]:
        try:
            if target is None:
                value = namespace[name](*args)
            elif is_property:
                value = getattr(target, name)
            else:
                value = getattr(target, name)(*args)
            outcomes.append(["ok", _shown(value)])
        except Exception as exc:
            outcomes.append(["raise", _name(exc)])
    return outcomes


def _shown(value: object) -> str:
    try:
        return repr(value)
    except Exception as exc:  # a broken __repr__ is an outcome too
        return f"<repr raised {_name(exc)}>"


def _name(exc: BaseException) -> str:
    """The exception's class name: one the kata names, or else the builtin it derives from."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins" or _is_kata_module(cls.__module__):
            return cls.__name__
    return type(exc).__name__


def _is_kata_module(name: str) -> bool:
    module = sys.modules.get(name)
    path = getattr(module, "__file__", "") or ""
    return path.startswith(os.getcwd() + os.sep)


def _benchmark(spec: dict, namespace: dict) -> dict:
    """Times the kata's workload: the best of each repeat, in seconds per run."""
    scope = dict(namespace)
    try:
        times = timeit.repeat(spec["code"], setup=spec.get("setup", "pass"),
                              repeat=int(spec.get("repeat", 5)), number=int(spec.get("number", 1)),
                              globals=scope)
    except Exception as exc:
        return {"error": f"{_name(exc)}: {exc}"}
    return {"times": times}
