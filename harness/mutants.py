"""Known-wrong versions of a kata, each stored as its one mistake in `mutants.toml`.

An entry names the mutant, says `why` it is wrong (the catalog rule it breaks), and holds
its mistake against the reference solution in one of two forms: `replace`/`with` (an exact
text that occurs once in the reference, and what it becomes) or `patch` (a unified diff, for
a mistake in several places). `caught_by` records the hidden test that caught it (`kata
mutant record`): verify runs that test first, so a run stopping at its first failure ends
there instead of going through the suite. SQL katas with a reference per database
(`<db>/schema.sql`) take their mutants against the default reference only, the one graded
on SQLite.

This module reads entries and makes mutants from them; `harness.mutant_authoring` writes
them (`kata mutant`).
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.catalog import Kata, require_reference
from harness.errors import CatalogError, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- exercised only on Python 3.10
    import tomli as tomllib

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENTRY_KEYS = ("name", "why", "file", "caught_by", "replace", "with", "patch")
CATCHER = re.compile(r"^[^\s:]+\.py::.+$")  # a hidden test's node id, as in its folder
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class MutantError(UsageError):
    """A mutant cannot be made from the reference: its text or its patch no longer fits."""


@dataclass(frozen=True)
class Mutant:
    """One known-wrong version: the file it changes and its mistake in one of two forms."""

    name: str
    why: str
    file: str
    replace: str | None = None
    with_: str | None = None
    patch: str | None = None
    caught_by: str | None = None  # the hidden test that caught it, run first by verify

    def to_toml(self) -> str:
        """The entry as a `[[mutant]]` table, strings written to read as the code they hold."""
        lines = ["[[mutant]]", f"name = {toml_string(self.name)}", f"why = {toml_string(self.why)}",
                 f"file = {toml_string(self.file)}"]
        if self.caught_by is not None:
            lines.append(f"caught_by = {toml_string(self.caught_by)}")
        if self.patch is not None:
            lines.append(f"patch = {_multiline(self.patch)}")
        else:
            lines.append(f"replace = {_multiline(self.replace or '')}")
            lines.append(f"with = {_multiline(self.with_ or '')}")
        return "\n".join(lines) + "\n"


@dataclass
class MutantsFile:
    """The parsed `mutants.toml` of one kata; `equivalent` is kept as written."""

    path: Path
    mutants: list[Mutant] = field(default_factory=list)
    equivalent: list[dict[str, Any]] = field(default_factory=list)

    def get(self, name: str) -> Mutant:
        """Finds a mutant by name, suggesting the nearest one when the name is unknown."""
        for mutant in self.mutants:
            if mutant.name == name:
                return mutant
        names = [m.name for m in self.mutants]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UsageError(f"unknown mutant '{name}' in {self.path}{hint} "
                         f"(known: {', '.join(names) or 'none'})")


def load(kata: Kata) -> MutantsFile:
    """Reads and validates a kata's `mutants.toml`; a kata without one has no mutants."""
    path = kata.mutants_file
    if not path.is_file():
        if not kata.solution_path.is_dir():  # the learners' install: no solutions at all
            require_reference(kata, "kata mutant")
        return MutantsFile(path)
    return parse(path.read_text(encoding="utf-8"), path, kata.files)


