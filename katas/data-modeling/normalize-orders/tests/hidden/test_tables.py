"""The schema: four tables, linked by foreign keys the database knows about."""

import _support
import pytest

from harness.databases import open_database

pytestmark = pytest.mark.tables


@pytest.fixture
def db(request):
    with open_database() as database:
        _support.load(database, _support.generate(_support.seed_of(request)), migrate=False)
        yield database


def test_schema_makes_the_four_tables(db):
    found = _support.tables(db)
    missing = [t for t in _support.TABLES if t not in found]
    assert not missing, (f"after schema.sql the database has the tables {sorted(found)}; "
                         f"missing: {missing} (customers, products, orders, order_items)")


@pytest.mark.parametrize("child, parent", [("orders", "customers"), ("order_items", "orders"),
                                           ("order_items", "products")])
def test_foreign_keys_link_the_tables(db, child, parent):
    links = _support.foreign_keys(db)
    assert (child, parent) in links, (
        f"{child} has no foreign key to {parent} (foreign keys found: {sorted(links) or 'none'}); "
        f"declare it with REFERENCES {parent} (...) so the database refuses a row of {child} "
        f"that points at no {parent[:-1] if parent != 'orders' else 'order'}")
