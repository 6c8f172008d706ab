"""The one write path: role check, one short transaction, audit row, version check, cache revision.

Every change to the store (checklists, calendar, figures, registry, accounts) goes through
`change()`: it refuses a caller without the role (and logs the attempt), runs the caller's
statements in one transaction with the audit rows, raises the data revisions that readers key
their caches on, and commits only if everything succeeded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError

from data_access.areas import Area, areas_of
from data_access.auth import Actor
from data_access.clock import CITY_TIMEZONE
from data_access.engine import write_transaction
from data_access.models import audit_log, data_revisions, utc_now
from data_access.vocabulary import ROLES

# Never written to the audit log, even hashed.
SECRET_FIELDS = frozenset({"password_hash", "password"})


class PermissionDenied(Exception):
    """The caller's role does not allow this change; nothing was written."""


class StaleRecord(Exception):
    """Someone saved the record after the caller read it; nothing was written."""


class ValidationFailed(Exception):
    """The input is wrong; `problems` says what and where, in Russian. Nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class DatabaseRefused(ValidationFailed):
    """The database itself refused a write (a duplicate key, a too-long value) that the checks
    before it let through — typically a colleague's write in between. Nothing was written."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(row: Mapping[str, Any] | None) -> str | None:
    """A row as JSON for the audit log, without secrets."""
    if row is None:
        return None
    clean = {key: _jsonable(value) for key, value in row.items() if key not in SECRET_FIELDS}
    return json.dumps(clean, ensure_ascii=False, sort_keys=True)


def audit_row(
    connection: Connection,
    login: str,
    action: str,
    entity: str,
    entity_id: Any = None,
    before: Mapping | None = None,
    after: Mapping | None = None,
    details: str | None = None,
) -> None:
    """The one writer of the audit log: who (`login`) did `action` to `entity` `entity_id`, with
    the row before and after (secrets left out) or a line of `details`, in the caller's transaction."""
    connection.execute(
        audit_log.insert().values(
            at=utc_now(),
            actor=login[:200],
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id)[:100],
            before=snapshot(before),
            after=snapshot(after),
            details=details,
        )
    )


def bump_revisions(connection: Connection, *areas: Area) -> None:
    """Raise the write counters of `areas` inside the caller's transaction (an unknown area is a
    ValueError: its readers would never refresh)."""
    for area in areas_of(areas):
        updated = connection.execute(
            data_revisions.update()
            .where(data_revisions.c.area == area)
            .values(revision=data_revisions.c.revision + 1, changed_at=utc_now())
        )
        if updated.rowcount == 0:
            connection.execute(data_revisions.insert().values(area=area, revision=1, changed_at=utc_now()))


