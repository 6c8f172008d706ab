"""The verification checklist: per-page item states, changed only by editors, version-safe."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access import parsing
from data_access.areas import Area
from data_access.auth import Actor
from data_access.models import checklist_items, institution_checks, institutions, page_checks, pages, utc_now
from data_access.vocabulary import CHECK_STATES, PLATFORMS, ROLE_ADMIN, ROLE_EDITOR
from data_access.writes import Change, StaleRecord, ValidationFailed, change, stale_message

URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass(frozen=True)
class CheckEdit:
    """One cell of the checklist as an editor saves it: a page item on page `page_id`, or an
    institution item of institution `institution_id` (then `page_id` is None). `version` is what
    the editor read (None when there was no row for the item yet)."""

    page_id: int | None
    item_id: int
    state: str
    note: str | None = None
    evidence_url: str | None = None
    version: int | None = None
    institution_id: int | None = None

    @property
    def unit(self) -> str:
        """«страница 12» / «учреждение 7», for messages."""
        return f"Учреждение {self.institution_id}" if self.institution_id is not None else f"Страница {self.page_id}"


def _problems(edit: CheckEdit) -> list[str]:
    problems = []
    if edit.state not in CHECK_STATES:
        problems.append(f"Состояние «{edit.state}» неизвестно: допустимы {', '.join(CHECK_STATES.values())}.")
    if edit.evidence_url and not URL_PATTERN.match(edit.evidence_url.strip()):
        problems.append(f"Ссылка-подтверждение «{edit.evidence_url}» должна начинаться с http:// или https://.")
    if edit.note and len(edit.note) > 1000:
        problems.append("Примечание: не длиннее 1000 символов.")
    return problems


STATE_RANK = {"done": 0, "not_done": 1, "n_a": 2}


def institution_marks(page_marks: list[dict]) -> list[dict]:
    """The one mark per institution and institution item that its pages' marks add up to — the rule
    migration 0013 applied to the store: «выполнено» where any page had it done, else «не выполнено»
    where any had it open, else «не применимо»; note, link and who-and-when from the newest mark of
    that state. `page_marks`: page_checks rows with their institution_id."""
    chosen: dict[tuple[int, int], dict] = {}

    def order(mark: dict) -> tuple:
        moment = mark["updated_at"].timestamp() if mark["updated_at"] else 0.0
        return STATE_RANK[mark["state"]], -moment, mark["page_id"]

    for mark in sorted(page_marks, key=order):
        chosen.setdefault((mark["institution_id"], mark["item_id"]), mark)
    return [
        {
            "institution_id": institution_id,
            "item_id": item_id,
            "state": mark["state"],
            "note": mark["note"],
            "evidence_url": mark["evidence_url"],
            "updated_at": mark["updated_at"],
            "updated_by": mark["updated_by"],
            "version": 1,
        }
        for (institution_id, item_id), mark in chosen.items()
    ]


def save_checks(engine: Engine, actor: Actor, edits: list[CheckEdit]) -> int:
    """Save several checklist cells in one transaction: all of them, or (on any problem or
    conflict) none. Returns how many cells changed."""
    problems = [f"{edit.unit}, пункт {edit.item_id}: {problem}" for edit in edits for problem in _problems(edit)]
    with change(engine, actor, ROLE_EDITOR, "изменение чек-листа верификации", [Area.CHECKLIST]) as current:
        if problems:
            raise ValidationFailed(problems)
        connection = current.connection
        platforms = dict(
            connection.execute(
                select(pages.c.id, pages.c.platform).where(pages.c.id.in_({edit.page_id for edit in edits}))
            ).all()
        )
        known_institutions = set(
            connection.execute(
                select(institutions.c.id).where(institutions.c.id.in_({edit.institution_id for edit in edits}))
            ).scalars()
        )
        items = {
            row.id: row
            for row in connection.execute(
                select(
                    checklist_items.c.id, checklist_items.c.title, checklist_items.c.scope, checklist_items.c.platforms
                ).where(checklist_items.c.id.in_({edit.item_id for edit in edits}))
            )
        }
        missing = [
            f"{edit.unit} или пункт {edit.item_id} не найдены — обновите страницу."
            for edit in edits
            if edit.item_id not in items
            or (edit.institution_id is None and edit.page_id not in platforms)
            or (edit.institution_id is not None and edit.institution_id not in known_institutions)
        ]
        if missing:
            raise ValidationFailed(missing)
        misplaced = [_misplaced(edit, items[edit.item_id], platforms.get(edit.page_id)) for edit in edits]
        if any(misplaced):
            raise ValidationFailed([text for text in misplaced if text])
        return apply_checks(current, edits)


def applies_to(scope: str, platforms: str | None, platform: str | None) -> bool:
    """Whether an item with this scope and these networks is marked on a page of `platform` (the
    same rule as queries.page_item_applies)."""
    return scope == "page" and (not platforms or (platform is not None and platform in platforms.split(",")))


def _misplaced(edit: CheckEdit, item, platform: str | None) -> str | None:
    """A Russian refusal when the edit marks an item on the wrong unit or network."""
    if item.scope == "institution" and edit.institution_id is None:
        return (
            f"Пункт «{item.title}» относится к учреждению целиком, а не к одной странице — отметьте его у учреждения."
        )
    if item.scope == "page" and edit.institution_id is not None:
        return f"Пункт «{item.title}» отмечается у каждой страницы, а не у учреждения."
    if item.scope == "page" and not applies_to(item.scope, item.platforms, platform):
        networks = ", ".join(PLATFORMS.get(code, code) for code in (item.platforms or "").split(","))
        return (
            f"Страница {edit.page_id} ({PLATFORMS.get(platform or '', platform)}): пункт «{item.title}» к ней не "
            f"относится — он только для сетей: {networks}."
        )
    return None


def apply_checks(current: Change, edits: list[CheckEdit]) -> int:
    """Write checklist cells inside the caller's transaction (versions checked, every change
    audited in the name of the change's actor); returns how many changed."""
    connection = current.connection
    changed = 0
    for edit in edits:
        values = {
            "state": edit.state,
            "note": (edit.note or "").strip() or None,
            "evidence_url": (edit.evidence_url or "").strip() or None,
        }
        key: dict[str, int | None]
        if edit.institution_id is not None:
            table, entity, key = institution_checks, "institution_check", {"institution_id": edit.institution_id}
        else:
            table, entity, key = page_checks, "page_check", {"page_id": edit.page_id}
        key["item_id"] = edit.item_id
        existing = (
            connection.execute(select(table).where(*(table.c[name] == value for name, value in key.items())))
            .mappings()
            .first()
        )
        if existing is None:
            if edit.version is not None:
                raise StaleRecord("Запись удалена или не найдена — обновите страницу")
            row = {**key, **values, "updated_at": utc_now(), "updated_by": current.actor.label, "version": 1}
            connection.execute(table.insert().values(**row))
            current.audit("create", entity, "/".join(str(value) for value in key.values()), None, row)
            changed += 1
        elif edit.version is None:
            raise StaleRecord(stale_message(existing["updated_by"], existing["updated_at"]))
        elif any(existing[name] != value for name, value in values.items()):
            current.update_versioned(table, key, edit.version, values, entity)
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
    platforms: tuple[str, ...] = ()  # a page item's networks; empty: every network


