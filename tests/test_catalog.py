"""The catalog: loading, validation errors that name file, field and fix, lookups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG
from harness.catalog import TOPICS, Catalog, default_root
from harness.errors import CatalogError, UsageError


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    return root


def _toml(root: Path) -> Path:
    return root / "katas" / "networking" / "adder" / "kata.toml"


def test_loads_the_fixture_kata():
    kata = Catalog(FIXTURE_CATALOG).get("adder")
    assert kata.title == "Adder"
    assert [t.title for t in kata.tasks] == ["Add", "Subtract"]
    assert [t.id for t in kata.tasks] == [1, 2]
    assert kata.tasks[1].weight == 2
    assert kata.timeout.test == 1 and kata.timeout.total == 8
    assert kata.weights == {"test_subtracts_negative": 3}
    assert kata.files == ("adder.py",)


def test_unknown_slug_suggests_the_nearest():
    with pytest.raises(UsageError, match=r"unknown kata 'addr'; did you mean 'adder'\?"):
        Catalog(FIXTURE_CATALOG).get("addr")


def test_unknown_slug_without_a_near_one_points_to_kata_list():
    with pytest.raises(UsageError, match=r"unknown kata 'zzzzzz' \(kata list shows all\)"):
        Catalog(FIXTURE_CATALOG).get("zzzzzz")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Adder"\n', "", r"field 'title' is missing; add title"),
        ('topic = "networking"', 'topic = "plumbing"', r"field 'topic' is 'plumbing'; use one of"),
        ('slug = "adder"', 'slug = "other"', r"field 'slug' is 'other' but the folder is 'adder'"),
        ('difficulty = "beginner"', 'difficulty = "easy"', r"field 'difficulty' is 'easy'"),
        ('marker = "sub"', 'marker = "add"', r"'add' is used twice"),
        ("weight = 2", "weight = -1", r"tasks\[2\].weight' must be a positive number"),
        ("total = 8", "total = 0.5", r"timeout.total' \(0.5\) is below timeout.test"),
        ('files = ["adder.py"]', "files = []", r"field 'files' is empty"),
        ('files = ["adder.py"]', 'files = ["../x.py"]', r"field 'files' names '../x.py'"),
        ("[timeout]", "[timeout", r"not valid TOML"),
    ],
)
def test_bad_fields_name_file_field_and_fix(catalog_copy, old, new, expected):
    path = _toml(catalog_copy)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(CatalogError, match=expected) as caught:
        Catalog(catalog_copy).all()
    assert str(path) in str(caught.value)


def test_catalog_without_katas_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="has no katas/ folder"):
        Catalog(tmp_path)


def test_catalog_from_environment(monkeypatch):
    monkeypatch.setenv("KATA_CATALOG", str(FIXTURE_CATALOG))
    assert [k.slug for k in Catalog().all()] == ["adder"]


def test_filter_by_topic_and_difficulty():
    catalog = Catalog(FIXTURE_CATALOG)
    assert [k.slug for k in catalog.filter(topic="networking")] == ["adder"]
    assert catalog.filter(difficulty="advanced") == []
    with pytest.raises(UsageError, match="unknown topic 'net'"):
        catalog.filter(topic="net")


def test_shipped_catalog_loads_and_orders_by_topic():
    katas = Catalog(default_root()).all()
    assert katas, "the shipped catalog has no katas"
    order = [TOPICS.index(k.topic) for k in katas]
    assert order == sorted(order)
