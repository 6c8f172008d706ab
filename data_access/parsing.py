"""Reading the files people really have: CSV in any common encoding and separator, or XLSX;
counts with space separators, Russian or ISO dates, page links in any common form."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from unittest import mock
from urllib.parse import urlsplit

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 300_000
# A subscriber count above this is a typo or a joined cell, not a municipal page.
MAX_COUNT = 50_000_000
# Figures before this year cannot belong to the project (the pages were created in 2023).
EARLIEST_YEAR = 2015
# A file's cells may be this long; a longer one is reported, never a parser error.
csv.field_size_limit(MAX_FILE_BYTES)

# Spaces people (and Excel) put between thousands: plain, no-break, narrow no-break, thin, figure.
_THOUSANDS = "[ \u00a0\u202f\u2009\u2007]"
_COUNT = re.compile(rf"(\d{{1,3}}(?:{_THOUSANDS}\d{{3}})+|\d+)(?:[.,]0+)?")
_DATE_RU = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
PLATFORM_HOSTS = {
    "vk.com": "vk",
    "vk.ru": "vk",
    "ok.ru": "ok",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "max.ru": "max",
}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (row as people count them, header = 1; column) and what."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def text(self, file_name: str) -> str:
        where = [f"файл «{file_name}»"]
        if self.row is not None:
            where.append(f"строка {self.row}")
        if self.column:
            where.append(f"столбец «{self.column}»")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            where.append(f"значение «{shown}»")
        text = ", ".join(where)
        return text[0].upper() + text[1:] + f": {self.message}"


def parse_count(text: str) -> int:
    """A plain non-negative whole number: «1234», «1 234» (also with a no-break or thin space),
    «1234,0» / «1234.0» (Excel's zeros) -> 1234. Any other comma or dot is ambiguous («1,250»:
    1250 or 1,25?) and refused, like negatives and counts above MAX_COUNT: a ValueError."""
    value = str(text).strip()
    match = _COUNT.fullmatch(value)
    if match:
        count = int(re.sub(_THOUSANDS, "", match.group(1)))
        if count > MAX_COUNT:
            raise ValueError(f"слишком большое число: больше {MAX_COUNT:,} подписчиков не бывает".replace(",", " "))
        return count
    if re.fullmatch(r"[-−–]\s*\d.*", value):
        raise ValueError("число подписчиков не может быть отрицательным")
    if re.fullmatch(rf"[\d{_THOUSANDS[1:-1]}]*\d[.,]\d[\d.,{_THOUSANDS[1:-1]}]*", value):
        raise ValueError(
            "неоднозначное число: запятая или точка может означать и дробь, и разделитель разрядов — "
            "запишите целое число без них, например 1250 или 1 250"
        )
    raise ValueError("ожидается целое число, например 1 234")


def parse_day(text: str, today: date | None = None) -> date:
    """«27.11.2026», «27/11/2026», «2026-11-27», «2026-11-27 00:00:00» -> date(2026, 11, 27).
    A date after `today` (Novosibirsk) or before EARLIEST_YEAR is a ValueError."""
    value = str(text).strip()
    match = _DATE_RU.match(value)
    parsed = None
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            parsed = date(year, month, day)
        else:
            match = _DATE_ISO.match(value)
            if match:
                year, month, day = (int(part) for part in match.groups())
                parsed = date(year, month, day)
    except ValueError as error:
        raise ValueError("такой даты нет в календаре") from error
    if parsed is None:
        raise ValueError("ожидается дата вида 27.11.2026 или 2026-11-27")
    if today is not None and parsed > today:
        raise ValueError(f"дата в будущем (сегодня в Новосибирске {today:%d.%m.%Y})")
    if parsed.year < EARLIEST_YEAR:
        raise ValueError(f"дата раньше {EARLIEST_YEAR} года — проверьте год")
    return parsed


def _foreign_character(text: str) -> tuple[int, str] | None:
    """The first character of a link that is not plain ASCII (a Cyrillic «о» typed into
    «vk.com/ds1о5nsk»), with its 1-based position."""
    for position, char in enumerate(text, start=1):
        if ord(char) > 127:
            return position, char
    return None


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    if "CYRILLIC" in name:
        return "кириллица"
    if "GREEK" in name:
        return "греческая буква"
    return "не латиница"


def canonical_page_url(text: str) -> str:
    """Any common way of writing a page link -> «https://vk.com/name» (host without www./m.,
    lower case, no query, no trailing slash). Unknown hosts and non-links are a ValueError."""
    value = str(text).strip()
    if not value:
        raise ValueError("пустая ссылка")
    foreign = _foreign_character(value.split("?", 1)[0].split("#", 1)[0])
    if foreign:
        position, char = foreign
        raise ValueError(
            f"в ссылке символ «{char}» ({_script_of(char)}, {position}-й знак): адреса страниц "
            "пишутся только латиницей — возможно, буква набрана в русской раскладке"
        )
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if host not in PLATFORM_HOSTS:
        raise ValueError("ссылка должна вести на vk.com, ok.ru, t.me или max.ru")
    path = parts.path.rstrip("/").lower()
    if not path or path == "/" or not re.fullmatch(r"(/[a-z0-9_.\-@]+)+", path):
        raise ValueError("в ссылке нет адреса страницы (например vk.com/ds105nsk)")
    return f"https://{host}{path}"


def platform_of(url: str) -> str:
    return PLATFORM_HOSTS[urlsplit(url).hostname or ""]


def clean_text(value: str, limit: int | None = None) -> str:
    """Text for the store: control characters dropped, spaces collapsed (and cut to `limit` where
    a caller really wants a prefix; the registry refuses a too-long text instead, see checks).
    Markup is kept as plain text (the app never renders it as HTML)."""
    text = "".join(char for char in str(value) if unicodedata.category(char)[0] != "C" or char in "\t")
    text = " ".join(text.split())
    return text if limit is None else text[:limit]


def clean_lines(value: str) -> str:
    """Multi-line text for the store: control characters (NUL included) dropped, line breaks and
    tabs kept, the whole stripped."""
    text = str(value).replace("\r\n", "\n")
    return "".join(char for char in text if unicodedata.category(char)[0] != "C" or char in "\n\t").strip()


def folded(text: object) -> str:
    """Text as people mean it when they compare: lower case, ё read as е, runs of spaces as one —
    the one normaliser behind every «case and ё aside» comparison of the project."""
    return " ".join(str(text).lower().replace("ё", "е").split())


def normalise_header(text: str) -> str:
    return " ".join(re.findall(r"[a-zа-я0-9]+", folded(text)))


def _looks_binary(data: bytes) -> bool:
    """A picture or an archive, not a table. A stray row of NUL or control characters in a real
    export is not enough: such rows are reported one by one."""
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > len(sample) * 0.1


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251")  # Excel «CSV» in a Russian Windows


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def width(header: list[str]) -> int:
    """How many columns a header names (trailing empty header cells do not count)."""
    named = [index for index, cell in enumerate(header) if str(cell).strip()]
    return named[-1] + 1 if named else 0


def extra_cells(cells: list[str], columns: int) -> list[tuple[int, str]]:
    """Non-empty cells beyond the header's columns as (1-based column number, value): a sign that
    a value was split (a comma inside a number in a comma-separated file). Empty trailing cells, as
    Excel writes them, are fine."""
    return [(index + 1, cell) for index, cell in enumerate(cells[columns:], start=columns) if str(cell).strip()]


# An XLSX is a ZIP archive: what it may unpack to before any parsing starts (a «zip bomb» of
# 150 KB can unpack to gigabytes), and how long reading its rows may take.
MAX_XLSX_ENTRIES = 500
# 32 MB of XML is ≈ 200 000 rows of a page table — more than reading within MAX_XLSX_SECONDS allows.
MAX_XLSX_UNPACKED = 32 * 1024 * 1024
MAX_XLSX_RATIO = 150
MAX_XLSX_SECONDS = 5
# The widest row a table of pages needs is a few dozen columns; a value further right is not data.
MAX_XLSX_COLUMNS = 200


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileProblem("файл XLSX повреждён или это не таблица Excel") from error
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or unpacked > MAX_XLSX_UNPACKED or unpacked > MAX_XLSX_RATIO * max(len(data), 1):
        megabytes, kilobytes = (
            f"{value:,.0f}".replace(",", "\u00a0") for value in (unpacked / 2**20, len(data) / 1024)
        )
        raise FileProblem(
            f"файл XLSX распаковывается в {megabytes} МБ из {kilobytes} КБ ({len(entries)} частей) — так "
            "выглядит не таблица, а «архивная бомба»; сохраните данные заново в Excel или как CSV"
        )


def _column_name(number: int) -> str:
    """1 → A, 28 → AB, 16384 → XFD."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# openpyxl looks for a sheet's declared size when it opens it, and when the sheet has none, it
