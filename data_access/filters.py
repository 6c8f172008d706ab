"""The sidebar selection (category, district, platform, flagship) as a value every query accepts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true

from data_access.models import institutions, pages
from data_access.vocabulary import category_label, platform_label


@dataclass(frozen=True)
class PageFilter:
    """Which pages a screen shows; empty tuples mean «all». Hashable, so it can key a cache."""

    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    flagship_only: bool = False

    def condition(self) -> ColumnElement[bool]:
        """A WHERE clause over `pages` joined with `institutions`, with bound parameters only."""
        clauses: list[ColumnElement[bool]] = [
            pages.c.retired_at.is_(None),
            institutions.c.retired_at.is_(None),
        ]
        if self.categories:
            clauses.append(institutions.c.category.in_(self.categories))
        if self.districts:
            clauses.append(institutions.c.district.in_(self.districts))
        if self.platforms:
            clauses.append(pages.c.platform.in_(self.platforms))
        if self.flagship_only:
            clauses.append(pages.c.is_flagship.is_(True))
        return and_(true(), *clauses)

    def rollup_condition(self, totals) -> ColumnElement[bool]:
        """The same selection over the daily totals table (which holds active pages only)."""
        clauses: list[ColumnElement[bool]] = []
        if self.categories:
            clauses.append(totals.c.category.in_(self.categories))
        if self.districts:
            clauses.append(totals.c.district.in_(self.districts))
        if self.platforms:
            clauses.append(totals.c.platform.in_(self.platforms))
        if self.flagship_only:
            clauses.append(totals.c.is_flagship.is_(True))
        return and_(true(), *clauses)

    @property
    def is_everything(self) -> bool:
        return not (self.categories or self.districts or self.platforms or self.flagship_only)


ALL_PAGES = PageFilter()


def describe(filters: PageFilter, region: bool = False) -> str:
    """The selection in plain words: «Школы · Кировский район»; with no filter «весь город, все
    страницы» (or «вся область, …» for a store covering the region)."""
    parts = [
        ", ".join(category_label(code) for code in filters.categories),
        ", ".join(filters.districts),
        ", ".join(platform_label(code) for code in filters.platforms),
    ]
    if filters.flagship_only:
        parts.append("только флагманские")
    text = " · ".join(part for part in parts if part)
    if text:
        return text
    return "вся область, все страницы" if region else "весь город, все страницы"
