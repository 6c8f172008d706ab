"""Pure builders of the verification screens: scores, the pages × items matrix, what is missing.

All of them work on one snapshot of checklist states (data_access.queries.checklist_states), so
the matrix an editor changes, the scores beside it and the versions checked on save agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from components import formatting as fmt
from components.tables import page_names
from data_access import summaries
from data_access.checklist import CheckEdit, ItemDraft, ItemUpdate
from data_access.vocabulary import (
    CATEGORIES,
    CHECK_DONE,
    CHECK_NOT_APPLICABLE,
    CHECK_STATES,
    PLATFORMS,
    category_label,
)

STATE_CODES = {label: code for code, label in CHECK_STATES.items()}
NAME_COLUMNS = ["Учреждение", "Категория", "Район"]


def scores_of(pages: pd.DataFrame) -> pd.DataFrame:
    """Per page: required items applicable and done, the score, how many are missing (from the
    per-page figures, whose counts SQL made)."""
    return pd.DataFrame(
        {
            "page_id": pages["page_id"],
            "required_total": pages["required_total"],
            "required_done": pages["required_done"],
            "score": pages["verification_score"],
            "missing_required": pages["required_total"] - pages["required_done"],
        }
    )


def group_scores(pages: pd.DataFrame, scores: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per category or district: pages, fully verified pages and their share, average score."""
    frame = pages[["page_id", by]].merge(scores, on="page_id")
    grouped = frame.assign(verified=frame["missing_required"] == 0).groupby(by, sort=True)
    result = pd.DataFrame(
        {
            "Страниц": grouped.size(),
            "Верифицировано страниц": grouped["verified"].sum().astype(int),
            "Доля верифицированных": grouped["verified"].mean().round(3),
            "Средняя полнота": grouped["score"].mean().round(3),
        }
    ).reset_index()
    if by == "category":
        order = {code: index for index, code in enumerate(CATEGORIES)}
        result = result.sort_values(by, key=lambda codes: codes.map(order)).reset_index(drop=True)
    label = "Категория" if by == "category" else "Район"
    result[by] = result[by].map(category_label) if by == "category" else result[by]
    return result.rename(columns={by: label})


SCOPES = {"page": "странице", "institution": "учреждению"}
# What the screen, the user guide (docs/guide.md) and the report say the unit of each item is.
SCOPE_DEFINITION = (
    "Пункты страницы (госметка, оформление, виджеты ПОС, QR-код …) отмечаются и считаются у каждой страницы — "
    "только в тех соцсетях, где они есть (госметка и виджеты — во ВКонтакте и Одноклассниках). Пункты "
    "учреждения (есть страница во ВКонтакте, в Одноклассниках, канал в MAX, ссылка на сайте) отмечаются один "
    "раз у учреждения и считаются по учреждениям. Страница верифицирована, когда выполнены все её обязательные "
    "пункты страницы; «не применимо» не считается."
)


@dataclass(frozen=True)
class States:
    """One snapshot of the marks an editor works from: page cells and institution cells."""

    pages: pd.DataFrame
    institutions: pd.DataFrame


