"""What each audit row is about, in words: the page with its network, the institution, the item."""

from __future__ import annotations

import pandas as pd

from data_access.vocabulary import page_name


def subjects(entries: pd.DataFrame, registry: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """Per audit row (columns entity, entity_id): «Гимназия № 1 · MAX — «Госметка получена»» for a
    checklist mark, the page or institution for theirs, the item's title for an item; empty where
    the row names nothing we can look up (a user, an import) or what it named is gone.
    `registry`: queries.registry(include_retired=True); `items`: every checklist item."""
    with_pages = registry.dropna(subset=["page_id"])
    pages = {
        int(page_id): page_name(short_name, platform)
        for page_id, short_name, platform in zip(
            with_pages["page_id"], with_pages["short_name"], with_pages["platform"]
        )
    }
    institutions = dict(zip(registry["institution_id"].astype(int), registry["short_name"]))
    titles = {int(item_id): title for item_id, title in zip(items["id"], items["title"])}

    def number(text: str) -> int | None:
        return int(text) if text.isdigit() else None

    def subject(entity: str, entity_id: str) -> str:
        parts = [number(part) for part in str(entity_id or "").split("/")]
        if entity in ("page_check", "institution_check") and len(parts) == 2:
            owner_id, item_id = parts
            owner = (pages if entity == "page_check" else institutions).get(owner_id) if owner_id else None
            item = titles.get(item_id) if item_id else None
            if owner and item:
                return f"{owner}{' (учреждение)' if entity == 'institution_check' else ''} — «{item}»"
        elif len(parts) == 1 and parts[0] is not None:
            found = {"page": pages, "institution": institutions, "checklist_item": titles}.get(entity, {})
            return found.get(parts[0], "")
        return ""

    return [subject(entity, entity_id) for entity, entity_id in zip(entries["entity"], entries["entity_id"])]
