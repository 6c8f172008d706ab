"""Short names of institutions as people say them, derived from the legal names in registries.

A registry names an institution with its legal form and its own name in quotes, and the city's
files write those quotes every way there is: «…», "…", “…”, unclosed, doubled, a «…" mix. A short
name keeps the type and number («Детский сад № 105 «Улыбка»», «Школа № 12», «Гимназия № 1»),
drops the legal form and the kind of a kindergarten («комбинированного вида»), and always has
balanced «ёлочки».
"""

from __future__ import annotations

import re

from data_access import parsing

QUOTES = '«»"“”„'
_QUOTE = re.compile(f"[{QUOTES}]")
# «№16», «N329», «№  5» -> «№ 16»: the number sign as the city writes it, one space after it.
_NUMBER = re.compile(r"(?:№|(?<![A-Za-zА-Яа-яЁё])N)\s*(\d+)")
_HAS_NUMBER = re.compile(r"№ \d+")
# The kind of a kindergarten is part of its legal name, not of the name people use.
_KIND = re.compile(
    r"\s+(?:общеразвивающего|комбинированного|компенсирующего|присмотра и оздоровления)\s+вида\b", re.IGNORECASE
)
_LEGAL_FORM = re.compile(  # the legal form at the start of a name: «Муниципальное … учреждение города Новосибирска»
    r"^\s*(муниципальн\w*|государственн\w*)(\s+\w+)*?\s+учреждени\w*(\s+(города|г\.?|город)\s*новосиб\w*)?\s*",
    re.IGNORECASE,
)
# Long school types people shorten; the number stays.
SCHOOL_TYPES = (
    ("средняя общеобразовательная школа", "Школа"),
    ("основная общеобразовательная школа", "Основная школа"),
    ("начальная общеобразовательная школа", "Начальная школа"),
)


def school_short_name(text: str) -> str:
    """«Средняя общеобразовательная школа № 76» -> «Школа № 76»; other names unchanged."""
    for long, short in SCHOOL_TYPES:
        if text.lower().startswith(long):
            return short + text[len(long) :]
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def short_name_from_legal(name: str) -> str:
    """The short name of a legal name (see the module's docstring); a name with neither a legal
    form nor quotes stays as it is, with its number written «№ N»."""
    text = _NUMBER.sub(lambda match: f"№ {match.group(1)}", parsing.clean_text(name))
    text = _KIND.sub("", text)
    start = _QUOTE.search(text)
    if start is None:
        own = _LEGAL_FORM.sub("", text).strip(" ,.") or text
        return _capital(school_short_name(own))
    lead = _lead(text[: start.start()])
    parts = [part.strip(" ,.") for part in _QUOTE.split(text[start.end() :])]
    parts = [part for part in parts if part]
    if not parts:
        return _capital(lead or text.strip(QUOTES + " "))
    legal = next((index for index, part in enumerate(parts) if _LEGAL_WORD.search(part)), None)
    if lead and legal:  # «Дошкольное отделение «Светлячок» муниципального … «Школа № 135»»
        owner = _LEGAL_FORM.sub("", parts[legal]).strip(" ,.")
        owner = " ".join(part for part in [owner, *parts[legal + 1 :]] if part)
        own = " ".join(parts[:legal])
        return _capital(f"{lead} «{own}»" + (f" ({school_short_name(owner)})" if owner else ""))
    # The first quoted text is the type and number; the last, if more, the institution's own name;
    # anything between says which part of it this is («Лицей ИНТЕГРАЛ, дошкольное отделение «Ромашка»»).
    base, *middle = parts
    nickname = middle.pop() if middle else ""
    if middle:
        base = f"{base}, {' '.join(middle)[:1].lower()}{' '.join(middle)[1:]}"
    # A number outside the quotes («"Сибирячок" № 420») must not be lost.
    if not _HAS_NUMBER.search(lead + base + nickname):
        number = _HAS_NUMBER.search(text)
        if number:
            base = f"{base} {number.group(0)}"
    short = school_short_name(base) + (f" «{nickname}»" if nickname else "")
    return _capital(f"{lead} «{short}»" if lead else short)


_ABBREVIATION = re.compile(r"^[А-ЯЁA-Z]{2,8}$")
_LEGAL_WORD = re.compile(r"(муниципальн|государственн)\w*", re.IGNORECASE)


def _lead(text: str) -> str:
    """What stands before the own name, less the legal form: «Дошкольное отделение» of
    «Дошкольное отделение муниципального … учреждения «Школа № 16»» stays; «МБДОУ» goes."""
    legal = _LEGAL_WORD.search(text)
    lead = (text[: legal.start()] if legal else text).strip(" ,.")
    return "" if _ABBREVIATION.match(lead) else lead


def name_key(name: str) -> str:
    """A name as two registries may write it differently compared: case, ё, quotes of any kind,
    the number sign and spaces aside («МБДОУ "Детский сад №105"» = «мбдоу «детский сад № 105»»)."""
    text = _NUMBER.sub(lambda match: f"№ {match.group(1)}", parsing.clean_text(name))
    return parsing.folded(_QUOTE.sub(" ", text))


def balanced(text: str) -> bool:
    """Whether every «ёлочка» in `text` is closed, in order, and no straight quote is left over."""
    depth = 0
    for char in text:
        if char == "«":
            depth += 1
        elif char == "»":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and text.count('"') % 2 == 0
