"""The package's layout, read from its source (AST only, no import, no subprocess): what the
learner side may import, who may import the command line, who may print or exit (and, in the
command line, that `main` alone exits), and that harness's modules import one another without
a cycle."""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "harness"
LEARNER_SIDE = PACKAGE / "learner"
MODULES = sorted(PACKAGE.rglob("*.py"))
# coverage is imported in the learner's process under `kata verify` only, to measure there
ALLOWED_OUTSIDE_STDLIB = {"server.py": {"coverage"}}
# the command line is a package of its own (its modules import one another); `python -m
# harness` runs it
CLI = PACKAGE / "cli"
MAY_USE_CLI = {PACKAGE / "__main__.py", *CLI.rglob("*.py")}


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, at any depth (in functions too), as absolute dotted names;
    `from P import x` yields P.x as well as P, since x may be a module."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("path", sorted(LEARNER_SIDE.glob("*.py")), ids=lambda p: p.name)
def test_the_learner_side_imports_only_the_standard_library_and_itself(path):
    allowed = ALLOWED_OUTSIDE_STDLIB.get(path.name, set())
    for line, name in _imports(path):
        top = name.split(".")[0]
        if _within(name, "harness.learner") or top in sys.stdlib_module_names or top in allowed:
            continue
        pytest.fail(f"harness/learner/{path.name}:{line} imports {name}: what runs in the "
                    "learner's process may import only the standard library and harness.learner")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_imports_the_command_line(path):
    if path in MAY_USE_CLI:
        return
    for line, name in _imports(path):
        assert not _within(name, "harness.cli"), (
            f"{path.relative_to(ROOT)}:{line} imports {name}: only the command line's entry "
            "points (harness/__main__.py, the `kata` script) may; put what is shared elsewhere")


def _prints_or_exits(tree: ast.Module) -> list[tuple[int, str]]:
    """Real calls and names only: `sys.exit` inside a string (the runner's boot code) is text."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                found.append((node.lineno, "print()"))
            elif node.func.id in ("exit", "quit"):  # the builtins, or `from sys import exit`
                found.append((node.lineno, f"{node.func.id}()"))
        elif (isinstance(node, ast.Attribute) and node.attr == "exit"
              and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append((node.lineno, "sys.exit"))
        elif isinstance(node, ast.Name) and node.id == "SystemExit":
            found.append((node.lineno, "SystemExit"))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_command_line_prints_or_exits(path):
    if path.is_relative_to(CLI):
        return
    found = _prints_or_exits(_tree(path))
    assert not found, (
        f"{path.relative_to(ROOT)} " + ", ".join(f"line {n}: {what}" for n, what in found)
        + ": only harness/cli/ writes to the terminal and chooses the exit code; "
        "return a value or raise a KataError instead")


# the parent side: the only code that starts the grader's and the learner's processes
STARTS_PROCESSES = {"runner.py", "forkserver.py", "sequences.py"}


def _starts_processes(tree: ast.Module) -> list[int]:
    """Lines that call `strays.start`/`strays.started` or `subprocess.Popen` itself."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in {("strays", "start"),
                                                          ("strays", "started"),
                                                          ("subprocess", "Popen")}]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_parent_side_starts_processes(path):
    if path.parent == PACKAGE and path.name in STARTS_PROCESSES | {"strays.py"}:
        return
    found = _starts_processes(_tree(path))
    assert not found, (
        f"{path.relative_to(ROOT)} starts a process (line {', '.join(map(str, found))}): only "
        f"the parent side ({', '.join(sorted(STARTS_PROCESSES))}) starts the grader's and the "
        "learner's processes, through harness.strays")


def test_the_process_check_sees_the_calls():
    tree = ast.parse("strays.start(['x'])\nsubprocess.Popen(['y'])\nstrays.release(p)\n")
    assert _starts_processes(tree) == [1, 2]


def test_the_check_sees_real_calls_and_not_strings():
    tree = ast.parse('BOOT = "import sys; sys.exit(main())"\n'
                     'def f():\n    print("x")\n    raise SystemExit(2)\n')
    assert [what for _, what in _prints_or_exits(tree)] == ["print()", "SystemExit"]


