"""Pure builders of the verification screens: scores, the pages × items matrix, what is missing.

All of them work on one snapshot of checklist states (data_access.queries.checklist_states), so
the matrix an editor changes, the scores beside it and the versions checked on save agree.
"""

from __future__ import annotations

import pandas as pd

from data_access.rules import completeness
from data_access.vocabulary import CATEGORIES, CHECK_DONE, CHECK_NOT_APPLICABLE, CHECK_STATES, category_label

STATE_CODES = {label: code for code, label in CHECK_STATES.items()}
NAME_COLUMNS = ["Учреждение", "Категория", "Район"]


def page_scores(states: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per page: required items applicable and done, optional likewise, and the score
    (share of applicable required items done; a page with none applicable scores 1)."""
    merged = states.merge(items[["id", "is_required"]], left_on="item_id", right_on="id")
    applicable = merged["state"] != CHECK_NOT_APPLICABLE
    done = merged["state"] == CHECK_DONE
    required = merged["is_required"]
    counts = pd.DataFrame({
        "page_id": merged["page_id"],
        "required_total": (applicable & required).astype(int),
        "required_done": (done & required).astype(int),
        "optional_total": (applicable & ~required).astype(int),
        "optional_done": (done & ~required).astype(int),
    }).groupby("page_id").sum().reset_index()
    counts["score"] = [completeness(d, t) for d, t in zip(counts["required_done"], counts["required_total"])]
    counts["missing_required"] = counts["required_total"] - counts["required_done"]
    return counts


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


def item_completion(states: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per item: on how many pages it applies and how many have it done."""
    applicable = states[states["state"] != CHECK_NOT_APPLICABLE]
    grouped = applicable.assign(done=applicable["state"] == CHECK_DONE).groupby("item_id")
    result = items[["id", "title", "is_required", "position"]].merge(
        pd.DataFrame({"applies": grouped.size(), "done": grouped["done"].sum()}).reset_index(),
        left_on="id", right_on="item_id", how="left").fillna({"applies": 0, "done": 0})
    result["share_done"] = [d / a if a else 1.0 for d, a in zip(result["done"], result["applies"])]
    return result.sort_values(["position", "id"]).reset_index(drop=True)


def matrix(states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """Pages × items with Russian state words, indexed by page_id (the key edits map back to,
    however the table is sorted or filtered on screen)."""
    titles = dict(zip(items["id"], items["title"]))
    wide = (states.assign(label=states["state"].map(CHECK_STATES), title=states["item_id"].map(titles))
            .pivot(index="page_id", columns="title", values="label")
            .reindex(columns=[titles[item] for item in items["id"]]))
    names = pages.set_index("page_id")[["short_name", "category", "district"]]
    names = pd.DataFrame({
        "Учреждение": names["short_name"], "Категория": names["category"].map(category_label),
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
        "Учреждение": info["short_name"].to_numpy(),
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
