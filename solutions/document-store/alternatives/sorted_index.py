"""Another design: queries compiled once into predicate closures, and each index a sorted
list searched with bisect, so that it answers ranges ($gt, $lte, ...) and $in as well as
equality. find() uses whichever served condition gives the fewest candidates."""

from __future__ import annotations

import bisect
import copy
import itertools
from collections.abc import Callable
from typing import Any

_NOTHING = object()
Predicate = Callable[[Any], bool]


def _lookup(doc: Any, path: str) -> Any:
    for step in path.split("."):
        if not isinstance(doc, dict):
            return _NOTHING
        doc = doc.get(step, _NOTHING)
        if doc is _NOTHING:
            return _NOTHING
    return doc


def _rank(value: Any) -> int:
    """Values sort by type first, as MongoDB brackets types: bool, numbers, strings."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return 1
    return 2


def _key(value: Any) -> tuple:
    return (_rank(value), value)


def _operators(condition: Any) -> bool:
    return isinstance(condition, dict) and len(condition) > 0 and all(
        str(key).startswith("$") for key in condition)


def _one(operator: str, operand: Any) -> Predicate:
    if operator == "$ne":
        return lambda value: value is _NOTHING or value != operand
    if operator == "$in":
        if not isinstance(operand, list):
            raise ValueError(f"$in expects a list, not {operand!r}")
        return lambda value: value is not _NOTHING and value in operand
    tests: dict[str, Predicate] = {
        "$gt": lambda value: value > operand, "$gte": lambda value: value >= operand,
        "$lt": lambda value: value < operand, "$lte": lambda value: value <= operand}
    if operator not in tests:  # pragma: no cover -- unknown operators are left free
        raise ValueError(f"unknown operator {operator!r}")
    test = tests[operator]
    return lambda value: value is not _NOTHING and test(value)


def _condition(condition: Any) -> Predicate:
    if not _operators(condition):
        return lambda value: value is not _NOTHING and value == condition
    parts = [_one(operator, operand) for operator, operand in condition.items()]
    return lambda value: all(part(value) for part in parts)


def compile_query(query: dict) -> Callable[[dict], bool]:
    """One closure per key, built once: find() then only calls them."""
    checks = [(path, _condition(condition)) for path, condition in query.items()]
    return lambda doc: all(check(_lookup(doc, path)) for path, check in checks)


class _SortedIndex:
    """Parallel sorted lists: keys[i] is the (rank, value) of the document ids[i]."""

    def __init__(self) -> None:
        self.keys: list[tuple] = []
        self.ids: list[str] = []

    def add(self, value: Any, doc_id: str) -> None:
        at = bisect.bisect_right(self.keys, _key(value))
        self.keys.insert(at, _key(value))
        self.ids.insert(at, doc_id)

    def remove(self, value: Any, doc_id: str) -> None:
        low = bisect.bisect_left(self.keys, _key(value))
        high = bisect.bisect_right(self.keys, _key(value))
        at = self.ids.index(doc_id, low, high)
        del self.keys[at]
        del self.ids[at]

    def serve(self, condition: Any) -> set[str] | None:
        """The ids that may match the condition, or None when it is not served ($ne)."""
        if not _operators(condition):
            return self._between(_key(condition), True, _key(condition), True)
        served: set[str] | None = None
        for operator, operand in condition.items():
            if operator == "$in" and isinstance(operand, list):
                ids = set().union(*(self.serve(item) or set() for item in operand))
            elif operator in ("$gt", "$gte"):
                ids = self._between(_key(operand), operator == "$gte",
                                    (_rank(operand) + 1,), False)
            elif operator in ("$lt", "$lte"):
                ids = self._between((_rank(operand),), True, _key(operand), operator == "$lte")
            else:
                continue
            served = ids if served is None else served & ids
        return served

    def _between(self, low: tuple, low_in: bool, high: tuple, high_in: bool) -> set[str]:
        start = (bisect.bisect_left if low_in else bisect.bisect_right)(self.keys, low)
        end = (bisect.bisect_right if high_in else bisect.bisect_left)(self.keys, high)
        return set(self.ids[start:end])


class DocumentStore:
    def __init__(self) -> None:
        self._docs: dict[str, dict] = {}
        self._indexes: dict[str, _SortedIndex] = {}
        self._counter = itertools.count(1)
        self._examined = 0

    def insert(self, doc: dict) -> str:
        doc_id = f"doc-{next(self._counter)}"
        self._docs[doc_id] = {**copy.deepcopy(doc), "_id": doc_id}
        self._reindex(doc_id, None, self._docs[doc_id])
        return doc_id

    def get(self, doc_id: str) -> dict | None:
        return copy.deepcopy(self._docs[doc_id]) if doc_id in self._docs else None

    def find(self, query: dict) -> list[dict]:
        keep = compile_query(query)
        best: set[str] | None = None
        for path, condition in query.items():
            if path in self._indexes:
                ids = self._indexes[path].serve(condition)
                if ids is not None and (best is None or len(ids) < len(best)):
                    best = ids
        chosen = list(self._docs.values()) if best is None else [self._docs[i] for i in best]
        self._examined += len(chosen)
        return [copy.deepcopy(doc) for doc in chosen if keep(doc)]

    def update(self, doc_id: str, changes: dict) -> None:
        old = self._docs[doc_id]  # KeyError for an unknown id
        new = {**old, **copy.deepcopy(changes)}
        self._reindex(doc_id, old, new)
        self._docs[doc_id] = new

    def delete(self, doc_id: str) -> None:
        if doc_id in self._docs:  # pragma: no branch -- deleting an unknown id is left free
            self._reindex(doc_id, self._docs.pop(doc_id), None)

    def create_index(self, field: str) -> None:
        if field not in self._indexes:
            index = self._indexes[field] = _SortedIndex()
            for doc_id, doc in self._docs.items():
                value = _lookup(doc, field)
                if value is not _NOTHING:
                    index.add(value, doc_id)

    @property
    def scanned(self) -> int:
        return self._examined

    def _reindex(self, doc_id: str, old: dict | None, new: dict | None) -> None:
        for field, index in self._indexes.items():
            before = _NOTHING if old is None else _lookup(old, field)
            after = _NOTHING if new is None else _lookup(new, field)
            if before is not _NOTHING:
                index.remove(before, doc_id)
            if after is not _NOTHING:
                index.add(after, doc_id)
