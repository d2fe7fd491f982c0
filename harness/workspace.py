"""A learner's workspace: start one, find the kata of a directory, keep state and progress.

State of one workspace lives in its `.kata/state.json`; progress across workspaces
lives in `progress.json` under the user data directory (`KATA_HOME` overrides it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harness.catalog import Catalog, Kata, Task
from harness.errors import UsageError
from harness.result import RunResult

STATE_DIR = ".kata"
STATE_FILE = "state.json"
_MAX_CHECKS_KEPT = 50


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def kata_home() -> Path:
    """Returns where progress across workspaces is kept."""
    explicit = os.environ.get("KATA_HOME")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "kata"


def write_json(path: Path, data: Any) -> None:
    """Writes JSON atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc}); delete it to start afresh") from None


def render_text(template: str, kata: Kata) -> str:
    """Renders a Jinja2 string of a kata; an undefined variable is an error, not a blank."""
    import jinja2  # only starting a workspace and revealing hints need templates

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
    return env.from_string(template).render(kata=kata)


def render_readme(kata: Kata) -> str:
    """Renders the kata's README.md.j2 into the workspace's README.md."""
    return render_text(kata.readme_template.read_text(encoding="utf-8"), kata)


@dataclass
class Workspace:
    """A directory where a learner works on one kata."""

    path: Path
    state: dict[str, Any]

    @property
    def slug(self) -> str:
        return str(self.state["slug"])

    @property
    def catalog_root(self) -> str | None:
        """The catalog this workspace was started from on this machine, when the person who
        started it named one. It is kept in the user's data folder, never in `.kata/`: a
        file the learner commits must not choose the tests that grade it."""
        remembered = read_json(_catalogs_file(), {})
        found = remembered.get(str(self.path)) if isinstance(remembered, dict) else None
        return found if isinstance(found, str) else None

    def save(self) -> None:
        write_json(self.path / STATE_DIR / STATE_FILE, self.state)

    def reveal_hint(self, kata: Kata, task: Task) -> tuple[int, str] | None:
        """Reveals the task's next hint and remembers it; None when all of them are out."""
        shown = self.hints_shown(task)
        if shown >= len(task.hints):
            return None
        counts = self._hint_counts()
        counts[str(task.id)] = shown + 1
        self.state["hints_shown"] = counts
        self.save()
        return shown + 1, render_text(task.hints[shown], kata)

    def hints_shown(self, task: Task) -> int:
        """How many of the task's hints are out already."""
        return min(self._hint_counts().get(str(task.id), 0), len(task.hints))

    def _hint_counts(self) -> dict[str, int]:
        """{task id: hints shown}, from a state.json the learner may have edited."""
        counts = self.state.get("hints_shown")
        if not isinstance(counts, dict):
            return {}
        return {str(k): v for k, v in counts.items() if isinstance(v, int) and v >= 0}

    def revealed_hints(self, kata: Kata, task: Task) -> list[str]:
        return [render_text(hint, kata) for hint in task.hints[:self.hints_shown(task)]]

    def finished_tasks(self, kata: Kata) -> set[int]:
        """The tasks whose tests all passed in the last check (none before any check)."""
        checks = self.state.get("checks") or []
        if not checks:
            return set()
        last = checks[-1]
        if isinstance(last.get("tasks_passed"), list):
            return {n for n in last["tasks_passed"] if isinstance(n, int)}
        # a check recorded before per-task results were: its count of finished tasks
        return {t.id for t in kata.tasks[:int(last.get("tasks_done", 0))]}

    def first_unfinished(self, kata: Kata) -> Task | None:
        """The first task the last check did not pass; None when it passed every task."""
        finished = self.finished_tasks(kata)
        return next((t for t in kata.tasks if t.id not in finished), None)

    def current_task(self, kata: Kata) -> int:
        """The task the learner is on: the first unfinished one by the last check (task 1
        before any check; the last task once every one passed)."""
        task = self.first_unfinished(kata)
        return task.id if task is not None else len(kata.tasks)

    def record_check(self, result: RunResult) -> None:
        """Remembers a check in the workspace and in the learner's progress."""
        at = now_iso()
        entry = {"at": at, "status": result.status.value, "score": round(result.score, 4),
                 "max_score": result.max_score,
                 "tasks_done": sum(t.done for t in result.tasks),
                 "tasks_passed": [t.id for t in result.tasks if t.done]}
        checks = list(self.state.get("checks", []))[-(_MAX_CHECKS_KEPT - 1):]
        self.state["checks"] = [*checks, entry]
        if result.passed and not self.state.get("passed_at"):
            self.state["passed_at"] = at
        self.save()
        Progress().record_check(self, result, at)


