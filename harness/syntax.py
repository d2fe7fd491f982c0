"""Python source to a syntax tree, one tree at a time in this process.

CPython 3.11 keeps the AST constructor's recursion depth in the interpreter's state, shared
by every thread, and checks it once a tree is built: two threads building trees at once can
trip that check, and `ast.parse` raises `SystemError: AST constructor recursion depth
mismatch` (python/cpython#106905). A grading batch lays its workers out in threads, each
reading its suite's test functions from the source; `kata verify --repeat 20` of 20 katas
ended in that error. Every tree the harness builds goes through `parse`, under one lock.
"""

from __future__ import annotations

import ast
import threading

_ONE_AT_A_TIME = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse(source, filename)`, never while another thread of this process parses."""
    with _ONE_AT_A_TIME:
        return ast.parse(source, filename)
