"""The registry's forms (an institution, its page) and its table: what «Реестр учреждений» draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import reads
from data_access.checks import capacity
from data_access.models import institutions, pages
from data_access.registry import InstitutionDraft, PageDraft
from data_access.vocabulary import CATEGORIES, FLAGSHIP_TARGET, PLATFORMS, REGULAR_TARGET


def registry_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Registry rows (queries.registry_frame) as the table and its CSV show them."""
    return pd.DataFrame(
        {
            "Код": rows["code"],
            "Учреждение": rows["short_name"],
            "Категория": rows["category"].map(CATEGORIES),
            "Район": rows["district"],
            "Соцсеть": rows["platform"].map(PLATFORMS),
            "Страница": rows["url"],
            "Флагманская": rows["is_flagship"].fillna(False).astype(bool),
            "Своя цель": rows["target_override"].astype("Int64"),
            "В работе": rows["institution_retired_at"].isna(),
        }
    )


def form_values(row: pd.Series) -> dict:
    """A registry row as the forms' starting values (missing numbers as None, not NaN)."""
    return {
        key: (None if isinstance(value, float) and pd.isna(value) else value) for key, value in row.to_dict().items()
    }


def institution_fields(prefix: str, row: dict) -> InstitutionDraft:
    left, right = st.columns(2)
    code = left.text_input(
        "Код (из реестра города)",
        value=row.get("code") or "",
        max_chars=capacity(institutions.c.code),
        key=f"{prefix}_code",
    )
    category = right.selectbox(
        "Категория",
        list(CATEGORIES),
        format_func=fmt.label_of(CATEGORIES),
        key=f"{prefix}_category",
        index=list(CATEGORIES).index(row.get("category") or "kindergarten"),
        placeholder="выберите из списка",
    )
    name = st.text_input(
        "Полное название", value=row.get("name") or "", max_chars=capacity(institutions.c.name), key=f"{prefix}_name"
    )
    short_name = st.text_input(
        "Краткое название",
        value=row.get("short_name") or "",
        max_chars=capacity(institutions.c.short_name),
        key=f"{prefix}_short",
    )
    left, right = st.columns(2)
    districts = list(reads.store.known_districts())
    if row.get("district") and row["district"] not in districts:
        districts.append(row["district"])  # an older entry outside the list stays selectable (and is flagged on save)
    district = (
        left.selectbox(
            "Район",
            districts,
            index=districts.index(row["district"]) if row.get("district") else None,
            key=f"{prefix}_district",
            placeholder="выберите район",
        )
        or ""
    )
    website = right.text_input(
        "Сайт", value=row.get("website") or "", max_chars=capacity(institutions.c.website), key=f"{prefix}_website"
    )
    address = st.text_input(
        "Адрес", value=row.get("address") or "", max_chars=capacity(institutions.c.address), key=f"{prefix}_address"
    )
    left, right = st.columns(2)
    lat = left.number_input("Широта", value=row.get("lat"), format="%.6f", key=f"{prefix}_lat")
    lon = right.number_input("Долгота", value=row.get("lon"), format="%.6f", key=f"{prefix}_lon")
    return InstitutionDraft(code, name, short_name, category, district, address, lat, lon, website)


def page_fields(prefix: str, row: dict, optional: bool = False) -> PageDraft:
    url = st.text_input(
        "Ссылка на страницу" + (" (можно добавить позже)" if optional else ""),
        value=row.get("url") or "",
        max_chars=capacity(pages.c.url),
        key=f"{prefix}_url",
        help="vk.com/…, ok.ru/group/… или t.me/…",
    )
    left, right = st.columns(2)
    flagship = left.checkbox(
        f"Флагманская (цель {FLAGSHIP_TARGET})", value=bool(row.get("is_flagship")), key=f"{prefix}_flagship"
    )
    target = right.number_input(
        f"Своя цель (пусто — {FLAGSHIP_TARGET} или {REGULAR_TARGET})",
        value=row.get("target_override"),
        min_value=1,
        step=50,
        key=f"{prefix}_target",
    )
    return PageDraft(url, flagship, int(target) if target else None)