def _builds_trees(tree: ast.Module) -> list[int]:
    """Lines that build a syntax tree without harness.syntax: `ast.parse(...)`, or
    `compile(...)` asked for a tree (a flags argument, PyCF_ONLY_AST)."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
         and (node.func.value.id, node.func.attr) == ("ast", "parse"))
        or (isinstance(node.func, ast.Name) and node.func.id == "compile"
            and (len(node.args) > 3 or any(k.arg == "flags" for k in node.keywords))))]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_syntax_trees_are_built_one_at_a_time(path):
    """CPython 3.11 shares the AST constructor's recursion counter between threads (see
    harness/syntax.py): a grading batch's threads parsing at once raised SystemError."""
    if path == PACKAGE / "syntax.py":
        return
    found = _builds_trees(_tree(path))
    assert not found, (
        f"{path.relative_to(ROOT)} builds a syntax tree itself (line "
        f"{', '.join(map(str, found))}): use harness.syntax.parse, which holds the lock that "
        "keeps two threads from building trees at once")


def test_the_tree_check_sees_parses_and_tree_compiles_only():
    tree = ast.parse("ast.parse(s)\ncompile(s, 'f', 'exec')\n"
                     "compile(s, 'f', 'exec', ast.PyCF_ONLY_AST)\nsyntax.parse(s)\n")
    assert _builds_trees(tree) == [1, 3]


def _exits_outside_main(tree: ast.Module, main_may: bool) -> list[tuple[int, str]]:
    """Exits and reads of `.exit_code`, but those inside a top-level `main` when `main_may`."""
    mains = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"]
    inside = {line for node in mains if main_may
              for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    found = [(n, what) for n, what in _prints_or_exits(tree) if what != "print()"]
    found += [(node.lineno, ".exit_code") for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and node.attr == "exit_code"]
    return sorted((n, what) for n, what in found if n not in inside)


@pytest.mark.parametrize("path", sorted(CLI.rglob("*.py")), ids=lambda p: p.name)
def test_in_the_command_line_only_main_exits_and_reads_exit_codes(path):
    """A command returns its exit code or raises a KataError; `harness.cli.main` alone exits,
    and alone turns a KataError into its code (DESIGN.md, contracts: exit codes)."""
    found = _exits_outside_main(_tree(path), main_may=path == CLI / "__init__.py")
    assert not found, (
        f"{path.relative_to(ROOT)} " + ", ".join(f"line {n}: {what}" for n, what in found)
        + ": a command returns EXIT_OK/EXIT_FAIL or raises a KataError; only main() in "
        "harness/cli/__init__.py exits")


def test_the_exit_rule_lets_main_exit_and_nothing_else():
    tree = ast.parse("def main():\n    sys.exit(exc.exit_code)\n"
                     "def check():\n    raise SystemExit(2)\n"
                     "def grade():\n    return error.exit_code\n")
    assert _exits_outside_main(tree, main_may=True) == [(4, "SystemExit"), (6, ".exit_code")]
    assert len(_exits_outside_main(tree, main_may=False)) == 4


def _top(name: str) -> str | None:
    """The top-level module of harness that `name` is in (harness.learner counts as one)."""
    parts = name.split(".")
    if parts[0] != "harness" or len(parts) < 2:
        return None
    top = f"harness.{parts[1]}"
    exists = (PACKAGE / f"{parts[1]}.py").exists() or (PACKAGE / parts[1]).is_dir()
    return top if exists else None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = _top(_name(path))
        if me is None:  # harness/__init__.py
            continue
        edges = graph.setdefault(me, set())
        edges.update(t for _, name in _imports(path) if (t := _top(name)) not in (None, me))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as its path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_cycle_finder_reports_the_path():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_harness_modules_import_one_another_without_a_cycle():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# what the docs point readers at: other docs, the package's modules, links
_NAMED_FILE = re.compile(r"\b((?:docs|harness|bench|\.ci|material)/[\w./-]*\w)")
_LINK = re.compile(r"\]\(([^)#\s]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_docs_name_only_files_that_exist(doc):
    text = doc.read_text(encoding="utf-8")
    named = set(_NAMED_FILE.findall(text)) | {
        link for link in _LINK.findall(text) if "://" not in link}
    missing = sorted(p for p in named
                     if not (ROOT / p).exists() and not (doc.parent / p).exists())
    assert not missing, f"{doc.relative_to(ROOT)} names files that do not exist: {missing}"
