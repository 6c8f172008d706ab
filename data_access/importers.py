"""Imports of subscriber figures and of the institution registry: read, check, preview, then
write all-or-nothing through the write path. The app and `python -m data_access import` share it.

A file is refused whole, with every problem named by row, column and value, whenever any of it
cannot be read for certain; nothing is ever cut, rounded or guessed silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, and_, bindparam, func, select

from data_access import checks, names, parsing, rollup, territory
from data_access.areas import Area
from data_access.auth import Actor, import_role
from data_access.config import Settings, load_settings
from data_access.engine import bulk_insert, in_chunks
from data_access.models import (
    content_item_pages,
    import_changes,
    import_mappings,
    import_registry_changes,
    imports,
    institution_checks,
    institutions,
    page_checks,
    pages,
    subscriber_snapshots,
    utc_now,
)
from data_access.parsing import FileProblem, Problem
from data_access.queries import frame
from data_access.vocabulary import CATEGORIES, ROLE_ADMIN, category_label, plural
from data_access.writes import Change, DatabaseRefused, ValidationFailed, change

Progress = Callable[[float, str], None]

SUBSCRIBER_COLUMNS = {
    "page": (
        "страница",
        [
            "page",
            "page url",
            "url",
            "link",
            "ссылка",
            "страница",
            "ссылка на страницу",
            "адрес страницы",
            "госпаблик",
            "page id",
            "id",
            "ид",
            "номер страницы",
        ],
    ),
    "date": ("дата", ["date", "day", "дата", "день"]),
    "subscribers": (
        "подписчики",
        [
            "subscribers",
            "followers",
            "members",
            "подписчики",
            "подписчиков",
            "число подписчиков",
            "количество подписчиков",
            "участники",
        ],
    ),
}
CONCURRENT_IMPORT = (
    "Пока файл проверялся, часть этих цифр уже записал кто-то другой (или тот же файл загружен "
    "дважды одновременно). Ничего не записано: проверьте файл ещё раз — повтор покажет, что "
    "изменится теперь."
)


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
    # Subscribers: one row per (page, day) with the previous figure, the change and a flag.
    preview: list[dict] = field(default_factory=list)
    pages_in_file: int = 0
    pages_active: int = 0
    rows_without_figures: int = 0
    # Registry: the header, how its columns were matched, and junk rows that may be skipped.
    header: list[str] = field(default_factory=list)
    mapping: dict[str, list[int]] = field(default_factory=dict)
    junk: list[Problem] = field(default_factory=list)
    skip_junk: bool = False
    # Registry: rows that matched an institution already in the store (by code, or by full name
    # and district), and short names two institutions of one district would share.
    matched: int = 0
    twins: list[str] = field(default_factory=list)
    # Set once written: the import's id (the history's «№», what undo_import takes).
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and (self.skip_junk or not self.junk)

    @property
    def suspicious(self) -> list[dict]:
        return [row for row in self.preview if row.get("suspicious")]

    def problem_texts(self) -> list[str]:
        found = self.problems + ([] if self.skip_junk else self.junk)
        return [problem.text(self.file_name) for problem in found]


def _columns(header: list[str], spec: dict, required: tuple[str, ...]) -> tuple[dict[str, int], list[Problem]]:
    found: dict[str, int] = {}
    normalised = [parsing.normalise_header(cell) for cell in header]
    for key, (_label, aliases) in spec.items():
        for index, cell in enumerate(normalised):
            if cell in aliases and key not in found and index not in found.values():
                found[key] = index
    problems = [
        Problem(1, None, None, f"нет столбца «{spec[key][0]}» (подходят заголовки: {', '.join(spec[key][1][:4])}…)")
        for key in required
        if key not in found
    ]
    return found, problems


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _report(progress: Progress | None, share: float, text: str) -> None:
    if progress:
        progress(min(max(share, 0.0), 1.0), text)


def _extra_cells_problem(number: int, cells: list[str], columns: int) -> Problem | None:
    extra = parsing.extra_cells(cells, columns)
    if not extra:
        return None
    position, value = extra[0]
    return Problem(
        number,
        f"столбец {position} (без заголовка)",
        value,
        f"в строке больше заполненных ячеек ({columns + len(extra)}), чем столбцов в заголовке ({columns}): "
        "вероятно, запятая внутри числа или лишний разделитель — строку нельзя прочитать однозначно",
    )


# Subscribers --------------------------------------------------------------------------------------


def _page_lookup(engine: Engine) -> tuple[dict[str, int], dict[int, str]]:
    """Active pages by canonical link, and their institutions' short names by page id."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(pages.c.id, pages.c.url, institutions.c.short_name)
            .select_from(pages.join(institutions, institutions.c.id == pages.c.institution_id))
            .where(pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None))
        ).all()
    by_url = {}
    for page_id, url, _name in rows:
        try:
            by_url[parsing.canonical_page_url(url)] = page_id
        except ValueError:
            by_url[url] = page_id
    return by_url, {page_id: name for page_id, _url, name in rows}


