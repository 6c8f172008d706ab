"""CSV and XLSX files that Excel in a Russian locale opens right, and that cannot smuggle in a formula."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd

# A cell starting with one of these is read by Excel/LibreOffice as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Columns that hold a share (0.034 on screen as 3,4 %): exported as percentages.
PERCENT_WORDS = ("Прогресс", "Доля", "Заполнение", "÷", "Вовлечённость", "Средняя полнота")
DATE_FORMAT = "%d.%m.%Y"


def is_percent(column: object, values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and any(word in str(column) for word in PERCENT_WORDS)


def is_date(values: pd.Series) -> bool:
    """Whether a column holds days (datetime64, or date objects with blanks)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    present = values.dropna()
    return values.dtype == object and len(present) > 0 and all(isinstance(value, date) for value in present)


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as its CSV writes it: shares as percentages the way the screen shows them (3,4),
    the unit in the header («Прогресс, %»), every day as ДД.ММ.ГГГГ."""
    safe = frame.copy()
    renames = {}
    for column in safe.columns:
        values = safe[column]
        if is_percent(column, values):
            safe[column] = (values.astype(float) * 100).round(1)
            renames[column] = f"{column}, %"
        elif is_date(values):
            safe[column] = values.map(lambda day: "" if pd.isna(day) else day.strftime(DATE_FORMAT))
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise)
    return safe.rename(columns=renames)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, «;» between fields, decimal comma: what Russian Excel expects."""
    text = for_csv(frame).to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _cell(value: object) -> object:
    """A value as openpyxl stores it: numbers as numbers, days as dates, blanks as empty."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return neutralise(value)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Данные", heading: tuple[str, ...] = ()) -> bytes:
    """An Excel workbook of `frame` that opens as people expect: `heading` (what was selected, the
    date of the data) in the first rows, a frozen header row with a filter, real numbers with a
    thousands separator, days as dates (ДД.ММ.ГГГГ), shares as percentages, columns wide enough for
    their text; text that looks like a formula stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for line in heading:
        worksheet.append([line])
    if heading:
        worksheet.cell(row=1, column=1).font = Font(bold=True)
        worksheet.append([None])  # a blank row between the heading and the table
    header_row = len(heading) + 2 if heading else 1
    worksheet.append([str(column) for column in frame.columns])
    for cell in worksheet[header_row]:
        cell.font = Font(bold=True)
    formats: list[str | None] = []
    for column in frame.columns:
        values = frame[column]
        if is_percent(column, values):
            formats.append("0.0%")
        elif is_date(values):
            formats.append("DD.MM.YYYY")
        elif pd.api.types.is_integer_dtype(values):
            formats.append("#,##0")
        elif pd.api.types.is_float_dtype(values):
            formats.append("#,##0.0##")
        else:
            formats.append(None)
    for row in frame.itertuples(index=False):
        worksheet.append([_cell(value) for value in row])
    for index, (column, number_format) in enumerate(zip(frame.columns, formats), start=1):
        letter = get_column_letter(index)
        if number_format:
            for (cell,) in worksheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.number_format = number_format
        longest = max([len(str(column)), *(len(str(value)) for value in frame[column].head(2000) if value is not None)])
        worksheet.column_dimensions[letter].width = min(max(longest, 6) + 2, 60)
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
    if len(frame.columns):
        worksheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(frame.columns))}{header_row + len(frame)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
