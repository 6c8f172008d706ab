"""«Контент-план»: what the newsroom publishes when, for which pages, who makes it, what is late."""

from datetime import timedelta

import streamlit as st

from components import content, data, editing, filters, ics, page, pdf, week_results, widgets
from components import formatting as fmt
from components.item_filter import item_filter
from components.material_form import Selection, material_form
from components.month_grid import month_grid
from data_access import content_plan
from data_access.content_plan import Material
from data_access.filters import ALL_PAGES
from data_access.vocabulary import CONTENT_FORMATS, CONTENT_STATUSES, ROLE_EDITOR

actor = page.start()
can_edit = actor.can(ROLE_EDITOR)
engine = data.get_engine()
selection = filters.selected_filter()
today = data.today()

st.title("Контент-план")
editing.show_flash()
st.caption(
    "Редакция «Новосибирские новости»: материалы для госпабликов города. "
    f"{filters.describe(selection)} · сегодня {fmt.day_long(today)}"
)


def _select(item_id: int | None) -> None:
    st.session_state["calendar_selected"] = item_id


def _shift(key: str, days: int) -> None:
    st.session_state[key] = st.session_state[key] + timedelta(days=days)


# Period ------------------------------------------------------------------------------------------
st.session_state.setdefault("calendar_month", today.replace(day=1))
st.session_state.setdefault("calendar_week", content_plan.week_start(today))
view = (
    st.segmented_control(
        "Вид",
        ["Месяц", "Две недели", "Таблица", "Идеи без даты"],
        default="Месяц",
        key="calendar_view",
        bind="query-params",
    )
    or "Месяц"
)
if view in ("Месяц", "Таблица"):
    month = st.session_state["calendar_month"]
    nav = st.columns([1, 3, 1, 1])
    nav[0].button(
        "◀ Месяц назад",
        key="calendar_month_back",
        width="stretch",
        on_click=lambda: st.session_state.update(
            calendar_month=(st.session_state["calendar_month"] - timedelta(days=1)).replace(day=1)
        ),
    )
    nav[1].markdown(f"### {content.month_title(month.year, month.month)}")
    nav[2].button(
        "Месяц вперёд ▶",
        key="calendar_month_next",
        width="stretch",
        on_click=lambda: st.session_state.update(
            calendar_month=(st.session_state["calendar_month"] + timedelta(days=32)).replace(day=1)
        ),
    )
    nav[3].button(
        "Сегодня",
        key="calendar_month_today",
        width="stretch",
        on_click=lambda: st.session_state.update(calendar_month=today.replace(day=1)),
    )
    weeks = content.month_weeks(month.year, month.month)
    start, end = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
elif view == "Две недели":
    monday = st.session_state["calendar_week"]
    nav = st.columns([1, 3, 1, 1])
    nav[0].button(
        "◀ Неделя назад", key="calendar_week_back", width="stretch", on_click=_shift, args=("calendar_week", -7)
    )
    nav[1].markdown(f"### {monday:%d.%m} – {monday + timedelta(days=13):%d.%m.%Y}")
    nav[2].button(
        "Неделя вперёд ▶", key="calendar_week_next", width="stretch", on_click=_shift, args=("calendar_week", 7)
    )
    nav[3].button(
        "Эта неделя",
        key="calendar_week_today",
        width="stretch",
        on_click=lambda: st.session_state.update(calendar_week=content_plan.week_start(today)),
    )
    start, end = monday, monday + timedelta(days=14)
else:
    start = end = None

window = (None, None) if start is None else (content.start_of(start), content.start_of(end))
# The rubrics and editors offered are the window's own: read only while the filters are open.
choice = item_filter(lambda: data.load_content(*window, backlog=start is None))
shown = data.load_shown_content(*window, choice, selection)

# The views ---------------------------------------------------------------------------------------
if view == "Месяц":
    st.caption(
        "Цвет — статус: "
        + " · ".join(f":{content.MATERIAL_STATUS_COLORS[code]}[●] {label}" for code, label in CONTENT_STATUSES.items())
        + ". Щёлкните материал, чтобы открыть его ниже."
    )
    opened = month_grid(data.load_month_grid(month, choice, selection), key="calendar_month_grid")
    if opened is not None:
        _select(opened)