def plan_subscribers(
    engine: Engine,
    data: bytes,
    file_name: str,
    today: date,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> Plan:
    """Read and check a file of (page, date, subscribers); nothing is written. `today` is today in
    Novosibirsk: later dates are refused."""
    settings = settings or load_settings()
    plan = Plan("subscribers", file_name)
    try:
        rows = parsing.read_rows(data, file_name)
    except FileProblem as error:
        plan.problems.append(Problem(None, None, None, str(error)))
        return plan
    header = rows[0][1]
    columns, problems = _columns(header, SUBSCRIBER_COLUMNS, ("page", "date", "subscribers"))
    if problems:
        plan.problems.extend(problems)
        return plan
    by_url, names = _page_lookup(engine)
    check = _SubscriberCheck(
        plan,
        columns,
        {key: header[index].strip() for key, index in columns.items()},
        parsing.width(header),
        by_url,
        names,
        today,
    )
    body = rows[1:]
    plan.rows_total = len(body)
    for position, (number, cells) in enumerate(body):
        if position % 5000 == 0:
            _report(progress, 0.6 * position / len(body), f"Проверено строк: {position} из {len(body)}")
        check.row(number, cells)
    seen = check.seen
    plan.pages_active = len(names)
    plan.pages_in_file = len({page for page, _day in seen})
    if plan.problems:
        return plan
    _report(progress, 0.7, "Сравниваем с базой…")
    _compare_with_store(engine, plan, seen, names, settings)
    plan.unchanged += plan.rows_total - len(seen) - plan.rows_without_figures  # exact repeats of a row
    _report(progress, 1.0, "Проверка закончена")
    return plan


# The longest cell a column of a figures file may hold: longer ones are refused before parsing.
SUBSCRIBER_CELL_LIMITS = {"page": checks.capacity(pages.c.url), "date": 40, "subscribers": 40}


@dataclass
class _SubscriberCheck:
    """Checks the rows of a figures file; problems go on `plan`, good rows into `seen`."""

    plan: Plan
    columns: dict[str, int]  # field -> column index
    labels: dict[str, str]  # field -> the file's column header
    width: int  # columns in the header
    by_url: dict[str, int]  # canonical url -> page id
    names: dict[int, str]  # page id -> name (every active page)
    today: date
    seen: dict[tuple[int, date], tuple[int, int]] = field(default_factory=dict)  # (page, day) -> (row, count)

    def row(self, number: int, cells: list[str]) -> None:
        extra = _extra_cells_problem(number, cells, self.width)
        if extra:
            self.plan.problems.append(extra)
            return
        raw = {key: _cell(cells, self.columns[key]) for key in ("page", "date", "subscribers")}
        too_long = [key for key, value in raw.items() if len(value) > SUBSCRIBER_CELL_LIMITS[key]]
        for key in too_long:
            message = f"ячейка длиной {len(raw[key]):,} знаков — в этом столбце столько не бывает"
            self._problem(number, key, raw[key], message.replace(",", "\u00a0"))
        if too_long:
            return
        if raw["page"] and not raw["date"] and not raw["subscribers"]:
            self.plan.rows_without_figures += 1  # a template row left unfilled
            return
        page_id = self._page(number, raw["page"])
        day = self._day(number, raw["date"])
        count = self._count(number, raw["subscribers"])
        if page_id is None or day is None or count is None:
            return
        cell = (page_id, day)
        if cell not in self.seen:
            self.seen[cell] = (number, count)
            return
        earlier_number, earlier_count = self.seen[cell]
        if earlier_count != count:
            self._problem(
                number,
                "subscribers",
                raw["subscribers"],
                f"эта страница и дата уже есть в строке {earlier_number} с другим значением ({earlier_count})",
            )

    def _problem(self, number: int, key: str, value: str, message: str) -> None:
        self.plan.problems.append(Problem(number, self.labels[key], value, message))

    def _page(self, number: int, text: str) -> int | None:
        """The page a cell names: its number in the store, or its link in any form."""
        if text.isascii() and text.isdigit() and int(text) in self.names:
            return int(text)
        if not text:
            self._problem(number, "page", "", "не указана страница")
            return None
        try:
            page_id = self.by_url.get(parsing.canonical_page_url(text))
        except ValueError as error:
            self._problem(number, "page", text, str(error))
            return None
        if page_id is None:
            self._problem(number, "page", text, "такой страницы нет в реестре (проверьте ссылку или добавьте страницу)")
        return page_id

    def _day(self, number: int, text: str) -> date | None:
        if not text:
            self._problem(number, "date", "", "не указана дата")
            return None
        try:
            return parsing.parse_day(text, self.today)
        except ValueError as error:
            self._problem(number, "date", text, str(error))
            return None

    def _count(self, number: int, text: str) -> int | None:
        if not text:
            self._problem(number, "subscribers", "", "не указано число подписчиков")
            return None
        try:
            return parsing.parse_count(text)
        except ValueError as error:
            self._problem(number, "subscribers", text, str(error))
            return None


def plan_counts(
    engine: Engine, counts: list[tuple[int, date, int]], source: str, settings: Settings | None = None
) -> Plan:
    """A plan of (page id, day, subscribers) that came from elsewhere than a file (the platform
    collectors): compared with the store exactly like an upload, so it is written by
    apply_subscribers and a repeat the same day changes nothing."""
    plan = Plan("collect", source)
    plan.rows_total = len(counts)
    seen = {(page_id, day): (number, count) for number, (page_id, day, count) in enumerate(counts, 1)}
    _by_url, names = _page_lookup(engine)
    plan.pages_active = len(names)
    plan.pages_in_file = len({page_id for page_id, _day in seen})
    _compare_with_store(engine, plan, seen, names, settings or load_settings())
    return plan


def _compare_with_store(
    engine: Engine, plan: Plan, seen: dict[tuple[int, date], tuple[int, int]], names: dict[int, str], settings: Settings
) -> None:
    """Sort the rows into new / updated / unchanged and give each its previous figure (from the
    store or an earlier row of the file) and a flag for a suspicious change since it (_suspicious)."""
    if not seen:
        return
    stored, timeline = _stored_figures(engine, seen)
    for (page_id, day), (_number, count) in seen.items():
        timeline[page_id][day] = count
    for (page_id, day), (number, count) in sorted(seen.items(), key=lambda item: item[1][0]):
        before = stored.get((page_id, day))
        earlier_days = [known for known in timeline[page_id] if known < day]
        previous_day = max(earlier_days) if earlier_days else None
        previous = timeline[page_id][previous_day] if previous_day else None
        flag = _suspicious(previous, previous_day, count, day, settings)
        kind = "new" if before is None else "updated" if before != count else "unchanged"
        plan.preview.append(
            {
                "row": number,
                "page_id": page_id,
                "name": names.get(page_id, ""),
                "day": day,
                "previous": previous,
                "previous_day": previous_day,
                "subscribers": count,
                "change": None if previous is None else count - previous,
                "stored": before,
                "kind": kind,
                "suspicious": flag is not None,
                "reason": flag or "",
            }
        )
        if kind == "new":
            plan.new.append({"page_id": page_id, "day": day, "subscribers": count})
        elif kind == "updated":
            plan.updated.append({"page_id": page_id, "day": day, "subscribers": count, "before": before})
        else:
            plan.unchanged += 1


def _stored_figures(
    engine: Engine, seen: dict[tuple[int, date], tuple[int, int]]
) -> tuple[dict[tuple[int, date], int], dict[int, dict[date, int]]]:
    """The store's figures of the file's pages within the file's days, (page, day) -> count, and
    each page's timeline: those figures and its last one before the file's first day."""
    page_ids = sorted({page for page, _ in seen})
    first, last = min(day for _, day in seen), max(day for _, day in seen)
    timeline: dict[int, dict[date, int]] = {page: {} for page in page_ids}
    stored: dict[tuple[int, date], int] = {}
    earlier = subscriber_snapshots.alias("earlier")
    latest_before = (
        select(earlier.c.day, earlier.c.subscribers)
        .where(earlier.c.page_id == pages.c.id, earlier.c.day < first)
        .order_by(earlier.c.day.desc())
        .limit(1)
    )
    before_day = latest_before.with_only_columns(earlier.c.day).scalar_subquery()
    before_value = latest_before.with_only_columns(earlier.c.subscribers).scalar_subquery()
    with engine.connect() as connection:
        for chunk in in_chunks(page_ids):
            for row in connection.execute(
                select(subscriber_snapshots).where(
                    subscriber_snapshots.c.page_id.in_(chunk), subscriber_snapshots.c.day.between(first, last)
                )
            ):
                stored[(row.page_id, row.day)] = row.subscribers
                timeline[row.page_id][row.day] = row.subscribers
            for page_id, day, value in connection.execute(
                select(pages.c.id, before_day, before_value).where(pages.c.id.in_(chunk))
            ):
                if day is not None:
                    timeline[page_id][day] = value
    return stored, timeline


def _suspicious(
    previous: int | None, previous_day: date | None, count: int, day: date, settings: Settings
) -> str | None:
    """Why a change since the previous figure looks wrong, or None. A drop of more than
    suspicious_drop is suspicious over any span (an official page does not lose a fifth of its
    audience in a month either); the allowed jump grows with the span: suspicious_jump times a week,
    so after a gap of four weeks four times as much."""
    if previous is None or previous_day is None or not previous:
        return None
    gap = (day - previous_day).days
    if gap <= 0:
        return None
    span = "за неделю" if gap <= 7 else f"за {gap} {plural(gap, 'день', 'дня', 'дней')}"
    if count < previous * (1 - settings.suspicious_drop):
        return f"падение больше чем на {settings.suspicious_drop * 100:g}\u00a0% {span}".replace(".", ",")
    jump = settings.suspicious_jump * max(1.0, gap / 7)
    if count > previous * jump:
        jump = round(jump, 1)
        times = plural(int(jump), "раз", "раза", "раз") if float(jump).is_integer() else "раза"
        return f"рост больше чем в {jump:g} {times} {span}".replace(".", ",")
    return None


def _record(current: Change, plan: Plan, details: dict | None = None) -> int:
    import_id = current.connection.execute(
        imports.insert()
        .values(
            at=utc_now(),
            actor=current.actor.login,
            kind=plan.kind,
            file_name=plan.file_name[:300],
            rows_total=plan.rows_total,
            rows_added=len(plan.new),
            rows_updated=len(plan.updated),
            rows_unchanged=plan.unchanged,
        )
        .returning(imports.c.id)
    ).scalar_one()
    current.audit(
        "import",
        "import",
        import_id,
        None,
        {
            "kind": plan.kind,
            "file": plan.file_name,
            "rows": plan.rows_total,
            "added": len(plan.new),
            "updated": len(plan.updated),
            "unchanged": plan.unchanged,
            **(details or {}),
        },
    )
    return import_id


def _record_changes(current: Change, import_id: int, plan: Plan) -> None:
    """What the import replaced, cell by cell: what undo_import puts back."""
    bulk_insert(
        current.connection,
        import_changes,
        (
            {
                "import_id": import_id,
                "page_id": row["page_id"],
                "day": row["day"],
                "old_subscribers": row.get("before"),
                "new_subscribers": row["subscribers"],
            }
            for row in plan.new + plan.updated
        ),
    )


def apply_subscribers(
    engine: Engine, actor: Actor, plan: Plan, progress: Progress | None = None, confirm_suspicious: bool = False
) -> Plan:
    """Write a checked plan in one transaction (refused if it has problems, or if it has
    suspicious changes that were not confirmed)."""
    if not plan.ok:
        raise ValidationFailed(plan.problem_texts())
    if plan.suspicious and not confirm_suspicious:
        raise ValidationFailed(
            [
                f"В файле подозрительных изменений: {len(plan.suspicious)} (например, строка "
                f"{plan.suspicious[0]['row']}: {plan.suspicious[0]['reason']}). Проверьте их и "
                "подтвердите загрузку."
            ]
        )
    try:
        with change(
            engine, actor, import_role(load_settings()), "загрузка цифр подписчиков", [Area.SUBSCRIBERS]
        ) as current:
            _report(progress, 0.1, f"Добавляем строк: {len(plan.new)}")
            bulk_insert(current.connection, subscriber_snapshots, iter(plan.new))
            _report(progress, 0.6, f"Обновляем строк: {len(plan.updated)}")
            if plan.updated:
                current.connection.execute(
                    subscriber_snapshots.update()
                    .where(
                        and_(
                            subscriber_snapshots.c.page_id == bindparam("key_page"),
                            subscriber_snapshots.c.day == bindparam("key_day"),
                        )
                    )
                    .values(subscribers=bindparam("new_subscribers")),
                    [
                        {"key_page": row["page_id"], "key_day": row["day"], "new_subscribers": row["subscribers"]}
                        for row in plan.updated
                    ],
                )
            _report(progress, 0.8, "Пересчитываем суммы по дням…")
            rollup.rebuild(
                current.connection,
                rollup.days_touched(
                    current.connection, [(row["page_id"], row["day"]) for row in plan.new + plan.updated]
                ),
            )
            import_id = _record(
                current, plan, {"suspicious_confirmed": len(plan.suspicious)} if plan.suspicious else None
            )
            _record_changes(current, import_id, plan)
            plan.import_id = import_id
    except DatabaseRefused as error:
        raise ValidationFailed([CONCURRENT_IMPORT]) from error
    except Exception as error:  # COPY on PostgreSQL reports a duplicate key as its own error class
        if "duplicate key" in str(error) or "UniqueViolation" in type(error).__name__:
            raise ValidationFailed([CONCURRENT_IMPORT]) from error
        raise
    _report(progress, 1.0, "Готово")
    return plan


@dataclass(frozen=True)
class Undone:
    """What undoing an import did: figures put back to what they were, figures it had added removed."""

    import_id: int
    file_name: str
    restored: int
    removed: int


def undo_import(engine: Engine, actor: Actor, import_id: int) -> Undone:
    """Undo an import: of figures (a file or a collection) — every figure it changed back to the
    value it replaced, every figure it added removed; of the registry — see _undo_registry. In one
    transaction, audited, by an administrator. Refused, changing nothing, when the import is
    unknown, already undone, made before imports kept what they replaced, or when a later import
    (or anything else) has changed what it wrote since: undo that one first."""
    with change(engine, actor, ROLE_ADMIN, "отмена загрузки", [Area.SUBSCRIBERS, Area.REGISTRY]) as current:
        connection = current.connection
        row = connection.execute(select(imports).where(imports.c.id == import_id)).mappings().first()
        if row is None:
            raise ValidationFailed([f"Загрузки № {import_id} нет."])
        if row["undone_at"] is not None:
            raise ValidationFailed(
                [f"Загрузка № {import_id} («{row['file_name']}») уже отменена ({row['undone_by']})."]
            )
        if row["kind"] == "registry":
            removed, restored = _undo_registry(current, import_id, row)
            what = f"загрузка реестра № {import_id} «{row['file_name']}»: возвращено записей {restored}"
        else:
            restored, removed = _undo_figures(connection, import_id, row)
            what = f"загрузка № {import_id} «{row['file_name']}»: возвращено цифр {restored}"
        connection.execute(
            imports.update().where(imports.c.id == import_id).values(undone_at=utc_now(), undone_by=actor.label[:200])
        )
        current.audit(
            "undo_import",
            "import",
            import_id,
            {"file": row["file_name"], "kind": row["kind"]},
            {"restored": restored, "removed": removed},
            details=f"отменена {what}, удалено {'созданных' if row['kind'] == 'registry' else 'добавленных'} {removed}",
        )
    return Undone(import_id, row["file_name"], restored, removed)


def _undo_figures(connection, import_id: int, record: Mapping) -> tuple[int, int]:
    """Undo a figures import on `connection`: the figures it replaced back, the ones it added
    removed, the daily sums rebuilt. Returns (restored, removed); refuses (ValidationFailed) when
    the import kept no changes or a later one changed its figures."""
    changed = connection.execute(select(import_changes).where(import_changes.c.import_id == import_id)).mappings().all()
    if not changed and (record["rows_added"] or record["rows_updated"]):
        raise ValidationFailed(
            [
                f"Загрузка № {import_id} сделана до того, как загрузки стали запоминать "
                "заменённые цифры, — отменить её нельзя."
            ]
        )
    _refuse_if_changed_later(connection, import_id, changed)
    added = [item for item in changed if item["old_subscribers"] is None]
    replaced = [item for item in changed if item["old_subscribers"] is not None]
    this_cell = and_(
        subscriber_snapshots.c.page_id == bindparam("key_page"), subscriber_snapshots.c.day == bindparam("key_day")
    )
    if added:
        connection.execute(
            subscriber_snapshots.delete().where(this_cell),
            [{"key_page": item["page_id"], "key_day": item["day"]} for item in added],
        )
    if replaced:
        connection.execute(
            subscriber_snapshots.update().where(this_cell).values(subscribers=bindparam("old_value")),
            [
                {"key_page": item["page_id"], "key_day": item["day"], "old_value": item["old_subscribers"]}
                for item in replaced
            ],
        )
    rollup.rebuild(connection, rollup.days_touched(connection, [(item["page_id"], item["day"]) for item in changed]))
    return len(replaced), len(added)


def _refuse_if_changed_later(connection, import_id: int, changed: list) -> None:
    """Refuse the undo when a later import that is not undone wrote the same cells, or when what
    the store holds is no longer what this import wrote."""
    later = import_changes.alias("later")
    clash = connection.execute(
        select(imports.c.id, imports.c.file_name, func.count())
        .select_from(
            import_changes.join(
                later, and_(later.c.page_id == import_changes.c.page_id, later.c.day == import_changes.c.day)
            ).join(imports, imports.c.id == later.c.import_id)
        )
        .where(import_changes.c.import_id == import_id, later.c.import_id > import_id, imports.c.undone_at.is_(None))
        .group_by(imports.c.id, imports.c.file_name)
        .order_by(imports.c.id)
    ).all()
    if clash:
        later_imports = "; ".join(
            f"№ {number} «{name}» — {count} {plural(count, 'цифра', 'цифры', 'цифр')}" for number, name, count in clash
        )
        raise ValidationFailed(
            [
                f"Загрузку № {import_id} отменить нельзя: её цифры потом изменили более поздние "
                f"загрузки ({later_imports}). Сначала отмените их."
            ]
        )
    stored = {}
    days = [item["day"] for item in changed]
    for chunk in in_chunks(sorted({item["page_id"] for item in changed})):
        for page_id, day, value in connection.execute(
            select(
                subscriber_snapshots.c.page_id, subscriber_snapshots.c.day, subscriber_snapshots.c.subscribers
            ).where(subscriber_snapshots.c.page_id.in_(chunk), subscriber_snapshots.c.day.between(min(days), max(days)))
        ):
            stored[(page_id, day)] = value
    moved = [item for item in changed if stored.get((item["page_id"], item["day"])) != item["new_subscribers"]]
    if moved:
        first = moved[0]
        raise ValidationFailed(
            [
                f"Загрузку № {import_id} отменить нельзя: {len(moved)} из её цифр с тех пор "
                f"изменили (например, страница № {first['page_id']} за {first['day']:%d.%m.%Y}: "
                f"в базе {stored.get((first['page_id'], first['day']), 'нет цифры')}, загрузка "
                f"записала {first['new_subscribers']})."
            ]
        )


REGISTRY_TABLES = {"page": pages, "institution": institutions}


def _undo_registry(current: Change, import_id: int, record: Mapping) -> tuple[int, int]:
    """Undo a registry import inside `current`: rows it changed get their replaced fields back,
    rows it created go — unless any of them changed since (its version moved on), or a created
    page or institution has gathered data of its own (figures, marks, materials, other pages):
    then nothing changes and the reason names the row. Returns (rows removed, rows restored)."""
    connection = current.connection
    rows = _registry_rows_written(connection, import_id, record)
    created_pages = {
        entity_id for (entity, entity_id), item in rows.items() if entity == "page" and item["before"] is None
    }
    problems = [
        problem
        for (entity, entity_id), item in rows.items()
        if (problem := _registry_undo_problem(connection, entity, entity_id, item, created_pages))
    ]
    if problems:
        raise ValidationFailed([f"Загрузку реестра № {import_id} отменить нельзя, ничего не изменено:", *problems[:20]])
    created = restored = 0
    for entity in ("page", "institution"):  # pages first: an institution goes after its pages
        table = REGISTRY_TABLES[entity]
        for (kind, entity_id), item in rows.items():
            if kind != entity:
                continue
            if item["before"] is None:
                connection.execute(table.delete().where(table.c.id == entity_id))
                current.audit("delete", entity, entity_id, None, None, details=f"отмена загрузки реестра № {import_id}")
                created += 1
            else:
                # The whole row as it was — its version and who-and-when included: the row is back
                # in the state an editor may have read before the import.
                before = _row_from_json(table, item["before"])
                connection.execute(
                    table.update().where(table.c.id == entity_id, table.c.version == item["version"]).values(**before)
                )
                current.audit(
                    "update", entity, entity_id, None, before, details=f"отмена загрузки реестра № {import_id}"
                )
                restored += 1
    rollup.rebuild(connection)
    return created, restored


def _registry_rows_written(connection, import_id: int, record: Mapping) -> dict[tuple[str, int], dict]:
    """What a registry import wrote, one entry per row: the first «before» and the last version."""
    recorded = (
        connection.execute(
            select(import_registry_changes)
            .where(import_registry_changes.c.import_id == import_id)
            .order_by(import_registry_changes.c.id)
        )
        .mappings()
        .all()
    )
    if not recorded and (record["rows_added"] or record["rows_updated"]):
        raise ValidationFailed(
            [
                f"Загрузка реестра № {import_id} сделана до того, как загрузки стали запоминать "
                "заменённые данные, — отменить её нельзя; есть резервные копии."
            ]
        )
    rows: dict[tuple[str, int], dict] = {}
    for item in recorded:
        key = (item["entity"], item["entity_id"])
        first = rows.setdefault(key, {"before": item["before"], "version": item["version_after"]})
        first["version"] = max(first["version"], item["version_after"])
    return rows


def _registry_undo_problem(connection, entity: str, entity_id: int, item: dict, created_pages: set) -> str | None:
    """Why a row the import wrote cannot be put back: gone, changed since, or (created by the
    import) holding data of its own; None when it can."""
    table = REGISTRY_TABLES[entity]
    now = connection.execute(select(table).where(table.c.id == entity_id)).mappings().first()
    if now is None:
        return f"{entity} № {entity_id} удалена после загрузки."
    label = f"страница {now['url']}" if entity == "page" else f"учреждение «{now['short_name']}»"
    if now["version"] != item["version"]:
        return f"{label}: после загрузки её изменили ({now['updated_by']})."
    if item["before"] is not None:
        return None
    if entity == "page":
        owned = [
            name
            for name, table_, column in (
                ("цифры подписчиков", subscriber_snapshots, subscriber_snapshots.c.page_id),
                ("отметки чек-листа", page_checks, page_checks.c.page_id),
                ("материалы контент-плана", content_item_pages, content_item_pages.c.page_id),
            )
            if connection.execute(select(func.count()).select_from(table_).where(column == entity_id)).scalar()
        ]
        return f"{label}: у неё после загрузки появились {', '.join(owned)}." if owned else None
    others = connection.execute(select(pages.c.id).where(pages.c.institution_id == entity_id)).scalars().all()
    marks = connection.execute(
        select(func.count()).select_from(institution_checks).where(institution_checks.c.institution_id == entity_id)
    ).scalar()
    if set(others) - created_pages or marks:
        return f"{label}: после загрузки у него появились свои страницы или отметки чек-листа."
    return None


def _row_from_json(table, text: str) -> dict:
    """A row kept as JSON (dates and times as ISO text) back in its columns' Python types."""
    values = {}
    for name, value in json.loads(text).items():
        if name not in table.c:
            continue
        kind = table.c[name].type.python_type if value is not None else None
        if kind is datetime:
            value = datetime.fromisoformat(value)
        elif kind is date:
            value = date.fromisoformat(value)
        elif kind in (float, bool, int):
            value = kind(value)
        values[name] = value
    return values


def preview_frame(plan: Plan) -> pd.DataFrame:
    """The subscriber plan's rows as a table for people (Russian headers): «Заменяется» — the value
    the store holds for that very page and day (what the row overwrites), «Было» — the page's
    previous figure the change is measured from (an earlier day, or the row above)."""
    kinds = {"new": "новая", "updated": "изменена", "unchanged": "без изменений"}
    rows = plan.preview
    return pd.DataFrame(
        {
            "Строка": [row["row"] for row in rows],
            "Учреждение": [row["name"] for row in rows],
            "Заменяется": pd.array([row["stored"] for row in rows], dtype="Int64"),
            "Было": pd.array([row["previous"] for row in rows], dtype="Int64"),
            "Стало": pd.array([row["subscribers"] for row in rows], dtype="Int64"),
            "Изменение": pd.array([row["change"] for row in rows], dtype="Int64"),
            "Проверить": [row["reason"] for row in rows],
            "Дата": [row["day"] for row in rows],
            "На дату": [row["previous_day"] for row in rows],
            "Запись": [kinds[row["kind"]] for row in rows],
        }
    )


def subscriber_template(directory: pd.DataFrame | None = None) -> pd.DataFrame:
    """The template people download: with `directory` (page_figures of a selection) one row per
    active page with its latest figure, else the columns and one example row. Only «Страница»,
    «Дата» and «Подписчики» are read back; a row left with neither date nor count is skipped."""
    if directory is None or directory.empty:
        return pd.DataFrame({"Страница": ["https://vk.com/ds105nsk"], "Дата": ["27.11.2026"], "Подписчики": ["1 234"]})
    latest = pd.to_datetime(directory["latest_day"])
    return pd.DataFrame(
        {
            "Страница": directory["url"].to_numpy(),
            "Учреждение": directory["short_name"].to_numpy(),
            "Последняя цифра": pd.array(directory["subscribers"], dtype="Int64"),
            "Её дата": [day.strftime("%d.%m.%Y") if not pd.isna(day) else "" for day in latest],
            "Дата": "",
            "Подписчики": "",
        }
    )


# Registry ----------------------------------------------------------------------------------------

# field -> (label, header aliases as normalise_header writes them). The portal's own export names
# (OuName, AdrDistr, AdrStreet + AdrDom, FullName, Rayon …) are among them.
REGISTRY_FIELDS: dict[str, tuple[str, list[str]]] = {
    "code": ("Код", ["code", "id", "код", "идентификатор", "код учреждения"]),
    "name": (
        "Полное название",
        [
            "name",
            "full name",
            "fullname",
            "ouname",
            "biblname",
            "название",
            "полное название",
            "наименование",
            "полное наименование",
        ],
    ),
    "short_name": (
        "Краткое название",
        [
            "short name",
            "shortname",
            "biblfname",
            "краткое название",
            "сокращенное наименование",
            "краткое наименование",
        ],
    ),
    "category": ("Категория", ["category", "категория", "тип"]),
    "district": ("Район", ["district", "район", "adrdistr", "rayon", "административный район"]),
    "address": ("Адрес", ["address", "адрес", "adrstreet", "ulica", "улица", "adrdom", "dom", "дом"]),
    "lat": ("Широта", ["lat", "latitude", "широта"]),
    "lon": ("Долгота", ["lon", "lng", "longitude", "долгота"]),
    "website": ("Сайт", ["website", "site", "сайт"]),
    "page_url": ("Страница", ["page", "page url", "url", "ссылка", "страница", "госпаблик"]),
    "flagship": ("Флагманская", ["flagship", "флагманская", "флагман"]),
    "target": ("Цель", ["target", "цель", "цель подписчиков"]),
}
MULTI_COLUMN_FIELDS = {"address"}  # street and house number may be two columns, joined with «, »
CATEGORY_WORDS = {
    **{code: code for code in CATEGORIES},
    **{parsing.normalise_header(label): code for code, label in CATEGORIES.items()},
    "детский сад": "kindergarten",
    "сад": "kindergarten",
    "школа": "school",
    "мэрия": "city_hall",
}
YES = {"да", "1", "true", "yes", "д", "y", "флагманская", "+"}
NO = {"нет", "0", "false", "no", "н", "n", "", "-"}


# «муниципальное бюджетное дошкольное образовательное учреждение города Новосибирска» and the like.
def header_signature(header: list[str]) -> str:
    """The key a mapping is remembered by: the file's normalised header names."""
    names = "|".join(parsing.normalise_header(cell) for cell in header)
    return hashlib.sha256(names.encode()).hexdigest()


def suggest_mapping(header: list[str]) -> dict[str, list[int]]:
    """Which columns look like which field, from the header names alone."""
    normalised = [parsing.normalise_header(cell) for cell in header]
    used: set[int] = set()
    mapping: dict[str, list[int]] = {}
    for key, (_label, aliases) in REGISTRY_FIELDS.items():
        found = [index for index, cell in enumerate(normalised) if cell in aliases and index not in used]
        found.sort(key=lambda index: aliases.index(normalised[index]))  # street before house, as written
        if found:
            mapping[key] = found if key in MULTI_COLUMN_FIELDS else found[:1]
            used.update(mapping[key])
    return mapping


def remembered_mapping(engine: Engine, header: list[str]) -> dict[str, list[int]] | None:
    """The mapping last used for a file with exactly these headers, if any."""
    with engine.connect() as connection:
        stored = connection.execute(
            select(import_mappings.c.mapping).where(import_mappings.c.signature == header_signature(header))
        ).scalar()
    if stored is None:
        return None
    by_name = json.loads(stored)
    positions = {parsing.normalise_header(cell): index for index, cell in enumerate(header)}
    mapping = {key: [positions[name] for name in names if name in positions] for key, names in by_name.items()}
    return {key: indexes for key, indexes in mapping.items() if indexes}


def _auto_code(name: str) -> str:
    return "auto-" + hashlib.sha256(names.name_key(name).encode()).hexdigest()[:12]


def plan_registry(
    engine: Engine,
    data: bytes,
    file_name: str,
    progress: Progress | None = None,
    mapping: dict[str, list[int]] | None = None,
    default_category: str | None = None,
    skip_junk: bool = False,
) -> Plan:
    """Read and check a registry file: one row per institution (and its page, if the file has
    links). Columns are matched by `mapping` (field -> column indexes), else by the mapping
    remembered for these headers, else by the header names; a file without a category column
    takes `default_category` for every row. Junk rows (no name, control characters, absurdly long
    cells) are listed; with `skip_junk` they are left out instead of refusing the file."""
    plan = Plan("registry", file_name, skip_junk=skip_junk)
    try:
        rows = parsing.read_rows(data, file_name)
    except FileProblem as error:
        plan.problems.append(Problem(None, None, None, str(error)))
        return plan
    header = [str(cell).strip() for cell in rows[0][1]]
    plan.header = header
    plan.mapping = mapping if mapping is not None else (remembered_mapping(engine, header) or suggest_mapping(header))
    plan.problems.extend(_mapping_problems(plan.mapping, default_category))
    if plan.problems:
        return plan
    check = _RegistryCheck.of(engine, plan, default_category)
    body = rows[1:]
    plan.rows_total = len(body)
    for position, (number, cells) in enumerate(body):
        if position % 2000 == 0:
            _report(progress, position / len(body), f"Проверено строк: {position} из {len(body)}")
        entry = check.row(number, cells)
        if entry is not None:
            check.sort(entry)
    plan.twins = _short_name_twins(check.known, plan.new + plan.updated)
    _report(progress, 1.0, "Проверка закончена")
    return plan


def _mapping_problems(mapping: dict[str, list[int]], default_category: str | None) -> list[Problem]:
    """What the column mapping lacks: the name, the district, a category (a column or one for all)."""
    problems = []
    if "name" not in mapping:
        problems.append(Problem(1, None, None, "не выбран столбец с названием учреждения"))
    if "district" not in mapping:
        problems.append(Problem(1, None, None, "не выбран столбец с районом"))
    if "category" not in mapping and default_category not in CATEGORIES:
        problems.append(Problem(1, None, None, "в файле нет столбца категории: выберите категорию для всех строк"))
    return problems


def _short_name_twins(known: dict[str, dict], entries: list[dict]) -> list[str]:
    """«Ленинский район: «КЦСОН» — 2 учреждения» for every short name that two institutions of one
    district would share after the import (people could not tell their rows apart)."""
    final = {row["id"]: (row["short_name"], row["district"]) for row in known.values() if row["retired_at"] is None}
    for index, entry in enumerate(entries):
        institution = entry["institution"]
        final[entry.get("institution_id") or f"new-{index}"] = (institution["short_name"], institution["district"])
    return twin_names(final.values())


def twin_names(pairs) -> list[str]:
    """The (short name, district) pairs that occur more than once, as sentences, sorted."""
    pairs = list(pairs)
    counts: dict[tuple[str, str], int] = {}
    for short_name, district in pairs:
        key = (names.name_key(short_name), district)
        counts[key] = counts.get(key, 0) + 1
    shown = {(names.name_key(short_name), district): short_name for short_name, district in pairs}
    return sorted(
        f"{district}: «{shown[key]}» — {count} {plural(count, 'учреждение', 'учреждения', 'учреждений')}"
        for key, count in counts.items()
        for district in [key[1]]
        if count > 1
    )


# The store columns a registry field is written to: a cell longer than its column is junk.
REGISTRY_COLUMNS = {
    "code": institutions.c.code,
    "name": institutions.c.name,
    "short_name": institutions.c.short_name,
    "district": institutions.c.district,
    "address": institutions.c.address,
    "website": institutions.c.website,
    "page_url": pages.c.url,
}


@dataclass
class _RegistryCheck:
    """Checks a registry file's rows against the store and against the rows before them; every
    problem (or junk row) is recorded on `plan`, and each good row becomes an entry sorted into the
    plan's new, updated or unchanged."""

    plan: Plan
    labels: dict[str, str]  # field -> the file's column header(s) it was read from
    width: int  # columns in the header
    known_districts: tuple[str, ...]
    default_category: str | None
    known: dict[str, dict]  # code -> the store's institution
    known_pages: dict[str, dict]  # canonical url -> the store's page
    codes_by_id: dict[int, str] = field(default_factory=dict)
    # Without a code (or with a code the store does not know yet) a row is the institution of the
    # same full name — quotes, case, ё and spaces aside — in the same district.
    codes_by_name: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)
    seen_urls: dict[str, tuple[int, str]] = field(default_factory=dict)  # url -> (row, code) earlier in the file
    seen_codes: dict[str, int] = field(default_factory=dict)  # code -> its first row in the file

    @classmethod
    def of(cls, engine: Engine, plan: Plan, default_category: str | None) -> _RegistryCheck:
        """A checker for `plan`'s rows, with the store's institutions, pages and districts."""
        header = plan.header
        labels = {
            key: " + ".join(header[index] or f"столбец {index + 1}" for index in indexes)
            for key, indexes in plan.mapping.items()
        }
        with engine.connect() as connection:
            known = {row.code: dict(row._mapping) for row in connection.execute(select(institutions))}
            known_pages = {}
            for row in connection.execute(select(pages)):
                try:
                    known_pages[parsing.canonical_page_url(row.url)] = dict(row._mapping)
                except ValueError:
                    known_pages[row.url] = dict(row._mapping)
        check = cls(
            plan,
            labels,
            parsing.width(header),
            territory.known_districts(territory.territory_of(engine, load_settings())),
            default_category,
            known,
            known_pages,
            codes_by_id={row["id"]: code for code, row in known.items()},
        )
        for code, institution in known.items():
            key = (names.name_key(institution["name"]), institution["district"])
            check.codes_by_name.setdefault(key, []).append(code)
        return check

    def row(self, number: int, cells: list[str]) -> dict | None:
        """Check one row; record its problems (or junk) on the plan; return its entry."""
        plan = self.plan
        before = len(plan.problems)
        raw = {
            key: ", ".join(part for part in (_cell(cells, index) for index in indexes) if part)
            for key, indexes in plan.mapping.items()
        }
        raw = {key: raw.get(key, "") for key in REGISTRY_FIELDS}
        if self._junk(number, raw, [_cell(cells, index) for indexes in plan.mapping.values() for index in indexes]):
            return None
        extra = _extra_cells_problem(number, cells, self.width)
        if extra:
            plan.problems.append(extra)
            return None

        def problem(key: str | None, value: str, message: str) -> None:
            plan.problems.append(Problem(number, self.labels.get(key) if key else None, value, message))

        name = parsing.clean_text(raw["name"])
        code, matched_code = self._code(number, raw, name, problem)
        category = self._category(raw, problem)
        district = self._district(raw, problem)
        coordinates = self._coordinates(raw, problem)
        page = self._page(number, raw, code, matched_code, problem)
        if len(plan.problems) > before:
            return None
        institution = {
            "code": code,
            "name": name,
            "short_name": parsing.clean_text(raw["short_name"]) or names.short_name_from_legal(name),
            "category": category,
            "district": district,
            "address": parsing.clean_text(raw["address"]) or None,
            "lat": coordinates[0],
            "lon": coordinates[1],
            "website": parsing.clean_text(raw["website"]) or None,
        }
        return {"row": number, "institution": institution, "page": page, "matched_code": matched_code}

    def _junk(self, number: int, raw: dict[str, str], mapped_cells: list[str]) -> bool:
        """A row with no name, with control characters or with a cell longer than its column is
        junk: listed on the plan's junk, not its problems."""
        too_long = next(
            (
                (key, value)
                for key, value in raw.items()
                if key in REGISTRY_COLUMNS and len(value) > checks.capacity(REGISTRY_COLUMNS[key])
            ),
            None,
        )
        if too_long:
            key, value = too_long
            reason = (
                f"ячейка длиной {len(value):,} знаков — в столбце «{REGISTRY_FIELDS[key][0]}» не больше "
                f"{checks.capacity(REGISTRY_COLUMNS[key])}"
            ).replace(",", "\u00a0")
            self.plan.junk.append(Problem(number, self.labels.get(key), value, f"строка похожа на мусор: {reason}"))
        elif not parsing.clean_text(raw["name"]):
            shown = repr(raw["name"][:40]) if checks.has_control_characters(raw["name"]) else raw["name"]
            self.plan.junk.append(
                Problem(number, self.labels.get("name"), shown, "строка похожа на мусор: нет названия")
            )
        elif any(checks.has_control_characters(cell) for cell in mapped_cells):
            bad = next(cell for cell in mapped_cells if checks.has_control_characters(cell))
            self.plan.junk.append(
                Problem(
                    number, None, repr(bad[:40]), "строка похожа на мусор: в ней управляющие символы (например, NUL)"
                )
            )
        else:
            return False
        return True

    def _code(self, number: int, raw: dict[str, str], name: str, problem) -> tuple[str, str | None]:
        """The row's institution code — its own, the store's institution of the same name in the same
        district, or one made from the name — and the store's code it was matched to by name."""
        code = parsing.clean_text(raw["code"])
        matched_code = None
        if code not in self.known:
            try:
                district_text = checks.district(raw["district"], self.known_districts)
            except ValueError:
                district_text = None  # named as a problem by _district
            candidates = self.codes_by_name.get((names.name_key(name), district_text), [])
            if len(candidates) > 1:
                problem(
                    "name",
                    name,
                    "в реестре уже два учреждения с таким названием в этом районе ("
                    + ", ".join(f"код «{candidate}»" for candidate in sorted(candidates))
                    + "): укажите в файле код нужного",
                )
            elif candidates:
                matched_code = candidates[0]
        code = code or matched_code or _auto_code(name)
        if code in self.seen_codes:
            problem(
                "code" if raw["code"] else "name",
                raw["code"] or name,
                f"это учреждение уже есть в строке {self.seen_codes[code]}",
            )
        self.seen_codes.setdefault(code, number)
        return code, matched_code

    def _category(self, raw: dict[str, str], problem) -> str | None:
        if "category" not in self.plan.mapping:
            return self.default_category
        category = CATEGORY_WORDS.get(parsing.normalise_header(raw["category"]))
        if category is None:
            problem(
                "category",
                raw["category"],
                "неизвестная категория (" + ", ".join(label.lower() for label in CATEGORIES.values()) + ")",
            )
        return category

    def _district(self, raw: dict[str, str], problem) -> str | None:
        if not raw["district"]:
            problem("district", "", "не указан район")
            return None
        try:
            return checks.district(raw["district"], self.known_districts)
        except ValueError as error:
            problem("district", raw["district"], str(error))
            return None

    @staticmethod
    def _coordinates(raw: dict[str, str], problem) -> list[float | None]:
        coordinates = []
        for key, bounds in (("lat", checks.LAT_RANGE), ("lon", checks.LON_RANGE)):
            try:
                coordinates.append(checks.coordinate(raw[key], bounds))
            except ValueError as error:
                problem(key, raw[key], str(error))
                coordinates.append(None)
        return coordinates

    def _page(self, number: int, raw: dict[str, str], code: str, matched_code: str | None, problem) -> dict | None:
        """The row's page (link, network, flagship, own target), or None without a link; a link
        given to another institution earlier in the file or in the store is a problem."""
        url = None
        if raw["page_url"]:
            try:
                url = parsing.canonical_page_url(raw["page_url"])
            except ValueError as error:
                problem("page_url", raw["page_url"], str(error))
        flagship_text = raw["flagship"].strip().lower()
        if flagship_text not in YES | NO:
            problem("flagship", raw["flagship"], "ожидается «да» или «нет»")
        target = None
        try:
            target = checks.target_override(raw["target"])
        except ValueError as error:
            problem("target", raw["target"], str(error))
        if not url:
            return None
        if url in self.seen_urls and self.seen_urls[url][1] != code:
            problem(
                "page_url",
                raw["page_url"],
                f"эта страница уже указана в строке {self.seen_urls[url][0]} для другого учреждения",
            )
        self.seen_urls.setdefault(url, (number, code))
        owner = self.known_pages.get(url)
        if owner and self.codes_by_id.get(owner["institution_id"]) not in (code, matched_code):
            problem(
                "page_url",
                raw["page_url"],
                f"эта страница в реестре принадлежит учреждению «{self.codes_by_id.get(owner['institution_id'])}»",
            )
        return {
            "url": url,
            "platform": parsing.platform_of(url),
            "is_flagship": flagship_text in YES,
            "target_override": target,
        }

    def sort(self, entry: dict) -> None:
        """Put a checked entry into the plan's new or updated, or count it unchanged."""
        plan = self.plan
        before = self.known.get(entry.pop("matched_code", None) or entry["institution"]["code"])
        if before is not None:
            plan.matched += 1
            entry["institution_id"] = before["id"]
        if before is not None and "short_name" not in plan.mapping:
            entry["institution"]["short_name"] = before["short_name"]  # derived names never overwrite edited ones
        page = entry["page"]
        before_page = self.known_pages.get(page["url"]) if page else None
        if before is None:
            plan.new.append(entry)
        elif any(before[key] != value for key, value in entry["institution"].items()) or (
            page and (before_page is None or any(before_page[key] != value for key, value in page.items()))
        ):
            plan.updated.append(entry)
        else:
            plan.unchanged += 1


