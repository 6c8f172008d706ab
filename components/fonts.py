"""Fonts with Cyrillic for generated PDFs: PT Sans (ParaType, SIL OFL), installed from PyPI."""

from __future__ import annotations

from pathlib import Path

import fontpkg_pt_sans

FAMILY = "PTSans"
_FILES = Path(fontpkg_pt_sans.ROOT) / "files"
REGULAR = _FILES / "PT_Sans-Web-Regular.ttf"
BOLD = _FILES / "PT_Sans-Web-Bold.ttf"


def register(pdf) -> str:
    """Add PT Sans (regular and bold) to an fpdf2 document; returns the family name to use."""
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    return FAMILY