elif view == "Две недели":
    per_day = data.load_content_by_day(*window, choice, selection)
    marks = data.load_day_marks([monday + timedelta(days=offset) for offset in range(14)])
    downloads = st.columns([3, 2, 4])
    downloads[0].download_button(
        "План (PDF для печати)",
        data=lambda: pdf.week_plan_pdf(shown, monday, marks, weeks=2),
        file_name=f"plan-{monday}.pdf",
        mime="application/pdf",
        icon=":material/print:",
        key="calendar_week_pdf",
        on_click="ignore",
        width="stretch",
    )
    downloads[1].download_button(
        "Календарь (.ics)",
        data=lambda: ics.calendar_ics(shown),
        file_name=f"kontent-plan-{monday}.ics",
        mime="text/calendar",
        icon=":material/event:",
        key="calendar_week_ics",
        on_click="ignore",
        width="stretch",
        help="Эти две недели: импортируется в Outlook, Яндекс Календарь и Google Календарь",
    )
    for first in (monday, monday + timedelta(days=7)):
        st.markdown(f"#### {content.week_name(first, today)} {first:%d.%m} – {first + timedelta(days=6):%d.%m}")
        for offset in range(7):
            day = first + timedelta(days=offset)
            heading = f"**{content.WEEKDAYS[offset]}, {day:%d.%m}**"
            if day == today:
                heading = f":blue-background[{heading}] (сегодня)"
            if marks[day]:
                heading += " — " + "; ".join(f":red[{fmt.markdown_text(mark)}]" for mark in marks[day])
            st.markdown(heading)
            if not per_day.get(day):
                st.caption("Публикаций не запланировано.")
                continue
            for row in per_day[day]:
                line = st.columns([6, 2, 2, 2])
                line[0].button(
                    f":{content.MATERIAL_STATUS_COLORS[row['status']]}[●] {fmt.markdown_text(content.item_label(row))}",
                    key=f"calendar_week_item_{row['id']}",
                    type="tertiary",
                    on_click=_select,
                    args=(row["id"],),
                )
                line[1].caption(
                    f"{CONTENT_FORMATS.get(row['format'], row['format'])} · {fmt.markdown_text(row['rubric'])}"
                )
                line[2].caption(fmt.markdown_text(row["editor"]) or "редактор не назначен")
                line[3].caption(content.audience_text(row["categories"], row["page_count"]))

else:
    table = data.load_content_table(*window, choice, selection)
    if view == "Идеи без даты":
        st.caption("Идеи без даты. Чтобы запланировать, откройте материал и укажите дату публикации.")
    picked = widgets.table(
        table,
        "Материалов нет: в этом месяце ничего не запланировано или всё скрыто фильтрами."
        if view == "Таблица"
        else "Идей без даты нет.",
        on_select="rerun",
        selection_mode="single-row",
        key=f"calendar_table_{view}",
        column_order=content.screen_columns(table.frame),
    )
    if picked and picked.selection.rows:
        chosen_id = int(table.frame.iloc[picked.selection.rows[0]]["№"])
        if st.session_state.get("calendar_selected") != chosen_id:
            _select(chosen_id)
    downloads = st.columns([1, 1, 4])
    with downloads[0]:
        widgets.csv_download(table.frame, f"kontent-plan-{start or 'idei'}", key="calendar_csv")
    if start is not None:
        downloads[1].download_button(
            "Календарь (.ics)",
            data=lambda: ics.calendar_ics(shown),
            file_name=f"kontent-plan-{start}.ics",
            mime="text/calendar",
            icon=":material/event:",
            key="calendar_ics",
            on_click="ignore",
            help="Импортируется в Outlook, Яндекс Календарь и Google Календарь; повторный импорт обновляет события",
        )

# The chosen material ----------------------------------------------------------------------------
selected_id = st.session_state.get("calendar_selected")
directory = data.load_page_directory(ALL_PAGES)
editors = data.load_editor_names()
offered = (
    None
    if selection.is_everything
    else Selection(
        filters.describe(selection), tuple(int(page) for page in data.load_page_directory(selection)["page_id"])
    )
)


def _forget_cancel() -> None:
    st.session_state.pop("calendar_cancel_asked", None)


@st.dialog("Отменить материал?", on_dismiss=_forget_cancel)
def _confirm_cancel(item_id: int, version: int, title: str) -> None:
    st.markdown(
        f"Материал «{fmt.markdown_text(title)}» получит статус «отменён» и уйдёт из плана. "
        "Вернуть его можно, переведя в «идею»."
    )
    yes, no = st.columns(2)
    if yes.button("Да, отменить", type="primary", width="stretch", key="calendar_cancel_yes"):

        def cancel() -> None:
            content_plan.cancel(engine, actor, item_id, version)
            _forget_cancel()

        editing.save(cancel, f"Материал «{title}» отменён.", held=f"calendar_item_{item_id}")
    if no.button("Нет, оставить", width="stretch", key="calendar_cancel_no"):
        _forget_cancel()
        st.rerun()