def registry_preview_frame(plan: Plan) -> pd.DataFrame:
    """New and changed institutions of a registry plan, for people to look through."""
    entries = [("новое", entry) for entry in plan.new] + [("изменено", entry) for entry in plan.updated]
    return pd.DataFrame(
        {
            "Строка": [entry["row"] for _, entry in entries],
            "Запись": [kind for kind, _ in entries],
            "Краткое название": [entry["institution"]["short_name"] for _, entry in entries],
            "Полное название": [entry["institution"]["name"] for _, entry in entries],
            "Категория": [category_label(entry["institution"]["category"]) for _, entry in entries],
            "Район": [entry["institution"]["district"] for _, entry in entries],
            "Адрес": [entry["institution"]["address"] or "" for _, entry in entries],
            "Координаты": ["есть" if entry["institution"]["lat"] is not None else "нет" for _, entry in entries],
            "Страница": [entry["page"]["url"] if entry["page"] else "" for _, entry in entries],
        }
    )


def apply_registry(engine: Engine, actor: Actor, plan: Plan, short_names: dict[int, str] | None = None) -> Plan:
    """Create or update the institutions (and pages) of a checked registry plan, all or nothing.
    `short_names` (file row -> text) replaces derived short names the person edited in the preview.
    The column mapping is remembered for the next file with the same headers."""
    if not plan.ok:
        raise ValidationFailed(plan.problem_texts())
    edited_problems = _short_name_problems(short_names or {})
    if edited_problems:
        raise ValidationFailed(edited_problems)
    try:
        with change(engine, actor, ROLE_ADMIN, "загрузка реестра учреждений", [Area.REGISTRY]) as current:
            written: list[tuple[str, int, dict | None, int]] = []  # what undo_import needs
            for entry in plan.new + plan.updated:
                values = dict(entry["institution"])
                if short_names and entry["row"] in short_names:
                    values["short_name"] = parsing.clean_text(short_names[entry["row"]])
                institution_id = _write_institution(current, actor, entry.get("institution_id"), values, written)
                if entry["page"] is not None:
                    _write_page(current, actor, institution_id, entry["page"], written)
            _remember_mapping(current, plan)
            rollup.rebuild(current.connection)  # categories, districts or pages changed: every day may move
            skipped = [problem.row for problem in plan.junk] if plan.skip_junk else []
            plan.import_id = _record(current, plan, {"skipped_junk_rows": skipped} if skipped else None)
            if written:
                current.connection.execute(
                    import_registry_changes.insert(),
                    [
                        {
                            "import_id": plan.import_id,
                            "entity": entity,
                            "entity_id": entity_id,
                            "before": None if before is None else json.dumps(before, ensure_ascii=False, default=str),
                            "version_after": version,
                        }
                        for entity, entity_id, before, version in written
                    ],
                )
    except DatabaseRefused as error:
        raise ValidationFailed(
            ["Пока файл проверялся, реестр изменил кто-то другой. Ничего не записано: проверьте файл ещё раз."]
        ) from error
    return plan


