"""Mechanical mutations of a Python reference: one small change per mutant, found on the AST.

The operators follow mutmut and cosmic-ray (comparison, arithmetic, augmented assignment,
constants, boolean operators, dropped statements, swapped call arguments, break/continue,
return values). Each mutant is the reference's text with one span replaced, so comments,
layout and every other line stay as the author wrote them.

A mutant's id is `<qualified name>:<operator>:<k>`: the k-th change of that operator inside
that function (or class body, or `<module>`), so editing one function leaves the ids of the
others as they were. Docstrings, annotations, f-strings, lines marked `# pragma: no mutate`
and the block under `if __name__ == "__main__":` are never mutated.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass

from harness import syntax

PRAGMA = re.compile(r"#.*pragma:\s*no\s*mutate", re.IGNORECASE)

OPERATORS = ("compare", "arith", "augassign", "number", "bool", "string", "assign_none",
             "boolop", "not", "statement", "args", "loop", "return")

_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
            ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
            ast.In: ast.NotIn, ast.NotIn: ast.In}
# mutmut's table: each operator becomes a near neighbour the tests should tell apart
_ARITH = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
          ast.FloorDiv: ast.Div, ast.Mod: ast.Div, ast.Pow: ast.Mult, ast.LShift: ast.RShift,
          ast.RShift: ast.LShift, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
          ast.BitXor: ast.BitAnd}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
           ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
           ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<",
           ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
# statements whose removal only breaks loading (NameError, SyntaxError), never behaviour
_KEPT = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
         ast.Global, ast.Nonlocal, ast.Pass)
_ELLIPSIS = "Expr(value=Constant(value=Ellipsis))"
# calls whose first two arguments commute: swapping them only makes equivalent mutants
_SYMMETRIC = {"min", "max"}
_SHOWN = 40  # characters of code quoted in a description


@dataclass(frozen=True)
class Mutant:
    """One mechanical change of a reference file: where it is, what it does, the new text."""

    id: str
    file: str
    line: int
    #: the first line of the statement holding the change: what coverage says ran or not
    statement_line: int
    description: str
    source: str


def mutants(source: str, file: str = "") -> list[Mutant]:
    """Every mutant of one Python file, in source order; each one compiles."""
    tree = syntax.parse(source, file or "<mutant>")
    finder = _Finder(source)
    finder.visit(tree)
    found = []
    counts: Counter[tuple[str, str]] = Counter()
    for change in finder.changes:
        text = _apply(source, finder.offsets, change)
        try:
            compile(text, file or "<mutant>", "exec")
        except SyntaxError:
            continue  # a change the language refuses is no mutant (e.g. `continue` in finally)
        counts[change.scope, change.operator] += 1
        found.append(Mutant(
            id=f"{change.scope}:{change.operator}:{counts[change.scope, change.operator]}",
            file=file, line=change.line, statement_line=change.statement_line,
            description=f"line {change.line}: {change.description}", source=text))
    return found


@dataclass
class _Change:
    scope: str
    operator: str
    line: int
    statement_line: int
    description: str
    span: tuple[int, int, int, int]  # lineno, col, end_lineno, end_col (UTF-8 bytes)
    text: str


class _Finder(ast.NodeVisitor):
    """Walks the tree in source order and records each possible change with its scope."""

    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.offsets = [0]
        for line in self.data.splitlines(keepends=True):
            self.offsets.append(self.offsets[-1] + len(line))
        # bytes split only where the tokenizer ends a line (str.splitlines also splits at \f)
        self.skipped = {n for n, line in enumerate(self.data.splitlines(), 1)
                        if PRAGMA.search(line.decode("utf-8"))}
        self.scope: list[str] = []
        self.statement_line = 0
        self.changes: list[_Change] = []

    # -- scopes and what is never mutated --------------------------------------------------

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body, docstring=True)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in node.decorator_list + node.bases + node.keywords:
            self.visit(child)
        self.scope.append(node.name)
        self._body(node.body, docstring=True)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for child in node.decorator_list:
            self.visit(child)
        # defaults run when the function is defined, in the enclosing scope; annotations skip
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(default)
        self.scope.append(node.name)
        self._body(node.body, docstring=True)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        pass  # positions inside f-strings are unreliable before Python 3.12

    def visit_arg(self, node: ast.arg) -> None:
        pass  # annotations only

    def visit_Raise(self, node: ast.Raise) -> None:
        pass  # the catalog bars suites from reading error messages: their text is free

    def generic_visit(self, node: ast.AST) -> None:
        for _name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self._body(value, docstring=False)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _body(self, body: list[ast.stmt], *, docstring: bool) -> None:
        for index, statement in enumerate(body):
            if docstring and index == 0 and _is_docstring(statement):
                continue
            if _is_main_guard(statement):
                continue
            outer = self.statement_line
            self.statement_line = statement.lineno
            if not isinstance(statement, _KEPT) and not _is_docstring(statement) \
                    and ast.dump(statement) != _ELLIPSIS:
                self._add(statement, "statement", self._dropped(statement), "pass")
            self.visit(statement)
            self.statement_line = outer

    def _dropped(self, statement: ast.stmt) -> str:
        start = self.offsets[statement.lineno - 1] + statement.col_offset
        if isinstance(statement, ast.If) and self.data[start:start + 4] == b"elif":
            # the `elif` node spans its branches to the end: all of them go
            test = _short(ast.unparse(statement.test))
            return f"'elif {test}:' dropped with the branches after it"
        return f"'{_first_line(statement)}' dropped"

    # -- the operators ------------------------------------------------------------------------

    def visit_Compare(self, node: ast.Compare) -> None:
        for index, op in enumerate(node.ops):
            new = _COMPARE.get(type(op))
            if new:
                ops = list(node.ops)
                ops[index] = new()
                self._add(node, "compare", f"'{_SYMBOL[type(op)]}' -> '{_SYMBOL[new]}'",
                          _paren(ast.Compare(node.left, ops, node.comparators)))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        new = _ARITH.get(type(node.op))
        if new:
            self._add(node, "arith", f"'{_SYMBOL[type(node.op)]}' -> '{_SYMBOL[new]}'",
                      _paren(ast.BinOp(node.left, new(), node.right)))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        new = _ARITH.get(type(node.op))
        if new:
            self._add(node, "augassign",
                      f"'{_SYMBOL[type(node.op)]}=' -> '{_SYMBOL[new]}='",
                      ast.unparse(ast.AugAssign(node.target, new(), node.value)))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(node, "bool", f"'{value}' -> '{not value}'", str(not value))
        elif isinstance(value, (int, float)):
            new = 1 if value == 0 else 0 if value == 1 else value + 1
            self._add(node, "number", f"'{value!r}' -> '{new!r}'", repr(new))
        elif isinstance(value, str) and value:
            self._add(node, "string", f"{_short(repr(value))} -> ''", "''")

    def visit_Assign(self, node: ast.Assign) -> None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            targets = " = ".join(ast.unparse(t) for t in node.targets)
            self._add(node.value, "assign_none",
                      f"'{_short(targets + ' = ' + ast.unparse(node.value))}' -> "
                      f"'{_short(targets)} = None'", "None")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        new = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        names = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        self._add(node, "boolop", f"'{names[0]}' -> '{names[1]}'",
                  _paren(ast.BoolOp(new, node.values)))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add(node, "not", f"'{_short(ast.unparse(node))}' -> "
                      f"'{_short(ast.unparse(node.operand))}'", _paren(node.operand))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        symmetric = isinstance(node.func, ast.Name) and node.func.id in _SYMMETRIC
        if len(positional) == len(node.args) >= 2 and not symmetric and \
                ast.dump(node.args[0]) != ast.dump(node.args[1]):
            args = [node.args[1], node.args[0], *node.args[2:]]
            swapped = ast.Call(node.func, args, node.keywords)
            self._add(node, "args", f"'{_short(ast.unparse(node))}' -> "
                      f"'{_short(ast.unparse(swapped))}'", _paren(swapped))
        self.generic_visit(node)

    def visit_Break(self, node: ast.Break) -> None:
        self._add(node, "loop", "'break' -> 'continue'", "continue")

    def visit_Continue(self, node: ast.Continue) -> None:
        self._add(node, "loop", "'continue' -> 'break'", "break")

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            self._add(node, "return", f"'{_first_line(node)}' -> 'return'", "return")
        self.generic_visit(node)

    # -- recording ----------------------------------------------------------------------------

    def _add(self, node: ast.stmt | ast.expr, operator: str, description: str,
             text: str) -> None:
        if node.lineno in self.skipped or self.statement_line in self.skipped:
            return
        if node.end_lineno is None or node.end_col_offset is None:
            raise ValueError(f"line {node.lineno}: a {type(node).__name__} node without an end "
                             "position; mutants are found on trees from ast.parse only")
        lines = node.end_lineno - node.lineno  # keep the line count: later lines stay put
        if lines and isinstance(node, ast.expr):
            text = f"({text}" + "\n" * lines + ")"
        self.changes.append(_Change(
            scope=".".join(self.scope) or "<module>", operator=operator, line=node.lineno,
            statement_line=self.statement_line or node.lineno, description=description,
            span=(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset),
            text=text))


def _apply(source: str, offsets: list[int], change: _Change) -> str:
    data = source.encode("utf-8")
    line, col, end_line, end_col = change.span
    start, end = offsets[line - 1] + col, offsets[end_line - 1] + end_col
    return (data[:start] + change.text.encode("utf-8") + data[end:]).decode("utf-8")


def _paren(node: ast.AST) -> str:
    """Parenthesised, so the new text binds as the old did wherever it stands."""
    return f"({ast.unparse(node)})"


def _is_docstring(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def _is_main_guard(statement: ast.stmt) -> bool:
    test = statement.test if isinstance(statement, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _first_line(node: ast.AST) -> str:
    return _short(ast.unparse(node).splitlines()[0])


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"