def start(kata: Kata, dest: Path, *, force: bool = False,
          catalog_root: Path | None = None) -> Workspace:
    """Creates a workspace: README, stub, visible tests and `.kata/` state.

    A non-empty destination is refused unless `force`; even then, every file that
    would be replaced is first moved to `.kata/backup-<time>/`, so no work is lost.
    """
    dest = write_learner_files(kata, dest, force=force)
    state = {"version": 1, "slug": kata.slug, "started_at": now_iso(), "hints_shown": {},
             "checks": [], "passed_at": None}
    workspace = Workspace(dest, state)
    workspace.save()
    if catalog_root is not None:
        _remember_catalog(dest, catalog_root)
    Progress().record_start(workspace)
    return workspace


def write_handout_state(kata: Kata, folder: Path) -> Workspace:
    """Makes a hand-out a workspace that `kata check` finds (in the student's clone and in
    its CI): the kata's slug and nothing of the maker's (no time, checks, hints or catalog)."""
    workspace = Workspace(Path(folder), {"version": 1, "slug": kata.slug, "hints_shown": {},
                                         "checks": [], "passed_at": None})
    workspace.save()
    return workspace


def write_learner_files(kata: Kata, dest: Path, *, force: bool = False) -> Path:
    """Writes what a learner gets (README, stub, visible tests) and nothing else: no state,
    no progress; a hand-out is made of these. Returns the folder, resolved."""
    dest = Path(dest).resolve()
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory; choose another --dir")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise UsageError(
            f"{dest} is not empty; kata start will not overwrite your work. "
            "Choose another --dir, or add --force (replaced files are backed up in .kata/)"
        )
    files = {name: (kata.stub_dir / name).read_bytes() for name in kata.files}
    for test in kata.visible_tests():
        files[test.name] = test.read_bytes()
    files["README.md"] = render_readme(kata).encode("utf-8")
    files["pytest.ini"] = pytest_ini(kata).encode("utf-8")

    dest.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = dest / STATE_DIR / f"backup-{stamp}"
    for name, content in files.items():
        target = dest / name
        if target.exists() and target.read_bytes() != content:
            backup.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), backup / name)
        target.write_bytes(content)
    return dest