def _short_name_problems(short_names: dict[int, str]) -> list[str]:
    """What is wrong with the short names a person typed into the preview (file row -> text)."""
    problems = []
    for row, text in short_names.items():
        try:
            checks.text_for(institutions.c.short_name, text)
        except ValueError as error:
            problems.append(f"Строка {row}, краткое название: {error}.")
        if not parsing.clean_text(text):
            problems.append(f"Строка {row}, краткое название: не может быть пустым.")
    return problems


def _write_institution(current: Change, actor: Actor, known_id: int | None, values: dict, written: list) -> int:
    """Create the institution, or update it where its values differ; note what was written (and
    what it replaced) in `written`; return its id."""
    connection = current.connection
    matched = institutions.c.id == known_id if known_id else institutions.c.code == values["code"]
    row = connection.execute(select(institutions).where(matched)).mappings().first()
    if row is None:
        institution_id = connection.execute(
            institutions.insert()
            .values(**values, created_at=utc_now(), updated_at=utc_now(), updated_by=actor.label, version=1)
            .returning(institutions.c.id)
        ).scalar_one()
        current.audit("create", "institution", institution_id, None, values)
        written.append(("institution", institution_id, None, 1))
        return institution_id
    if any(row[key] != value for key, value in values.items()):
        after = current.update_versioned(institutions, {"id": row["id"]}, row["version"], values, "institution")
        written.append(("institution", row["id"], dict(row), after["version"]))
    return row["id"]


