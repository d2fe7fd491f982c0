"""What the hidden tests of document-store share: an independent model of the query rules,
seeded documents, queries and changes, the bounds `scanned` may move by, and messages
that show the documents, the query, what came back and what was expected."""

from __future__ import annotations

import json
import random

NAMES = ["ann", "bob", "cy", "dee", "eve"]
CITIES = ["lima", "oslo", "rome"]
#: every path a generated query may test, with the values a query may use (each path's
#: values are of one type: the contract leaves comparisons across types free)
VALUES = {
    "name": NAMES + ["al", "zed"],
    "age": list(range(18, 31)),
    "address.city": CITIES + ["paris", "a", "z"],
    "address.zip": [0, 1, 2, 3, 4],
    "active": [True, False],
}
RANGE_OPERATORS = ["$gt", "$gte", "$lt", "$lte"]


class _Absent:
    def __repr__(self) -> str:
        return "<missing>"


ABSENT = _Absent()


def lookup(doc: dict, path: str):
    """The value at a dotted path, ABSENT when any step is not a dict holding the key."""
    here = doc
    for step in path.split("."):
        if type(here) is not dict:
            return ABSENT
        here = here.get(step, ABSENT)
        if here is ABSENT:
            return ABSENT
    return here


def _operator_holds(operator: str, value, operand) -> bool:
    if operator == "$ne":
        return value is ABSENT or value != operand
    if value is ABSENT:
        return False
    if operator == "$in":
        return any(value == item for item in operand)
    if operator == "$gt":
        return value > operand
    if operator == "$gte":
        return value >= operand
    if operator == "$lt":
        return value < operand
    return value <= operand


def satisfies(doc: dict, query: dict) -> bool:
    """The rule as the catalog states it: every key holds; an operator dict (all keys
    starting with $) ANDs its operators; anything else is compared whole."""
    for path, condition in query.items():
        value = lookup(doc, path)
        if isinstance(condition, dict) and condition and all(
                k.startswith("$") for k in condition):
            if not all(_operator_holds(op, value, arg) for op, arg in condition.items()):
                return False
        elif value is ABSENT or value != condition:
            return False
    return True


class Model:
    """The store as plainly as possible: documents by the learner's ids, and the set of
    indexed fields (to know what `scanned` may do)."""

    def __init__(self) -> None:
        self.docs: dict[str, dict] = {}
        self.indexed: set[str] = set()

    def insert(self, doc_id: str, doc: dict) -> None:
        self.docs[doc_id] = dict(json.loads(json.dumps(doc)), _id=doc_id)

    def update(self, doc_id: str, changes: dict) -> None:
        self.docs[doc_id].update(json.loads(json.dumps(changes)))

    def delete(self, doc_id: str) -> None:
        del self.docs[doc_id]

    def find(self, query: dict) -> list[dict]:
        return [doc for doc in self.docs.values() if satisfies(doc, query)]

    def scan_bounds(self, query: dict) -> tuple[int, int]:
        """(least, most) documents find(query) may examine. No indexed field in the query:
        every document. One indexed field tested for equality and no other indexed field:
        exactly the documents with that value. Otherwise (several indexed fields, or
        operators on one: whether an index serves them is free): at least the matches,
        at most the most any indexed equality allows, or every document."""
        total, matched = len(self.docs), len(self.find(query))
        used = [path for path in query if path in self.indexed]
        if not used:
            return total, total
        equal = [path for path in used if not _is_operators(query[path])]
        counts = [sum(1 for doc in self.docs.values()
                      if lookup(doc, path) is not ABSENT and lookup(doc, path) == query[path])
                  for path in equal]
        if len(used) == 1 and equal:
            return counts[0], counts[0]
        return matched, max(counts) if counts else total


def _is_operators(condition) -> bool:
    return isinstance(condition, dict) and bool(condition) and all(
        k.startswith("$") for k in condition)


