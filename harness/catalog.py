"""Loads and validates the katas of a catalog and finds them by slug, topic and difficulty."""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from harness.errors import CatalogError, UsageError
from harness.model import Benchmark, Model, parse_benchmark, parse_model

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- exercised only on Python 3.10
    import tomli as tomllib

#: The nine topics of the system design guide, in the order the curriculum takes them.
TOPICS = (
    "networking",
    "concurrency",
    "data-modeling",
    "storage",
    "scaling",
    "reliability",
    "state-management",
    "observability",
    "interview",
)
DIFFICULTIES = ("beginner", "intermediate", "advanced")
DATABASES = ("sqlite", "postgresql")

_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_MARKER = re.compile(r"^[a-z_][a-z0-9_]*$")
_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_TASK_KEYS = ("title", "marker", "weight", "hints")


@dataclass(frozen=True)
class Task:
    """One level of a kata: the tests carrying `marker` belong to it."""

    id: int
    title: str
    marker: str
    weight: float = 1.0
    hints: tuple[str, ...] = ()  # Jinja2 strings, revealed one at a time by `kata hint`


@dataclass(frozen=True)
class Timeout:
    """Seconds allowed per test and for the whole run."""

    test: float = 5.0
    total: float = 60.0


@dataclass(frozen=True)
class Kata:
    """A kata as its `kata.toml` describes it, with the paths of its parts."""

    slug: str
    title: str
    topic: str
    difficulty: str
    summary: str
    files: tuple[str, ...]
    tasks: tuple[Task, ...]
    timeout: Timeout
    path: Path
    solution_path: Path
    learned: str = ""
    requires: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    points: float = 10.0
    processes: bool = False  # the learner's code may start processes (e.g. parallel-map)
    model: Model | None = None  # operations for differential testing (compare)
    benchmark: Benchmark | None = None  # a workload to time (compare)

    @property
    def stub_dir(self) -> Path:
        return self.path / "stub"

    @property
    def visible_dir(self) -> Path:
        return self.path / "tests" / "visible"

    @property
    def hidden_dir(self) -> Path:
        return self.path / "tests" / "hidden"

    @property
    def readme_template(self) -> Path:
        return self.path / "README.md.j2"

    @property
    def mutants_file(self) -> Path:
        """Known-wrong versions, each its one mistake (read by `harness.mutants`)."""
        return self.solution_path / "mutants.toml"

    @property
    def notes(self) -> Path:
        return self.solution_path / "NOTES.md"

    @property
    def hidden_suite_installed(self) -> bool:
        """False in the learners' install (kata-harness without its grading material) and in
        a hand-out's: there `kata check` runs the examples only."""
        return any(self.hidden_dir.glob("test_*.py"))

    @property
    def reference_installed(self) -> bool:
        return all((self.solution_path / name).is_file() for name in self.files)

    def task_for_marker(self, marker: str) -> Task | None:
        return next((t for t in self.tasks if t.marker == marker), None)

    def visible_tests(self) -> list[Path]:
        return sorted(self.visible_dir.glob("test_*.py"))

    def identity(self) -> str:
        """The content hash of the kata's folder as it is on disk now (kata.toml, stub,
        examples, hidden suite: all that grading reads of the kata): a queue's task names
        it, so that a worker never grades with another version."""
        from harness import intake

        return intake.digest(self.path) or "unreadable"


#: How to get the grading material (hidden suites, solutions) where it is missing.
GET_MATERIAL = ("install the grading material (pip install 'kata-harness[full]'; from a "
                "checkout of the kata repository: pip install . ./material), or name a catalog "
                "that holds it with --catalog DIR or KATA_CATALOG")


def require_hidden_suite(kata: Kata, command: str) -> None:
    """Stops a command that grades when the kata's hidden suite is not installed here: a
    grade from the examples alone would look like a real one."""
    if not kata.hidden_suite_installed:
        raise UsageError(
            f"{command} needs the hidden suite of {kata.slug}, and this install has none (no "
            f"test_*.py in {kata.hidden_dir}): it is the learners' install. To grade, "
            + GET_MATERIAL)


def require_reference(kata: Kata, command: str) -> None:
    """Stops a command that needs the reference solution when it is not installed here."""
    if not kata.reference_installed:
        missing = ", ".join(n for n in kata.files if not (kata.solution_path / n).is_file())
        raise UsageError(
            f"{command} needs the reference solution of {kata.slug} ({missing}), and this "
            f"install has none (nothing in {kata.solution_path}). In a course, your "
            "instructor keeps it; to see it yourself, " + GET_MATERIAL)


