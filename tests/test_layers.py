"""The layers of docs/ARCHITECTURE.md, read from the source: each package imports only the layers below it,
and only command-line code pauses the garbage collector."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package -> the first-party packages it may import (besides itself)
MAY_IMPORT = {
    "graph": set(),
    "ingest": {"graph"},
    "dashboards": {"graph", "ingest"},
    "carecircle": {"graph", "ingest", "dashboards"},
    "benchmarks": {"graph", "ingest", "dashboards", "carecircle"},
}
FIRST_PARTY = {*MAY_IMPORT, "tests"}
#: the only modules that may pause or freeze the cycle collector: the command line's own processes
COLLECTOR_USERS = {
    "carecircle/collector.py",
    "carecircle/cli.py",
    "benchmarks/workers.py",
    "benchmarks/run.py",
}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_packages(path: Path) -> set[str]:
    """The first-party top-level packages a module imports, anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & FIRST_PARTY
    return found


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_package_imports_only_the_layers_below_it(package):
    allowed = MAY_IMPORT[package] | {package}
    wrong = {
        path.relative_to(ROOT).as_posix(): sorted(_imported_packages(path) - allowed)
        for path in _modules(package)
        if _imported_packages(path) - allowed
    }
    assert wrong == {}


def _pauses_the_collector(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        on_gc = isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "gc"
        if on_gc and node.attr in {"disable", "freeze"}:
            return True
        if isinstance(node, ast.Name | ast.alias) and "without_cycle_collection" in ast.dump(node):
            return True
    return False


def test_only_command_line_processes_pause_the_garbage_collector():
    """Library code also runs in the dashboard's threaded server, where pausing the collector in one
    request would pause it for all of them."""
    pausing = {
        path.relative_to(ROOT).as_posix()
        for package in MAY_IMPORT
        for path in _modules(package)
        if _pauses_the_collector(path)
    }
    assert pausing <= COLLECTOR_USERS, sorted(pausing - COLLECTOR_USERS)


def test_the_layer_checks_see_a_wrong_import(tmp_path):
    """The checks above read real import statements, in functions too."""
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from carecircle.collector import without_cycle_collection\n")
    assert _imported_packages(module) == {"carecircle"}
    assert _pauses_the_collector(module)
    module.write_text("import gc\n\ndef g():\n    gc.freeze()\n")
    assert _pauses_the_collector(module)
    module.write_text("import gc\n\ndef h():\n    return gc.isenabled()\n")
    assert not _pauses_the_collector(module)


def _starts_processes(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "multiprocessing" for a in node.names
        ):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and (
                node.module.split(".")[0] == "multiprocessing"
                or any(alias.name == "ProcessPoolExecutor" for alias in node.names)
            )
        ):
            return True
    return False


def test_only_command_line_code_starts_processes():
    """Forking inside the dashboard's threaded server, or in a library function it calls, could
    deadlock: only the command's own processes work beside a second one (carecircle/pair.py)."""
    starting = {
        path.relative_to(ROOT).as_posix()
        for package in ("graph", "ingest", "dashboards", "carecircle")
        for path in _modules(package)
        if _starts_processes(path)
    }
    assert starting == {"carecircle/pair.py"}