def items_of(items: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The items marked on pages («page») or once per institution («institution»)."""
    return items[items["scope"] == scope]


def page_names_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per page id: its name with network, category and district (and what ranks it)."""
    info = pages.set_index("page_id")
    return pd.DataFrame(
        {
            "Учреждение": page_names(info),
            "Категория": info["category"].map(category_label),
            "Район": info["district"],
            "_flagship": info["is_flagship"].astype(bool),
            "_subscribers": info["subscribers"].fillna(0).astype("int64"),
        },
        index=info.index,
    )


def institution_names_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per institution id of the pages: its short name, category, district and its networks."""
    grouped = pages.groupby("institution_id", sort=False)
    first = grouped.first()
    return pd.DataFrame(
        {
            "Учреждение": first["short_name"],
            "Категория": first["category"].map(category_label),
            "Район": first["district"],
            "Соцсети": grouped["platform"].agg(
                lambda codes: ", ".join(PLATFORMS[code] for code in PLATFORMS if code in set(codes))
            ),
            "_flagship": grouped["is_flagship"].any().astype(bool),
            "_subscribers": grouped["subscribers"].sum(min_count=1).fillna(0).astype("int64"),
        },
        index=first.index,
    )


def _wide(states: pd.DataFrame, items: pd.DataFrame, key: str) -> pd.DataFrame:
    titles = dict(zip(items["id"], items["title"]))
    cells = states[states["item_id"].isin(titles)]
    return (
        cells.assign(label=cells["state"].map(CHECK_STATES), title=cells["item_id"].map(titles))
        .pivot(index=key, columns="title", values="label")
        .reindex(columns=[titles[item] for item in items["id"]])
    )


def matrix(states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """Pages × page items with Russian state words, indexed by page_id (the key edits map back to,
    however the table is sorted or filtered on screen). A cell of an item that does not apply to
    the page's network stays empty."""
    names = page_names_frame(pages)[NAME_COLUMNS]
    result = names.join(_wide(states, items_of(items, "page"), "page_id"), how="inner")
    result.index.name = "page_id"
    return result


def institution_matrix(states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """Institutions × institution items (a VK page, a MAX channel, a link on the site …), indexed
    by institution_id; `states` are institution_check_states."""
    names = institution_names_frame(pages)[[*NAME_COLUMNS, "Соцсети"]]
    result = names.join(_wide(states, items_of(items, "institution"), "institution_id"), how="inner")
    result.index.name = "institution_id"
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


def missing_list(
    states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame, item_id: int | None = None
) -> pd.DataFrame:
    """Pages lacking a required page item (or the page item `item_id`), most urgent first: most
    items missing, then flagship pages, then the larger audience. «Не хватает пунктов» and «Чего не
    хватает» always count every required page item (and the chosen one): choosing an item only
    narrows which pages are listed, it does not change what the columns mean."""
    return _missing(states, items_of(items, "page"), page_names_frame(pages), "page_id", item_id)


def institution_missing_list(
    states: pd.DataFrame, items: pd.DataFrame, pages: pd.DataFrame, item_id: int | None = None
) -> pd.DataFrame:
    """The same per institution, over its institution items (`states`: institution_check_states)."""
    return _missing(states, items_of(items, "institution"), institution_names_frame(pages), "institution_id", item_id)


def _missing(
    states: pd.DataFrame, items: pd.DataFrame, names: pd.DataFrame, key: str, item_id: int | None
) -> pd.DataFrame:
    shown = [key, "Учреждение", "Категория", "Район", MISSING_COUNT, "Чего не хватает"]
    counted = items[items["is_required"] | (items["id"] == item_id)]
    open_states = states[
        states["item_id"].isin(counted["id"])
        & ~states["state"].isin([CHECK_DONE, CHECK_NOT_APPLICABLE])
        & states[key].isin(names.index)
    ]
    if item_id is not None:
        listed = set(open_states.loc[open_states["item_id"] == item_id, key])
        open_states = open_states[open_states[key].isin(listed)]
    if open_states.empty:
        return pd.DataFrame(columns=shown)
    order = dict(zip(items["id"], items["position"]))
    titles = dict(zip(items["id"], items["title"]))
    per_unit = open_states.groupby(key)["item_id"].apply(
        lambda ids: [titles[i] for i in sorted(ids, key=lambda item: order.get(item, 0))]
    )
    info = names.loc[per_unit.index]
    result = pd.DataFrame(
        {
            key: per_unit.index,
            "Учреждение": info["Учреждение"].to_numpy(),
            "Категория": info["Категория"].to_numpy(),
            "Район": info["Район"].to_numpy(),
            MISSING_COUNT: per_unit.map(len).to_numpy(),
            "Чего не хватает": per_unit.map("; ".join).to_numpy(),
            "_flagship": info["_flagship"].to_numpy(),
            "_subscribers": info["_subscribers"].to_numpy(),
        }
    )
    result = result.sort_values(
        [MISSING_COUNT, "_flagship", "_subscribers", "Учреждение"], ascending=[False, False, False, True]
    )
    return result[shown].reset_index(drop=True)


def check_edits(
    changes: list[tuple[int, int, str]],
    states: pd.DataFrame,
    kept: dict,
    texts: dict[tuple[int, int], tuple[str, str]] | None = None,
    institution: bool = False,
) -> list[CheckEdit]:
    """The edits that set each (page_id, item_id, state) of `changes` — (institution_id, item_id,
    state) with `institution`, against institution_check_states — against the versions this
    session showed (`states`, its held snapshot): a colleague's save in between is a conflict, not
    overwritten. Note and confirmation link come from `texts` where the person edited them, else
    they stay as stored (`kept`, queries.check_details read at saving)."""
    versions = states.set_index(["institution_id" if institution else "page_id", "item_id"])["version"]
    edits = []
    for unit, item_id, state in changes:
        key = (unit, item_id)
        note, evidence = (
            texts[key]
            if texts and key in texts
            else (kept.get(key, {}).get("note"), kept.get(key, {}).get("evidence_url"))
        )
        version = versions.get(key)
        version = None if version is None or pd.isna(version) else int(version)
        edits.append(
            CheckEdit(None, item_id, state, note, evidence, version, institution_id=unit)
            if institution
            else CheckEdit(unit, item_id, state, note, evidence, version)
        )
    return edits


PAGE_EDITABLE = ["Состояние", "Примечание", "Подтверждение"]


def page_cells(
    held: States, items: pd.DataFrame, checklist: pd.DataFrame, page_id: int, institution_id: int
) -> pd.DataFrame:
    """The rows page_view shows for one page: its page items' states and its institution's, from
    the held snapshot, with each item's code, title, scope and whether it is required, and the note,
    link and last change from `checklist` (reads.checklist.page_checklist); institution items last."""
    marks = pd.concat(
        [
            held.pages[held.pages["page_id"] == page_id][["item_id", "state", "version"]],
            held.institutions[held.institutions["institution_id"] == institution_id][["item_id", "state", "version"]],
        ]
    )
    return (
        marks.merge(items[["id", "code", "title", "is_required", "scope"]], left_on="item_id", right_on="id")
        .merge(
            checklist[["item_id", "note", "evidence_url", "updated_at", "updated_by"]],
            on="item_id",
            how="left",
        )
        .sort_values(["scope"], ascending=False, kind="stable")
    )


def page_view(cells: pd.DataFrame, measured: dict[str, str]) -> pd.DataFrame:
    """One page's checklist as its editor shows it, rows keyed by item id (however it is sorted).
    `cells`: item_id, code, title, scope, is_required, state, note, evidence_url, updated_at, updated_by;
    `measured`: item code -> what the collector measured for it."""
    return pd.DataFrame(
        {
            "Пункт": cells["title"],
            "Относится к": cells["scope"].map(SCOPES),
            "Обязательный": cells["is_required"],
            "Состояние": cells["state"].map(CHECK_STATES),
            "Примечание": cells["note"].fillna(""),
            "Подтверждение": cells["evidence_url"].fillna(""),
            "Кто изменил": cells["updated_by"].fillna(""),
            "Когда": cells["updated_at"].map(fmt.local_datetime),
            "Измерено": cells["code"].map(measured).fillna(""),
        }
    ).set_axis(cells["item_id"].to_numpy())


def page_changes(
    page_id: int, before: pd.DataFrame, after: pd.DataFrame, scope: str = "page"
) -> tuple[list[tuple[int, int, str]], dict[tuple[int, int], tuple[str, str]]]:
    """What the person changed in page_view's rows of `scope`: (unit, item_id, state) per changed
    row — the unit is `page_id`, which for «institution» rows is the institution's id — and the
    note and link they left in it (for check_edits)."""
    changes, texts = [], {}
    for item_id, row in before[before["Относится к"] == SCOPES[scope]].iterrows():
        new = after.loc[item_id]
        if tuple(row[PAGE_EDITABLE]) != tuple(new[PAGE_EDITABLE]):
            key = (page_id, int(item_id))
            changes.append((*key, STATE_CODES[new["Состояние"]]))
            texts[key] = (new["Примечание"], new["Подтверждение"])
    return changes, texts


ITEM_EDITABLE = ["Соцсети", "Название", "Пояснение", "Обязательный", "Порядок", "В работе"]


def items_view(items: pd.DataFrame) -> pd.DataFrame:
    """Every checklist item (retired ones too) as the admin's table shows it, keyed by item id."""
    return pd.DataFrame(
        {
            "Код": items["code"],
            "Относится к": items["scope"].map(SCOPES),
            "Соцсети": items["platforms"].map(network_labels),
            "Название": items["title"],
            "Пояснение": items["description"],
            "Обязательный": items["is_required"],
            "Порядок": items["position"],
            "В работе": items["retired_at"].isna(),
        }
    ).set_axis(items["id"].to_numpy())


def network_labels(platforms) -> list[str]:
    """«vk,ok» -> ["ВКонтакте", "Одноклассники"]; empty (every network) -> []."""
    if platforms is None or (not isinstance(platforms, str) and pd.isna(platforms)) or not platforms:
        return []
    return [PLATFORMS[code] for code in platforms.split(",") if code in PLATFORMS]


def network_codes(labels) -> tuple[str, ...]:
    """The inverse of network_labels (unknown labels dropped)."""
    codes = {label: code for code, label in PLATFORMS.items()}
    return tuple(codes[label] for label in (labels if isinstance(labels, list | tuple) else []) if label in codes)


def networks_text(platforms) -> str:
    """How an item's networks read in a definition: «ВКонтакте, Одноклассники» or «все сети»."""
    return ", ".join(network_labels(platforms)) or "все сети"


def _comparable(row: pd.Series) -> tuple:
    return tuple(tuple(value) if isinstance(value, list | tuple) else value for value in row)


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def item_updates(items: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> list[ItemUpdate]:
    """The items whose row the admin changed in items_view, against the versions in `items`.
    A cleared cell stays empty (the write path names it), never a crash here."""
    versions = dict(zip(items["id"], items["version"]))
    return [
        ItemUpdate(
            int(item_id),
            int(versions[item_id]),
            ItemDraft(
                _text(row["Название"]),
                _text(row["Пояснение"]),
                bool(row["Обязательный"]) if pd.notna(row["Обязательный"]) else False,
                None if pd.isna(row["Порядок"]) else int(row["Порядок"]),
                network_codes(row["Соцсети"]),
            ),
            bool(row["В работе"]) if pd.notna(row["В работе"]) else True,
        )
        for item_id, row in after.iterrows()
        if _comparable(row[ITEM_EDITABLE]) != _comparable(before.loc[item_id, ITEM_EDITABLE])
    ]


PLATFORM_LABELS = {code: PLATFORMS[code] for code in PLATFORMS}


def platform_counts_view(coverage: pd.DataFrame, by: str) -> pd.DataFrame:
    """Institutions with a working page in each network, per category or district, as «Площадки»
    shows them (`coverage`: reads.figures.platform_coverage)."""
    title = {"category": "Категория", "district": "Район"}[by]
    counts = summaries.platform_counts(coverage, by).rename(
        columns={by: title, "institutions": "Учреждений", **PLATFORM_LABELS}
    )
    if by == "category":
        counts[title] = counts[title].map(category_label)
    return counts


def platform_coverage_view(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per institution, whether it has a working page in each network."""
    shown = coverage.rename(
        columns={"short_name": "Учреждение", "category": "Категория", "district": "Район", **PLATFORM_LABELS}
    ).drop(columns="institution_id")
    shown["Категория"] = shown["Категория"].map(category_label)
    return shown
