"""What `kata mutant show|edit|new|record` does: a mutant's file as it runs, an edited copy
of the reference stored back in `mutants.toml` as its smallest entry, and the test that
caught each mutant recorded beside it.

`smallest_form` turns an edited copy of the reference into an entry: one run of changed lines
becomes `replace`/`with` over whole lines (widened by a line of context at a time until the
old text is unique), anything else a unified diff with three lines of context. Entries are
written back leaving every other line of the file as it was, and only when the file reads back
as meant.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from harness.catalog import Kata
from harness.errors import CatalogError, KataError, UsageError
from harness.mutants import NAME, Mutant, apply, load, parse, toml_string
from harness.verify_report import KataVerification

_NEAR = 2  # changed lines this close together are stored as one replace/with
_HEADER = re.compile(r"^\[\[mutant\]\][ \t]*(#.*)?$")
_FORM = re.compile(r"^(replace|with|patch)\s*=")  # where an entry's mistake begins
_CAUGHT_BY = re.compile(r"^caught_by\s*=")


def smallest_form(name: str, why: str, file: str, reference: str, edited: str) -> Mutant:
    """The entry that turns `reference` into `edited`: replace/with over whole lines when the
    change is one run of lines (changes at most `_NEAR` unchanged lines apart count as one),
    else a unified diff."""
    if edited == reference:
        raise UsageError(f"mutant '{name}': {file} is the same as the reference; make the "
                         "mistake in it and save, or leave the mutant as it was")
    old, new = reference.splitlines(keepends=True), edited.splitlines(keepends=True)
    changes = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    if all(b[1] - a[2] <= _NEAR for a, b in itertools.pairwise(changes)):
        i1, i2, j1, j2 = changes[0][1], changes[-1][2], changes[0][3], changes[-1][4]
        while True:  # a line of context above and below at a time, until the old text is unique
            replace = "".join(old[i1:i2])
            if replace and _unique(reference, replace):
                return Mutant(name, why, file, replace=replace, with_="".join(new[j1:j2]))
            if i1 == 0 and i2 == len(old):
                break
            i1, j1 = (i1 - 1, j1 - 1) if i1 > 0 else (i1, j1)
            i2, j2 = (i2 + 1, j2 + 1) if i2 < len(old) else (i2, j2)
    return Mutant(name, why, file, patch=make_patch(reference, edited, file))


def _unique(text: str, part: str) -> bool:
    first = text.find(part)
    return first >= 0 and text.find(part, first + 1) < 0


def make_patch(reference: str, edited: str, file: str) -> str:
    """A unified diff from `reference` to `edited`, marking a last line without a newline."""
    out = []
    for line in difflib.unified_diff(reference.splitlines(keepends=True),
                                     edited.splitlines(keepends=True), f"a/{file}", f"b/{file}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- writing entries back into mutants.toml --------------------------------------------------

def add_entry(path: Path, mutant: Mutant, files: tuple[str, ...]) -> None:
    """Appends a new entry to `mutants.toml` (creating it), keeping what is already written."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if any(m.name == mutant.name for m in parse(text, path, files).mutants):
        raise UsageError(f"mutant '{mutant.name}' already exists in {path}; choose another "
                         f"name or change it with kata mutant edit")
    gap = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    expected = parse(text, path, files).mutants + [mutant]
    _write_checked(path, text + gap + mutant.to_toml(), files, mutant, expected)


def replace_entry(path: Path, mutant: Mutant, files: tuple[str, ...]) -> None:
    """Rewrites the entry named `mutant.name` in place, leaving every other line as it was."""
    text = path.read_text(encoding="utf-8")
    before = parse(text, path, files)
    index = next(i for i, m in enumerate(before.mutants) if m.name == mutant.name)
    lines = text.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if _HEADER.match(line)]
    if len(starts) != len(before.mutants):
        raise CatalogError(f"{path}: cannot tell where mutant '{mutant.name}' starts and ends "
                           "(a [[mutant]] line inside a string?); edit the file by hand")
    start = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # blank lines and comments before the next entry stay with it
    rendered = mutant.to_toml()
    text = "".join(lines[:start]) + rendered + "".join(lines[end:])
    expected = list(before.mutants)
    expected[index] = mutant
    _write_checked(path, text, files, mutant, expected)