if selected_id is not None:
    row = data.load_material(int(selected_id))
    if row is None:
        _select(None)
    else:
        st.divider()
        header = st.columns([5, 1])
        header[0].subheader(f"Материал № {selected_id}")
        header[1].button("Закрыть", key="calendar_close", on_click=_select, args=(None,), width="stretch")
        current = content_plan.material_of(row)
        version = editing.held_version(f"calendar_item_{selected_id}", int(selected_id), int(row["version"]))
        st.caption(
            fmt.markdown_text(
                f"Создал(а) {row['created_by'] or '—'} · последнее изменение: "
                f"{row['updated_by'] or '—'}, {fmt.local_datetime(row['updated_at'])}"
            )
        )
        if can_edit:
            action, edited = material_form(
                f"calendar_edit_{selected_id}",
                current,
                directory,
                editors,
                offered,
                lambda material: content_plan.same_materials(engine, material, int(selected_id)),
                actions=("Сохранить", "Дублировать", "Отменить материал"),
            )
            if action == "Сохранить":
                editing.save(
                    lambda: content_plan.update_material(engine, actor, int(selected_id), version, edited),
                    f"Материал «{edited.title}» сохранён.",
                    held=f"calendar_item_{selected_id}",
                )
            if action == "Дублировать":

                def duplicate() -> int:
                    copy_id = content_plan.duplicate(engine, actor, int(selected_id))
                    _select(copy_id)
                    return copy_id

                editing.save(duplicate, lambda copy_id: f"Создана копия: материал № {copy_id} (идея).")
            if action == "Отменить материал":
                st.session_state["calendar_cancel_asked"] = int(selected_id)
            if st.session_state.get("calendar_cancel_asked") == int(selected_id):
                _confirm_cancel(int(selected_id), version, row["title"])
        else:
            st.markdown(
                f"**{fmt.markdown_text(row['title'])}**  \n"
                f"{CONTENT_STATUSES[row['status']]} · {CONTENT_FORMATS.get(row['format'], row['format'])} · "
                f"{fmt.markdown_text(row['rubric'] or '')}  \n"
                f"Аудитория: {content.audience_text(row['categories'], row['page_count'])}"
            )
        targets = data.load_item_targets(int(selected_id))
        if not targets.empty:
            st.markdown("**Где опубликовано**")
            marks = content.publication_marks(targets)
            config = {"Ссылка": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)")}
            if can_edit:
                edited_marks = st.data_editor(
                    marks,
                    hide_index=True,
                    width="stretch",
                    disabled=["Страница", "Ссылка"],
                    column_config=config,
                    key=f"calendar_marks_{selected_id}_{editing.generation('calendar_marks_generation')}",
                )
                changed = content.changed_marks(marks, edited_marks)
                if st.button(f"Сохранить отметки ({len(changed)})", disabled=not changed, key="calendar_marks_save"):
                    editing.save(
                        lambda: content_plan.mark_published(engine, actor, int(selected_id), version, changed),
                        "Отметки о публикации сохранены.",
                        held=f"calendar_item_{selected_id}",
                        reset="calendar_marks_generation",
                    )
            else:
                st.dataframe(marks, hide_index=True, placeholder="—", width="stretch", column_config=config)

if can_edit:
    with st.expander("Новый материал", icon=":material/add:", expanded=False):
        blank = Material(title="", editor=actor.name if actor.name in editors else "", status="idea")
        action, new = material_form(
            f"calendar_new_{editing.generation('calendar_new_generation')}",
            blank,
            directory,
            editors,
            offered,
            lambda material: content_plan.same_materials(engine, material),
            actions=("Создать",),
        )
        if action == "Создать":

            def create() -> int:
                item_id = content_plan.create_material(engine, actor, new)
                _select(item_id)
                return item_id

            editing.save(
                create, lambda item_id: f"Материал «{new.title}» создан (№ {item_id}).", reset="calendar_new_generation"
            )

# The planning meeting ---------------------------------------------------------------------------
st.divider()
st.subheader("Для планёрки")
week_of = content_plan.week_start(today)
late, load, cadence, dates, results = st.tabs(
    ["Просрочено", "Нагрузка редакторов", "Ритм публикаций", "Памятные даты", "Итоги недели"],
    key="calendar_plan_tab",
    on_change="rerun",
)


