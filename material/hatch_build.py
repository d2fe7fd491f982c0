"""Puts the grading material into the distribution: each kata's tests/hidden/ and solutions/.

In a checkout they live beside this folder (../katas, ../solutions); in this distribution's
sdist, inside it. The wheel installs them into kata-harness's catalog (harness/_catalog/).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def material(source: Path) -> dict[str, str]:
    """Every file of the grading material under `source`, by its path relative to it."""
    found: dict[str, str] = {}
    parts = [*sorted(source.glob("katas/*/*/tests/hidden")), source / "solutions"]
    for folder in parts:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found[str(path)] = path.relative_to(source).as_posix()
    return found


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        source = root if (root / "solutions").is_dir() else root.parent
        if not (source / "solutions").is_dir():
            raise RuntimeError(f"no solutions/ in {root} or {root.parent}: build the grading "
                               "material from a checkout of the kata repository")
        prefix = "harness/_catalog/" if self.target_name == "wheel" else ""
        for path, relative in material(source).items():
            build_data["force_include"][path] = prefix + relative
