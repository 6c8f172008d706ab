"""Imports of subscriber figures and of the institution registry: read, check, preview, then
write all-or-nothing through the write path. The app and `python -m data_access import` share it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, bindparam, select

from data_access import parsing, rollup
from data_access.auth import Actor
from data_access.config import load_settings
from data_access.engine import bulk_insert
from data_access.models import imports, institutions, pages, subscriber_snapshots, utc_now
from data_access.parsing import FileProblem, Problem
from data_access.queries import frame
from data_access.vocabulary import CATEGORIES, ROLE_ADMIN, ROLE_EDITOR
from data_access.writes import Change, ValidationFailed, change

Progress = Callable[[float, str], None]

SUBSCRIBER_COLUMNS = {
    "page": ("страница", ["page", "page url", "url", "link", "ссылка", "страница", "ссылка на страницу",
                          "адрес страницы", "госпаблик", "page id", "id", "ид", "номер страницы"]),
    "date": ("дата", ["date", "day", "дата", "день"]),
    "subscribers": ("подписчики", ["subscribers", "followers", "members", "подписчики", "подписчиков",
                                   "число подписчиков", "количество подписчиков", "участники"]),
}
REGISTRY_COLUMNS = {
    "code": ("код", ["code", "id", "код", "идентификатор", "код учреждения"]),
    "name": ("полное название", ["name", "full name", "название", "полное название", "наименование",
                                 "полное наименование"]),
    "short_name": ("краткое название", ["short name", "краткое название", "сокращенное наименование",
                                        "краткое наименование"]),
    "category": ("категория", ["category", "категория", "тип"]),
    "district": ("район", ["district", "район"]),
    "address": ("адрес", ["address", "адрес"]),
    "lat": ("широта", ["lat", "latitude", "широта"]),
    "lon": ("долгота", ["lon", "lng", "longitude", "долгота"]),
    "website": ("сайт", ["website", "site", "сайт"]),
    "page_url": ("страница", ["page", "page url", "url", "ссылка", "страница", "госпаблик"]),
    "flagship": ("флагманская", ["flagship", "флагманская", "флагман"]),
    "target": ("цель", ["target", "цель", "цель подписчиков"]),
}
REGISTRY_REQUIRED = ("code", "name", "category", "district", "page_url")
CATEGORY_WORDS = {**{code: code for code in CATEGORIES},
                  **{parsing.normalise_header(label): code for code, label in CATEGORIES.items()},
                  "детский сад": "kindergarten", "сад": "kindergarten", "школа": "school", "мэрия": "city_hall"}
YES = {"да", "1", "true", "yes", "д", "y", "флагманская", "+"}
NO = {"нет", "0", "false", "no", "н", "n", "", "-"}
# Where coordinates may be: the Novosibirsk region with a margin.
LAT_RANGE, LON_RANGE = (53.0, 57.5), (75.0, 86.0)


@dataclass
class Plan:
    """What an import would do, before anything is written."""

    kind: str
    file_name: str
    rows_total: int = 0
    new: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_texts(self) -> list[str]:
        return [problem.text(self.file_name) for problem in self.problems]


def _columns(header: list[str], spec: dict, required: tuple[str, ...]) -> tuple[dict[str, int], list[Problem]]:
    found: dict[str, int] = {}
    normalised = [parsing.normalise_header(cell) for cell in header]
    for key, (_label, aliases) in spec.items():
        for index, cell in enumerate(normalised):
            if cell in aliases and key not in found and index not in found.values():
                found[key] = index
    problems = [Problem(1, None, None, f"нет столбца «{spec[key][0]}» (подходят заголовки: "
                                       f"{', '.join(spec[key][1][:4])}…)") for key in required if key not in found]
    return found, problems


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _report(progress: Progress | None, share: float, text: str) -> None:
    if progress:
        progress(min(max(share, 0.0), 1.0), text)


# Subscribers --------------------------------------------------------------------------------------

def _page_lookup(engine: Engine) -> tuple[dict[str, int], set[int]]:
    with engine.connect() as connection:
        rows = connection.execute(select(pages.c.id, pages.c.url).where(pages.c.retired_at.is_(None))).all()
    by_url = {}
    for page_id, url in rows:
        try:
            by_url[parsing.canonical_page_url(url)] = page_id
        except ValueError:
            by_url[url] = page_id
    return by_url, {page_id for page_id, _ in rows}


def plan_subscribers(engine: Engine, data: bytes, file_name: str, today: date,
                     progress: Progress | None = None) -> Plan:
    """Read and check a file of (page, date, subscribers); nothing is written."""
    plan = Plan("subscribers", file_name)
    try:
        rows = parsing.read_rows(data, file_name)
    except FileProblem as error:
        plan.problems.append(Problem(None, None, None, str(error)))
        return plan
    columns, problems = _columns(rows[0][1], SUBSCRIBER_COLUMNS, ("page", "date", "subscribers"))
    if problems:
        plan.problems.extend(problems)
        return plan
    by_url, page_ids = _page_lookup(engine)
    labels = {key: rows[0][1][index].strip() for key, index in columns.items()}
    seen: dict[tuple[int, date], tuple[int, int]] = {}
    body = rows[1:]
    plan.rows_total = len(body)
    for position, (number, cells) in enumerate(body):
        if position % 5000 == 0:
            _report(progress, 0.6 * position / len(body), f"Проверено строк: {position} из {len(body)}")
        raw_page, raw_day, raw_count = (_cell(cells, columns[key]) for key in ("page", "date", "subscribers"))
        page_id = None
        if raw_page.isdigit() and int(raw_page) in page_ids:
            page_id = int(raw_page)
        else:
            try:
                page_id = by_url.get(parsing.canonical_page_url(raw_page))
                if page_id is None:
                    plan.problems.append(Problem(number, labels["page"], raw_page,
                                                 "такой страницы нет в реестре (проверьте ссылку или добавьте страницу)"))
            except ValueError as error:
                plan.problems.append(Problem(number, labels["page"], raw_page, str(error)))
        try:
            day = parsing.parse_day(raw_day)
            if day > today:
                plan.problems.append(Problem(number, labels["date"], raw_day, "дата в будущем"))
                day = None
        except ValueError as error:
            plan.problems.append(Problem(number, labels["date"], raw_day, str(error)))
            day = None
        try:
            count = parsing.parse_count(raw_count)
        except ValueError as error:
            plan.problems.append(Problem(number, labels["subscribers"], raw_count, str(error)))
            count = None
        if page_id is None or day is None or count is None:
            continue
        key = (page_id, day)
        if key in seen:
            earlier_number, earlier_count = seen[key]
            if earlier_count != count:
                plan.problems.append(Problem(
                    number, labels["subscribers"], raw_count,
                    f"эта страница и дата уже есть в строке {earlier_number} с другим значением ({earlier_count})"))
            continue
        seen[key] = (number, count)
    if plan.problems:
        return plan
    _report(progress, 0.7, "Сравниваем с базой…")
    existing = _existing_snapshots(engine, list(seen))
    for (page_id, day), (_number, count) in seen.items():
        before = existing.get((page_id, day))
        if before is None:
            plan.new.append({"page_id": page_id, "day": day, "subscribers": count})
        elif before != count:
            plan.updated.append({"page_id": page_id, "day": day, "subscribers": count, "before": before})
        else:
            plan.unchanged += 1
    plan.unchanged += plan.rows_total - len(seen)  # exact repeats of a row
    _report(progress, 1.0, "Проверка закончена")
    return plan


def _existing_snapshots(engine: Engine, keys: list[tuple[int, date]]) -> dict[tuple[int, date], int]:
    if not keys:
        return {}
    page_ids = sorted({page for page, _ in keys})
    first, last = min(day for _, day in keys), max(day for _, day in keys)
    found: dict[tuple[int, date], int] = {}
    with engine.connect() as connection:
        for start in range(0, len(page_ids), 500):
            chunk = page_ids[start:start + 500]
            rows = connection.execute(select(subscriber_snapshots).where(
                subscriber_snapshots.c.page_id.in_(chunk),
                subscriber_snapshots.c.day.between(first, last)))
            found.update({(row.page_id, row.day): row.subscribers for row in rows})
    wanted = set(keys)
    return {key: value for key, value in found.items() if key in wanted}


def _import_role() -> str:
    return ROLE_EDITOR if load_settings().editors_can_import else ROLE_ADMIN


def _record(current: Change, plan: Plan) -> None:
    current.connection.execute(imports.insert().values(
        at=utc_now(), actor=current.actor.login, kind=plan.kind, file_name=plan.file_name[:300],
        rows_total=plan.rows_total, rows_added=len(plan.new), rows_updated=len(plan.updated),
        rows_unchanged=plan.unchanged))
    current.audit("import", "import", plan.kind, None,
                  {"file": plan.file_name, "rows": plan.rows_total, "added": len(plan.new),
                   "updated": len(plan.updated), "unchanged": plan.unchanged})


def apply_subscribers(engine: Engine, actor: Actor, plan: Plan, progress: Progress | None = None) -> Plan:
    """Write a checked plan in one transaction (refused if it has problems)."""
    if not plan.ok:
        raise ValidationFailed(plan.problem_texts())
    with change(engine, actor, _import_role(), "загрузка цифр подписчиков", ["subscribers"]) as current:
        _report(progress, 0.1, f"Добавляем строк: {len(plan.new)}")
        bulk_insert(current.connection, subscriber_snapshots, iter(plan.new))
        _report(progress, 0.6, f"Обновляем строк: {len(plan.updated)}")
        if plan.updated:
            current.connection.execute(
                subscriber_snapshots.update()
                .where(and_(subscriber_snapshots.c.page_id == bindparam("key_page"),
                            subscriber_snapshots.c.day == bindparam("key_day")))
                .values(subscribers=bindparam("new_subscribers")),
                [{"key_page": row["page_id"], "key_day": row["day"], "new_subscribers": row["subscribers"]}
                 for row in plan.updated])
        _report(progress, 0.8, "Пересчитываем суммы по дням…")
        rollup.rebuild(current.connection, rollup.days_touched(
            current.connection, [(row["page_id"], row["day"]) for row in plan.new + plan.updated]))
        _record(current, plan)
    _report(progress, 1.0, "Готово")
    return plan


def subscriber_template() -> pd.DataFrame:
    """The template people download: the columns and one example row."""
    return pd.DataFrame({"Страница": ["https://vk.com/ds105nsk"], "Дата": ["27.11.2026"], "Подписчики": ["1 234"]})


# Registry ----------------------------------------------------------------------------------------

def plan_registry(engine: Engine, data: bytes, file_name: str, progress: Progress | None = None) -> Plan:
    """Read and check a registry file (one row per page: institution fields plus its page link)."""
    plan = Plan("registry", file_name)
    try:
        rows = parsing.read_rows(data, file_name)
    except FileProblem as error:
        plan.problems.append(Problem(None, None, None, str(error)))
        return plan
    columns, problems = _columns(rows[0][1], REGISTRY_COLUMNS, REGISTRY_REQUIRED)
    if problems:
        plan.problems.extend(problems)
        return plan
    labels = {key: rows[0][1][index].strip() for key, index in columns.items()}
    with engine.connect() as connection:
        known = {row.code: dict(row._mapping) for row in connection.execute(select(institutions))}
        known_pages = {}
        for row in connection.execute(select(pages)):
            try:
                known_pages[parsing.canonical_page_url(row.url)] = dict(row._mapping)
            except ValueError:
                known_pages[row.url] = dict(row._mapping)
    codes_by_id = {row["id"]: code for code, row in known.items()}
    seen_urls: dict[str, tuple[int, str]] = {}
    body = rows[1:]
    plan.rows_total = len(body)
    for position, (number, cells) in enumerate(body):
        if position % 2000 == 0:
            _report(progress, position / len(body), f"Проверено строк: {position} из {len(body)}")

        def problem(key: str, value: str, message: str, number: int = number) -> None:
            plan.problems.append(Problem(number, labels.get(key, REGISTRY_COLUMNS[key][0]), value, message))

        raw = {key: _cell(cells, columns.get(key)) for key in REGISTRY_COLUMNS}
        for key in REGISTRY_REQUIRED:
            if not raw[key]:
                problem(key, raw[key], "обязательное поле пустое")
        if any(not raw[key] for key in REGISTRY_REQUIRED):
            continue
        code = parsing.clean_text(raw["code"], 64)
        category = CATEGORY_WORDS.get(parsing.normalise_header(raw["category"]))
        if category is None:
            problem("category", raw["category"], "неизвестная категория (детские сады, школы, культура, спорт, "
                                                 "подразделения мэрии, другое)")
        coordinates = []
        for key, (low, high) in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
            if not raw[key]:
                coordinates.append(None)
                continue
            try:
                value = float(raw[key].replace(",", "."))
                if not low <= value <= high:
                    raise ValueError
                coordinates.append(value)
            except ValueError:
                problem(key, raw[key], f"ожидается число от {low} до {high} (Новосибирская область)")
                coordinates.append(None)
        try:
            url = parsing.canonical_page_url(raw["page_url"])
        except ValueError as error:
            problem("page_url", raw["page_url"], str(error))
            url = None
        flagship_text = raw["flagship"].strip().lower()
        if flagship_text not in YES | NO:
            problem("flagship", raw["flagship"], "ожидается «да» или «нет»")
        target = None
        if raw["target"]:
            try:
                target = parsing.parse_count(raw["target"])
                if target <= 0:
                    raise ValueError("цель должна быть больше нуля")
            except ValueError as error:
                problem("target", raw["target"], str(error))
        if url:
            if url in seen_urls and seen_urls[url][1] != code:
                problem("page_url", raw["page_url"], f"эта страница уже указана в строке {seen_urls[url][0]} "
                                                     "для другого учреждения")
            seen_urls.setdefault(url, (number, code))
            owner = known_pages.get(url)
            if owner and codes_by_id.get(owner["institution_id"]) != code:
                problem("page_url", raw["page_url"], "эта страница в реестре принадлежит учреждению "
                                                     f"«{codes_by_id.get(owner['institution_id'])}»")
        if plan.problems and plan.problems[-1].row == number:
            continue
        institution = {
            "code": code, "name": parsing.clean_text(raw["name"], 500),
            "short_name": parsing.clean_text(raw["short_name"] or raw["name"], 200), "category": category,
            "district": parsing.clean_text(raw["district"], 100),
            "address": parsing.clean_text(raw["address"], 300) or None,
            "lat": coordinates[0], "lon": coordinates[1], "website": parsing.clean_text(raw["website"], 300) or None,
        }
        page = {"url": url, "platform": parsing.platform_of(url), "is_flagship": flagship_text in YES,
                "target_override": target}
        entry = {"row": number, "institution": institution, "page": page}
        before = known.get(code)
        before_page = known_pages.get(url)
        if before is None or before_page is None:
            plan.new.append(entry)
        elif any(before[key] != value for key, value in institution.items()) or any(
                before_page[key] != value for key, value in page.items()):
            plan.updated.append(entry)
        else:
            plan.unchanged += 1
    _report(progress, 1.0, "Проверка закончена")
    return plan


def apply_registry(engine: Engine, actor: Actor, plan: Plan) -> Plan:
    """Create or update the institutions and pages of a checked registry plan, all or nothing."""
    if not plan.ok:
        raise ValidationFailed(plan.problem_texts())
    with change(engine, actor, ROLE_ADMIN, "загрузка реестра учреждений", ["registry"]) as current:
        connection = current.connection
        for entry in plan.new + plan.updated:
            values, page = entry["institution"], entry["page"]
            row = connection.execute(select(institutions).where(institutions.c.code == values["code"])).mappings().first()
            if row is None:
                institution_id = connection.execute(institutions.insert().values(
                    **values, created_at=utc_now(), updated_at=utc_now(), updated_by=actor.label, version=1,
                ).returning(institutions.c.id)).scalar_one()
                current.audit("create", "institution", institution_id, None, values)
            else:
                institution_id = row["id"]
                if any(row[key] != value for key, value in values.items()):
                    current.update_versioned(institutions, {"id": institution_id}, row["version"], values,
                                             "institution")
            existing = connection.execute(select(pages).where(pages.c.url == page["url"])).mappings().first()
            if existing is None:
                page_id = connection.execute(pages.insert().values(
                    institution_id=institution_id, **page, created_at=utc_now(), updated_at=utc_now(),
                    updated_by=actor.label, version=1).returning(pages.c.id)).scalar_one()
                current.audit("create", "page", page_id, None, {**page, "institution_id": institution_id})
            elif any(existing[key] != value for key, value in page.items()):
                current.update_versioned(pages, {"id": existing["id"]}, existing["version"], page, "page")
        rollup.rebuild(connection)  # categories, districts or pages changed: every day may move
        _record(current, plan)
    return plan


def registry_template() -> pd.DataFrame:
    return pd.DataFrame({
        "Код": ["ds-105"], "Полное название": ["МБДОУ «Детский сад № 105 «Улыбка»"],
        "Краткое название": ["Детский сад № 105 «Улыбка»"], "Категория": ["Детские сады"],
        "Район": ["Дзержинский район"], "Адрес": ["г. Новосибирск, проспект Дзержинского, 59/1"],
        "Широта": ["55,0575"], "Долгота": ["82,9746"], "Сайт": ["https://ds-105.nios.ru/"],
        "Страница": ["https://vk.com/ds105nsk"], "Флагманская": ["нет"], "Цель": [""],
    })


def recent_imports(engine: Engine, limit: int = 50) -> pd.DataFrame:
    with engine.connect() as connection:
        return frame(connection, select(imports).order_by(imports.c.id.desc()).limit(limit))
