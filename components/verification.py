"""Pure builders of the verification screens: scores, the pages × items matrix, what is missing.

All of them work on one snapshot of checklist states (data_access.queries.checklist_states), so
the matrix an editor changes, the scores beside it and the versions checked on save agree.
"""

from __future__ import annotations

import pandas as pd

from components import formatting as fmt
from components.tables import page_names
from data_access.checklist import CheckEdit, ItemDraft, ItemUpdate
from data_access.vocabulary import CATEGORIES, CHECK_DONE, CHECK_NOT_APPLICABLE, CHECK_STATES, category_label

STATE_CODES = {label: code for code, label in CHECK_STATES.items()}
NAME_COLUMNS = ["Учреждение", "Категория", "Район"]


def scores_of(pages: pd.DataFrame) -> pd.DataFrame:
    """Per page: required items applicable and done, the score, how many are missing (from the
    per-page figures, whose counts SQL made)."""
    return pd.DataFrame({
        "page_id": pages["page_id"], "required_total": pages["required_total"],
        "required_done": pages["required_done"], "score": pages["verification_score"],
        "missing_required": pages["required_total"] - pages["required_done"],
    })


def group_scores(pages: pd.DataFrame, scores: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per category or district: pages, fully verified pages and their share, average score."""
    frame = pages[["page_id", by]].merge(scores, on="page_id")
    grouped = frame.assign(verified=frame["missing_required"] == 0).groupby(by, sort=True)
    result = pd.DataFrame({
        "Страниц": grouped.size(),
        "Верифицировано страниц": grouped["verified"].sum().astype(int),
        "Доля верифицированных": grouped["verified"].mean().round(3),
        "Средняя полнота": grouped["score"].mean().round(3),
    }).reset_index()
    if by == "category":
        order = {code: index for index, code in enumerate(CATEGORIES)}
        result = result.sort_values(by, key=lambda codes: codes.map(order)).reset_index(drop=True)
    label = "Категория" if by == "category" else "Район"
    result[by] = result[by].map(category_label) if by == "category" else result[by]
    return result.rename(columns={by: label})


def matrix(states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """Pages × items with Russian state words, indexed by page_id (the key edits map back to,
    however the table is sorted or filtered on screen)."""
    titles = dict(zip(items["id"], items["title"]))
    wide = (states.assign(label=states["state"].map(CHECK_STATES), title=states["item_id"].map(titles))
            .pivot(index="page_id", columns="title", values="label")
            .reindex(columns=[titles[item] for item in items["id"]]))
    names = pages.set_index("page_id")[["short_name", "platform", "category", "district"]]
    names = pd.DataFrame({
        "Учреждение": page_names(names), "Категория": names["category"].map(category_label),
        "Район": names["district"]}, index=names.index)
    result = names.join(wide, how="inner")
    result.index.name = "page_id"
    return result


def changed_cells(before: pd.DataFrame, after: pd.DataFrame, items: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(page_id, item_id, new state code) for every item cell that differs, matched by page_id."""
    ids = dict(zip(items["title"], items["id"]))
    changes = []
    after = after.reindex(before.index)
    for title, item_id in ids.items():
        if title not in before.columns:
            continue
        differs = before[title].ne(after[title]) & after[title].notna()
        for page_id in before.index[differs]:
            changes.append((int(page_id), int(item_id), STATE_CODES[after.at[page_id, title]]))
    return changes


MISSING_COUNT = "Не хватает пунктов"


def missing_list(states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame,
                 item_id: int | None = None) -> pd.DataFrame:
    """Pages lacking a required item (or the item `item_id`), most urgent first: most items
    missing, then flagship pages, then the larger audience. «Не хватает пунктов» and «Чего не
    хватает» always count every required item (and the chosen one): choosing an item only
    narrows which pages are listed, it does not change what the columns mean."""
    counted = items[items["is_required"] | (items["id"] == item_id)]
    open_states = states[states["item_id"].isin(counted["id"]) & ~states["state"].isin([CHECK_DONE, CHECK_NOT_APPLICABLE])]
    if item_id is not None:
        listed = set(open_states.loc[open_states["item_id"] == item_id, "page_id"])
        open_states = open_states[open_states["page_id"].isin(listed)]
    missing = open_states
    if missing.empty:
        return pd.DataFrame(columns=["page_id", "Учреждение", "Категория", "Район", MISSING_COUNT, "Чего не хватает"])
    order = dict(zip(items["id"], items["position"]))
    titles = dict(zip(items["id"], items["title"]))
    per_page = missing.groupby("page_id")["item_id"].apply(
        lambda ids: [titles[i] for i in sorted(ids, key=lambda item: order.get(item, 0))])
    info = pages.set_index("page_id").loc[per_page.index]
    result = pd.DataFrame({
        "page_id": per_page.index,
        "Учреждение": page_names(info).to_numpy(),
        "Категория": info["category"].map(category_label).to_numpy(),
        "Район": info["district"].to_numpy(),
        MISSING_COUNT: per_page.map(len).to_numpy(),
        "Чего не хватает": per_page.map("; ".join).to_numpy(),
        "_flagship": info["is_flagship"].to_numpy(),
        "_subscribers": info["subscribers"].fillna(0).to_numpy(),
    })
    result = result.sort_values([MISSING_COUNT, "_flagship", "_subscribers", "Учреждение"],
                                ascending=[False, False, False, True])
    return result.drop(columns=["_flagship", "_subscribers"]).reset_index(drop=True)


def check_edits(changes: list[tuple[int, int, str]], states: pd.DataFrame, kept: dict,
                texts: dict[tuple[int, int], tuple[str, str]] | None = None) -> list[CheckEdit]:
    """The edits that set each (page_id, item_id, state) of `changes`, against the versions this
    session showed (`states`, its held snapshot): a colleague's save in between is a conflict, not
    overwritten. Note and confirmation link come from `texts` where the person edited them, else
    they stay as stored (`kept`, queries.check_details read at saving)."""
    versions = states.set_index(["page_id", "item_id"])["version"]
    edits = []
    for page_id, item_id, state in changes:
        key = (page_id, item_id)
        note, evidence = texts[key] if texts and key in texts else (kept.get(key, {}).get("note"),
                                                                     kept.get(key, {}).get("evidence_url"))
        version = versions.get(key)
        edits.append(CheckEdit(page_id, item_id, state, note, evidence,
                               None if version is None or pd.isna(version) else int(version)))
    return edits


PAGE_EDITABLE = ["Состояние", "Примечание", "Подтверждение"]


def page_view(cells: pd.DataFrame, measured: dict[str, str]) -> pd.DataFrame:
    """One page's checklist as its editor shows it, rows keyed by item id (however it is sorted).
    `cells`: item_id, code, title, is_required, state, note, evidence_url, updated_at, updated_by;
    `measured`: item code -> what the collector measured for it."""
    return pd.DataFrame({
        "Пункт": cells["title"], "Обязательный": cells["is_required"],
        "Состояние": cells["state"].map(CHECK_STATES), "Примечание": cells["note"].fillna(""),
        "Подтверждение": cells["evidence_url"].fillna(""),
        "Кто изменил": cells["updated_by"].fillna(""), "Когда": cells["updated_at"].map(fmt.local_datetime),
        "Измерено": cells["code"].map(measured).fillna(""),
    }).set_axis(cells["item_id"].to_numpy())


def page_changes(page_id: int, before: pd.DataFrame, after: pd.DataFrame
                 ) -> tuple[list[tuple[int, int, str]], dict[tuple[int, int], tuple[str, str]]]:
    """What the person changed in page_view: (page_id, item_id, state) per changed row, and the
    note and link they left in it (for check_edits)."""
    changes, texts = [], {}
    for item_id, row in before.iterrows():
        new = after.loc[item_id]
        if tuple(row[PAGE_EDITABLE]) != tuple(new[PAGE_EDITABLE]):
            key = (page_id, int(item_id))
            changes.append((*key, STATE_CODES[new["Состояние"]]))
            texts[key] = (new["Примечание"], new["Подтверждение"])
    return changes, texts


ITEM_EDITABLE = ["Название", "Пояснение", "Обязательный", "Порядок", "В работе"]


def items_view(items: pd.DataFrame) -> pd.DataFrame:
    """Every checklist item (retired ones too) as the admin's table shows it, keyed by item id."""
    return pd.DataFrame({
        "Код": items["code"], "Название": items["title"], "Пояснение": items["description"],
        "Обязательный": items["is_required"], "Порядок": items["position"],
        "В работе": items["retired_at"].isna(),
    }).set_axis(items["id"].to_numpy())


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def item_updates(items: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> list[ItemUpdate]:
    """The items whose row the admin changed in items_view, against the versions in `items`.
    A cleared cell stays empty (the write path names it), never a crash here."""
    versions = dict(zip(items["id"], items["version"]))
    return [
        ItemUpdate(int(item_id), int(versions[item_id]), ItemDraft(
            _text(row["Название"]), _text(row["Пояснение"]), bool(row["Обязательный"]) if pd.notna(row["Обязательный"]) else False,
            None if pd.isna(row["Порядок"]) else int(row["Порядок"])),
            bool(row["В работе"]) if pd.notna(row["В работе"]) else True)
        for item_id, row in after.iterrows()
        if tuple(row[ITEM_EDITABLE]) != tuple(before.loc[item_id, ITEM_EDITABLE])
    ]
