"""The parts of «Контент-план»: the period and its views (month, two weeks, table, ideas), the chosen
material, a new one, and the planning meeting's tabs.

The page (pages/calendar.py) reads the selection and the calendar's own filters and calls these in
order; the tables and marks come from the pure builders of components/content.py, every write goes
through editing.save.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import streamlit as st

from components import content, editing, filters, ics, pdf, reads, week_results, widgets
from components import formatting as fmt
from components.material_form import Selection, material_form
from components.month_grid import month_grid
from data_access import content_plan
from data_access.auth import Actor
from data_access.content_plan import Material
from data_access.filters import ALL_PAGES, PageFilter
from data_access.vocabulary import CONTENT_FORMATS, CONTENT_STATUSES, ROLE_EDITOR

VIEWS = ["Месяц", "Две недели", "Таблица", "Идеи без даты"]
SELECTED = "calendar_selected"  # the material opened under the views
# The planning aids look from two months back to two months ahead.
AIDS_DAYS = 60


@dataclass(frozen=True)
class Plan:
    """Who looks, at which pages, on which day; `choice`: the calendar's own filters (item_filter)."""

    actor: Actor
    selection: PageFilter
    today: date
    choice: content.ItemFilter = content.ItemFilter()

    @property
    def can_edit(self) -> bool:
        return self.actor.can(ROLE_EDITOR)


@dataclass(frozen=True)
class Period:
    """The view and the days it shows: [start, end) — both None for ideas without a date."""

    view: str
    start: date | None
    end: date | None

    @property
    def window(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) as the moments the content plan is read between."""
        if self.start is None or self.end is None:
            return None, None
        return content.start_of(self.start), content.start_of(self.end)

    @property
    def first(self) -> date:
        """The first day shown (a dated view only)."""
        if self.start is None:
            raise ValueError("ideas without a date have no first day")
        return self.start


def select(item_id: int | None) -> None:
    st.session_state[SELECTED] = item_id


def _shift(key: str, days: int) -> None:
    st.session_state[key] = st.session_state[key] + timedelta(days=days)


def _set_month(day: date) -> None:
    st.session_state["calendar_month"] = day.replace(day=1)


def period(view: str, today: date) -> Period:
    """The navigation of the chosen view (a month, two weeks, or none) and the days it shows."""
    st.session_state.setdefault("calendar_month", today.replace(day=1))
    st.session_state.setdefault("calendar_week", content_plan.week_start(today))
    if view not in ("Месяц", "Таблица", "Две недели"):
        return Period(view, None, None)
    nav = st.columns([1, 3, 1, 1])
    if view == "Две недели":
        monday = st.session_state["calendar_week"]
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
        return Period(view, monday, monday + timedelta(days=14))
    month = st.session_state["calendar_month"]
    nav[0].button(
        "◀ Месяц назад",
        key="calendar_month_back",
        width="stretch",
        on_click=_set_month,
        args=(month - timedelta(days=1),),
    )
    nav[1].markdown(f"### {content.month_title(month.year, month.month)}")
    nav[2].button(
        "Месяц вперёд ▶",
        key="calendar_month_next",
        width="stretch",
        on_click=_set_month,
        args=(month + timedelta(days=32),),
    )
    nav[3].button("Сегодня", key="calendar_month_today", width="stretch", on_click=_set_month, args=(today,))
    weeks = content.month_weeks(month.year, month.month)
    return Period(view, weeks[0][0], weeks[-1][-1] + timedelta(days=1))


def month(plan: Plan) -> None:
    """The month grid; a click on a material opens it below."""
    st.caption(
        "Цвет — статус: "
        + " · ".join(f":{content.MATERIAL_STATUS_COLORS[code]}[●] {label}" for code, label in CONTENT_STATUSES.items())
        + ". Щёлкните материал, чтобы открыть его ниже."
    )
    shown_month = st.session_state["calendar_month"]
    opened = month_grid(reads.plan.month_grid(shown_month, plan.choice, plan.selection), key="calendar_month_grid")
    if opened is not None:
        select(opened)


def two_weeks(plan: Plan, shown: Period, materials) -> None:
    """Two weeks day by day, with the plan's PDF and calendar file."""
    monday = shown.first
    per_day = reads.plan.by_day(
        content.start_of(monday), content.start_of(monday + timedelta(days=14)), plan.choice, plan.selection
    )
    marks = reads.plan.day_marks(tuple(monday + timedelta(days=offset) for offset in range(14)))
    downloads = st.columns([3, 2, 4])
    widgets.download(
        "План (PDF для печати)",
        lambda: pdf.week_plan_pdf(materials, monday, marks, weeks=2),
        f"plan-{monday}.pdf",
        "application/pdf",
        key="calendar_week_pdf",
        icon=":material/print:",
        width="stretch",
        place=downloads[0],
    )
    with downloads[1]:
        _ics_button(materials, f"kontent-plan-{monday}", "calendar_week_ics", "Эти две недели: импортируется")
    for first in (monday, monday + timedelta(days=7)):
        st.markdown(f"#### {content.week_name(first, plan.today)} {first:%d.%m} – {first + timedelta(days=6):%d.%m}")
        for offset in range(7):
            day = first + timedelta(days=offset)
            _day(content.day_heading(day, offset, plan.today, marks[day]), per_day.get(day))