def record_catchers(path: Path, catchers: dict[str, str], files: tuple[str, ...]) -> list[str]:
    """Writes each named mutant's `caught_by` (a hidden test's node id): a line before its
    mistake, replacing the one it had; every other line stays as it was. Returns the names
    whose record changed."""
    text = path.read_text(encoding="utf-8")
    before = parse(text, path, files)
    changed = [m.name for m in before.mutants if m.name in catchers
               and catchers[m.name] != m.caught_by]
    if not changed:
        return []
    lines = text.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if _HEADER.match(line)]
    if len(starts) != len(before.mutants):
        raise CatalogError(f"{path}: cannot tell where each mutant starts and ends (a "
                           "[[mutant]] line inside a string?); write caught_by by hand")
    for index in reversed(range(len(starts))):  # from the end: earlier line numbers hold
        mutant = before.mutants[index]
        if mutant.name not in changed:
            continue
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        head = next((n for n in range(starts[index], end) if _FORM.match(lines[n])), None)
        if head is None:  # its replace/with/patch key is not at a line's start
            raise CatalogError(f"{path}: cannot tell where mutant '{mutant.name}''s mistake "
                               "begins; write its caught_by by hand")
        line = f"caught_by = {toml_string(catchers[mutant.name])}\n"
        old = [n for n in range(starts[index], head) if _CAUGHT_BY.match(lines[n])]
        if old:
            lines[old[0]] = line
        else:
            lines.insert(head, line)
    expected = [dataclasses.replace(m, caught_by=catchers[m.name]) if m.name in changed else m
                for m in before.mutants]
    _write_checked(path, "".join(lines), files, expected[0], expected)
    return changed


def _write_checked(path: Path, text: str, files: tuple[str, ...], mutant: Mutant,
                   expected: list[Mutant]) -> None:
    """Writes `text` only if it parses back to the entries meant (never a half-broken file)."""
    if parse(text, path, files).mutants != expected:
        raise CatalogError(f"{path}: writing mutant '{mutant.name}' back would not read back "
                           "as written; nothing was changed, edit the file by hand")
    path.write_text(text, encoding="utf-8")


# -- what `kata mutant` does -----------------------------------------------------------------

def reference_text(kata: Kata, file: str) -> str:
    return (kata.solution_path / file).read_text(encoding="utf-8")


def show(kata: Kata, name: str, *, diff: bool = False) -> str:
    """A mutant's file as it runs, or (`diff`) as a unified diff against the reference."""
    mutant = load(kata).get(name)
    reference = reference_text(kata, mutant.file)
    text = apply(mutant, reference)
    return make_patch(reference, text, mutant.file) if diff else text


def start_new(kata: Kata, name: str, why: str, file: str | None) -> Mutant:
    """Checks a new mutant's name, why and file before the author edits anything."""
    known = load(kata)
    if any(m.name == name for m in known.mutants):
        raise UsageError(f"mutant '{name}' already exists in {known.path}; change it with "
                         f"kata mutant edit {kata.slug} {name}, or choose another name")
    if not NAME.match(name):
        raise UsageError(f"'{name}' is not a mutant name; use an identifier like "
                         "cursor_skips_removal")
    if not why.strip():
        raise UsageError("--why is empty; say in a sentence which rule of the kata it breaks")
    if file is None:
        if len(kata.files) > 1:
            raise UsageError(f"{kata.slug} has several files ({', '.join(kata.files)}); "
                             "say which one the mutant changes with --file")
        file = kata.files[0]
    if file not in kata.files:
        raise UsageError(f"--file {file} is not one of {kata.slug}'s files "
                         f"({', '.join(kata.files)})")
    return Mutant(name, why, file, replace="", with_="")


