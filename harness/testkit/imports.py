"""Which modules the learner's module uses, for a rule such as "must not use `queue`".

A best-effort check, from three sides, none of which untrusted code cannot get around
(it can build a module name from pieces at run time): the source, parsed here with `ast`
(every `import` and `from ... import`, at any depth, and every call of `__import__`,
`importlib.import_module` or `importlib.__import__` with a constant name); the module's
globals in the learner's process (a module bound under any name, or a class or function
that comes from one: `Q = queue.Queue`); and, as the run-time complement, every module the
learner's process imported after the learner's files began to load.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Any

from harness import syntax
from harness.testkit.process import probe

_IMPORTERS = {"__import__", "import_module"}


@dataclasses.dataclass(frozen=True)
class Imports:
    """The modules one learner module uses, by where they were seen."""

    module: str
    source: frozenset[str]  # named in its source
    bound: frozenset[str]  # in its globals, by the module its values come from
    loaded: frozenset[str]  # imported in its process since it began to load

    def uses(self, name: str, *, loaded: bool = True) -> list[str]:
        """How the module uses module `name` (or a submodule of it): the evidence, one line
        each, empty when none was found. `loaded=False` leaves out the modules the process
        imported (which a library the learner may use can import too)."""
        seen = []
        for kind, names in (("imported in its source", self.source),
                            ("bound in its globals", self.bound),
                            ("imported by its process", self.loaded if loaded else ())):
            hits = sorted(n for n in names if n == name or n.startswith(name + "."))
            if hits:
                seen.append(f"{', '.join(hits)} ({kind})")
        return seen


def source_imports(source: str) -> set[str]:
    """Every module a source text imports, at any depth, with constant names."""
    try:
        tree = syntax.parse(source)
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            called = node.func
            name = (called.id if isinstance(called, ast.Name)
                    else called.attr if isinstance(called, ast.Attribute) else None)
            first = node.args[0]
            if name in _IMPORTERS and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.add(first.value)
    return found


def imported_modules(module: Any, process: Any = None) -> Imports:
    """The modules the learner's module `module` (a mirror module, or its name) uses::

        used = imported_modules(bounded_queue).uses("queue")
        assert not used, f"bounded_queue uses the queue module: {'; '.join(used)}"
    """
    name = module if isinstance(module, str) else module.__name__
    source = probe("module_source", name, process=process)
    bound = probe("module_globals", name, process=process)
    loaded = probe("loaded_modules", process=process)
    return Imports(name, frozenset(source_imports(source) if type(source) is str else ()),
                   frozenset(map(str, bound or ())), frozenset(map(str, loaded or ())))
