"""Submissions as course platforms hand them over: zips, and folders one level too deep.

Gradescope, Canvas and GitHub Classroom download a submission as a zip whose files lie
at its top or in one folder (`ana/`, `repo-main/`). A zip is opened here, never trusted:
an entry with an absolute path or a `..`, a link, a device, an encrypted entry, more
entries or more bytes than a submission may hold (counted as they are inflated, not as
the zip claims) refuses that submission alone, with the reason, as `intake.Refused`.

`locate` finds where a submission's files are: its top when any of the kata's files is
there, else the one folder below that holds them; two such folders are ambiguous.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from harness.intake import IGNORED, MAX_BYTES, MAX_ENTRIES, Refused

#: folders an archiver adds beside the submission's own (macOS's resource forks)
_NOISE = ("__MACOSX", *IGNORED)
_CHUNK = 1 << 16


def is_zip(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".zip"


def extract(archive: Path, dest: Path) -> None:
    """Unpacks `archive` into `dest` (which must not exist), or Refused naming the entry."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            if len(entries) > MAX_ENTRIES:
                raise Refused(f"{archive.name} holds {len(entries):,} entries; at most "
                              f"{MAX_ENTRIES:,} files and folders are graded")
            planned = [(entry, _safe_name(entry)) for entry in entries]
            dest.mkdir()
            budget = [MAX_BYTES]
            for entry, parts in planned:
                if parts:
                    _write(zipped, entry, dest.joinpath(*parts), budget)
    except zipfile.BadZipFile as exc:
        raise Refused(f"{archive.name} is not a readable zip ({exc})") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise Refused(f"{archive.name} cannot be unpacked ({exc})") from None


def _safe_name(entry: zipfile.ZipInfo) -> tuple[str, ...]:
    """The entry's path as parts under the destination (empty: skip it), or Refused."""
    name = entry.filename
    mode = entry.external_attr >> 16
    if "\\" in name:
        name = name.replace("\\", "/")  # a Windows archiver's separator
    path = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise Refused(f"the zip's entry {name!r} has an absolute path: only paths inside the "
                      "submission are unpacked")
    if ".." in path.parts:
        raise Refused(f"the zip's entry {name!r} leads out of the submission (..)")
    if stat.S_ISLNK(mode):
        raise Refused(f"the zip's entry {name!r} is a link: a zip must hold the files "
                      "themselves")
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise Refused(f"the zip's entry {name!r} is not a file or a folder")
    if entry.flag_bits & 0x1:
        raise Refused(f"the zip's entry {name!r} is encrypted")
    return tuple(part for part in path.parts if part not in ("", "."))


def _write(zipped: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path,
           budget: list[int]) -> None:
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise Refused(f"the zip holds {entry.filename!r} twice")
    with zipped.open(entry) as reader, open(target, "xb") as writer:
        while chunk := reader.read(_CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:  # counted as inflated: a zip bomb's claims are not believed
                raise Refused(f"the zip unpacks to more than {MAX_BYTES // 1024 // 1024} MiB "
                              f"(counted up to {entry.filename!r}); it is not graded")
            writer.write(chunk)


def locate(folder: Path, files: list[str]) -> Path:
    """Where the kata's `files` are in a submission folder: the folder itself when any of
    them is there (or none is anywhere), else the one folder below it that holds them;
    Refused when two do."""
    if _holds_any(folder, files):
        return folder
    try:
        below = sorted(p for p in folder.iterdir()
                       if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                       and p.name not in _NOISE)
    except OSError:
        return folder  # the copy says why it cannot be read
    holding = [p for p in below if _holds_any(p, files)]
    if len(holding) > 1:
        places = " and ".join(f"{p.name}/" for p in holding)
        raise Refused(f"{', '.join(files)} found in two places ({places}): it is ambiguous "
                      "which is graded; keep one")
    return holding[0] if holding else folder


def _holds_any(folder: Path, files: list[str]) -> bool:
    return any(os.path.lexists(folder / name) for name in files)
