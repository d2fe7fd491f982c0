"""The driver of normalize-orders' `[model]` for `kata compare`: it runs an implementation's
schema.sql and migrate.sql (in the current folder) on SQLite over an orders_flat built from a
generated description, and returns only what the contract fixes, whatever the learner
named the columns.

Grading material, beside the reference: `kata compare` copies it next to the implementation
in the implementation's own process; the printed counterexample is a call of `migrate`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FLAT = ("CREATE TABLE orders_flat (order_id INTEGER NOT NULL, ordered_at TEXT NOT NULL, "
        "customer_email TEXT NOT NULL, customer_name TEXT NOT NULL, sku TEXT NOT NULL, "
        "product_name TEXT NOT NULL, unit_price_cents INTEGER NOT NULL, "
        "quantity INTEGER NOT NULL)")
#: each customer's names: the first one has two spellings, as in the hidden suite's data
NAMES = (("Ana Silva", "Ana M. Silva"), ("Ben Okafor",), ("Chen Wei",), ("Dora Lind",))
PRODUCTS = ("Blue mug", "Oak desk", "Desk lamp", "Wool scarf", "Tea kettle")
LINKS = (("orders", "customers"), ("order_items", "orders"), ("order_items", "products"))


def rows(orders: list[dict]) -> list[tuple]:
    """orders_flat's rows for a description: each order {"customer": c, "name": n,
    "items": [{"product": p, "price": cents, "quantity": q}]} gets the next order id and a
    later time; a customer is c@example.org under one of its names, a product SKU-p; an
    order without items has no row, and a product listed twice in one order counts once."""
    flat = []
    for number, order in enumerate(orders):
        names = NAMES[order["customer"]]
        name = names[order["name"] % len(names)]
        seen = set()
        for item in order["items"]:
            if item["product"] in seen:
                continue
            seen.add(item["product"])
            flat.append((1000 + 7 * number, f"2026-01-{1 + number:02d} 09:30:00",
                         f"c{order['customer']}@example.org", name, f"SKU-{item['product']}",
                         PRODUCTS[item["product"]], item["price"], item["quantity"]))
    return flat


def migrate(orders: list[dict]) -> dict:
    """schema.sql, then migrate.sql, after orders_flat is filled; what the contract fixes of
    the result: how many customers and products, the order_totals view's rows, that
    order_totals is a view, the foreign keys between the four tables, in how many cells
    each product's name is stored, and how many customers have one of their names kept."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(FLAT)
        flat = rows(orders)
        db.executemany("INSERT INTO orders_flat VALUES (?, ?, ?, ?, ?, ?, ?, ?)", flat)
        for name in ("schema.sql", "migrate.sql"):
            try:
                db.executescript(Path(name).read_text(encoding="utf-8"))
            except sqlite3.Error as exc:
                return {"failed": f"{name}: {type(exc).__name__}: {exc}"}
        tables = _tables(db)
        return {
            "customers": _count(db, "customers"),
            "products": _count(db, "products"),
            "order_totals": sorted(db.execute(
                "SELECT order_id, customer_email, total_cents FROM order_totals").fetchall()),
            "order_totals is": db.execute("SELECT type FROM sqlite_master WHERE "
                                          "lower(name) = 'order_totals'").fetchall(),
            "foreign keys": [link for link in LINKS if link in _links(db, tables)],
            "cells holding a product's name": {
                name: _cells(db, tables, name) for name in sorted({r[5] for r in flat})},
            # which of an email's names is kept is free; that one of them is, is not
            "customers with a name kept": sum(
                any(_cells(db, tables, name) for name in NAMES[customer])
                for customer in sorted({order["customer"] for order in orders
                                        if order["items"]})),
        }
    finally:
        db.close()


def _tables(db: sqlite3.Connection) -> list[str]:
    return sorted(r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND lower(name) != 'orders_flat'"))


def _count(db: sqlite3.Connection, table: str) -> int | str:
    try:
        return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    except sqlite3.Error as exc:
        return f"{type(exc).__name__}: {exc}"


def _links(db: sqlite3.Connection, tables: list[str]) -> set[tuple[str, str]]:
    return {(table.lower(), row[0].lower()) for table in tables
            for row in db.execute('SELECT "table" FROM pragma_foreign_key_list(?)', [table])}


def _cells(db: sqlite3.Connection, tables: list[str], text: str) -> int:
    found = 0
    for table in tables:
        for row in db.execute(f'SELECT * FROM "{table}"'):
            found += sum(value == text for value in row)
    return found
