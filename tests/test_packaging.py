"""An installed carecircle (not only this checkout) has every file its code reads."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("carecircle", "graph", "ingest", "dashboards")


def test_every_data_file_of_a_package_is_in_its_package_data():
    with (ROOT / "pyproject.toml").open("rb") as handle:
        package_data = tomllib.load(handle)["tool"]["setuptools"]["package-data"]
    data_files = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert {path.relative_to(ROOT).parts[0] for path in data_files} >= {"graph", "dashboards"}
    unpackaged = [
        path.relative_to(ROOT).as_posix()
        for path in data_files
        if not any(
            path.relative_to(ROOT / path.relative_to(ROOT).parts[0]).match(pattern)
            for pattern in package_data.get(path.relative_to(ROOT).parts[0], ())
        )
    ]
    assert unpackaged == []