_PYTEST_OWN_MARKS = {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings"}


def pytest_ini(kata: Kata) -> str:
    """A workspace's pytest.ini: registers the markers its example tests use (each task's,
    and any other), so a plain `python -m pytest` there prints no PytestUnknownMarkWarning.
    `kata check` grades with its own configuration and never reads this file."""
    marks = {task.marker: f"task {task.id}, {task.title}" for task in kata.tasks}
    for test in kata.visible_tests():
        for name in re.findall(r"\bpytest\.mark\.([A-Za-z_]\w*)", test.read_text("utf-8")):
            if name not in _PYTEST_OWN_MARKS:
                marks.setdefault(name, "used by the example tests")
    lines = ["# Written by kata start: lets `python -m pytest` run the example tests here.",
             "[pytest]", "markers ="]
    lines += [f"    {name}: {what}" for name, what in marks.items()]
    return "\n".join(lines) + "\n"


def locate(path: Path) -> Workspace:
    """Finds the workspace holding `path` (a directory or a file inside one)."""
    path = Path(path).resolve()
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    here = path if path.is_dir() else path.parent
    for folder in (here, *here.parents):
        state_file = folder / STATE_DIR / STATE_FILE
        if state_file.is_file():
            state = read_json(state_file, {})
            if not isinstance(state, dict) or "slug" not in state:
                raise UsageError(f"{state_file} is damaged (no slug); run kata start again")
            return Workspace(folder, state)
    raise UsageError(
        f"{here} is not a kata workspace (no {STATE_DIR}/ found here or above). "
        "Run `kata start SLUG` to create one, or give the workspace's path."
    )


def _catalogs_file() -> Path:
    return kata_home() / "catalogs.json"


def _remember_catalog(workspace: Path, root: Path) -> None:
    remembered = read_json(_catalogs_file(), {})
    remembered = remembered if isinstance(remembered, dict) else {}
    remembered[str(workspace)] = str(root)
    write_json(_catalogs_file(), remembered)


def catalog_for(workspace: Workspace, explicit: str | None = None) -> Catalog:
    """Opens the catalog a workspace was started from, unless one is named explicitly."""
    return Catalog(explicit or workspace.catalog_root)


class Progress:
    """What this learner has started and passed: one record per workspace of each kata
    (two workspaces of the same kata, a stub and a finished one, keep their own)."""

    VERSION = 2

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or kata_home()) / "progress.json"

    def load(self) -> dict[str, dict[str, dict[str, Any]]]:
        """{slug: {workspace path: its record}}. A version-1 file held one record per kata,
        naming its workspace: read as that workspace's record."""
        data = read_json(self.path, {})
        katas = data.get("katas", {}) if isinstance(data, dict) else {}
        if not isinstance(katas, dict):
            return {}
        version = data.get("version", 1)
        loaded: dict[str, dict[str, dict[str, Any]]] = {}
        for slug, entry in katas.items():
            if not isinstance(entry, dict):
                continue
            if version == 1:
                where = entry.get("workspace")
                records = {str(where): entry} if isinstance(where, str) else {}
            else:
                records = entry.get("workspaces", {})
            loaded[slug] = {path: dict(record) for path, record in records.items()
                            if isinstance(record, dict)}
        return loaded

    def _update(self, workspace: Workspace, **changes: Any) -> None:
        katas = self.load()
        records = katas.setdefault(workspace.slug, {})
        record = records.setdefault(str(workspace.path), {})
        record.update(changes)
        write_json(self.path, {"version": self.VERSION,
                               "katas": {slug: {"workspaces": records}
                                         for slug, records in katas.items()}})

    def record_start(self, workspace: Workspace) -> None:
        """A new workspace starts a new record (a restart in the same folder, too)."""
        self._update(workspace, started_at=workspace.state["started_at"], checks=0,
                     best_score=None, passed_at=None, last_check=None)

    def record_check(self, workspace: Workspace, result: RunResult, at: str) -> None:
        record = self.load().get(workspace.slug, {}).get(str(workspace.path), {})
        best = max(float(record.get("best_score") or 0.0), result.score)
        changes: dict[str, Any] = {"last_check": at, "best_score": round(best, 4),
                                   "max_score": result.max_score,
                                   "checks": int(record.get("checks") or 0) + 1}
        if result.passed and not record.get("passed_at"):
            changes["passed_at"] = at
        if not record.get("started_at"):
            changes["started_at"] = workspace.state.get("started_at")
        self._update(workspace, **changes)

    def workspaces(self, slug: str) -> dict[str, dict[str, Any]]:
        """The kata's workspaces, most recently used first."""
        records = self.load().get(slug, {})
        return dict(sorted(records.items(), key=lambda item: str(
            item[1].get("last_check") or item[1].get("started_at") or ""), reverse=True))

    def passed(self, slug: str) -> bool:
        """Whether the learner passed the kata in any of its workspaces."""
        return any(r.get("passed_at") for r in self.load().get(slug, {}).values())

    def status(self, slug: str) -> str:
        records = self.load().get(slug)
        if not records:
            return ""
        return "passed" if self.passed(slug) else "started"


def changed_files(workspace: Workspace, kata: Kata) -> list[str]:
    """The kata's files that hold something other than the stub (the learner's work)."""
    return [name for name in kata.files
            if (workspace.path / name).is_file()
            and (workspace.path / name).read_bytes() != (kata.stub_dir / name).read_bytes()]


def reset(workspace: Workspace, kata: Kata) -> Path | None:
    """Puts the stub back; the learner's own versions go to `.kata/backup-<time>/` first.
    Returns that folder, or None when there was nothing of the learner's to keep (missing
    files, or the stub itself)."""
    keep = changed_files(workspace, kata)
    backup = None
    if keep:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = workspace.path / STATE_DIR / f"backup-{stamp}"
        backup.mkdir(parents=True)
        for name in keep:
            shutil.copy2(workspace.path / name, backup / name)
    for name in kata.files:
        shutil.copyfile(kata.stub_dir / name, workspace.path / name)
    workspace.state["reset_at"] = now_iso()
    workspace.save()
    return backup


def suggest_next(katas: list[Kata], progress: Progress) -> Kata | None:
    """The first kata in curriculum order (topic, then difficulty) not passed yet."""
    return next((k for k in katas if not progress.passed(k.slug)), None)