def _day(heading: str, rows: Sequence[Mapping] | None) -> None:
    """One day of the two weeks: its heading, then a line per material (a click opens it)."""
    st.markdown(heading)
    if not rows:
        st.caption("Публикаций не запланировано.")
        return
    for row in rows:
        line = st.columns([6, 2, 2, 2])
        line[0].button(
            f":{content.MATERIAL_STATUS_COLORS[row['status']]}[●] {fmt.markdown_text(content.item_label(row))}",
            key=f"calendar_week_item_{row['id']}",
            type="tertiary",
            on_click=select,
            args=(row["id"],),
        )
        line[1].caption(f"{CONTENT_FORMATS.get(row['format'], row['format'])} · {fmt.markdown_text(row['rubric'])}")
        line[2].caption(fmt.markdown_text(row["editor"]) or "редактор не назначен")
        line[3].caption(content.audience_text(row["categories"], row["page_count"]))


def table(plan: Plan, shown: Period, materials) -> None:
    """The month as a table, or the ideas without a date; a chosen row opens the material."""
    frame = reads.plan.table(*shown.window, plan.choice, plan.selection)
    if shown.view == "Идеи без даты":
        st.caption("Идеи без даты. Чтобы запланировать, откройте материал и укажите дату публикации.")
    picked = widgets.table(
        frame,
        "Материалов нет: в этом месяце ничего не запланировано или всё скрыто фильтрами."
        if shown.view == "Таблица"
        else "Идей без даты нет.",
        on_select="rerun",
        selection_mode="single-row",
        key=f"calendar_table_{shown.view}",
        column_order=content.screen_columns(frame.frame),
    )
    if picked and picked.selection.rows:
        chosen_id = int(frame.frame.iloc[picked.selection.rows[0]]["№"])
        if st.session_state.get(SELECTED) != chosen_id:
            select(chosen_id)
    downloads = st.columns([1, 1, 4])
    with downloads[0]:
        widgets.csv_download(frame.frame, f"kontent-plan-{shown.start or 'idei'}", key="calendar_csv")
    if shown.start is not None:
        with downloads[1]:
            _ics_button(materials, f"kontent-plan-{shown.start}", "calendar_ics", "Импортируется")


def _ics_button(materials, file_stem: str, key: str, what: str) -> None:
    """The shown materials as a calendar file; `what` opens its help («Импортируется»)."""
    widgets.download(
        "Календарь (.ics)",
        lambda: ics.calendar_ics(materials),
        f"{file_stem}.ics",
        "text/calendar",
        key=key,
        icon=":material/event:",
        help=f"{what} в Outlook, Яндекс Календарь и Google Календарь; повторный импорт обновляет события",
        width="stretch",
    )


