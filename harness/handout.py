"""What a hand-out must not hold, and the check of it: in the files `kata export` writes, and
in the harness its workflow installs (a wheel, an archive or the installed distribution)."""

from __future__ import annotations

import functools
import re
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from harness.catalog import Kata
from harness.errors import HarnessError, UsageError

#: A path inside a distribution that only the grading material may hold.
_MATERIAL_PATH = re.compile(r"(^|/)tests/hidden/|(^|/)_catalog/solutions/|(^|/)solutions/[^/]+/")
_MIN_LINE = 16  # shorter reference lines (`return total`) say too little to be a leak


@dataclass(frozen=True)
class Secrets:
    """What of a kata the students' side must never see: the hidden tests' names and the
    reference's own lines (those that no learner-side file and no harness module also has:
    `from dataclasses import dataclass` gives nothing away)."""

    slug: str
    test_names: frozenset[str]
    reference_lines: frozenset[str]

    @classmethod
    def of(cls, kata: Kata) -> Secrets:
        learner_side = "\n".join(_texts(  # kata.toml: its hints are the learner's too
            _files(kata.stub_dir, kata.visible_dir, kata.readme_template, kata.path / "kata.toml")))
        harness_text, harness_words = _harness_code()
        known_words = set(re.findall(r"\w+", learner_side)) | harness_words
        names = {match for path in sorted(kata.hidden_dir.glob("*.py"))
                 for match in re.findall(r"^\s*def (test_\w+)", _read(path), re.MULTILINE)}
        lines = {line.strip() for name in kata.files if (kata.solution_path / name).is_file()
                 for line in _read(kata.solution_path / name).splitlines()}
        return cls(
            slug=kata.slug,
            test_names=frozenset(names - known_words),
            reference_lines=frozenset(
                line for line in lines if len(line) >= _MIN_LINE
                # as found_in searches: a line inside a harness line is no secret either
                and line not in harness_text and line not in learner_side))

    def found_in(self, text: str) -> list[str]:
        """The secrets `text` holds, each named for a message."""
        found = [f"hidden test {n}" for n in sorted(self.test_names)
                 if n in text and re.search(rf"\b{n}\b", text)]
        return found + [f"reference line {line!r}" for line in sorted(self.reference_lines)
                        if line in text]

    def refuse_in_files(self, files: Iterable[Path], folder: Path) -> None:
        """Stops an export whose own files hold a secret (a harness bug, never the user's)."""
        for path in files:
            found = self.found_in(_read(path))
            if found:
                raise HarnessError(f"the hand-out's {path.relative_to(folder)} holds "
                                   f"{found[0]} of {self.slug}; nothing was handed out")


@dataclass(frozen=True)
class Inspection:
    """What `kata export` could see of the harness a hand-out installs: where it read it, or
    why it could not."""

    requirement: str
    inspected: str = ""
    unread: str = ""

    def describe(self) -> str:
        if self.inspected:
            return (f"It installs {self.requirement}, checked in {self.inspected}: no hidden "
                    "test and no reference in it.")
        return (f"It installs {self.requirement}, which could not be read from here "
                f"({self.unread}): make sure it is the learners' distribution, kata-harness, "
                "and never kata-harness-material.")


def inspect_requirement(requirement: str, secrets: Secrets) -> Inspection:
    """Reads what `pip install REQUIREMENT` would put on a student's machine, where it can be
    read from here, and refuses one holding grading material or the kata's secrets."""
    local = _local_path(requirement)
    if local is not None:
        if local.is_dir():
            return Inspection(requirement, unread="a source folder, built when installed")
        if not local.is_file():
            raise UsageError(f"--harness {requirement}: {local} does not exist")
        _refuse(requirement, _archive_members(local), secrets)
        return Inspection(requirement, inspected=str(local))
    pinned = re.fullmatch(r"kata-harness==(\S+)", requirement)
    if not pinned:
        return Inspection(requirement, unread="a URL or a package index")
    try:
        installed = metadata.distribution("kata-harness")
    except metadata.PackageNotFoundError:
        return Inspection(requirement, unread="kata-harness is not installed here")
    if installed.version != pinned.group(1) or not installed.files:
        return Inspection(requirement, unread=f"the installed one is {installed.version}")
    members = ((str(f), _read(Path(str(f.locate())))) for f in installed.files
               if not str(f).endswith(".pyc"))
    _refuse(requirement, members, secrets)
    return Inspection(requirement, inspected=f"the installed kata-harness {installed.version}")


def _refuse(requirement: str, members: Iterable[tuple[str, str]], secrets: Secrets) -> None:
    for name, text in members:
        found = ["grading material"] if _MATERIAL_PATH.search(name) else secrets.found_in(text)
        if found:
            raise UsageError(
                f"--harness {requirement} would put {name} on the students' machines, and it "
                f"holds {found[0]} of {secrets.slug}: hand out the learners' distribution, "
                "kata-harness, instead")


def _local_path(requirement: str) -> Path | None:
    """The file or folder a requirement names, when it names one on this machine."""
    target = requirement.split(" @ ", 1)[-1].strip()
    if target.startswith("file:"):
        return Path(unquote(urlparse(target).path))
    if "://" in target or target.startswith("git+"):
        return None
    path = Path(target).expanduser()
    looks_like_path = "/" in target or target.endswith((".whl", ".zip", ".tar.gz", ".tgz"))
    return path.resolve() if looks_like_path or path.exists() else None


def _archive_members(path: Path) -> Iterator[tuple[str, str]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info).decode("utf-8", "replace")
        return
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.isfile() else None
                if handle is not None:
                    yield member.name, handle.read().decode("utf-8", "replace")
        return
    raise UsageError(f"--harness {path}: not a wheel, a zip or a tar archive")


@functools.cache
def _harness_code() -> tuple[str, frozenset[str]]:
    """The text and words of the harness's own modules: public code, no kata's secret."""
    text = "\n".join(_texts(sorted(p for p in Path(__file__).resolve().parent.rglob("*.py")
                                   if "_catalog" not in p.parts)))
    return text, frozenset(re.findall(r"\w+", text))


def _files(*places: Path) -> list[Path]:
    found: list[Path] = []
    for place in places:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found += sorted(p for p in place.rglob("*") if p.is_file()
                            and "__pycache__" not in p.parts)
    return found


def _texts(paths: Iterable[Path]) -> Iterator[str]:
    return (_read(p) for p in paths)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