def parse(text: str, path: Path, files: tuple[str, ...]) -> MutantsFile:
    """Validates `mutants.toml` text; each error names the file, the field and the fix."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML ({exc})") from None

    def fail(where: str, problem: str, fix: str) -> CatalogError:
        return CatalogError(f"{path}: field '{where}' {problem}; {fix}")

    for key in data:
        if key not in ("mutant", "equivalent"):
            raise fail(key, "is not known", "a mutants.toml holds only [[mutant]] entries and "
                       "an `equivalent = [...]` list; remove it or check its spelling")
    raw = data.get("mutant", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise fail("mutant", "is not a list of tables", "write each entry as [[mutant]]")
    mutants: list[Mutant] = []
    for number, entry in enumerate(raw, start=1):
        mutants.append(_entry(entry, f"mutant[{number}]", files, fail))
        if [m.name for m in mutants].count(mutants[-1].name) > 1:
            raise fail(f"mutant[{number}].name", f"'{mutants[-1].name}' is used twice",
                       "give each mutant its own name")
    equivalent = data.get("equivalent", [])
    if not isinstance(equivalent, list) or not all(
            isinstance(e, dict) and isinstance(e.get("id"), str)
            and isinstance(e.get("reason"), str) and e["reason"].strip() for e in equivalent):
        raise fail("equivalent", "must be a list of tables with an id and a reason, not "
                   f"{equivalent!r}", 'write equivalent = [{id = "<generated mutant id>", '
                   'reason = "why no test through the contract can tell"}]')
    return MutantsFile(path, mutants, list(equivalent))


def _entry(entry: dict, where: str, files: tuple[str, ...], fail: Any) -> Mutant:
    for key in entry:
        if key not in _ENTRY_KEYS:
            raise fail(f"{where}.{key}", "is not known", f"use only {', '.join(_ENTRY_KEYS)}")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise fail(f"{where}.name", f"is {name!r}", "use an identifier like cursor_skips_removal")
    where = f"{where} ({name})"
    why = entry.get("why")
    if not isinstance(why, str) or not why.strip():
        raise fail(f"{where}.why", f"is {why!r}",
                   'say in a sentence which rule of the kata it breaks: why = "..."')
    file = entry.get("file")
    if file is None and len(files) == 1:
        file = files[0]
    if file not in files:
        raise fail(f"{where}.file", f"is {file!r}", f"name one of the kata's files: "
                   f"{', '.join(files)}")
    caught_by = entry.get("caught_by")
    if caught_by is not None and (not isinstance(caught_by, str) or not CATCHER.match(caught_by)):
        raise fail(f"{where}.caught_by", f"is {caught_by!r}", "name a hidden test as "
                   '"test_file.py::test_name" (kata mutant record SLUG writes it)')
    for key in ("replace", "with", "patch"):
        if key in entry and not isinstance(entry[key], str):
            raise fail(f"{where}.{key}", f"must be a string, not {entry[key]!r}", "quote it")
    forms = ("replace" in entry or "with" in entry, "patch" in entry)
    if all(forms) or not any(forms):
        raise fail(where, "needs exactly one form of its mistake",
                   "give either replace and with, or patch")
    if "patch" in entry:
        if not entry["patch"].strip():
            raise fail(f"{where}.patch", "is empty", "write a unified diff against the reference")
        return Mutant(name, why, file, patch=entry["patch"], caught_by=caught_by)
    for key in ("replace", "with"):
        if key not in entry:
            raise fail(f"{where}.{key}", "is missing", "give both replace and with")
    if not entry["replace"]:
        raise fail(f"{where}.replace", "is empty", "give the exact text of the reference to change")
    if entry["replace"] == entry["with"]:
        raise fail(f"{where}.with", "is the same as replace", "make the mistake")
    return Mutant(name, why, file, replace=entry["replace"], with_=entry["with"],
                  caught_by=caught_by)


# -- from the entry to the files -------------------------------------------------------------

def apply(mutant: Mutant, reference: str) -> str:
    """The mutant's version of its file, made from the reference text."""
    if mutant.patch is not None:
        return apply_patch(reference, mutant.patch, mutant.name)
    assert mutant.replace is not None and mutant.with_ is not None
    first = reference.find(mutant.replace)
    if first < 0:
        raise MutantError(f"mutant '{mutant.name}': its replace text does not occur in "
                          f"{mutant.file}: {_preview(mutant.replace)}; the reference changed, so "
                          f"update the entry (kata mutant edit SLUG {mutant.name})")
    if reference.find(mutant.replace, first + 1) >= 0:
        raise MutantError(f"mutant '{mutant.name}': its replace text occurs more than once in "
                          f"{mutant.file}: {_preview(mutant.replace)}; widen it with a line "
                          "around it until it is unique")
    return reference[:first] + mutant.with_ + reference[first + len(mutant.replace):]


