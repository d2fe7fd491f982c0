"""The folder a `kata grade` run writes: owned by that run, whole, and named by a run id.

A grade's output folder holds a manifest, `kata-grade.json`: the kata, the run id, the
shard, and the result file of every submission graded. A run refuses a non-empty folder
that holds no manifest (somebody else's files), replaces a previous run's folder whole
(no result of an earlier class survives into the new report), and writes the new one
beside it before swapping it in, so a failure half-way leaves the previous report intact.
`kata merge` reads only what each manifest lists, and only shards of one run.

The run id of a class is derived from what is graded (the kata, the number of shards and
every submission's files), so the shards of one class in a CI matrix agree on it without
being told; `--run-id` names it outright (e.g. the CI's own run number).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UsageError
from harness.result import RunResult, result_from_dict

MANIFEST = "kata-grade.json"
_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    kata: str
    run: str
    shard: tuple[int, int] | None  # (I, N): slice I of N; None for a whole class
    results: dict[str, str]  # submission name -> result file, relative to the folder

    def to_dict(self) -> dict:
        return {"version": _VERSION, "tool": "kata grade", "kata": self.kata, "run": self.run,
                "shard": list(self.shard) if self.shard else None, "results": self.results}


def run_id(slug: str, shards: int, submissions: Sequence[tuple[str, Path | None, dict[str, Path]]]
           ) -> str:
    """The id of grading `submissions` (name, folder, files standing in for the kata's)
    with `slug` in `shards` slices: the same for every shard of one class, different when
    any file differs."""
    digest = hashlib.sha256(f"{slug}\0{shards}\0".encode())
    for name, folder, named in sorted(submissions, key=lambda item: item[0]):
        digest.update(name.encode("utf-8", "backslashreplace") + b"\0")
        files = ({str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))}
                 if folder is not None and folder.is_dir() else dict(named))
        if folder is not None and folder.is_file():
            files = {folder.name: folder}
        for label, path in sorted(files.items()):
            if path.is_file() and not path.is_symlink():
                digest.update(label.encode("utf-8", "backslashreplace") + b"\0")
                with contextlib.suppress(OSError):
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def claim(out: Path) -> None:
    """Checks, before any grading, that a run may write `out`: missing, empty, or a
    previous `kata grade` output (which the run will replace whole)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the reports")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UsageError(
            f"--out {out} is not empty and was not written by kata grade (no {MANIFEST} in "
            "it); a run replaces its output folder whole, so give a new or empty folder")


def write(out: Path, manifest: Manifest, fill: Callable[[Path], object]) -> None:
    """Writes a run's output: `fill` writes the reports into a fresh folder beside `out`,
    the manifest goes in last, and the folder then takes `out`'s place whole."""
    claim(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.kata-new-", dir=out.parent))
    try:
        fill(staging)
        (staging / MANIFEST).write_text(json.dumps(manifest.to_dict(), indent=2) + "\n",
                                        encoding="utf-8")
        os.chmod(staging, 0o755)  # mkdtemp's 0700 would hide the reports from a web server
        old = None
        if out.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.kata-old-", dir=out.parent))
            os.replace(out, old / "previous")
        os.replace(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_run(folder: Path) -> tuple[Manifest, dict[str, dict]]:
    """A previous run's manifest and the result of every submission it lists, as dicts."""
    path = folder / MANIFEST
    if not path.is_file():
        raise UsageError(f"{folder} holds no {MANIFEST}: it was not written by kata grade "
                         "(or by a version before run ids); grade the class again")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        shard = data["shard"]
        manifest = Manifest(kata=str(data["kata"]), run=str(data["run"]),
                            shard=(int(shard[0]), int(shard[1])) if shard else None,
                            results={str(k): str(v) for k, v in data["results"].items()})
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise UsageError(f"{path} is damaged ({exc}); grade the class again") from None
    results = {}
    for name, relative in manifest.results.items():
        file = (folder / relative).resolve()
        if folder.resolve() not in file.parents or not file.is_file():
            raise UsageError(f"{folder}: the result of {name} ({relative}) is missing")
        results[name] = json.loads(file.read_text(encoding="utf-8"))
    return manifest, results


def check_one_run(manifests: Sequence[tuple[Path, Manifest]]) -> tuple[str, str]:
    """Checks that folders to merge are the shards of one run, each once, none missing;
    returns (kata, run id)."""
    runs = {m.run for _f, m in manifests}
    if len(runs) != 1:
        listed = ", ".join(f"{f} (run {m.run})" for f, m in manifests)
        raise UsageError(f"these folders are not shards of one run: {listed}; merge the "
                         "shards of one kata grade run (same class, same --shard N)")
    katas = {m.kata for _f, m in manifests}
    if len(katas) != 1:
        raise UsageError(f"the folders grade different katas: {', '.join(sorted(katas))}")
    shards = [m.shard for _f, m in manifests]
    if any(s is None for s in shards):
        if len(manifests) > 1:
            raise UsageError("a whole-class run cannot be merged with other folders")
        return katas.pop(), runs.pop()
    counts = {s[1] for s in shards if s}
    if len(counts) != 1:
        raise UsageError("the folders slice the class differently (--shard I/N with "
                         f"N = {', '.join(map(str, sorted(counts)))}); merge one run's shards")
    count = counts.pop()
    seen = sorted(s[0] for s in shards if s)
    if len(seen) != len(set(seen)):
        raise UsageError("a shard appears twice; merge each shard once")
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
    if missing:
        raise UsageError(f"shard {', '.join(missing)} of this run is missing; merge all "
                         f"{count} shards")
    return katas.pop(), runs.pop()


def gather(folders: Sequence[Path], out: Path) -> tuple[str, str, list[RunResult]]:
    """What `kata merge` merges: the kata, the run id, and every submission's result from
    the shards of one run in `folders`, in name order; `out` must be none of them."""
    if any(out.resolve() == folder.resolve() for folder in folders):
        raise UsageError(f"--out {out} is one of the folders to merge; give another folder")
    claim(out)
    read = [(folder, *read_run(folder)) for folder in folders]
    slug, run = check_one_run([(folder, manifest) for folder, manifest, _r in read])
    by_name: dict[str, dict] = {}
    for _folder, _manifest, found in read:
        for name, data in found.items():
            if name in by_name:
                raise UsageError(f"{name} appears in two shards; merge each shard once")
            by_name[name] = data
    try:
        results = [result_from_dict(by_name[name]) for name in sorted(by_name)]
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"a result file of this run is damaged ({exc})") from None
    return slug, run, results