@dataclass(frozen=True)
class Choices:
    """What a material's form offers: every page, the editors, and the sidebar's selection of pages
    (None when nothing is filtered)."""

    directory: object
    editors: list[str]
    offered: Selection | None


def choices(selection: PageFilter) -> Choices:
    offered = (
        None
        if selection.is_everything
        else Selection(
            filters.describe(selection), tuple(int(page) for page in reads.figures.page_directory(selection)["page_id"])
        )
    )
    return Choices(reads.figures.page_directory(ALL_PAGES), reads.plan.editor_names(), offered)


def _forget_cancel() -> None:
    st.session_state.pop("calendar_cancel_asked", None)


@st.dialog("Отменить материал?", on_dismiss=_forget_cancel)
def _confirm_cancel(actor: Actor, item_id: int, version: int, title: str) -> None:
    st.markdown(
        f"Материал «{fmt.markdown_text(title)}» получит статус «отменён» и уйдёт из плана. "
        "Вернуть его можно, переведя в «идею»."
    )
    yes, no = st.columns(2)
    if yes.button("Да, отменить", type="primary", width="stretch", key="calendar_cancel_yes"):
        engine = reads.store.get_engine()

        def cancel() -> None:
            content_plan.cancel(engine, actor, item_id, version)
            _forget_cancel()

        editing.save(cancel, f"Материал «{title}» отменён.", held=f"calendar_item_{item_id}")
    if no.button("Нет, оставить", width="stretch", key="calendar_cancel_no"):
        _forget_cancel()
        st.rerun()


def chosen_material(plan: Plan, offer: Choices) -> None:
    """The material opened from a view: its form (editors) or its summary, and where it came out."""
    selected_id = st.session_state.get(SELECTED)
    if selected_id is None:
        return
    item_id = int(selected_id)
    row = reads.plan.material(item_id)
    if row is None:
        select(None)
        return
    st.divider()
    header = st.columns([5, 1])
    header[0].subheader(f"Материал № {item_id}")
    header[1].button("Закрыть", key="calendar_close", on_click=select, args=(None,), width="stretch")
    version = int(row["version"])
    version = editing.held_version(f"calendar_item_{item_id}", item_id, version) or version
    st.caption(
        fmt.markdown_text(
            f"Создал(а) {row['created_by'] or '—'} · последнее изменение: "
            f"{row['updated_by'] or '—'}, {fmt.local_datetime(row['updated_at'])}"
        )
    )
    if plan.can_edit:
        _material_form(plan, offer, item_id, version, row)
    else:
        st.markdown(
            f"**{fmt.markdown_text(row['title'])}**  \n"
            f"{CONTENT_STATUSES[row['status']]} · {CONTENT_FORMATS.get(row['format'], row['format'])} · "
            f"{fmt.markdown_text(row['rubric'] or '')}  \n"
            f"Аудитория: {content.audience_text(row['categories'], row['page_count'])}"
        )
    _publication_marks(plan, item_id, version)


def _material_form(plan: Plan, offer: Choices, item_id: int, version: int, row) -> None:
    engine = reads.store.get_engine()
    action, edited = material_form(
        f"calendar_edit_{item_id}",
        content_plan.material_of(row),
        offer.directory,
        offer.editors,
        offer.offered,
        lambda material: content_plan.same_materials(engine, material, item_id),
        actions=("Сохранить", "Дублировать", "Отменить материал"),
    )
    if action == "Сохранить":
        editing.save(
            lambda: content_plan.update_material(engine, plan.actor, item_id, version, edited),
            f"Материал «{edited.title}» сохранён.",
            held=f"calendar_item_{item_id}",
        )
    if action == "Дублировать":

        def duplicate() -> int:
            copy_id = content_plan.duplicate(engine, plan.actor, item_id)
            select(copy_id)
            return copy_id

        editing.save(duplicate, lambda copy_id: f"Создана копия: материал № {copy_id} (идея).")
    if action == "Отменить материал":
        st.session_state["calendar_cancel_asked"] = item_id
    if st.session_state.get("calendar_cancel_asked") == item_id:
        _confirm_cancel(plan.actor, item_id, version, row["title"])


