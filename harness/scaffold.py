"""`kata new`: scaffolds a kata from templates, with author TODOs `kata verify` reports."""

from __future__ import annotations

import os
import re
from pathlib import Path

import jinja2

from harness.catalog import TOPICS
from harness.errors import UsageError

_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_TEMPLATES = Path(__file__).resolve().parent / "templates" / "new"

# Which template becomes which file; {kata} is katas/<topic>/<slug>, {solution} solutions/<slug>.
_LAYOUT = {
    "kata.toml.j2": "{kata}/kata.toml",
    "README.md.j2.j2": "{kata}/README.md.j2",
    "stub.py.j2": "{kata}/stub/{module}.py",
    "test_visible.py.j2": "{kata}/tests/visible/test_{module}.py",
    "test_hidden.py.j2": "{kata}/tests/hidden/test_{module}.py",
    "reference.py.j2": "{solution}/{module}.py",
    "NOTES.md.j2": "{solution}/NOTES.md",
    "mutants.toml.j2": "{solution}/mutants.toml",
}


def catalog_root(explicit: str | None) -> Path:
    """Where `kata new` writes: --catalog, then KATA_CATALOG, then here if it holds katas/."""
    chosen = explicit or os.environ.get("KATA_CATALOG")
    if chosen is None:
        if not (Path.cwd() / "katas").is_dir():
            raise UsageError("give --catalog PATH (a folder for your katas; it is created), "
                             "or run kata new in a folder that holds katas/")
        chosen = str(Path.cwd())
    return Path(chosen).expanduser().resolve()


def new_kata(root: Path, slug: str, topic: str, title: str | None = None) -> list[Path]:
    """Writes a new kata's files under the catalog `root`; returns the paths written."""
    if not _SLUG.match(slug):
        raise UsageError(f"'{slug}' is not a slug: use lowercase words joined by dashes")
    if topic not in TOPICS:
        raise UsageError(f"unknown topic '{topic}'; topics are: {', '.join(TOPICS)}")
    existing = list((root / "katas").glob(f"*/{slug}")) + [root / "solutions" / slug]
    taken = [p for p in existing if p.exists()]
    if taken:
        raise UsageError(f"{taken[0]} already exists; choose another slug")
    module = slug.replace("-", "_")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, variable_start_string="<<", variable_end_string=">>",
        block_start_string="<%", block_end_string="%>",
    )
    values = {"slug": slug, "topic": topic, "module": module,
              "title": title or slug.replace("-", " ").capitalize()}
    places = {"kata": f"katas/{topic}/{slug}", "solution": f"solutions/{slug}", "module": module}
    rendered = {root / target.format(**places): env.get_template(template).render(**values)
                for template, target in _LAYOUT.items()}  # all rendered before anything is written
    written = []
    for path, text in rendered.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
