"""The layout's rules, checked on the source: dependencies point one way, and modules and functions stay small.

criteria ← communes ← records ← monthly ← reports ← demo; `api` is plumbing the apps use and imports none of them
(its urls include each app's by name); `ntm_portal` only wires.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["criteria", "communes", "records", "monthly", "reports", "demo"]
APPS = [*ORDER, "api", "ntm_portal"]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imported_apps(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_before_it(app):
    allowed = {"api"} | set(ORDER[: ORDER.index(app)]) if app in ORDER else set()
    if app == "ntm_portal":
        allowed = set()
    for path, tree in _modules(app):
        wrong = _imported_apps(tree) - allowed - {app}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_nothing_but_demo_imports_reports():
    for app in APPS:
        if app in ("reports", "demo"):
            continue
        for path, tree in _modules(app):
            assert "reports" not in _imported_apps(tree), path.relative_to(ROOT)


@pytest.mark.parametrize("app", APPS)
def test_modules_and_functions_stay_small(app):
    for path, tree in _modules(app):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}"
