"""Customers and products: one row each, holding what the flat rows said about them."""

import _support
import pytest

from harness.databases import open_database

pytestmark = pytest.mark.entities


@pytest.fixture
def loaded(request):
    flat = _support.generate(_support.seed_of(request))
    with open_database() as database:
        _support.load(database, flat)
        yield database, flat


def test_one_customer_per_email(loaded):
    db, flat = loaded
    count = db.execute("SELECT COUNT(*) FROM customers")[0][0]
    doubled = [e for e in sorted(flat.names) if len(_support.rows_holding(db, "customers", e)) > 1]
    assert count == len(flat.names) and not doubled, (
        f"customers holds {count} rows; orders_flat (seed {flat.seed}) has {len(flat.names)} "
        f"distinct customer emails: one row per email. Emails in several rows: "
        f"{doubled or 'none'}. An email with two spellings of its name "
        f"({ {e: sorted(n) for e, n in flat.names.items() if len(n) > 1} }) is still one customer")


def test_each_customer_keeps_one_of_its_names(loaded):
    db, flat = loaded
    for email, names in sorted(flat.names.items()):
        rows = _support.rows_holding(db, "customers", email)
        assert rows, f"no row of customers holds the email {email!r} (seed {flat.seed})"
        assert any(name in row for row in rows for name in names), (
            f"the customers row of {email!r} is {rows[0]}; it should hold the customer's name, "
            f"one of {sorted(names)} (which one is yours to choose when there are several)")


def test_one_product_per_sku(loaded):
    db, flat = loaded
    count = db.execute("SELECT COUNT(*) FROM products")[0][0]
    assert count == len(flat.products), (
        f"products holds {count} rows; orders_flat (seed {flat.seed}) has "
        f"{len(flat.products)} distinct skus {sorted(flat.products)}: one row per sku, even "
        f"when a product was sold at several prices")


def test_each_product_keeps_its_sku_and_name(loaded):
    db, flat = loaded
    for sku, name in sorted(flat.products.items()):
        rows = _support.rows_holding(db, "products", sku)
        assert len(rows) == 1, (f"{len(rows)} rows of products hold the sku {sku!r} "
                                f"(seed {flat.seed}); expected one")
        assert name in rows[0], (f"the products row of {sku!r} is {rows[0]}; expected it to "
                                 f"hold the product's name {name!r}")