def local_time(moment: datetime | None) -> str:
    """«14:05» in Novosibirsk time, for messages about who changed what."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CITY_TIMEZONE).strftime("%H:%M")


def stale_message(changed_by: str | None, changed_at: datetime | None) -> str:
    return f"Запись изменил(а) {changed_by or 'другой пользователь'} в {local_time(changed_at)} — обновите страницу"


@dataclass
class Change:
    """An open write transaction on behalf of `actor`."""

    connection: Connection
    actor: Actor

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: Any,
        before: Mapping | None = None,
        after: Mapping | None = None,
        details: str | None = None,
    ) -> None:
        audit_row(self.connection, self.actor.login, action, entity, entity_id, before, after, details)

    def update_versioned(
        self, table: Table, key: Mapping[str, Any], expected_version: int, values: Mapping[str, Any], entity: str
    ) -> dict[str, Any]:
        """Update one row only if nobody changed it since the caller read `expected_version`.

        Raises StaleRecord naming who saved it last and when; returns the row after the update.
        """
        where = and_(*(table.c[name] == value for name, value in key.items()))
        before = self.connection.execute(select(table).where(where)).mappings().first()
        if before is None:
            raise StaleRecord("Запись удалена или не найдена — обновите страницу")
        if before["version"] != expected_version:
            raise StaleRecord(stale_message(before.get("updated_by"), before.get("updated_at")))
        stamped = {**values, "version": expected_version + 1}
        if "updated_at" in table.c:
            stamped.setdefault("updated_at", utc_now())
        if "updated_by" in table.c:
            stamped.setdefault("updated_by", self.actor.label)
        result = self.connection.execute(
            table.update().where(where, table.c.version == expected_version).values(**stamped)
        )
        if result.rowcount != 1:
            current = self.connection.execute(select(table).where(where)).mappings().first()
            raise StaleRecord(
                stale_message(*((current["updated_by"], current["updated_at"]) if current else (None, None)))
            )
        after = self.connection.execute(select(table).where(where)).mappings().one()
        self.audit("update", entity, "/".join(str(value) for value in key.values()), dict(before), dict(after))
        return dict(after)


def _record_refusal(engine: Engine, actor: Actor, what: str, needs: str) -> None:
    with write_transaction(engine) as connection:
        audit_row(
            connection,
            actor.login,
            "denied",
            "permission",
            details=f"{what}: нужна роль «{ROLES[needs]}», у пользователя "
            f"{'нет входа' if actor.role is None else '«' + ROLES[actor.role] + '»'}",
        )


def require_role(engine: Engine, actor: Actor, needs: str, what: str) -> None:
    """Refuse (and log the attempt) when `actor` lacks `needs`; hiding a button is not security."""
    if not actor.can(needs):
        _record_refusal(engine, actor, what, needs)
        who = "Войдите в систему" if actor.role is None else f"Ваша роль — «{ROLES[actor.role]}»"
        raise PermissionDenied(f"Недостаточно прав: {what} доступно роли «{ROLES[needs]}». {who}.")


@contextmanager
def change(engine: Engine, actor: Actor, needs: str, what: str, areas: Iterable[Area]) -> Iterator[Change]:
    """Check the role, then run the caller's writes in one transaction that also raises the
    revisions of `areas`. Any exception inside rolls everything back."""
    require_role(engine, actor, needs, what)
    try:
        with write_transaction(engine) as connection:
            current = Change(connection, actor)
            yield current
            bump_revisions(connection, *areas)
    except (IntegrityError, DataError) as error:
        # The checks before a write should make these impossible; if the database still refuses,
        # the person gets a Russian sentence naming the field, and the transaction is rolled back.
        raise DatabaseRefused([database_refusal(error)]) from error


# Columns (table.column, or a column alone as PostgreSQL names it in «Key (x)=…») and the words
# people know them by.
FIELD_LABELS = {
    "users.login": "логин",
    "users.email": "e-mail",
    "login": "логин",
    "email": "e-mail",
    "institutions.code": "код учреждения",
    "code": "код",
    "pages.url": "ссылка на страницу",
    "url": "ссылка на страницу",
    "content_items.title": "заголовок",
    "checklist_items.code": "код пункта чек-листа",
    "title": "название",
    "city_dates.day": "дата",
    "subscriber_snapshots.page_id": "страница и дата",
    "page_id": "страница",
}


def database_refusal(error: Exception) -> str:
    """What the database refused, in Russian, with the field where it can be told."""
    text = str(getattr(error, "orig", error))
    constraint = re.search(r'constraint "(\w+)"', text)  # PostgreSQL: uq_<table>_<column>
    if constraint:
        for name, label in FIELD_LABELS.items():
            if "." in name and constraint.group(1).endswith("_" + name.replace(".", "_")):
                return f"Такое значение поля «{label}» уже есть в базе — нужно другое. Ничего не сохранено."
    found = re.search(r"UNIQUE constraint failed: ([\w., ]+)", text) or re.search(r"Key \(([\w, ]+)\)=", text)
    if found:
        names = [name.strip() for name in found.group(1).split(",")]
        label = ", ".join(
            FIELD_LABELS.get(name, FIELD_LABELS.get(name.split(".")[-1], name.split(".")[-1])) for name in names
        )
        return f"Такое значение поля «{label}» уже есть в базе — нужно другое. Ничего не сохранено."
    if "too long" in text or "value too long" in text:
        limit = re.search(r"varying\((\d+)\)", text)
        return (
            "Одно из полей длиннее, чем может хранить база"
            + (f" (не больше {limit.group(1)} знаков)" if limit else "")
            + ". Сократите текст; ничего не сохранено."
        )
    if "out of range" in text or "overflow" in text.lower():
        return "Число слишком большое для этого поля. Ничего не сохранено."
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "Запись ссылается на то, чего уже нет (возможно, его удалили или вывели из работы). Обновите страницу."
    if "NOT NULL" in text or "null value" in text:
        column = re.search(r"NOT NULL constraint failed: ([\w.]+)|column \"(\w+)\"", text)
        name = next((group for group in (column.groups() if column else ()) if group), "")
        label = FIELD_LABELS.get(name, name.split(".")[-1]) if name else "одно из обязательных полей"
        return f"Не заполнено обязательное поле «{label}». Ничего не сохранено."
    return "База данных отказалась сохранить эти значения. Проверьте поля; ничего не сохранено."
