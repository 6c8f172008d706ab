"""One typeface with Cyrillic for every generated document: PT Sans (ParaType, SIL OFL, which
allows embedding), installed from PyPI. PDFs embed it through fpdf2; a DOCX carries it inside the
file (Word's font embedding, ECMA-376 Part 1 §17.8.1), so that Word and LibreOffice lay the report
out in the same letters as its PDF, whatever fonts the reader's computer has."""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path

import fontpkg_pt_sans
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

FAMILY = "PTSans"
_FILES = Path(fontpkg_pt_sans.ROOT) / "files"
REGULAR = _FILES / "PT_Sans-Web-Regular.ttf"
BOLD = _FILES / "PT_Sans-Web-Bold.ttf"


def register(pdf) -> str:
    """Add PT Sans (regular and bold) to an fpdf2 document; returns the family name to use."""
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    return FAMILY


NAME = "PT Sans"  # the family name inside the TTF files, which Word and LibreOffice match
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Settings that come before w:embedTrueTypeFonts in CT_Settings (Word rejects them out of order).
_SETTINGS_BEFORE = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
)


def obfuscated(font: bytes, key: uuid.UUID) -> bytes:
    """The font as a DOCX stores it: its first 32 bytes XOR-ed with the key's 16 bytes in reverse
    order, twice over (ECMA-376 Part 1, §17.8.1)."""
    reversed_key = key.bytes[::-1]
    head = bytes(byte ^ reversed_key[index % 16] for index, byte in enumerate(font[:32]))
    return head + font[32:]


@lru_cache(maxsize=2)
def _font_bytes(path: Path) -> bytes:
    return path.read_bytes()


def embed_in_docx(word) -> None:
    """Make PT Sans the typeface of every style of a python-docx Document and put its regular and
    bold files into the document. The keys are derived from the file names, so the same report
    gives the same bytes."""
    package = word.part.package
    table_part = next(part for part in package.iter_parts() if part.partname == "/word/fontTable.xml")
    table = parse_xml(table_part.blob)
    font = parse_xml(
        f'<w:font {nsdecls("w", "r")} w:name="{NAME}"><w:charset w:val="CC"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    for number, (tag, path) in enumerate((("w:embedRegular", REGULAR), ("w:embedBold", BOLD)), start=1):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"gospubliki:{path.name}")
        part = Part(
            PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscated(_font_bytes(path), key), package
        )
        relationship = table_part.relate_to(part, RELATIONSHIP_TYPE.FONT)
        embedded = parse_xml(f'<{tag} {nsdecls("w", "r")} r:id="{relationship}" w:fontKey="{{{str(key).upper()}}}"/>')
        font.append(embedded)
    table.append(font)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = word.settings.element
    flag = parse_xml(f"<w:embedTrueTypeFonts {nsdecls('w')}/>")
    before = [child for child in settings if child.tag in {qn(f"w:{name}") for name in _SETTINGS_BEFORE}]
    if before:
        before[-1].addnext(flag)
    else:
        settings.insert(0, flag)
    for style in word.styles:
        fonts = (
            style.element.rPr.rFonts if style.element.rPr is not None and style.element.rPr.rFonts is not None else None
        )
        if fonts is not None:
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attribute), NAME)
