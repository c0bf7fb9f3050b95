"""A fresh clone is self-contained and `pip install .` brings everything the code imports."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", line
            pins[canonicalize_name(req.name)] = next(iter(req.specifier)).version
    return pins


def test_every_declared_dependency_is_pinned_in_the_lock_within_its_bounds():
    pins = _lock()
    project = _pyproject()
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    for line in declared:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in requirements.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (line, pins[name])
        for extra in req.extras:  # psycopg[binary] needs psycopg-binary locked too
            assert canonicalize_name(f"{req.name}-{extra}") in pins


def test_third_party_imports_of_the_package_are_declared():
    """Every top-level module the package imports is the standard library, gongkai, or a
    declared dependency (the import name mapped to its distribution where they differ)."""
    import sys

    import_names = {"docx": "python-docx", "fpdf": "fpdf2", "dj_database_url": "dj-database-url",
                    "chinese_calendar": "chinesecalendar", "axes": "django-axes",
                    "PIL": "pillow", "rest_framework": "djangorestframework",
                    "corsheaders": "django-cors-headers"}
    declared = {canonicalize_name(Requirement(r).name) for r in _pyproject()["dependencies"]}
    import ast

    found = set()
    for path in (ROOT / "gongkai").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    third_party = {n for n in found if n not in sys.stdlib_module_names and n != "gongkai"}
    missing = {n for n in third_party
               if canonicalize_name(import_names.get(n, n)) not in declared}
    assert not missing, f"imported but not in pyproject.toml dependencies: {missing}"
    assert "rjieba" in third_party and "gunicorn" in declared


def test_nothing_reads_or_links_outside_the_repository():
    needles = [".." + "/shared", "shared" + "/corpus", "shared" + "/seed", "shared" + "/law",
               "/work" + "/"]
    places = [ROOT / "gongkai", ROOT / "tests", ROOT / "bench", ROOT / "docs", ROOT / ".ci",
              ROOT / "deploy"]
    files = [ROOT / n for n in ("README.md", "Makefile", "conftest.py", "pyproject.toml")]
    for place in places:
        files += [p for p in place.rglob("*") if p.is_file()
                  and p.suffix in {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".service",
                                   ".conf", ".json", ".example", ""}]
    offenders = [f"{p.relative_to(ROOT)}: {n}" for p in files
                 for n in needles if n in p.read_text("utf-8", errors="ignore")]
    assert not offenders