def materialise(kata: Kata, mutant: Mutant, folder: Path) -> dict[str, Path]:
    """Writes every file of the kata into `folder`, the mutant's file changed; returns them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in kata.files:
        target = folder / name
        if name == mutant.file:
            reference = (kata.solution_path / name).read_text(encoding="utf-8")
            target.write_text(apply(mutant, reference), encoding="utf-8")
        else:
            shutil.copyfile(kata.solution_path / name, target)
        files[name] = target
    return files


def apply_patch(text: str, patch: str, name: str) -> str:
    """Applies a unified diff strictly: every context and removed line must match exactly."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    done = 0  # lines of `text` already copied or consumed
    hunks = _hunks(patch, name)
    for number, (start, body) in enumerate(hunks, start=1):
        at = max(start - 1, 0) if any(kind in " -" for kind, _ in body) else start
        if at < done:
            raise MutantError(f"mutant '{name}': hunk {number} starts at line {start}, before the "
                              "end of the hunk above it; order the hunks by line")
        out += lines[done:at]
        position = at
        for kind, line in body:
            if kind == "+":
                out.append(line)
                continue
            have = lines[position] if position < len(lines) else None
            if have != line:
                raise MutantError(
                    f"mutant '{name}': hunk {number} does not apply at line {position + 1}: "
                    f"expected {line!r}, the reference has {have!r}; the reference changed, so "
                    f"update the entry (kata mutant edit SLUG {name})")
            if kind == " ":
                out.append(line)
            position += 1
        done = position
    return "".join(out + lines[done:])


def _hunks(patch: str, name: str) -> list[tuple[int, list[tuple[str, str]]]]:
    """The hunks of a unified diff: where each starts and its lines, marked ' ', '-' or '+'."""
    hunks: list[tuple[int, list[tuple[str, str]]]] = []
    raw = patch.splitlines(keepends=True)
    index = 0
    while index < len(raw):
        line = raw[index]
        index += 1
        match = _HUNK.match(line)
        if not match:
            if line.startswith(("---", "+++", "diff ", "index ")) or not line.strip():
                continue
            raise MutantError(f"mutant '{name}': patch line {index} is outside any hunk: "
                              f"{line.rstrip()!r}; start each hunk with @@ -a,b +c,d @@")
        number = len(hunks) + 1
        want_old = int(match.group(2) or 1)
        want_new = int(match.group(4) or 1)
        body: list[tuple[str, str]] = []
        seen_old = seen_new = 0
        while seen_old < want_old or seen_new < want_new:
            if index >= len(raw) or _HUNK.match(raw[index]):
                raise MutantError(f"mutant '{name}': hunk {number} ends early: its header "
                                  f"promises {want_old} old and {want_new} new lines, it holds "
                                  f"{seen_old} and {seen_new}")
            line = raw[index]
            index += 1
            if line in ("\n", "\r\n"):  # an editor may strip an empty context line's space
                line = " " + line
            kind = line[:1]
            if kind not in (" ", "-", "+"):
                raise MutantError(f"mutant '{name}': hunk {number} holds a line that is neither "
                                  f"context, removal nor addition: {line.rstrip()!r}")
            seen_old += kind in " -"
            seen_new += kind in " +"
            body.append((kind, line[1:]))
            if index < len(raw) and raw[index].startswith("\\"):  # no newline at end of file
                body[-1] = (kind, body[-1][1].rstrip("\n"))
                index += 1
        hunks.append((int(match.group(1)), body))
    if not hunks:
        raise MutantError(f"mutant '{name}': its patch has no hunk (@@ -a,b +c,d @@)")
    return hunks


def _preview(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else text
    return repr(first if len(first) <= 80 else first[:77] + "...")


def toml_string(value: str) -> str:
    """A one-line TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def _multiline(value: str) -> str:
    """A multi-line TOML string that reads as the code it holds (a literal one when it can)."""
    if "'''" not in value and not value.endswith("'") and not re.search(
            r"[\x00-\x08\x0b-\x1f\x7f]", value):
        return "'''\n" + value + "'''"
    escaped = value.replace("\\", "\\\\").replace('"""', '""\\"')
    escaped = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return '"""\n' + escaped + '"""'