def _write_page(current: Change, actor: Actor, institution_id: int, page: dict, written: list) -> None:
    """Create the institution's page, or update it where it differs; note it in `written`."""
    connection = current.connection
    existing = connection.execute(select(pages).where(pages.c.url == page["url"])).mappings().first()
    if existing is None:
        page_id = connection.execute(
            pages.insert()
            .values(
                institution_id=institution_id,
                **page,
                created_at=utc_now(),
                updated_at=utc_now(),
                updated_by=actor.label,
                version=1,
            )
            .returning(pages.c.id)
        ).scalar_one()
        current.audit("create", "page", page_id, None, {**page, "institution_id": institution_id})
        written.append(("page", page_id, None, 1))
    elif any(existing[key] != value for key, value in page.items()):
        after = current.update_versioned(pages, {"id": existing["id"]}, existing["version"], page, "page")
        written.append(("page", existing["id"], dict(existing), after["version"]))


def _remember_mapping(current: Change, plan: Plan) -> None:
    if not plan.header:
        return
    by_name = {
        key: [parsing.normalise_header(plan.header[index]) for index in indexes]
        for key, indexes in plan.mapping.items()
    }
    signature = header_signature(plan.header)
    table = import_mappings
    current.connection.execute(table.delete().where(table.c.signature == signature))
    current.connection.execute(
        table.insert().values(
            signature=signature,
            kind="registry",
            mapping=json.dumps(by_name, ensure_ascii=False),
            updated_at=utc_now(),
            updated_by=current.actor.label,
        )
    )


def registry_template() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Код": ["ds-105"],
            "Полное название": ["МБДОУ «Детский сад № 105 «Улыбка»"],
            "Краткое название": ["Детский сад № 105 «Улыбка»"],
            "Категория": ["Детские сады"],
            "Район": ["Дзержинский район"],
            "Адрес": ["г. Новосибирск, проспект Дзержинского, 59/1"],
            "Широта": ["55,0575"],
            "Долгота": ["82,9746"],
            "Сайт": ["https://ds-105.nios.ru/"],
            "Страница": ["https://vk.com/ds105nsk"],
            "Флагманская": ["нет"],
            "Цель": [""],
        }
    )


def recent_imports(engine: Engine, limit: int = 50) -> pd.DataFrame:
    with engine.connect() as connection:
        return frame(connection, select(imports).order_by(imports.c.id.desc()).limit(limit))
