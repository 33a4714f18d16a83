"""What the package ships, and which way its imports run: `cle_pipeline` installs alone (its
tests and the checkout's tools stay out of it) and never imports them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from setuptools import find_packages

from cle_pipeline.lib.files import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "cle_pipeline"


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, by its absolute name (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_distribution_ships_the_pipeline_only():
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = config["tool"]["setuptools"]["packages"]["find"]
    packages = find_packages(where=str(PROJECT_ROOT), include=found["include"])
    assert {"cle_pipeline", "cle_pipeline.lib", "cle_pipeline.defs.sources"} <= set(packages)
    assert [name for name in packages if name.split(".")[0] != "cle_pipeline"] == []


def test_the_package_never_imports_its_tests_or_the_tools():
    offending = {
        f"{path.relative_to(PROJECT_ROOT)} imports {name}"
        for path in PACKAGE.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in {"cle_pipeline_tests", "devtools"}
    }
    assert offending == set()
