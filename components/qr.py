"""QR codes of page URLs as PNG and SVG bytes (qrcode library); pure functions."""

from __future__ import annotations

import io

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
    box_size = max(4, round(size_mm / 25.4 * dpi / modules))
    return qr_png(url, box_size=box_size, border=border)


def qr_svg(url: str, border: int = 4) -> bytes:
    """The QR code as a scalable SVG (one path), for designers and large prints."""
    image = _code(url, 10, border).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
