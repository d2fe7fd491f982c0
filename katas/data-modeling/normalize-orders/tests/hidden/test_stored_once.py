"""A product's name lives in one row of one table: renaming it touches that row only."""

import _support
import pytest

from harness.databases import open_database

pytestmark = pytest.mark.stored_once


@pytest.fixture
def loaded(request):
    flat = _support.generate(_support.seed_of(request))
    with open_database() as database:
        _support.load(database, flat)
        yield database, flat


def test_each_product_name_is_stored_once(loaded):
    db, flat = loaded
    for sku, name in sorted(flat.products.items()):
        places = _support.cells_holding(db, name)
        assert len(places) == 1, (
            f"the name of product {sku}, {name!r}, is stored {len(places)} times after "
            f"migrate.sql (seed {flat.seed}): {places or 'nowhere'}. Expected once, in products: "
            "a copy per order line means renaming the product must update every copy, and one "
            "forgotten copy makes the data disagree with itself (an update anomaly)")


def test_renaming_a_product_touches_one_row(loaded):
    db, flat = loaded
    sku, name = sorted(flat.products.items())[-1]
    places = _support.cells_holding(db, name)
    assert places, f"the name {name!r} of product {sku} is stored nowhere (seed {flat.seed})"
    table, column = places[0].split(".", 1)
    before = _support.cells_holding(db, "Renamed product")
    db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?',
               ["Renamed product", name])
    after = _support.cells_holding(db, "Renamed product")
    assert len(after) - len(before) == 1 and not _support.cells_holding(db, name), (
        f"UPDATE {table} SET {column} = 'Renamed product' WHERE {column} = {name!r} changed "
        f"{len(after) - len(before)} rows and left {len(_support.cells_holding(db, name))} "
        f"copies of the old name elsewhere; expected one row changed and none left")
