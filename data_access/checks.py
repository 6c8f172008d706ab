"""Field checks shared by every way a value reaches the registry (file import, the editor): the
column sizes come from the models, so PostgreSQL never has to refuse a too-long text itself."""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement

from data_access import parsing
from data_access.territory import match_district
from data_access.vocabulary import TARGET_OVERRIDE_RANGE

# Where coordinates may be: the Novosibirsk region with a margin.
LAT_RANGE, LON_RANGE = (53.0, 57.5), (75.0, 86.0)


def capacity(column: ColumnElement) -> int:
    """How many characters a text column holds."""
    length = getattr(column.type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{column} is not a text column of a fixed length")
    return length


def text_for(column: Column, value: str) -> str:
    """`value` cleaned for the store (control characters dropped, spaces collapsed), or a
    ValueError when it is longer than the column holds: nothing is cut silently."""
    text = parsing.clean_text(value)
    limit = capacity(column)
    if len(text) > limit:
        raise ValueError(
            f"текст длиной {len(text):,} знаков не помещается: здесь не больше {limit} знаков".replace(",", "\u00a0")
        )
    return text


def has_control_characters(value: str) -> bool:
    """NUL and other control characters: the sign of a broken export row, not of a name."""
    return any(ord(char) < 32 and char not in "\t\r\n" for char in str(value))


def target_override(text: str) -> int | None:
    """An optional target: empty, or a whole number within TARGET_OVERRIDE_RANGE."""
    if not str(text).strip():
        return None
    value = parsing.parse_count(text)
    low, high = TARGET_OVERRIDE_RANGE
    if not low <= value <= high:
        raise ValueError(f"цель должна быть от {low} до {high:,}".replace(",", "\u00a0"))
    return value


def check_target(value: int | None) -> None:
    low, high = TARGET_OVERRIDE_RANGE
    if value is not None and not low <= value <= high:
        raise ValueError(f"цель должна быть от {low} до {high:,}".replace(",", "\u00a0"))


def coordinate(text: str, bounds: tuple[float, float]) -> float | None:
    """An optional latitude or longitude inside the region («55,0575» or «55.0575»)."""
    if not str(text).strip():
        return None
    low, high = bounds
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError as error:
        raise ValueError(f"ожидается число от {low} до {high} (Новосибирская область)") from error
    if not low <= value <= high:
        raise ValueError(f"ожидается число от {low} до {high} (Новосибирская область)")
    return value


def district(text: str, known: tuple[str, ...]) -> str:
    return match_district(parsing.clean_text(text), known)
