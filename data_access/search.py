"""Finding an institution the way people type it: «105», «сад 105», «гимназия 1», «Ёлочка»."""

from __future__ import annotations

import re

import pandas as pd

from data_access import parsing
from data_access.parsing import canonical_page_url
from data_access.vocabulary import CATEGORIES

# Abbreviations people use for institution types, expanded before matching.
ABBREVIATIONS = {
    "дс": "детский сад",
    "д/с": "детский сад",
    "доу": "детский сад",
    "сош": "средняя общеобразовательная школа",
    "оош": "основная общеобразовательная школа",
    "шк": "школа",
    "дк": "дом культуры",
    "дши": "детская школа искусств",
    "дмш": "детская музыкальная школа",
    "сш": "спортивная школа",
    "цбс": "централизованная библиотечная система",
    # Legal forms as people copy them from documents: «МБДОУ 105», «МБОУ СОШ № 12».
    "мбдоу": "детский сад",
    "мадоу": "детский сад",
    "мкдоу": "детский сад",
    "мбоу": "",
    "маоу": "",
    "мкоу": "",
    "мбу": "",
    "мау": "",
    "мку": "",
    "мбук": "",
    "мбудо": "",
    "маудо": "",
}
_WORD = re.compile(r"[0-9]+|[a-zа-я]+")
CATEGORY_RANK = {code: rank for rank, code in enumerate(CATEGORIES)}


def normalise(text: str) -> str:
    """Lower case, ё → е, «№», quotes and punctuation dropped, spaces collapsed."""
    text = parsing.folded(text).replace("д/с", "дс")
    return " ".join(_WORD.findall(text))


def tokens(query: str) -> list[str]:
    words = []
    for word in normalise(query).split():
        words.extend(ABBREVIATIONS.get(word, word).split())
    return words


def _word_matches(word: str, name_words: list[str]) -> bool:
    if word.isdigit():
        return word in name_words  # numbers are whole: «1» is not «11» or «105»
    for name_word in name_words:
        if name_word.startswith(word):
            return True
        # Case endings: «гимназии», «лицея» still find «гимназия», «лицей».
        if len(word) >= 5 and name_word.startswith(word[:-2]):
            return True
    return False


def _by_link(pages: pd.DataFrame, query: str) -> pd.DataFrame | None:
    """A query that is a page link («vk.com/ds105nsk», with or without https://, www., m.) finds
    that page; None when the query is not a link at all."""
    text = query.strip()
    if "/" not in text and "." not in text:
        return None
    try:
        wanted = canonical_page_url(text)
    except ValueError:
        return None
    return pages[pages["url"].map(_canonical_or_none) == wanted]


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonical_page_url(url)
    except ValueError:
        return None


def _names(pages: pd.DataFrame) -> list[tuple[list[str], list[str]]]:
    """Per row: the words of its short name, and of its short and legal names together."""
    names = pages["name"] if "name" in pages else pd.Series("", index=pages.index)
    result = []
    for short_name, name in zip(pages["short_name"].fillna(""), names.fillna("")):
        short_words = normalise(short_name).split()
        result.append((short_words, short_words + normalise(name).split()))
    return result


# search() returns at most this many pages (a quick lookup, not a listing).
SHOWN_AT_MOST = 30


def matching(pages: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows of `pages` (in their order) whose institution matches every word of `query` the
    way search() matches, or whose page is the link typed; every row for an empty query. For
    narrowing a table as one types, where search() picks the best few."""
    by_link = _by_link(pages, query)
    if by_link is not None:
        return by_link
    words = tokens(query)
    if not words:
        return pages
    keep = [all(_word_matches(word, every) for word in words) for _short, every in _names(pages)]
    return pages[keep]


def search(pages: pd.DataFrame, query: str, limit: int = SHOWN_AT_MOST) -> pd.DataFrame:
    """Pages whose institution matches every word of `query`, best first.

    Ranking: a number in the query that is the institution's own number (in its short name)
    counts most, then words found in the short name (not only in the legal name), then a short
    name that starts like the query; ties go to the larger categories first (kindergartens,
    schools …) and shorter names.
    """
    by_link = _by_link(pages, query)
    if by_link is not None:
        return by_link.head(limit)
    words = tokens(query)
    if not words:
        return pages.iloc[0:0]
    normalised_query = " ".join(words)
    rows = []
    for index, short_name, category, (short_words, all_words) in zip(
        pages.index, pages["short_name"], pages["category"], _names(pages)
    ):
        if not all(_word_matches(word, all_words) for word in words):
            continue
        score = 0
        for word in words:
            if word.isdigit():
                score += 10 if word in short_words else 2
            elif _word_matches(word, short_words):
                score += 3
            else:
                score += 1
        if " ".join(short_words).startswith(normalised_query):
            score += 5
        rows.append((index, -score, CATEGORY_RANK.get(category, 99), len(short_name), short_name))
    rows.sort(key=lambda row: row[1:])
    return pages.loc[[row[0] for row in rows[:limit]]]
