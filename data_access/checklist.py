"""The verification checklist: per-page item states, changed only by editors, version-safe."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access import parsing
from data_access.auth import Actor
from data_access.models import checklist_items, page_checks, pages, utc_now
from data_access.vocabulary import CHECK_STATES, ROLE_ADMIN, ROLE_EDITOR
from data_access.writes import Change, StaleRecord, ValidationFailed, change, stale_message

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
        return apply_checks(current, edits)


def apply_checks(current: Change, edits: list[CheckEdit]) -> int:
    """Write checklist cells inside the caller's transaction (versions checked, every change
    audited in the name of the change's actor); returns how many changed."""
    connection = current.connection
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
            row = {**key, **values, "updated_at": utc_now(), "updated_by": current.actor.label, "version": 1}
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


CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


@dataclass(frozen=True)
class ItemDraft:
    """A checklist item as an admin writes it."""

    title: str
    description: str = ""
    is_required: bool = True
    position: int | None = 0  # None: the admin cleared it (refused with a message)


def _stored(draft: ItemDraft) -> dict:
    """The item's fields as stored: control characters dropped and spaces collapsed in the title,
    the description keeping its line breaks (the same cleaning as every other text we store)."""
    return {"title": parsing.clean_text(draft.title), "description": parsing.clean_lines(draft.description),
            "is_required": draft.is_required, "position": draft.position}


def _item_problems(draft: ItemDraft) -> list[str]:
    stored = _stored(draft)
    draft = ItemDraft(stored["title"], stored["description"], draft.is_required, draft.position)
    problems = []
    if not draft.title.strip():
        problems.append("Название пункта не может быть пустым.")
    if len(draft.title) > 200:
        problems.append("Название пункта: не длиннее 200 символов.")
    if len(draft.description) > 2000:
        problems.append("Пояснение: не длиннее 2000 символов.")
    if draft.position is None:
        problems.append("Порядок: укажите целое число от 0 до 100000.")
    elif not 0 <= draft.position <= 100_000:
        problems.append(f"Порядок «{draft.position}»: целое число от 0 до 100000.")
    return problems


def add_item(engine: Engine, actor: Actor, code: str, draft: ItemDraft) -> int:
    """A new requirement; every page shows it as «not done» until someone ticks it."""
    problems = _item_problems(draft)
    if not CODE_PATTERN.match(code or ""):
        problems.append(f"Код «{code}»: латинские строчные буквы, цифры и «_», начинается с буквы.")
    with change(engine, actor, ROLE_ADMIN, "изменение пунктов чек-листа", ["checklist"]) as current:
        if problems:
            raise ValidationFailed(problems)
        taken = current.connection.execute(select(checklist_items.c.id).where(checklist_items.c.code == code)).first()
        if taken:
            raise ValidationFailed([f"Пункт с кодом «{code}» уже есть."])
        values = {"code": code, **_stored(draft), "updated_at": utc_now(), "updated_by": actor.label, "version": 1}
        item_id = current.connection.execute(
            checklist_items.insert().values(**values).returning(checklist_items.c.id)).scalar_one()
        current.audit("create", "checklist_item", item_id, None, {**values, "id": item_id})
    return item_id


@dataclass(frozen=True)
class ItemUpdate:
    """One item as saved from the admin's table: its new wording and whether it is in use."""

    item_id: int
    version: int
    draft: ItemDraft
    active: bool


def save_items(engine: Engine, actor: Actor, updates: list[ItemUpdate]) -> int:
    """Save several items in one transaction: all of them, or none on any problem or conflict."""
    with change(engine, actor, ROLE_ADMIN, "изменение пунктов чек-листа", ["checklist"]) as current:
        stored, problems = {}, []
        for update in updates:
            row = current.connection.execute(
                select(checklist_items).where(checklist_items.c.id == update.item_id)).mappings().first()
            if row is None:
                raise StaleRecord("Запись удалена или не найдена — обновите страницу")
            stored[update.item_id] = row
            # Named by the code the admin sees in the table, not by the internal id.
            problems += [f"Пункт «{row['code']}»: {problem}" for problem in _item_problems(update.draft)]
        if problems:
            raise ValidationFailed(problems)
        for update in updates:
            row = stored[update.item_id]
            retired_at = None if update.active else (row["retired_at"] or utc_now())
            current.update_versioned(checklist_items, {"id": update.item_id}, update.version, {
                **_stored(update.draft), "retired_at": retired_at}, "checklist_item")
    return len(updates)
