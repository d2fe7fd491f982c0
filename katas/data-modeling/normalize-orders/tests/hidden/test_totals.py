"""Orders, their items at the price they were sold, and the order_totals view."""

import _support
import pytest

from harness.databases import open_database

pytestmark = pytest.mark.totals


@pytest.fixture
def loaded(request):
    flat = _support.generate(_support.seed_of(request))
    with open_database() as database:
        _support.load(database, flat)
        yield database, flat


def totals(db, flat):
    if "order_totals" not in _support.views(db):
        pytest.fail("there is no view order_totals after schema.sql and migrate.sql; "
                    "CREATE VIEW order_totals AS SELECT ... AS order_id, ... AS customer_email, "
                    "... AS total_cents")
    try:
        rows = db.execute("SELECT order_id, customer_email, total_cents FROM order_totals")
    except Exception as exc:  # a missing column fails differently on each database
        pytest.fail(f"SELECT order_id, customer_email, total_cents FROM order_totals failed: "
                    f"{str(exc).strip()}; the view's columns are exactly those three")
    return rows


def test_one_order_row_per_order(loaded):
    db, flat = loaded
    count = db.execute("SELECT COUNT(*) FROM orders")[0][0]
    assert count == len(flat.orders), (f"orders holds {count} rows; orders_flat (seed "
                                       f"{flat.seed}) has {len(flat.orders)} distinct order ids")


def test_order_totals_has_one_row_per_order(loaded):
    db, flat = loaded
    ids = [int(row[0]) for row in totals(db, flat)]
    missing = sorted(set(flat.orders) - set(ids))
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    assert not missing and not doubled and len(ids) == len(flat.orders), (
        f"order_totals has {len(ids)} rows for {len(flat.orders)} orders (seed {flat.seed}); "
        f"orders missing: {missing or 'none'}, orders in several rows: {doubled or 'none'}. "
        "Expected one row per order_id of orders_flat")


def test_each_order_shows_its_customer_email(loaded):
    db, flat = loaded
    for order_id, email, _ in totals(db, flat):
        want = flat.orders.get(int(order_id), ("an order of orders_flat",))[0]
        assert email == want, (f"order_totals shows order {order_id} with customer_email "
                               f"{email!r}; orders_flat (seed {flat.seed}) says {want!r}")


def test_every_total_equals_the_flat_total(loaded):
    db, flat = loaded
    got = {int(row[0]): row[2] for row in totals(db, flat)}
    for order_id, (_, want) in sorted(flat.orders.items()):
        assert got.get(order_id) == want, (
            f"order_totals says order {order_id} totals {got.get(order_id)!r} cents; its rows "
            f"in orders_flat (seed {flat.seed}) add up to {want} (unit_price_cents times "
            f"quantity, summed):\n{flat.lines(order_id)}")


def test_an_item_keeps_the_price_it_was_sold_at(loaded):
    db, flat = loaded
    got = {int(row[0]): row[2] for row in totals(db, flat)}
    for order_id in flat.repriced_orders:
        want = flat.orders[order_id][1]
        assert got.get(order_id) == want, (
            f"{flat.repriced} was sold at different prices in order {flat.repriced_orders[0]} "
            f"and in order {flat.repriced_orders[1]} (seed {flat.seed}); order_totals says "
            f"order {order_id} "
            f"totals {got.get(order_id)!r}, expected {want}. Each order item keeps the price it "
            f"was sold at: a price stored once per product rewrites history\n"
            f"{flat.lines(order_id)}")