# The planning aids look from two months back to two months ahead.
aids_window = (content.start_of(today - timedelta(days=60)), content.start_of(today + timedelta(days=60)))

with late:
    if late.open:
        overdue_table = data.load_overdue(*aids_window, choice, selection)
        st.caption("Срок подготовки прошёл, а материал ещё не готов.")
        widgets.table(
            overdue_table, "Просроченных материалов нет.", column_order=content.screen_columns(overdue_table.frame)
        )
        widgets.csv_download(overdue_table.frame, f"prosrocheno-{today}", key="calendar_csv_overdue")
with load:
    if load.open:
        load_table = content.editor_load(data.load_content(*aids_window), week_of - timedelta(days=7), weeks=4)
        st.caption("Материалы на редактора по неделям: прошлая, текущая и две следующие (без отменённых).")
        widgets.table(load_table, "В эти недели материалов с датой нет.")
        widgets.csv_download(load_table, f"nagruzka-{today}", key="calendar_csv_load")
with cadence:
    if cadence.open:
        st.caption(
            f"Каждой странице нужно не меньше {content_plan.POSTS_PER_WEEK} материалов в неделю "
            "(запланированных и опубликованных; материал для категории идёт на все её страницы)."
        )
        for first, name in ((week_of, "Эта неделя"), (week_of + timedelta(days=7), "Следующая неделя")):
            coverage = data.load_coverage(
                selection, content.start_of(first), content.start_of(first + timedelta(days=7))
            )
            thin = content.under_served(coverage, weeks=1)
            st.markdown(
                f"**{name} ({first:%d.%m} – {first + timedelta(days=6):%d.%m}): меньше "
                f"{content_plan.POSTS_PER_WEEK} материалов у {fmt.number(len(thin))} "
                f"{fmt.of_pages(len(coverage))}**"
            )
            thin_table = content.pages_table(thin, with_materials=True)
            widgets.table(thin_table, "У всех страниц выбора хватает материалов.", height=widgets.LIST_HEIGHT)
            widgets.csv_download(thin_table, f"malo-materialov-{first}", key=f"calendar_csv_thin_{first}")
        days = st.slider("Не обслуживались последние … дней", 7, 60, 14, key="calendar_unserved_days")
        recent = data.load_coverage(selection, content.start_of(today - timedelta(days=days)), content.start_of(today))
        forgotten = recent[recent["materials"] == 0]
        st.markdown(
            f"**Без материалов редакции за {fmt.number(days)} {fmt.plural(days, 'день', 'дня', 'дней')}: "
            f"{fmt.pages_count(len(forgotten))}**"
        )
        forgotten_table = content.pages_table(forgotten, with_materials=False)
        widgets.table(
            forgotten_table, "Каждая страница выбора получала материалы редакции.", height=widgets.LIST_HEIGHT
        )
        widgets.csv_download(forgotten_table, f"bez-materialov-{days}-dnej", key="calendar_csv_forgotten")
with dates:
    if dates.open:
        st.caption("Государственные праздники берутся из библиотеки holidays; городские даты ведут редакторы.")
        city_dates = data.load_city_dates()
        widgets.table(content.city_dates_table(city_dates), "Городских дат пока нет — добавьте первую ниже.")
        if can_edit:
            with st.form("calendar_city_date", clear_on_submit=True):
                left, middle, right = st.columns([1, 3, 1])
                day = left.date_input("Дата", value=today, format="DD.MM.YYYY")
                title = middle.text_input("Событие", placeholder="например: юбилей школы № 1")
                recurring = right.checkbox("Каждый год", value=False)
                note = st.text_input("Заметка")
                if st.form_submit_button("Добавить дату"):
                    editing.save(
                        lambda: content_plan.add_city_date(
                            engine, actor, content_plan.CityDate(day, title, recurring, note)
                        ),
                        f"Дата «{title}» добавлена.",
                    )
            if not city_dates.empty:
                removable = st.selectbox(
                    "Удалить дату",
                    city_dates["id"],
                    index=None,
                    key="calendar_date_remove",
                    format_func=dict(
                        zip(city_dates["id"], city_dates["day"].map(str) + " · " + city_dates["title"])
                    ).get,
                    placeholder="выберите дату",
                )
                if removable is not None and st.button("Удалить", key="calendar_date_remove_button"):
                    version = int(city_dates.set_index("id").loc[removable, "version"])
                    editing.save(
                        lambda: content_plan.delete_city_date(engine, actor, int(removable), version), "Дата удалена."
                    )

with results:
    if results.open:
        week_results.draw(today)
