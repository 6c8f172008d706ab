"""«Карта»: where the city's pages stand, district by district, with a card per institution."""

import streamlit as st

from components import cards, filters, maps, page, reads, screens, tables, widgets
from components import formatting as fmt
from components.page_picker import pick_page

page.start()
selection = filters.selected_filter()
pages = reads.figures.page_figures(selection)

st.title("Карта учреждений")
st.caption(
    f"{filters.describe(selection)} · "
    f"{fmt.freshness_text(reads.figures.freshness(selection), reads.store.get_settings().stale_after_days)}"
)
widgets.stop_if_no_pages(pages, selection)


def _choose_from_search() -> None:
    st.session_state["map_selected"] = st.session_state["map_search"]


region = reads.store.coverage_area() == "region"
left, middle, right = st.columns([2, 2, 3])
view = (
    left.segmented_control(
        "Показать",
        ["areas", "points"],
        default="areas" if region else "points",
        key="map_view",
        bind="query-params",
        format_func={"areas": "по районам", "points": "учреждения"}.get,
    )
    or "points"
)
color_by = (
    middle.segmented_control(
        "Цвет точек",
        ["status", "verification"],
        default="status",
        key="map_color_by",
        bind="query-params",
        format_func={"status": "статус цели", "verification": "чек-лист"}.get,
        disabled=view == "areas",
    )
    or "status"
)
pick_page(
    selection,
    "Найти учреждение",
    "map_search",
    required=False,
    placeholder="начните вводить название или номер",
    on_change=_choose_from_search,
    place=right,
)
if st.session_state.get("map_selected") is not None and view == "areas":
    view = "points"  # a chosen institution is shown where it is

# A click on the map reruns the script with the selection already in the session state, so the
# chosen point can be ringed in the deck built below.
clicked = st.session_state.get("map_deck")
picked = (clicked or {}).get("selection", {}).get("objects", {}).get(maps.POINTS_LAYER, [])
picked_id = int(picked[0]["page_id"]) if picked else None
if picked_id != st.session_state.get("map_last_picked"):
    st.session_state["map_last_picked"] = picked_id
    if picked_id is not None:
        st.session_state["map_selected"] = picked_id

chosen_page = st.session_state.get("map_selected")
owner = pages.loc[pages["page_id"] == chosen_page, "institution_id"]
highlight = int(owner.iloc[0]) if len(owner) else None
# The region is wide: fitted to a phone it would be small on a desktop, fitted to a desktop a phone
# would show its middle only — so its areas map is fitted to the screen the browser says it is
# (drawn once: a hidden second map would only be sent and built for nothing, screens.py).
screen = ("phone" if screens.on_phone() else "wide") if view == "areas" and region else None
deck, boundary_problem = reads.figures.map_deck(selection, view, color_by, highlight, screen)
if boundary_problem:
    st.warning(f"Границы районов не показаны. {boundary_problem}")
legend, explained = maps.explanation(view, color_by, region)
if screen:
    st.pydeck_chart(deck, height=maps.MAP_HEIGHT, key=f"map_areas_{screen}")
else:
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="map_deck", height=maps.MAP_HEIGHT)
st.markdown(legend)
st.caption(f"{explained} {maps.ATTRIBUTION}.")
missing = reads.figures.unplaced(selection)
if not missing.frame.empty:
    count = len(missing.frame)
    with st.expander(
        f"Не показаны на карте — нет координат: {fmt.number(count)} "
        f"{fmt.plural(count, 'учреждение', 'учреждения', 'учреждений')}"
    ):
        st.caption(
            "Координаты добавляет администратор в «Реестре учреждений»; в поиске и таблицах эти учреждения есть."
        )
        widgets.table(missing, "", height=widgets.table_height(count, 8))
        widgets.csv_download(missing.frame, "bez-koordinat", key="map_csv_unplaced")

selected = st.session_state.get("map_selected")
if selected is not None and selected in set(pages["page_id"]):
    chosen = pages.set_index("page_id").loc[selected]
    st.button(
        "Закрыть карточку",
        key="map_card_close",
        icon=":material/close:",
        on_click=lambda: st.session_state.update(map_selected=None, map_search=None),
    )
    cards.institution_card(
        chosen,
        reads.checklist.page_checklist(int(selected)),
        reads.plan.upcoming(int(selected), chosen["category"]),
        key_prefix="map_card",
        channels=reads.figures.institution_channels(int(chosen["institution_id"])),
    )
else:
    st.caption(
        "Выберите учреждение на карте (вид «учреждения») или в поиске, чтобы увидеть его карточку: "
        "цифры, чек-лист, QR-код."
    )

st.subheader("Районы" if not region else "Районы и городские округа")
district_table = reads.figures.summary_table(selection, "district").columns(
    ["Район", "Страниц", "Достигли цели", "Доля достигших", "Доля верифицированных"]
)
widgets.table(
    district_table,
    "В выборе нет страниц.",
    column_config=tables.summary_column_config(),
    height=widgets.table_height(len(district_table.frame), 12),
)
widgets.csv_download(district_table.frame, f"karta-rajony-{reads.store.as_of()}", key="map_csv_districts")
