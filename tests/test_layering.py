"""Web and workers depend one way: pages reach the workers through the background port, and the domain
(services, models, classifier) never imports workers or Flask."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}" for module, names in _imports(package).items() for name in names
                  if name.split(".")[0] in forbidden)


def test_no_page_imports_workers():
    assert _offenders("intake/web", ("workers",)) == []


def test_the_domain_imports_neither_workers_nor_flask():
    for package in ("intake/services", "intake/models", "intake/classifier"):
        assert _offenders(package, ("workers", "flask", "flask_wtf")) == []


def test_the_chat_engine_stays_free_of_the_web_the_database_and_the_workers():
    assert _offenders("bot", ("intake", "workers", "flask", "sqlalchemy")) == []


def test_the_walk_sees_imports():
    assert "workers.port" in _imports("intake")["intake/app.py"]