# parses the whole sheet to find out (7 s for 50 MB, before the first row could be timed). The
# size is ignored here anyway (reset_dimensions), so opening skips that search; the patch is held
# only while a workbook opens, one at a time.
_OPENING = threading.Lock()


def _no_size(_sheet) -> None:
    return None


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's non-empty rows, read as a stream within MAX_XLSX_SECONDS whatever the
    file declares: its dimension («A1:XFD1048576») is ignored, so missing rows and columns are
    never made up; a value right of MAX_XLSX_COLUMNS is refused (naming its row and column), and
    the clock is checked after every row, however many cells it has."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    _check_archive(data)
    started = time.monotonic()

    def too_slow(where: str) -> FileProblem:
        return FileProblem(
            f"файл XLSX читается дольше {MAX_XLSX_SECONDS} с ({where}); так долго читаются только "
            "таблицы с лишним — сохраните нужные столбцы заново в Excel или как CSV"
        )

    try:
        with _OPENING, mock.patch.object(ReadOnlyWorksheet, "_get_size", _no_size):
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem("файл XLSX повреждён или это не таблица Excel") from error
    try:
        if time.monotonic() - started > MAX_XLSX_SECONDS:
            raise too_slow("даже до первой строки")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may be a lie: read the rows that are there
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if time.monotonic() - started > MAX_XLSX_SECONDS:
                raise too_slow(f"дошли до строки {number}")
            last = len(values)
            while last and (values[last - 1] is None or values[last - 1] == ""):
                last -= 1
            if not last:
                continue
            if last > MAX_XLSX_COLUMNS:
                raise FileProblem(
                    f"строка {number}, столбец {_column_name(last)}: значение «{_cell_text(values[last - 1])[:40]}» "
                    f"правее {MAX_XLSX_COLUMNS}-го столбца — так далеко данных в таблице страниц не бывает; "
                    "удалите лишнее или сохраните нужные столбцы как CSV"
                )
            rows.append((number, [_cell_text(value) for value in values[:last]]))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_rows(data: bytes, file_name: str) -> list[tuple[int, list[str]]]:
    """The file as (row number as a spreadsheet shows it, text cells), header first, empty rows
    dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"файл больше {MAX_FILE_BYTES // (1024 * 1024)} МБ; разбейте его на части")
    if not data.strip():
        raise FileProblem("файл пустой")
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    else:
        if _looks_binary(data):
            raise FileProblem("файл не похож на таблицу: ожидается CSV (текст) или XLSX")
        text = _decode(data)
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
        rows = []
        try:
            for cells in reader:
                rows.append((reader.line_num, cells))
                if len(rows) > MAX_ROWS + 1:
                    break
        except csv.Error as error:
            raise FileProblem(
                f"строка {reader.line_num + 1} не читается как CSV ({error}); "
                "проверьте кавычки в этой строке или сохраните файл как XLSX"
            ) from error
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise FileProblem("файл пустой")
    if len(rows) == 1:
        raise FileProblem("в файле только заголовок, строк с данными нет")
    if len(rows) - 1 > MAX_ROWS:
        raise FileProblem(f"в файле больше {MAX_ROWS:,} строк; разбейте его на части".replace(",", " "))
    return rows
