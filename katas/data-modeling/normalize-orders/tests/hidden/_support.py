"""What the hidden suites of normalize-orders share: the seeded orders_flat data, loading the
learner's files after it, and looking at the result without knowing the learner's column names
(the contract fixes only the table names and the view's columns)."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

TABLES = ("customers", "products", "orders", "order_items")
COLUMNS = ("order_id", "ordered_at", "customer_email", "customer_name", "sku", "product_name",
           "unit_price_cents", "quantity")
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
PEOPLE = [("ana", "Ana Silva", "Ana M. Silva"), ("ben", "Ben Okafor", "Benjamin Okafor"),
          ("chen", "Chen Wei", "Wei Chen"), ("dora", "Dora Lind", "Dorothea Lind"),
          ("emre", "Emre Kaya", "E. Kaya"), ("fay", "Fay Moreau", "Faye Moreau"),
          ("gus", "Gus Berg", "Gustav Berg"), ("hana", "Hana Sato", "Hanako Sato"),
          ("ivo", "Ivo Novak", "Ivan Novak"), ("jo", "Jo Price", "Joanna Price")]
GOODS = ["Blue mug", "Oak desk", "Desk lamp", "Wool scarf", "Tea kettle", "Linen shirt",
         "Road atlas", "Chess set", "Garden hose", "Rain jacket", "Bread knife", "Yoga mat"]


@dataclass
class Flat:
    """One generated orders_flat: its rows and what a correct migration must give."""

    seed: int
    rows: list[tuple] = field(default_factory=list)
    names: dict[str, set[str]] = field(default_factory=dict)   # email -> its names
    products: dict[str, str] = field(default_factory=dict)     # sku -> name
    orders: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (email, total)
    repriced: str = ""           # a sku sold at two prices
    repriced_orders: tuple[int, int] = (0, 0)  # its first order (old price), its last (new)

    def lines(self, order_id: int) -> str:
        """The flat rows of one order, for a failure message."""
        return "\n".join(f"    {dict(zip(COLUMNS, row, strict=True))}" for row in self.rows
                         if row[0] == order_id)


def generate(seed: int) -> Flat:
    """Customers, products, orders at increasing times; prices change between orders (the item
    keeps its own); one email shows up under two names; each (order, sku) once."""
    rng = random.Random(seed)
    flat = Flat(seed)
    people = rng.sample(PEOPLE, rng.randint(4, 7))
    goods = rng.sample(GOODS, rng.randint(5, 8))
    skus = rng.sample(range(100, 1000), len(goods))
    price = {f"{name.split()[-1][:3].upper()}-{n}": rng.randint(199, 4999)
             for name, n in zip(goods, skus, strict=True)}
    flat.products = {sku: name for sku, name in zip(price, goods, strict=True)}
    buyers = list(people) + [rng.choice(people) for _ in range(rng.randint(6, 10))]
    rng.shuffle(buyers)
    twice = people[0]                  # the customer who appears under two names
    buyers += [twice, twice]
    flat.repriced = next(iter(price))
    order_id = rng.randint(1000, 5000)
    when = datetime(2026, 1, 1, 9, 0, 0) + timedelta(minutes=rng.randint(0, 500))
    first = last = 0
    for index, (login, name, other) in enumerate(buyers):
        email = f"{login}@example.org"
        shown = name                   # the last two orders show both of twice's names
        if (login, name, other) == twice:
            shown = {len(buyers) - 2: name, len(buyers) - 1: other}.get(
                index, rng.choice([name, other]))
        flat.names.setdefault(email, set()).add(shown)
        picked = rng.sample(sorted(price), rng.randint(1, 4))
        if index in (0, len(buyers) - 1) and flat.repriced not in picked:
            picked.append(flat.repriced)
        total = 0
        for sku in picked:
            quantity = rng.randint(2, 5) if sku == flat.repriced else rng.randint(1, 5)
            flat.rows.append((order_id, when.strftime("%Y-%m-%d %H:%M:%S"), email, shown, sku,
                              flat.products[sku], price[sku], quantity))
            total += price[sku] * quantity
        flat.orders[order_id] = (email, total)
        first = first or order_id
        last = order_id
        if index == 0:                  # the repriced sku costs more from the next order on
            price[flat.repriced] += rng.randint(50, 900)
        elif rng.random() < 0.3:
            sku = rng.choice(sorted(price))
            price[sku] = max(99, price[sku] + rng.randint(-300, 300))
        order_id += rng.randint(1, 40)
        when += timedelta(minutes=rng.randint(5, 3000))
    flat.repriced_orders = (first, last)
    rng.shuffle(flat.rows)
    return flat


def seed_of(request) -> int:
    """Each test its own data: no migration can hard-code it."""
    return zlib.crc32(request.node.nodeid.encode()) % 100_000


def read(name: str) -> str:
    return Path(name).read_text(encoding="utf-8")


def load(db, flat: Flat, *, migrate: bool = True) -> None:
    """orders_flat made and filled as the contract says, then schema.sql, then migrate.sql."""
    db.execute(FLAT[db.kind])
    values: list = []
    for row in flat.rows:  # one statement: a write per row costs a sync each on SQLite
        values += row
        if db.kind == "postgresql":
            values[-7] = datetime.fromisoformat(row[1])
    marks = ", ".join(["(" + ", ".join("?" * len(COLUMNS)) + ")"] * len(flat.rows))
    db.execute(f"INSERT INTO orders_flat ({', '.join(COLUMNS)}) VALUES {marks}", values)
    steps = ["schema.sql", "migrate.sql"] if migrate else ["schema.sql"]
    for name in steps:
        try:
            db.executescript(read(name))
        except Exception as exc:  # the learner's SQL may fail in any way: report it
            pytest.fail(f"{name} failed on {db.kind} after orders_flat was filled with "
                        f"{len(flat.rows)} rows (seed {flat.seed}): {type(exc).__name__}: "
                        f"{str(exc).strip()}")


def tables(db) -> set[str]:
    """The learner's tables (lower-case names), without orders_flat and SQLite's own."""
    if db.kind == "sqlite":
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite_%'")
    else:
        rows = db.execute("SELECT table_name FROM information_schema.tables WHERE "
                          "table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {r[0].lower() for r in rows} - {"orders_flat"}


def views(db) -> set[str]:
    if db.kind == "sqlite":
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
    else:
        rows = db.execute("SELECT table_name FROM information_schema.views "
                          "WHERE table_schema = current_schema()")
    return {r[0].lower() for r in rows}


def foreign_keys(db) -> set[tuple[str, str]]:
    """(table, the table it references) for every foreign key, read from the catalog."""
    if db.kind == "sqlite":
        found = set()
        for table in tables(db):
            for row in db.execute("SELECT \"table\" FROM pragma_foreign_key_list(?)", [table]):
                found.add((table, row[0].lower()))
        return found
    rows = db.execute(
        "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = k.connamespace "
        "WHERE k.contype = 'f' AND n.nspname = current_schema()")
    return {(a.lower(), b.lower()) for a, b in rows}


def contents(db, table: str) -> tuple[list[str], list[tuple]]:
    """A table's column names and rows, whatever the learner called the columns."""
    cursor = db.connection.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return names, [tuple(row) for row in cursor.fetchall()]


def cells_holding(db, text: str) -> list[str]:
    """Every place (table.column, once per row) of every table that holds exactly `text`."""
    places = []
    for table in sorted(tables(db)):
        names, rows = contents(db, table)
        for row in rows:
            places += [f"{table}.{names[i]}" for i, value in enumerate(row) if value == text]
    return places


def rows_holding(db, table: str, text: str) -> list[tuple]:
    """The rows of `table` with a cell equal to `text`."""
    return [row for row in contents(db, table)[1] if text in row]