def _publication_marks(plan: Plan, item_id: int, version: int) -> None:
    """«Где опубликовано»: the material's pages and whether it came out there (editors tick it)."""
    targets = reads.plan.item_targets(item_id)
    if targets.empty:
        return
    st.markdown("**Где опубликовано**")
    marks = content.publication_marks(targets)
    config = {"Ссылка": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)")}
    if not plan.can_edit:
        st.dataframe(marks, hide_index=True, placeholder="—", width="stretch", column_config=config)
        return
    edited = st.data_editor(
        marks,
        hide_index=True,
        width="stretch",
        disabled=["Страница", "Ссылка"],
        column_config=config,
        key=f"calendar_marks_{item_id}_{editing.generation('calendar_marks_generation')}",
    )
    changed = content.changed_marks(marks, edited)
    if st.button(f"Сохранить отметки ({len(changed)})", disabled=not changed, key="calendar_marks_save"):
        engine = reads.store.get_engine()
        editing.save(
            lambda: content_plan.mark_published(engine, plan.actor, item_id, version, changed),
            "Отметки о публикации сохранены.",
            held=f"calendar_item_{item_id}",
            reset="calendar_marks_generation",
        )


def new_material(plan: Plan, offer: Choices) -> None:
    """«Новый материал» (editors), in an expander."""
    engine = reads.store.get_engine()
    with st.expander("Новый материал", icon=":material/add:", expanded=False):
        editor = plan.actor.name if plan.actor.name in offer.editors else ""
        action, new = material_form(
            f"calendar_new_{editing.generation('calendar_new_generation')}",
            Material(title="", editor=editor, status="idea"),
            offer.directory,
            offer.editors,
            offer.offered,
            lambda material: content_plan.same_materials(engine, material),
            actions=("Создать",),
        )
        if action == "Создать":

            def create() -> int:
                item_id = content_plan.create_material(engine, plan.actor, new)
                select(item_id)
                return item_id

            editing.save(
                create, lambda item_id: f"Материал «{new.title}» создан (№ {item_id}).", reset="calendar_new_generation"
            )


def planning(plan: Plan) -> None:
    """«Для планёрки»: what is late, the editors' load, the pages' cadence, the dates, the week's results."""
    st.divider()
    st.subheader("Для планёрки")
    widgets.lazy_tabs(
        {
            "Просрочено": lambda: _overdue(plan),
            "Нагрузка редакторов": lambda: _editor_load(plan),
            "Ритм публикаций": lambda: _cadence(plan),
            "Памятные даты": lambda: _city_dates(plan),
            "Итоги недели": lambda: week_results.draw(plan.today),
        },
        key="calendar_plan_tab",
    )


def _aids_window(today: date) -> tuple[datetime, datetime]:
    return content.start_of(today - timedelta(days=AIDS_DAYS)), content.start_of(today + timedelta(days=AIDS_DAYS))


def _overdue(plan: Plan) -> None:
    overdue = reads.plan.overdue(*_aids_window(plan.today), plan.choice, plan.selection)
    st.caption("Срок подготовки прошёл, а материал ещё не готов.")
    widgets.table(overdue, "Просроченных материалов нет.", column_order=content.screen_columns(overdue.frame))
    widgets.csv_download(overdue.frame, f"prosrocheno-{plan.today}", key="calendar_csv_overdue")


def _editor_load(plan: Plan) -> None:
    week_of = content_plan.week_start(plan.today)
    load = content.editor_load(reads.plan.materials(*_aids_window(plan.today)), week_of - timedelta(days=7), weeks=4)
    st.caption("Материалы на редактора по неделям: прошлая, текущая и две следующие (без отменённых).")
    widgets.table(load, "В эти недели материалов с датой нет.")
    widgets.csv_download(load, f"nagruzka-{plan.today}", key="calendar_csv_load")


