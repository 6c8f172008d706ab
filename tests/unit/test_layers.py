"""The layers as docs/architecture.md draws them: data_access (the store, its rules and its CLI) imports
nothing from above it — not the screens' components, not the pages, not app.py — and nothing of
Streamlit. Read from the source, so a new import anywhere in the package fails here."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

ABOVE = ("components", "pages", "app", "streamlit", "bench", "scripts")


def _imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_data_access_imports_nothing_from_above_it():
    modules = sorted((ROOT / "data_access").rglob("*.py"))
    assert len(modules) > 20
    upward = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in _imports(path)
        if name.split(".")[0] in ABOVE
    }
    assert not upward, f"data_access reaches up: {sorted(upward)}"


def test_one_text_normaliser():
    """«Case and ё aside» is parsing.folded, written once; every comparison calls it."""
    sources = [path for folder in ("data_access", "components", "pages") for path in (ROOT / folder).rglob("*.py")]
    written = [
        str(path.relative_to(ROOT)) for path in sources if 'replace("ё", "е")' in path.read_text(encoding="utf-8")
    ]
    assert written == ["data_access/parsing.py"]
    from data_access.parsing import folded

    assert folded("  Ёлочка\tМБДОУ  ") == "елочка мбдоу"


PAGE_LINES_AT_MOST = 150


def test_pages_are_thin():
    """A file of pages/ says what a screen shows and in what order: at most 150 lines, no pandas
    (tables are built by components' pure builders, reads by components/reads)."""
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert len(pages) > 10
    long = {
        str(path.relative_to(ROOT)): lines
        for path in pages
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > PAGE_LINES_AT_MOST
    }
    assert not long, f"pages over {PAGE_LINES_AT_MOST} lines: {long}"
    with_pandas = [str(path.relative_to(ROOT)) for path in pages if {"pandas", "numpy"} & _imports(path)]
    assert not with_pandas, f"pages that import pandas or numpy: {with_pandas}"


FUNCTION_LINES_AT_MOST = 60  # migrations and tests are not counted


def _long_functions() -> dict[str, int]:
    found = {}
    for folder in ("app.py", "pages", "components", "data_access", "seeds", "bench", "scripts"):
        paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
        for path in paths:
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > FUNCTION_LINES_AT_MOST:
                        found[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    return found


def test_functions_fit_in_a_head():
    long = _long_functions()
    assert not long, f"functions over {FUNCTION_LINES_AT_MOST} lines: {long}"
