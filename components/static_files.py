"""The project's own files in components/assets/: the style sheets and scripts of its small browser
components (linted as CSS and JavaScript, scripts/lint_assets.sh), the map's district outlines, the
icon and logo."""

from __future__ import annotations

import functools
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"


@functools.cache
def text(name: str) -> str:
    """A text file of components/assets/, read once per process."""
    return (ASSETS / name).read_text(encoding="utf-8")