def _cadence(plan: Plan) -> None:
    """Pages with fewer materials than the weekly norm this week and next, and pages the newsroom
    has not served for a chosen number of days."""
    st.caption(
        f"Каждой странице нужно не меньше {content_plan.POSTS_PER_WEEK} материалов в неделю "
        "(запланированных и опубликованных; материал для категории идёт на все её страницы)."
    )
    week_of = content_plan.week_start(plan.today)
    for first, name in ((week_of, "Эта неделя"), (week_of + timedelta(days=7), "Следующая неделя")):
        served = reads.plan.coverage(
            plan.selection, content.start_of(first), content.start_of(first + timedelta(days=7))
        )
        thin = content.under_served(served, weeks=1)
        st.markdown(
            f"**{name} ({first:%d.%m} – {first + timedelta(days=6):%d.%m}): меньше "
            f"{content_plan.POSTS_PER_WEEK} материалов у {fmt.number(len(thin))} "
            f"{fmt.of_pages(len(served))}**"
        )
        thin_table = content.pages_table(thin, with_materials=True)
        widgets.table(thin_table, "У всех страниц выбора хватает материалов.", height=widgets.LIST_HEIGHT)
        widgets.csv_download(thin_table, f"malo-materialov-{first}", key=f"calendar_csv_thin_{first}")
    days = st.slider("Не обслуживались последние … дней", 7, 60, 14, key="calendar_unserved_days")
    recent = reads.plan.coverage(
        plan.selection, content.start_of(plan.today - timedelta(days=days)), content.start_of(plan.today)
    )
    forgotten = content.pages_table(content.unserved(recent), with_materials=False)
    st.markdown(
        f"**Без материалов редакции за {fmt.number(days)} {fmt.plural(days, 'день', 'дня', 'дней')}: "
        f"{fmt.pages_count(len(forgotten))}**"
    )
    widgets.table(forgotten, "Каждая страница выбора получала материалы редакции.", height=widgets.LIST_HEIGHT)
    widgets.csv_download(forgotten, f"bez-materialov-{days}-dnej", key="calendar_csv_forgotten")


def _city_dates(plan: Plan) -> None:
    """«Памятные даты»: the city's own dates; editors add and remove them."""
    st.caption("Государственные праздники берутся из библиотеки holidays; городские даты ведут редакторы.")
    city_dates = reads.plan.city_dates()
    widgets.table(content.city_dates_table(city_dates), "Городских дат пока нет — добавьте первую ниже.")
    if not plan.can_edit:
        return
    engine = reads.store.get_engine()
    with st.form("calendar_city_date", clear_on_submit=True):
        left, middle, right = st.columns([1, 3, 1])
        day = left.date_input("Дата", value=plan.today, format="DD.MM.YYYY")
        title = middle.text_input("Событие", placeholder="например: юбилей школы № 1")
        recurring = right.checkbox("Каждый год", value=False)
        note = st.text_input("Заметка")
        if st.form_submit_button("Добавить дату"):
            editing.save(
                lambda: content_plan.add_city_date(
                    engine, plan.actor, content_plan.CityDate(day, title, recurring, note)
                ),
                f"Дата «{title}» добавлена.",
            )
    if city_dates.empty:
        return
    removable = st.selectbox(
        "Удалить дату",
        city_dates["id"],
        index=None,
        key="calendar_date_remove",
        format_func=fmt.label_of(content.city_date_names(city_dates)),
        placeholder="выберите дату",
    )
    if removable is not None and st.button("Удалить", key="calendar_date_remove_button"):
        version = int(city_dates.set_index("id").loc[removable, "version"])
        editing.save(
            lambda: content_plan.delete_city_date(engine, plan.actor, int(removable), version), "Дата удалена."
        )