def random_doc(rng: random.Random) -> dict:
    """A document with some fields missing, an embedded address (sometimes a plain str,
    so "address.city" runs into a non-dict) and a list nobody queries."""
    doc: dict = {}
    if rng.random() < 0.9:
        doc["name"] = rng.choice(NAMES)
    if rng.random() < 0.8:
        doc["age"] = rng.randint(18, 30)
    shape = rng.random()
    if shape < 0.6:
        address: dict = {"zip": rng.randint(0, 4)}
        if rng.random() < 0.85:
            address["city"] = rng.choice(CITIES)
        doc["address"] = address
    elif shape < 0.7:
        doc["address"] = rng.choice(CITIES)
    if rng.random() < 0.5:
        doc["active"] = rng.random() < 0.5
    if rng.random() < 0.5:
        doc["tags"] = rng.sample(NAMES, rng.randint(0, 2))
    return doc


def random_condition(rng: random.Random, path: str, operators: bool):
    values = VALUES[path]
    if not operators or rng.random() < 0.3:
        return rng.choice(values)
    choices = ["$ne", "$in"] if path == "active" else RANGE_OPERATORS + ["$ne", "$in"]
    condition = {}
    for operator in rng.sample(choices, rng.choice([1, 1, 2])):
        if operator == "$in":
            condition[operator] = rng.sample(values, rng.randint(0, min(3, len(values))))
        else:
            condition[operator] = rng.choice(values)
    return condition


def random_query(rng: random.Random, operators: bool) -> dict:
    """0 to 3 keys over the generated fields; equality only unless `operators`."""
    chosen = rng.sample(list(VALUES), rng.choice([0, 1, 1, 1, 2, 2, 3]))
    return {path: random_condition(rng, path, operators) for path in chosen}


def random_changes(rng: random.Random) -> dict:
    """A shallow merge of 1 or 2 keys: new values, a new address (replaced whole), a new
    field."""
    changes: dict = {}
    for key in rng.sample(["name", "age", "address", "active", "note"], rng.randint(1, 2)):
        if key == "name":
            changes[key] = rng.choice(NAMES)
        elif key == "age":
            changes[key] = rng.randint(18, 30)
        elif key == "address":
            changes[key] = ({"city": rng.choice(CITIES), "zip": rng.randint(0, 4)}
                            if rng.random() < 0.8 else {"zip": 9})
        elif key == "active":
            changes[key] = rng.random() < 0.5
        else:
            changes[key] = "n"
    return changes


def canonical(docs) -> list[str]:
    """The documents as a sorted list of sorted-key JSON: a multiset, order left free."""
    return sorted(json.dumps(doc, sort_keys=True) for doc in docs)


def same_documents(got, expected: list[dict]) -> bool:
    return (isinstance(got, list) and all(isinstance(doc, dict) for doc in got)
            and canonical(got) == canonical(expected))


def shown(docs) -> str:
    """Documents one per line, sorted by _id (the order find() returns is free)."""
    if not isinstance(docs, list) or not all(isinstance(doc, dict) for doc in docs):
        return repr(docs)
    if not docs:
        return "  (none)"
    return "\n".join(f"  {doc!r}" for doc in sorted(docs, key=lambda d: str(d.get("_id"))))


def find_message(model: Model, query: dict, got, expected: list[dict]) -> str:
    return (f"the store holds:\n{shown(list(model.docs.values()))}\nfind({query!r}) returned:\n"
            f"{shown(got)}\nexpected (in any order):\n{shown(expected)}")


def check_finds(store, model: Model, queries: list[dict], call_each) -> None:
    """Runs the queries in one message to the learner's process and compares each result
    with the model's, as multisets."""
    results = call_each(store, "find", [(query,) for query in queries])
    for query, got in zip(queries, results, strict=True):
        expected = model.find(query)
        assert same_documents(got, expected), find_message(model, query, got, expected)


def filled(store, model: Model, docs: list[dict], call_each) -> list[str]:
    """Inserts the documents (one message) into the store and the model; their ids."""
    ids = call_each(store, "insert", [(doc,) for doc in docs])
    for doc_id, doc in zip(ids, docs, strict=True):
        model.insert(doc_id, doc)
    return ids