def write_new(kata: Kata, draft: Mutant, edited: str) -> Mutant:
    """Stores the edited copy of the reference as the new mutant's smallest form."""
    mutant = smallest_form(draft.name, draft.why, draft.file,
                           reference_text(kata, draft.file), edited)
    add_entry(kata.mutants_file, mutant, kata.files)
    return mutant


def write_edited(kata: Kata, name: str, edited: str) -> Mutant:
    """Stores an edited mutant back in its smallest form; an unchanged file is an error."""
    old = load(kata).get(name)
    reference = reference_text(kata, old.file)
    if edited == apply(old, reference):
        raise UsageError(f"mutant '{name}' was not changed; nothing written")
    mutant = dataclasses.replace(smallest_form(name, old.why, old.file, reference, edited),
                                 caught_by=old.caught_by)
    replace_entry(kata.mutants_file, mutant, kata.files)
    return mutant


def edit(kata: Kata, name: str, open_editor: Callable[[Path], None]) -> Mutant:
    """`kata mutant edit`: the mutant's file, edited by the author, stored back."""
    file = load(kata).get(name).file
    return _edited(show(kata, name), file, open_editor,
                   lambda text: write_edited(kata, name, text))


def new(kata: Kata, name: str, why: str, file: str | None,
        open_editor: Callable[[Path], None]) -> Mutant:
    """`kata mutant new`: a copy of the reference, in which the author makes the mistake."""
    draft = start_new(kata, name, why, file)
    return _edited(reference_text(kata, draft.file), draft.file, open_editor,
                   lambda text: write_new(kata, draft, text))


QUICK_CATCHER = 2.0  # seconds: a recorded catcher slower than this is looked for again


def record(kata: Kata, *, jobs: int | None = None, isolation: str = "auto"
           ) -> tuple[KataVerification, list[str]]:
    """`kata mutant record`: runs every mutant (as `kata verify` does) and records the test
    that caught each as its `caught_by`. A catcher slower than QUICK_CATCHER (a test that
    waits out a deadline to prove a hang) is replaced by the test that failed soonest when
    that mutant runs through the whole suite, so that CI's runs stop at once. Returns the
    verification of the mutants and the names whose record changed; a mutant that survived
    or did not load keeps its record."""
    from harness import verify
    from harness.verify_runs import fastest_catcher

    report = verify.verify(kata, parts=("mutants",), jobs=jobs, isolation=isolation)
    catchers = {m.name: m.catcher for m in report.mutants if m.killed and m.catcher}
    slow = [m.name for m in report.mutants if m.killed and m.catcher_seconds > QUICK_CATCHER]
    if slow:
        runs = verify.whole_suite_runs(kata, slow, jobs=jobs, isolation=isolation)
        for verdict in report.mutants:
            soonest = fastest_catcher(runs[verdict.name]) if verdict.name in runs else None
            if soonest is not None:  # as the report says it from now on
                verdict.catcher, verdict.catcher_seconds = soonest
                catchers[verdict.name] = verdict.catcher
    if not kata.mutants_file.is_file():
        return report, []
    return report, record_catchers(kata.mutants_file, catchers, kata.files)


def _edited(text: str, file: str, open_editor: Callable[[Path], None],
            store: Callable[[str], Mutant]) -> Mutant:
    """Lets the author edit `text` as `file` in a scratch folder, then stores it; when the
    store fails, the edited copy is kept and the error says where."""
    folder = Path(tempfile.mkdtemp(prefix="kata-mutant-"))
    path = folder / file
    path.write_text(text, encoding="utf-8")
    try:
        open_editor(path)
    except KataError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        written = store(path.read_text(encoding="utf-8"))
    except KataError as exc:
        raise type(exc)(f"{exc} (your edited copy is kept at {path})") from None
    shutil.rmtree(folder, ignore_errors=True)
    return written
