"""Examples of what the hidden tests check, on a small fixed orders_flat (the hidden tests
generate different rows for every test)."""

from datetime import datetime
from pathlib import Path

import pytest

from harness.databases import open_database

FLAT = {
    "sqlite": "CREATE TABLE orders_flat (order_id INTEGER NOT NULL, ordered_at TEXT NOT NULL, "
              "customer_email TEXT NOT NULL, customer_name TEXT NOT NULL, sku TEXT NOT NULL, "
              "product_name TEXT NOT NULL, unit_price_cents INTEGER NOT NULL, "
              "quantity INTEGER NOT NULL)",
    "postgresql": "CREATE TABLE orders_flat (order_id INTEGER NOT NULL, ordered_at TIMESTAMP "
                  "NOT NULL, customer_email TEXT NOT NULL, customer_name TEXT NOT NULL, "
                  "sku TEXT NOT NULL, product_name TEXT NOT NULL, "
                  "unit_price_cents INTEGER NOT NULL, quantity INTEGER NOT NULL)",
}
ROWS = [  # the mug's price went up between order 1 and order 3; ben wrote his name twice
    (1, "2026-01-05 10:00:00", "ana@example.org", "Ana Silva", "MUG-1", "Blue mug", 900, 2),
    (1, "2026-01-05 10:00:00", "ana@example.org", "Ana Silva", "LMP-7", "Desk lamp", 2500, 1),
    (2, "2026-01-06 11:30:00", "ben@example.org", "Ben Okafor", "LMP-7", "Desk lamp", 2500, 1),
    (3, "2026-01-09 09:15:00", "ana@example.org", "Ana Silva", "MUG-1", "Blue mug", 1100, 3),
    (4, "2026-01-12 16:40:00", "ben@example.org", "Benjamin Okafor", "LMP-7", "Desk lamp", 2500, 1),
]


@pytest.fixture
def db():
    with open_database() as database:
        database.execute(FLAT[database.kind])
        values: list = []
        for row in ROWS:
            values += row
            if database.kind == "postgresql":
                values[-7] = datetime.fromisoformat(row[1])
        marks = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(ROWS))
        database.execute(f"INSERT INTO orders_flat VALUES {marks}", values)
        for name in ("schema.sql", "migrate.sql"):
            database.executescript(Path(name).read_text(encoding="utf-8"))
        yield database


@pytest.mark.tables
def test_the_four_tables_exist(db):
    for table in ("customers", "products", "orders", "order_items"):
        db.execute(f"SELECT COUNT(*) FROM {table}")


@pytest.mark.entities
def test_one_customer_per_email(db):
    count = db.execute("SELECT COUNT(*) FROM customers")[0][0]
    assert count == 2, (f"customers holds {count} rows; ana and ben are 2 customers, "
                        "whichever way ben wrote his name")


@pytest.mark.entities
def test_one_product_per_sku(db):
    count = db.execute("SELECT COUNT(*) FROM products")[0][0]
    assert count == 2, f"products holds {count} rows; MUG-1 and LMP-7 are 2 products"


@pytest.mark.stored_once
def test_the_mug_is_named_in_one_row(db):
    for table in ("customers", "products", "orders", "order_items"):
        rows = db.execute(f"SELECT * FROM {table}")
        held = [row for row in rows if "Blue mug" in row]
        want = 1 if table == "products" else 0
        assert len(held) == want, f"{table} has {len(held)} rows naming 'Blue mug': {held}"


@pytest.mark.totals
def test_order_totals(db):
    rows = db.execute("SELECT order_id, customer_email, total_cents FROM order_totals "
                      "ORDER BY order_id")
    assert [tuple(r) for r in rows] == [(1, "ana@example.org", 4300),
                                        (2, "ben@example.org", 2500),
                                        (3, "ana@example.org", 3300),
                                        (4, "ben@example.org", 2500)], (
        f"order_totals holds {rows}; order 1 is 2 x 900 + 2500, order 3 is 3 x 1100 "
        "(the mug's price when it was sold)")
