"""The verification checklist: per-page item states, changed only by editors, version-safe."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access.auth import Actor
from data_access.models import checklist_items, page_checks, pages, utc_now
from data_access.vocabulary import CHECK_STATES, ROLE_EDITOR
from data_access.writes import StaleRecord, ValidationFailed, change, stale_message

URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass(frozen=True)
class CheckEdit:
    """One cell of the checklist as an editor saves it. `version` is what the editor read
    (None when the page had no row for the item yet)."""

    page_id: int
    item_id: int
    state: str
    note: str | None = None
    evidence_url: str | None = None
    version: int | None = None


def _problems(edit: CheckEdit) -> list[str]:
    problems = []
    if edit.state not in CHECK_STATES:
        problems.append(f"Состояние «{edit.state}» неизвестно: допустимы {', '.join(CHECK_STATES.values())}.")
    if edit.evidence_url and not URL_PATTERN.match(edit.evidence_url.strip()):
        problems.append(f"Ссылка-подтверждение «{edit.evidence_url}» должна начинаться с http:// или https://.")
    if edit.note and len(edit.note) > 1000:
        problems.append("Примечание: не длиннее 1000 символов.")
    return problems


def save_checks(engine: Engine, actor: Actor, edits: list[CheckEdit]) -> int:
    """Save several checklist cells in one transaction: all of them, or (on any problem or
    conflict) none. Returns how many cells changed."""
    problems = [f"Страница {edit.page_id}, пункт {edit.item_id}: {problem}"
                for edit in edits for problem in _problems(edit)]
    with change(engine, actor, ROLE_EDITOR, "изменение чек-листа верификации", ["checklist"]) as current:
        if problems:
            raise ValidationFailed(problems)
        connection = current.connection
        known_pages = set(connection.execute(
            select(pages.c.id).where(pages.c.id.in_({edit.page_id for edit in edits}))).scalars())
        known_items = set(connection.execute(
            select(checklist_items.c.id).where(checklist_items.c.id.in_({edit.item_id for edit in edits}))).scalars())
        missing = [f"Страница {edit.page_id} или пункт {edit.item_id} не найдены — обновите страницу."
                   for edit in edits if edit.page_id not in known_pages or edit.item_id not in known_items]
        if missing:
            raise ValidationFailed(missing)
        changed = 0
        for edit in edits:
            values = {"state": edit.state, "note": (edit.note or "").strip() or None,
                      "evidence_url": (edit.evidence_url or "").strip() or None}
            key = {"page_id": edit.page_id, "item_id": edit.item_id}
            existing = connection.execute(select(page_checks).where(
                page_checks.c.page_id == edit.page_id, page_checks.c.item_id == edit.item_id)).mappings().first()
            if existing is None:
                if edit.version is not None:
                    raise StaleRecord("Запись удалена или не найдена — обновите страницу")
                row = {**key, **values, "updated_at": utc_now(), "updated_by": actor.label, "version": 1}
                connection.execute(page_checks.insert().values(**row))
                current.audit("create", "page_check", f"{edit.page_id}/{edit.item_id}", None, row)
                changed += 1
            elif edit.version is None:
                raise StaleRecord(stale_message(existing["updated_by"], existing["updated_at"]))
            elif any(existing[name] != value for name, value in values.items()):
                current.update_versioned(page_checks, key, edit.version, values, "page_check")
                changed += 1
            elif existing["version"] != edit.version:
                raise StaleRecord(stale_message(existing["updated_by"], existing["updated_at"]))
    return changed
