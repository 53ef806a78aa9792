"""Imports run one way: formats → reports → publish → review (docs/architecture.md).

Every module of the project is parsed (imports inside functions included) and
each import of another project package is checked against the packages it may
depend on. A view module is imported by URLconfs only."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "disclosure"

# package → the project packages its modules may import (besides itself)
ALLOWED = {
    "formats": set(),
    "importers": {"formats"},  # readers: a document in, values out; they never write
    "ops": set(),  # health, structured audit log: everyone may log through it
    "jobs": {"ops"},  # background jobs with their progress, shown in the page
    "reports": {"formats", "importers", "ops", "jobs"},
    "publish": {"formats", "importers", "reports", "ops", "jobs"},
    "review": {"formats", "importers", "reports", "publish", "ops", "jobs"},
    "oversight": {"formats", "importers", "reports", "publish", "ops", "jobs"},
    "notifications": {"formats", "reports", "ops", "jobs"},
    "accounts": {"reports", "ops"},
}
# wiring: settings, URLconfs, the Celery app, management commands may import any package
WIRING = {"settings", "urls", "wsgi", "asgi", "celery", "management", "__init__"}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute names of the modules ``path`` imports (one per statement, at any depth)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            # ``from disclosure.reports import views`` imports the view module itself
            names.update(f"{base}.views" for alias in node.names if alias.name == "views")
    return names


def back_edges(path: Path, root: Path = ROOT) -> list[str]:
    """The imports of ``path`` that break the direction (empty when it keeps it)."""
    own = module_name(path, root)
    parts = own.split(".")
    top = parts[1] if len(parts) > 2 else "__init__"
    problems = []
    for name in sorted(imported_modules(path, root)):
        target = name.split(".")
        if target[0] != "disclosure" or len(target) < 2:
            continue
        if target[-1] == "views" and path.name != "urls.py":
            problems.append(f"{own} imports the view module {name}")
        elif top not in WIRING and target[1] != top and target[1] not in ALLOWED.get(top, set()):
            problems.append(f"{own} imports {name}")
    return problems


def project_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_every_package_is_placed_in_the_direction():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - WIRING == set(ALLOWED)


def test_imports_run_one_way():
    problems = [problem for path in project_modules() for problem in back_edges(path)]
    assert problems == []


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        (
            "reports",
            "def f():\n    from disclosure.review.workflow import submit_report\n",
            "review.workflow",
        ),
        ("publish", "from disclosure.review import permissions\n", "review"),
        ("formats", "from disclosure.reports.models import Agency\n", "reports.models"),
        ("reports", "from ..publish.render import render_pdf\n", "publish.render"),
        ("review", "from disclosure.reports.views import report_list\n", "reports.views"),
    ],
)
def test_back_edge_is_found(tmp_path, package, source, expected):
    """The walker itself: a back-edge planted in a module of ``package`` is reported."""
    planted = tmp_path / "disclosure" / package / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(source, encoding="utf-8")
    problems = back_edges(planted, tmp_path)
    assert len(problems) == 1
    assert problems[0].endswith(f"disclosure.{expected}")
