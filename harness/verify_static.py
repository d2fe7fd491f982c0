"""The checks of `kata verify` that need no run: the files are there, every task has a hint,
the README and hints render, the stub and the reference expose the same API, and no author
TODO is left."""

from __future__ import annotations

import ast
from pathlib import Path

import jinja2

from harness import syntax, workspace
from harness.catalog import Kata
from harness.verify_report import Check

AUTHOR_TODO = "TODO(author)"


def static_checks(kata: Kata) -> list[Check]:
    """Files exist, every task has a hint, the README and hints render, the stub and
    reference expose the same API, and no author TODO is left."""
    checks = [_files_check(kata)]
    if not checks[0].ok:
        return checks
    checks.append(_hints_check(kata))
    checks.append(_render_check(kata))
    checks.append(_api_check(kata))
    checks.append(_todo_check(kata))
    return checks


def _files_check(kata: Kata) -> Check:
    needed = [kata.readme_template, kata.notes, kata.hidden_dir]
    needed += [kata.stub_dir / n for n in kata.files]
    needed += [kata.solution_path / n for n in kata.files]
    missing = [str(p) for p in needed if not p.exists()]
    if not list(kata.hidden_dir.glob("test_*.py")) and kata.hidden_dir.is_dir():
        missing.append(f"{kata.hidden_dir}/test_*.py")
    if missing:
        return Check("files", False, "missing: " + ", ".join(missing))
    return Check("files", True, f"kata.toml valid; {len(needed)} files present")


def _hints_check(kata: Kata) -> Check:
    """`kata hint` gives the hints of the task the learner is on: each task needs one."""
    bare = [task for task in kata.tasks if not task.hints]
    if bare:
        named = "; ".join(f"task {t.id}, {t.title}" for t in bare)
        return Check("hints", False, f"no hint for {named}: add hints = [\"...\"] to its "
                                     f"[[tasks]] table in {kata.path / 'kata.toml'}")
    count = sum(len(task.hints) for task in kata.tasks)
    return Check("hints", True, f"every task has a hint ({count} in all)")


def _render_check(kata: Kata) -> Check:
    try:
        workspace.render_readme(kata)
    except jinja2.TemplateError as exc:
        return Check("renders", False, f"README.md.j2: {exc}")
    count = 0
    for task in kata.tasks:
        for number, hint in enumerate(task.hints, start=1):
            try:
                workspace.render_text(hint, kata)
            except jinja2.TemplateError as exc:
                return Check("renders", False,
                             f"hint {number} of task {task.id}, {task.title}: {exc}")
            count += 1
    return Check("renders", True, f"README.md.j2 and {count} hints render")


def api_of(path: Path) -> dict[str, str]:
    """The public API a Python file defines: each name with its signature, methods included."""
    api: dict[str, str] = {}
    tree = syntax.parse(path.read_text(encoding="utf-8"), str(path))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _public(node.name):
            api[node.name] = _signature(node)
        elif isinstance(node, ast.ClassDef) and _public(node.name):
            api[node.name] = "class(" + ", ".join(ast.unparse(b) for b in node.bases) + ")"
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                        _public(item.name) or _dunder(item.name)):
                    api[f"{node.name}.{item.name}"] = _signature(item)
    return api


def _public(name: str) -> bool:
    return not name.startswith("_")


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Parameter names, kinds and defaults; annotations are left out (they may differ)."""
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts = [a.arg + (f"={ast.unparse(d)}" if d is not None else "")
             for a, d in zip(positional, defaults, strict=True)]
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        parts.append("*")
    parts += [a.arg + (f"={ast.unparse(d)}" if d is not None else "")
              for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    decorators = "".join(f"@{ast.unparse(d)} " for d in node.decorator_list)
    return f"{decorators}({', '.join(parts)})"


def _api_check(kata: Kata) -> Check:
    problems = []
    for name in kata.files:
        if not name.endswith(".py"):
            continue
        stub, reference = api_of(kata.stub_dir / name), api_of(kata.solution_path / name)
        for key in sorted(stub.keys() | reference.keys()):
            if key not in reference:
                problems.append(f"{name}: {key} is in the stub but not in the reference")
            elif key not in stub:
                problems.append(f"{name}: {key} is in the reference but not in the stub")
            elif stub[key] != reference[key]:
                problems.append(f"{name}: {key} is {stub[key]} in the stub, "
                                f"{reference[key]} in the reference")
    if problems:
        return Check("same API", False, "; ".join(problems))
    return Check("same API", True, "the stub and the reference define the same public names")


def _todo_check(kata: Kata) -> Check:
    """Authors' TODOs left by `kata new` (the stub's TODOs are for learners and stay)."""
    places = [p for p in kata.path.rglob("*") if p.is_file() and kata.stub_dir not in p.parents]
    places += [p for p in kata.solution_path.rglob("*") if p.is_file()]
    found = []
    for path in sorted(places):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        found += [f"{path.name}:{n}" for n, line in enumerate(lines, 1) if AUTHOR_TODO in line]
    if found:
        return Check("no author TODOs", False, f"{len(found)} left: " + ", ".join(found[:10]))
    return Check("no author TODOs", True, "none left")
