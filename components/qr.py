"""QR codes of page URLs as PNG and SVG bytes (qrcode library); pure functions."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

# Medium error correction survives a scuffed or partly covered printed code.
ERROR_CORRECTION = ERROR_CORRECT_M


def _code(url: str, box_size: int, border: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str, box_size: int = 10, border: int = 4) -> bytes:
    """The QR code of `url` as a black-on-white PNG; `box_size` pixels per module."""
    image = _code(url, box_size, border).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_png_for_print(url: str, size_mm: float = 60, dpi: int = 300, border: int = 4) -> bytes:
    """A PNG sharp enough to print `size_mm` wide at `dpi` (whole pixels per module)."""
    modules = _code(url, 1, border).modules_count + 2 * border
    box_size = max(4, math.ceil(size_mm / 25.4 * dpi / modules))  # never below the asked resolution
    return qr_png(url, box_size=box_size, border=border)


def qr_svg(url: str, border: int = 4) -> bytes:
    """The QR code as a scalable SVG (one path), for designers and large prints."""
    # The "fill" variant paints a white background: a transparent one prints as black on some printers.
    image = _code(url, 10, border).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


_UNSAFE = re.compile(r'[\\/:*?"<>|«»\x00-\x1f]+')


def file_name(name: str, suffix: str = "") -> str:
    """A file name from an institution's name: readable Cyrillic, nothing a file system rejects."""
    clean = " ".join(_UNSAFE.sub(" ", name).split())[:90].strip(" .") or "госпаблик"
    return f"{clean}{suffix}"


def qr_zip(entries: list[dict], progress: Callable[[int, int], None] | None = None) -> bytes:
    """A ZIP of print-resolution PNG codes named by institution (and network, when it has several)."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, entry in enumerate(entries, start=1):
            stem = file_name(entry["name"], f" ({entry['platform_short']})" if entry.get("platform_short") else "")
            candidate, number = f"{stem}.png", 2
            while candidate in used:
                candidate, number = f"{stem} {number}.png", number + 1
            used.add(candidate)
            archive.writestr(candidate, qr_png_for_print(entry["url"]))
            if progress:
                progress(done, len(entries))
    return buffer.getvalue()