def _stored(draft: ItemDraft) -> dict:
    """The item's fields as stored: control characters dropped and spaces collapsed in the title,
    the description keeping its line breaks (the same cleaning as every other text we store)."""
    return {
        "title": parsing.clean_text(draft.title),
        "description": parsing.clean_lines(draft.description),
        "is_required": draft.is_required,
        "position": draft.position,
        "platforms": ",".join(code for code in PLATFORMS if code in draft.platforms) or None,
    }


def _item_problems(draft: ItemDraft) -> list[str]:
    stored = _stored(draft)
    unknown = [code for code in draft.platforms if code not in PLATFORMS]
    draft = ItemDraft(stored["title"], stored["description"], draft.is_required, draft.position)
    problems = [f"Соцсеть «{code}» неизвестна: допустимы {', '.join(PLATFORMS.values())}." for code in unknown]
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


def add_item(engine: Engine, actor: Actor, code: str, draft: ItemDraft, scope: str = "page") -> int:
    """A new requirement of each page (on `draft.platforms`) or, with scope «institution», of each
    institution; everyone shows it as «not done» until someone ticks it. The scope is fixed."""
    problems = _item_problems(draft)
    if scope not in ("page", "institution"):
        problems.append(f"Область пункта «{scope}»: страница или учреждение.")
    elif scope == "institution" and draft.platforms:
        problems.append("Пункт учреждения относится к нему целиком: соцсети у него не выбираются.")
    if not CODE_PATTERN.match(code or ""):
        problems.append(f"Код «{code}»: латинские строчные буквы, цифры и «_», начинается с буквы.")
    with change(engine, actor, ROLE_ADMIN, "изменение пунктов чек-листа", [Area.CHECKLIST]) as current:
        if problems:
            raise ValidationFailed(problems)
        taken = current.connection.execute(select(checklist_items.c.id).where(checklist_items.c.code == code)).first()
        if taken:
            raise ValidationFailed([f"Пункт с кодом «{code}» уже есть."])
        values = {
            "code": code,
            **_stored(draft),
            "scope": scope,
            "updated_at": utc_now(),
            "updated_by": actor.label,
            "version": 1,
        }
        item_id = current.connection.execute(
            checklist_items.insert().values(**values).returning(checklist_items.c.id)
        ).scalar_one()
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
    with change(engine, actor, ROLE_ADMIN, "изменение пунктов чек-листа", [Area.CHECKLIST]) as current:
        stored, problems = {}, []
        for update in updates:
            row = (
                current.connection.execute(select(checklist_items).where(checklist_items.c.id == update.item_id))
                .mappings()
                .first()
            )
            if row is None:
                raise StaleRecord("Запись удалена или не найдена — обновите страницу")
            stored[update.item_id] = row
            # Named by the code the admin sees in the table, not by the internal id.
            problems += [f"Пункт «{row['code']}»: {problem}" for problem in _item_problems(update.draft)]
            if row["scope"] == "institution" and update.draft.platforms:
                problems.append(f"Пункт «{row['code']}» относится к учреждению целиком: соцсети у него не выбираются.")
        if problems:
            raise ValidationFailed(problems)
        for update in updates:
            row = stored[update.item_id]
            retired_at = None if update.active else (row["retired_at"] or utc_now())
            current.update_versioned(
                checklist_items,
                {"id": update.item_id},
                update.version,
                {**_stored(update.draft), "retired_at": retired_at},
                "checklist_item",
            )
    return len(updates)
