"""The package's shape: no import cycles, one place for option checks and labels.

The import graph is read from the source with :mod:`ast` (nothing is
imported): module-level imports, which run when a module is loaded, must
form a graph without cycles; imports inside functions run later and are
listed apart (they are how a public surface reaches a module that imports
it, e.g. ``NeighborhoodGrid.report``).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lianhu_geo"
ROOT = "lianhu_geo"


def modules_of(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``package``."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = modules_of(PACKAGE)


def _resolve(importer: str, node: ast.ImportFrom | ast.Import, modules: dict) -> list[str]:
    """Our modules that ``node`` loads (the named module and any submodule named)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == ROOT]
    if node.level:
        base = importer.split(".")
        if modules[importer].name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    if target.split(".")[0] != ROOT:
        return []
    # `from . import _layers` loads the submodule; `from . import name` runs the package
    return sorted(
        {
            f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
            for alias in node.names
        }
    )


def _with_parents(importer: str, target: str, modules: dict) -> list[str]:
    """``target`` and the packages Python loads before it.

    The root package and the importer's own packages are already loading, so
    only an explicit import of one of them (``from . import name``) is an edge.
    """
    parts = target.split(".")
    chain = [".".join(parts[:k]) for k in range(2, len(parts) + 1)]
    own = {".".join(importer.split(".")[:k]) for k in range(1, importer.count(".") + 2)}
    parents = [m for m in chain[:-1] if m in modules and m not in own]
    return [*parents, target] if target in modules else parents


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> tuple[list[ast.AST], list[ast.AST]]:
    """Imports run at load time, and imports inside functions (TYPE_CHECKING: neither)."""
    at_load: list[ast.AST] = []
    later: list[ast.AST] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for grandchild in child.orelse:
                    visit(ast.Module(body=[grandchild], type_ignores=[]), in_function)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                (later if in_function else at_load).append(child)
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, in_function or function)

    visit(tree, False)
    return at_load, later


def import_graphs(modules: dict[str, Path] = MODULES) -> tuple[nx.DiGraph, nx.DiGraph]:
    """Module-level and function-level import graphs of the package."""
    at_load, later = nx.DiGraph(), nx.DiGraph()
    at_load.add_nodes_from(modules)
    later.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        load_nodes, later_nodes = _imports(tree)
        for graph, nodes in ((at_load, load_nodes), (later, later_nodes)):
            for node in nodes:
                for target in _resolve(name, node, modules):
                    for module in _with_parents(name, target, modules):
                        if module != name:
                            graph.add_edge(name, module, line=node.lineno)
    return at_load, later


def test_module_level_imports_have_no_cycle():
    at_load, _ = import_graphs()
    assert at_load.number_of_edges() > 100  # the walk found the package's imports
    cycles = list(nx.simple_cycles(at_load))
    shown = [
        " -> ".join(
            f"{a} (line {at_load.edges[a, b]['line']})"
            for a, b in zip(c, c[1:] + c[:1], strict=True)
        )
        for c in cycles[:5]
    ]
    assert not cycles, "import cycles:\n" + "\n".join(shown)


def test_the_walk_sees_a_cycle_and_a_late_import(tmp_path):
    """The checker itself can fail: two modules importing each other are a cycle."""
    package = tmp_path / ROOT
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "__init__.py").write_text("from typing import TYPE_CHECKING\n")
    (package / "sub" / "b.py").write_text(
        "from ..a import x\n"
        "if TYPE_CHECKING:\n    from .. import c\n"
        "def f():\n    from .. import c\n"
    )
    (package / "c.py").write_text("")
    at_load, later = import_graphs(modules_of(package))
    assert list(nx.simple_cycles(at_load)), "a <-> sub.b must be found"
    assert ("lianhu_geo.sub.b", "lianhu_geo.c") in later.edges
    assert ("lianhu_geo.sub.b", "lianhu_geo.c") not in at_load.edges


def test_function_level_imports_are_listed(capsys):
    """The late imports, listed so that a reviewer sees each one (no assertion on count)."""
    _, later = import_graphs()
    for a, b, data in sorted(later.edges(data=True)):
        print(f"{a}:{data['line']} -> {b}")
    out = capsys.readouterr().out
    # the grid's public surface reaches its workers module late, never at load time
    assert "lianhu_geo.grid:" in out and "-> lianhu_geo.grid.workers" in out


@pytest.mark.parametrize(
    "dict_name",
    ["MODE_LABELS", "MODE_REASONS", "LEVEL_LABELS", "REPORT_LABELS", "REASONS", "CLUSTER_COLUMNS"],
)
def test_label_tables_are_the_ones_in_labels(dict_name):
    """Modules keep their old names for the label tables, as references to labels.py."""
    import importlib

    from lianhu_geo import labels

    triage = importlib.import_module("lianhu_geo.coverage.triage")
    grid = importlib.import_module("lianhu_geo.grid")
    workers = importlib.import_module("lianhu_geo.grid.workers")
    bundling = importlib.import_module("lianhu_geo.bundling")
    hotspots = importlib.import_module("lianhu_geo.bundling.hotspots")
    owners = {
        "REASONS": bundling.REASONS,
        "CLUSTER_COLUMNS": hotspots.CLUSTER_COLUMNS,
        "MODE_LABELS": triage.MODE_LABELS,
        "MODE_REASONS": triage.MODE_REASONS,
        "LEVEL_LABELS": grid.LEVEL_LABELS,
        "REPORT_LABELS": workers.REPORT_LABELS,
    }
    in_labels = {"REASONS": "BUNDLE_REASONS"}.get(dict_name, dict_name)
    assert owners[dict_name] is getattr(labels, in_labels)


def test_setup_floors_are_the_pins_ci_tests():
    """Every install_requires floor is what .ci/oldest.txt pins (and CI tests)."""
    import configparser

    from packaging.requirements import Requirement
    from packaging.version import Version

    root = PACKAGE.parent
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg", encoding="utf-8")
    floors = {}
    for line in config["options"]["install_requires"].strip().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # one floor each, nothing else
        assert spec.operator == ">=", line
        floors[requirement.name.lower()] = Version(spec.version)
    pins = {}
    for line in (root / ".ci" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", line
            pins[requirement.name.lower()] = Version(spec.version)
    assert floors == pins


def _unmerged_lines(root: Path) -> list[str]:
    """``file:line`` of every conflict marker left by a merge in the project's text files."""
    found = []
    kept = {".py", ".md", ".cfg", ".toml", ".txt", ".ipynb", ".json", ".yml", ".yaml"}
    skipped = {".git", "results", "node_modules", "__pycache__"}  # results: machine-written
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in skipped and "venv" not in d)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix not in kept:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                if line.startswith(("<<<<<<< ", ">>>>>>> ")):
                    found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_no_merge_conflict_is_left_in_the_files(tmp_path):
    assert _unmerged_lines(PACKAGE.parent) == []
    (tmp_path / "README.md").write_text("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> read\n")
    assert _unmerged_lines(tmp_path) == ["README.md:2", "README.md:6"]