def default_root() -> Path:
    """Returns the catalog shipped with the package (installed), else the source tree's."""
    here = Path(__file__).resolve().parent
    installed = here / "_catalog"
    if (installed / "katas").is_dir():
        return installed
    return here.parent


def resolve_root(explicit: str | os.PathLike | None = None) -> Path:
    """Picks the catalog: `--catalog`, then `KATA_CATALOG`, then the shipped one."""
    chosen = explicit or os.environ.get("KATA_CATALOG")
    if not chosen:
        return default_root()
    root = Path(chosen).expanduser().resolve()
    where = "--catalog" if explicit else "KATA_CATALOG"
    if not (root / "katas").is_dir():
        raise UsageError(
            f"catalog {root} (from {where}) has no katas/ folder; "
            "point it at a directory holding katas/<topic>/<slug>/ and solutions/<slug>/"
        )
    return root


class Catalog:
    """The katas found under one catalog root (`katas/` and `solutions/`)."""

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = resolve_root(root)
        #: named by --catalog or KATA_CATALOG, so a new workspace remembers it (the shipped
        #: one is found again without help)
        self.named = bool(root or os.environ.get("KATA_CATALOG"))

    @cached_property
    def _katas(self) -> dict[str, Kata]:
        found: dict[str, Kata] = {}
        for toml_path in sorted((self.root / "katas").glob("*/*/kata.toml")):
            kata = load_kata(toml_path, self.root / "solutions")
            if kata.slug in found:
                raise CatalogError(
                    f"{toml_path}: slug '{kata.slug}' is already used by "
                    f"{found[kata.slug].path / 'kata.toml'}; slugs must be unique"
                )
            found[kata.slug] = kata
        return found

    def all(self) -> list[Kata]:
        """Returns every kata in curriculum order: topic, then difficulty, then title."""
        return sorted(self._katas.values(), key=_curriculum_key)

    def filter(self, topic: str | None = None, difficulty: str | None = None) -> list[Kata]:
        """The katas of a topic and a difficulty, named in any case (`Networking`)."""
        topic = topic.strip().lower() if topic is not None else None
        difficulty = difficulty.strip().lower() if difficulty is not None else None
        if topic is not None and topic not in TOPICS:
            raise UsageError(f"unknown topic '{topic}'; topics are: {', '.join(TOPICS)}")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise UsageError(
                f"unknown difficulty '{difficulty}'; choose one of: {', '.join(DIFFICULTIES)}"
            )
        return [
            k
            for k in self.all()
            if (topic is None or k.topic == topic)
            and (difficulty is None or k.difficulty == difficulty)
        ]

    def get(self, slug: str) -> Kata:
        """Finds a kata by slug, suggesting the nearest one when the slug is unknown."""
        try:
            return self._katas[slug]
        except KeyError:
            pass
        close = difflib.get_close_matches(slug, list(self._katas), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UsageError(f"unknown kata '{slug}'{hint} (kata list shows all)") from None


def _curriculum_key(kata: Kata) -> tuple[int, int, str]:
    return (TOPICS.index(kata.topic), DIFFICULTIES.index(kata.difficulty), kata.slug)


def load_kata(toml_path: Path, solutions_root: Path) -> Kata:
    """Reads one `kata.toml`, raising CatalogError that names the file, the field and the fix."""
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{toml_path}: not valid TOML ({exc})") from None
    return _Validator(toml_path, data, solutions_root).kata()


class _Validator:
    """Checks the fields of one kata.toml; each error says file, field and fix."""

    def __init__(self, path: Path, data: dict, solutions_root: Path) -> None:
        self.path = path
        self.data = data
        self.solutions_root = solutions_root

    def fail(self, field_name: str, problem: str, fix: str) -> CatalogError:
        return CatalogError(f"{self.path}: field '{field_name}' {problem}; {fix}")

    def string(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is missing", f'add {name} = "..."')
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(name, f"must be a non-empty string, not {value!r}", "quote it")
        return value

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.string(name)
        if value not in choices:
            raise self.fail(name, f"is '{value}'", f"use one of: {', '.join(choices)}")
        return value

    def string_list(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(name, None)
        if value is None:
            if required:
                raise self.fail(name, "is missing", f'add {name} = ["..."]')
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(name, f"must be a list of non-empty strings, not {value!r}", "fix it")
        if required and not value:
            raise self.fail(name, "is empty", "list at least one entry")
        return tuple(value)

    def kata(self) -> Kata:
        slug = self.string("slug")
        folder = self.path.parent.name
        if not _SLUG.match(slug):
            raise self.fail("slug", f"'{slug}' is not lowercase-with-dashes", "rename it")
        if slug != folder:
            raise self.fail("slug", f"is '{slug}' but the folder is '{folder}'", "make them equal")
        topic = self.choice("topic", TOPICS)
        if self.path.parent.parent.name != topic:
            raise self.fail(
                "topic",
                f"is '{topic}' but the kata lives under katas/{self.path.parent.parent.name}/",
                f"move it to katas/{topic}/{slug}/ or fix the topic",
            )
        files = self.string_list("files", required=True)
        for name in files:
            if not _FILE.match(name):
                raise self.fail("files", f"names '{name}'", "use plain file names, no folders")
        return Kata(
            slug=slug,
            title=self.string("title"),
            topic=topic,
            difficulty=self.choice("difficulty", DIFFICULTIES),
            summary=self.string("summary"),
            files=files,
            tasks=self.tasks(),
            timeout=self.timeout(),
            path=self.path.parent,
            solution_path=self.solutions_root / slug,
            learned=self.string("learned", required=False),
            requires=self.string_list("requires"),
            databases=self.databases(),
            weights=self.weights(),
            points=self.positive("points", self.data.get("points", 10.0)),
            processes=self.boolean("processes"),
            model=parse_model(self.table("model"), files, self.path),
            benchmark=parse_benchmark(self.table("benchmark"), self.path),
        )

    def table(self, name: str) -> dict:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, "is not a table", f"write it as [{name}]")
        return value

    def boolean(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, not {value!r}", "fix the value")
        return value

    def positive(self, name: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.fail(name, f"must be a positive number, not {value!r}", "fix the value")
        return float(value)

    def tasks(self) -> tuple[Task, ...]:
        if "hints" in self.data:
            raise self.fail(
                "hints", "is a list for the whole kata, but each hint belongs to a task",
                "move every hint into the [[tasks]] table it is about, as "
                'hints = ["..."], and remove the top-level hints')
        raw = self.data.get("tasks")
        if not isinstance(raw, list) or not raw:
            raise self.fail(
                "tasks", "is missing or empty", 'add [[tasks]] tables with title and marker'
            )
        tasks, markers = [], set()
        for number, entry in enumerate(raw, start=1):
            where = f"tasks[{number}]"
            if not isinstance(entry, dict):
                raise self.fail(where, "is not a table", "write it as [[tasks]]")
            for key in entry:
                if key not in _TASK_KEYS:
                    raise self.fail(f"{where}.{key}", "is not known",
                                    f"use only {', '.join(_TASK_KEYS)}")
            title, marker = entry.get("title"), entry.get("marker")
            if not isinstance(title, str) or not title.strip():
                raise self.fail(f"{where}.title", "is missing", 'add title = "..."')
            if not isinstance(marker, str) or not _MARKER.match(marker):
                raise self.fail(
                    f"{where}.marker", f"is {marker!r}", "use a pytest marker name like round_robin"
                )
            if marker in markers:
                raise self.fail(f"{where}.marker", f"'{marker}' is used twice", "make it unique")
            markers.add(marker)
            weight = self.positive(f"{where}.weight", entry.get("weight", 1))
            tasks.append(Task(id=number, title=title, marker=marker, weight=weight,
                              hints=self.task_hints(where, entry.get("hints", []))))
        return tuple(tasks)

    def task_hints(self, where: str, value: object) -> tuple[str, ...]:
        """A task's hints; an empty list is allowed here (a new kata's), `kata verify`
        fails a task without one."""
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise self.fail(f"{where}.hints", f"must be a list of non-empty strings, not "
                            f"{value!r}", 'write hints = ["...", "..."]')
        return tuple(value)

    def timeout(self) -> Timeout:
        raw = self.data.get("timeout", {})
        if not isinstance(raw, dict):
            raise self.fail("timeout", "is not a table", "write [timeout] with test and total")
        test = self.positive("timeout.test", raw.get("test", 5))
        total = self.positive("timeout.total", raw.get("total", 60))
        if total < test:
            raise self.fail("timeout.total", f"({total}) is below timeout.test", "raise it")
        return Timeout(test=test, total=total)

    def databases(self) -> tuple[str, ...]:
        values = self.string_list("databases")
        for value in values:
            if value not in DATABASES:
                raise self.fail("databases", f"names '{value}'", f"use {', '.join(DATABASES)}")
        return values

    def weights(self) -> dict[str, float]:
        raw = self.data.get("weights", {})
        if not isinstance(raw, dict):
            raise self.fail("weights", "is not a table", "write [weights] test_name = 2")
        return {name: self.positive(f"weights.{name}", value) for name, value in raw.items()}
