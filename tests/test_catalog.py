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
    assert kata.tasks[0].hints == ("add() returns a + b.",)
    assert kata.tasks[1].hints == ("sub() lives in {{ kata.files[0] }} too.",
                                   "sub(a, b) is a - b: the order matters.")
    assert kata.timeout.test == 1 and kata.timeout.total == 8
    assert kata.weights == {"test_subtracts_negative": 3}
    assert kata.files == ("adder.py",)


def test_the_model_and_the_benchmark_load_as_typed_objects():
    kata = Catalog(FIXTURE_CATALOG).get("adder")
    assert kata.model is not None and kata.benchmark is not None
    assert [op.name for op in kata.model.operations] == ["add", "sub"]
    assert kata.model.operations[0].args == ({"integers": [-5, 5]}, {"integers": [-5, 5]})
    assert (kata.model.module, kata.model.constructor, kata.model.max_operations) == (
        "adder", None, 12)
    assert kata.benchmark.workload == "10,000 additions and subtractions"
    assert kata.benchmark.request() == {
        "code": "for i in range(10_000): add(i, 1); sub(i, 1)", "setup": "pass", "repeat": 5,
        "number": 1}


def test_a_kata_without_model_or_benchmark_has_none(catalog_copy):
    path = _toml(catalog_copy)
    text = path.read_text()
    path.write_text(text[:text.index("[model]")])
    kata = Catalog(catalog_copy).get("adder")
    assert (kata.model, kata.benchmark) == (None, None)


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
        # hints belong to tasks: a kata-wide list is refused with the way to move it
        ('learned = "how the harness grades a kata"\n',
         'learned = "how the harness grades a kata"\nhints = ["add() returns a + b."]\n',
         r"field 'hints' is a list for the whole kata, but each hint belongs to a task; move "
         r"every hint into the \[\[tasks\]\] table it is about"),
        ('hints = ["add() returns a + b."]', 'hints = "add() returns a + b."',
         r"field 'tasks\[1\].hints' must be a list of non-empty strings, not 'add\(\) returns"),
        ('hints = ["add() returns a + b."]', 'hints = ["  "]',
         r"field 'tasks\[1\].hints' must be a list of non-empty strings"),
        ('hints = ["add() returns a + b."]', 'hint = ["add() returns a + b."]',
         r"field 'tasks\[1\].hint' is not known; use only title, marker, weight, hints"),
        # [model] and [benchmark] (kata compare) are checked when the catalog loads too
        ("{ integers = [-5, 5] }, { integers", "{ integer = [-5, 5] }, { integers",
         r"field 'model.operations\[1\].args\[1\]' is \{'integer': \[-5, 5\]\}, not an "
         r"argument spec; give one of one_of, .*e.g. \{one_of = \[1, 2\]\}"),
        ("{ integers = [-5, 5] }, { integers", "{ integers = [5, -5] }, { integers",
         r"field 'model.operations\[1\].args\[1\].integers' is \[5, -5\]; give \[lowest, "
         r"highest\], lowest first"),
        ("{ integers = [-5, 5] }, { integers", "{ raises = 1 }, { integers",
         r"field 'model.operations\[1\].args\[1\].raises' is 1; write \{raises = true\}"),
        ("{ integers = [-5, 5] }, { integers", "{ sink = 1 }, { integers",
         r"field 'model.operations\[1\].args\[1\].sink' is 1; write \{sink = true\}"),
        ("[model]\n", '[model]\ndriver = "adder"\n',
         r"field 'model.driver' is 'adder'; name a Python file beside the reference"),
        ("{ integers = [-5, 5] }, { integers", "{ returns = [1] }, { integers",
         r"field 'model.operations\[1\].args\[1\].returns' is \[1\], not an argument spec"),
        ("{ integers = [-5, 5] }, { integers", '{ function = "x +" }, { integers',
         r"field 'model.operations\[1\].args\[1\].function' is 'x \+', not an expression "
         r"over x; give what fn\(x\) returns"),
        ("{ integers = [-5, 5] }, { integers", "{ channel = 1 }, { integers",
         r"field 'model.operations\[1\].args\[1\].channel' is 1; write \{channel = true\}"),
        ('{ name = "sub", args', '{ name = "sub", with = "Oops", args',
         r"field 'model.operations\[2\].with' is 'Oops'; write with = true \(an empty block\) "
         r"or the builtin exception"),
        ('{ name = "sub", args', '{ name = "sub", sent = 1, args',
         r"field 'model.operations\[2\].sent' is 1; write true or false"),
        ('{ name = "sub", args', '{ name = "sub", compare = "kinds", args',
         r"field 'model.operations\[2\].compare' is 'kinds'; use \"value\" .* or \"kind\""),
        ('{ name = "sub", args', '{ name = "sub", on = ["mul"], args',
         r"field 'model.operations\[2\].on' names 'mul', which is not an operation; use one of: "
         r"add, sub"),
        ("{ integers = [-5, 5] }, { integers", '{ file = "logs/a" }, { integers',
         r"field 'model.operations\[1\].args\[1\].file' is 'logs/a'; give a file name"),
        ("{ integers = [-5, 5] }, { integers", '{ make = "1x" }, { integers',
         r"field 'model.operations\[1\].args\[1\].make' is '1x'; name a class or function"),
        ("{ integers = [-5, 5] }, { integers",
         '{ make = "Adder", args = [{ int = 1 }] }, { integers',
         r"field 'model.operations\[1\].args\[1\].args\[1\]' is \{'int': 1\}, not an argument"),
        ('{ name = "sub", args', '{ name = "sub", reopen = true, args',
         r"field 'model.operations\[2\].args' must be empty for a `reopen` operation"),
        ('    { name = "sub", args',
         '    { name = "add", reopen = true },\n    { name = "sub", args',
         r"field 'model.operations\[2\].reopen' needs a constructor to repeat"),
        # retry-backoff's: a function that fails n times, exception tuples, a recorder
        ("{ integers = [-5, 5] }, { integers",
         '{ fails = [3, 1], error = ["ValueError"] }, { integers',
         r"field 'model.operations\[1\].args\[1\].fails' is \[3, 1\]; give how many calls fail"),
        ("{ integers = [-5, 5] }, { integers", "{ fails = [0, 2] }, { integers",
         r"field 'model.operations\[1\].args\[1\].error' is missing; list the builtin exceptions"),
        ("{ integers = [-5, 5] }, { integers",
         '{ fails = [0, 2], error = ["KeyboardInterrupt"] }, { integers',
         r"field 'model.operations\[1\].args\[1\].error' is \['KeyboardInterrupt'\]; .*"
         r"\(subclasses of Exception\)"),
        ("{ integers = [-5, 5] }, { integers", '{ exceptions = [["Nope"]] }, { integers',
         r"field 'model.operations\[1\].args\[1\].exceptions' is \[\['Nope'\]\]; list tuples "
         r"of builtin exception names"),
        ("{ integers = [-5, 5] }, { integers", '{ recorder = "1x" }, { integers',
         r"field 'model.operations\[1\].args\[1\].recorder' is '1x'; name the list"),
        ('    { name = "sub", args',
         '    { name = "slept", recorded = true },\n    { name = "sub", args',
         r"field 'model.operations\[2\].name' is 'slept', which no \{recorder = ...\} spec names; "
         r'pass a recorder of that name: \{recorder = "slept"\}'),
        ('{ name = "sub", args', '{ name = "sub", recorded = true, args',
         r"field 'model.operations\[2\].args' must be empty for a `recorded` operation"),
        ("[model]\n", "[model]\nmax_operation = 3\n",
         r"field 'model.max_operation' is not known; use only constructor, constructor_args, "),
        ("repeat = 5", "repeat = 0",
         r"field 'benchmark.repeat' must be a whole number from 1, not 0; fix the value"),
        ("code = \"for i in range(10_000)", "code = \"for i in range(10_000",
         r"field 'benchmark.code' is not Python: .*; fix the code"),
        ("code = \"for i", "cod = \"for i",
         r"field 'benchmark.cod' is not known; use only description, setup, code"),
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


def test_a_task_without_hints_loads_for_verify_to_name(catalog_copy):
    """An empty or missing list loads (a new kata's tasks have none yet); `kata verify`
    is what fails it, naming the task."""
    path = _toml(catalog_copy)
    path.write_text(path.read_text().replace('hints = ["add() returns a + b."]\n', ""))
    assert Catalog(catalog_copy).get("adder").tasks[0].hints == ()


def test_every_shipped_task_has_a_hint():
    for kata in Catalog(default_root()).all():
        assert all(task.hints for task in kata.tasks), kata.slug


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
