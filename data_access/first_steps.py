"""«Начало работы»: what a new install still lacks, read from the store's own state.

A city starts with an empty store. The steps below are the order in which it fills it; each says
whether it is done and what the store holds for it, so an administrator sees what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, exists, func, select

from data_access import collect
from data_access.config import Settings
from data_access.models import collection_runs, institutions, pages, subscriber_snapshots, users
from data_access.vocabulary import ROLE_ADMIN, ROLE_EDITOR, plural

# A report for the commission compares a period with the one before it: a month of figures at least.
REPORT_DAYS = 28


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    count: str  # what the store holds for the step, in words
    todo: str  # what to do while it is not done


def _counts(engine: Engine) -> dict:
    """What the steps count in the store: active admins and editors, institutions, pages, pages
    without figures, the first and last day of figures, collection runs."""
    with engine.connect() as connection:
        active_users = select(func.count()).select_from(users).where(users.c.is_active.is_(True))
        active_pages = (
            select(func.count())
            .select_from(pages.join(institutions, institutions.c.id == pages.c.institution_id))
            .where(pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None))
        )
        first, last = connection.execute(
            select(func.min(subscriber_snapshots.c.day), func.max(subscriber_snapshots.c.day))
        ).one()
        return {
            "admins": _count(connection, active_users.where(users.c.role == ROLE_ADMIN)),
            "editors": _count(connection, active_users.where(users.c.role == ROLE_EDITOR)),
            "registry": _count(
                connection, select(func.count()).select_from(institutions).where(institutions.c.retired_at.is_(None))
            ),
            "pages": _count(connection, active_pages),
            "without_page": _count(
                connection,
                select(func.count())
                .select_from(institutions)
                .where(
                    institutions.c.retired_at.is_(None),
                    ~exists().where(pages.c.institution_id == institutions.c.id, pages.c.retired_at.is_(None)),
                ),
            ),
            "with_figures": _count(
                connection, active_pages.where(exists().where(subscriber_snapshots.c.page_id == pages.c.id))
            ),
            "first": first,
            "last": last,
            "runs": _count(connection, select(func.count()).select_from(collection_runs)),
        }


def _count(connection, statement) -> int:
    return int(connection.execute(statement).scalar() or 0)


def steps(engine: Engine, settings: Settings) -> list[Step]:
    """The steps of a first day, in order, each with its state."""
    counts = _counts(engine)
    admins, editors, registry, runs = counts["admins"], counts["editors"], counts["registry"], counts["runs"]
    page_count, without_page, with_figures = counts["pages"], counts["without_page"], counts["with_figures"]
    first, last = counts["first"], counts["last"]
    platforms = sum(1 for reason in collect.configured(settings).values() if not reason)
    span = (last - first).days + 1 if first and last else 0
    return [
        Step(
            "accounts",
            "Сотрудники и роли",
            admins >= 1 and editors >= 1,
            f"администраторов {admins}, редакторов {editors}",
            "заведите учётные записи редакторов (они правят чек-листы и контент-план)",
        ),
        Step(
            "registry",
            "Реестр учреждений",
            registry > 0,
            f"{registry} {plural(registry, 'учреждение', 'учреждения', 'учреждений')}",
            "загрузите реестр с портала открытых данных как скачан — столбцы сопоставятся сами",
        ),
        Step(
            "pages",
            "Страницы учреждений",
            page_count > 0 and without_page == 0,
            f"{page_count} {plural(page_count, 'страница', 'страницы', 'страниц')}, без страниц — "
            f"{without_page} {plural(without_page, 'учреждение', 'учреждения', 'учреждений')}",
            "добавьте ссылки на страницы учреждений (файлом реестра со столбцом «Страница» или по одной)",
        ),
        Step(
            "figures",
            "Первые цифры подписчиков",
            with_figures > 0,
            f"с цифрами {with_figures} из {page_count} {plural(page_count, 'страницы', 'страниц', 'страниц')}",
            "загрузите файл с цифрами по шаблону или соберите их с площадок",
        ),
        Step(
            "collect",
            "Сбор цифр с площадок",
            platforms > 0,
            f"настроено площадок: {platforms} из 4, сборов: {runs}",
            "задайте токены площадок в настройках дашборда на сервере — сбор пойдёт каждый день",
        ),
        Step(
            "report",
            "Первый отчёт для комиссии",
            span >= REPORT_DAYS,
            f"цифры за {span} {plural(span, 'день', 'дня', 'дней')}",
            f"отчёт сравнивает период с предыдущим: нужны цифры хотя бы за {REPORT_DAYS} дней",
        ),
    ]
