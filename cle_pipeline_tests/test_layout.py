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


def test_lib_knows_no_definition():
    offending = set()
    for path in (PACKAGE / "lib").rglob("*.py"):
        where = path.relative_to(PROJECT_ROOT)
        offending |= {
            f"{where} imports {name}"
            for name in imported_modules(path)
            if name.startswith("cle_pipeline.defs")
        }
        # A module named in a string, for importlib, is an import all the same.
        if "cle_pipeline.defs" in path.read_text(encoding="utf-8"):
            offending.add(f"{where} names cle_pipeline.defs")
    assert offending == set()


def test_a_dataset_knows_no_other_dataset():
    # What two datasets share lives in a module of `defs/datasets/` (e.g. `elections.py`).
    datasets = PACKAGE / "defs" / "datasets"
    offending = set()
    for folder in (path for path in datasets.iterdir() if (path / "__init__.py").is_file()):
        for path in folder.rglob("*.py"):
            for name in imported_modules(path):
                parts = name.split(".")
                if parts[:3] == ["cle_pipeline", "defs", "datasets"] and len(parts) > 3:
                    other = datasets / parts[3]
                    if other.is_dir() and other != folder:
                        offending.add(f"{path.relative_to(PROJECT_ROOT)} imports {name}")
    assert offending == set()


def test_no_function_of_a_dataset_takes_a_commune_it_ignores():
    # A rule that needs the commune names it in its `inputs`; the others never receive it.
    offending = set()
    for path in (PACKAGE / "defs" / "datasets").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and "commune" in [a.arg for a in node.args.args]:
                body = ast.Module(body=node.body, type_ignores=[])
                if not any(isinstance(n, ast.Name) and n.id == "commune" for n in ast.walk(body)):
                    offending.add(f"{path.relative_to(PROJECT_ROOT)}: {node.name}")
    assert offending == set()
