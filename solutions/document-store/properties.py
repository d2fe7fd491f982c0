"""What the catalog fixes about document ids, checked by `kata compare` on the learner's code
alone: which string insert returns is free (the model compares only its kind, shows
documents without their "_id", and never deletes), but each document stays stored under the
id insert returned, with "_id" set to it, until it is deleted, and no two documents share
an id, also after deletes."""

from harness.properties import prop

#: insert a new document; update or delete the first or the last live one
STEPS = {"list": {"one_of": ["insert", "insert", "update first", "update last",
                             "delete first", "delete last"]}, "max": 12}


@prop(max_operations=20, steps=STEPS)
def each_document_stays_under_the_id_insert_returned(store, steps):
    """Until deleted, get(insert(doc)) is doc with "_id" set to that id, shared by no other."""
    live: list[tuple[str, dict]] = []  # (id, the document as stored), oldest first
    gone: list[str] = []
    for done, step in enumerate(steps, start=1):
        what = step.split()[0]
        if what == "insert":
            doc = {"serial": 1000 + done, "city": "oslo"}
            doc_id = store.insert(doc)
            if not isinstance(doc_id, str):
                return f"insert({doc!r}) returned {doc_id!r}, not a str"
            live.append((doc_id, doc))
        elif live:
            index = 0 if step.endswith("first") else -1
            doc_id, doc = live[index]
            if what == "update":
                store.update(doc_id, {"age": done})
                live[index] = (doc_id, {**doc, "age": done})
            else:
                store.delete(doc_id)
                gone.append(live.pop(index)[0])
        for doc_id, doc in live:
            got = store.get(doc_id)
            if got != {**doc, "_id": doc_id}:
                return (f"after {steps[:done]}, get({doc_id!r}) returned {got!r}, expected "
                        f"{ {**doc, '_id': doc_id}!r}")
            found = store.find({"serial": doc["serial"]})
            if found != [got]:
                return (f"after {steps[:done]}, find({ {'serial': doc['serial']}!r}) returned "
                        f"{found!r}, expected [{got!r}]")
        for doc_id in gone:
            if doc_id not in {i for i, _ in live} and store.get(doc_id) is not None:
                return (f"after {steps[:done]}, get({doc_id!r}) returned "
                        f"{store.get(doc_id)!r}, though it was deleted")
    return None
