"""The content calendar: workflow, validation, the write path, cadence, ICS and the week PDF."""

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from components import content, ics, pdf
from data_access import content_plan, queries
from data_access.auth import Actor
from data_access.content_plan import Material
from data_access.filters import ALL_PAGES, PageFilter
from data_access.models import audit_log, content_items
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed

EDITOR = Actor("alekseeva", "Алексеева Н.", "editor")
OTHER = Actor("borisov", "Борисов К.", "editor")
VIEWER = Actor("official", "Чиновник", "viewer")
WHEN = datetime(2026, 12, 3, 10, 30)


def _move(engine, actor, item_id: int, version: int, publish_at: datetime) -> None:
    """Move a material to another time the way the page does: the whole stored material, edited."""
    row = queries.content_items_frame(engine, item_id=item_id).iloc[0]
    content_plan.update_material(
        engine, actor, item_id, version, replace(content_plan.material_of(row), publish_at=publish_at)
    )


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("idea", "in_progress", True),
        ("in_progress", "review", True),
        ("review", "ready", True),
        ("ready", "published", True),
        ("review", "in_progress", True),
        ("published", "ready", True),
        ("idea", "cancelled", True),
        ("cancelled", "idea", True),
        ("ready", "ready", True),
        ("idea", "published", False),
        ("idea", "ready", False),
        ("published", "cancelled", False),
        ("cancelled", "published", False),
        ("in_progress", "published", False),
    ],
)
def test_status_transitions(old, new, allowed):
    assert content_plan.can_move(old, new) is allowed


def test_validation_names_every_problem():
    problems = content_plan.problems_of(
        Material(title=" ", status="published", deadline=date(2026, 12, 5), categories=("schools",)),
        current_status="idea",
        known_pages=set(),
    )
    text = " ".join(problems)
    assert "Заголовок: обязателен" in text
    assert "из «идея» нельзя сразу перейти в «опубликовано»" in text
    assert "Дата публикации: обязательна" in text
    assert "Срок подготовки задан без даты публикации" in text
    assert "schools" in text
    late = content_plan.problems_of(Material(title="А", publish_at=WHEN, deadline=date(2026, 12, 4)))
    assert late == ["Срок подготовки 04.12.2026 позже даты публикации 03.12.2026."]
    unknown = content_plan.problems_of(Material(title="А", page_ids=(1, 99999)), known_pages={1})
    assert unknown == ["Страницы не найдены: 99999."]
    assert content_plan.problems_of(Material(title="Идея без даты")) == []


def _count(engine):
    with engine.connect() as connection:
        return len(connection.execute(select(content_items.c.id)).all())


def test_create_edit_reschedule_duplicate_cancel(demo_engine):
    before = _count(demo_engine)
    item_id = content_plan.create_material(
        demo_engine,
        EDITOR,
        Material(
            title="Зимние забавы во дворах",
            rubric="Городские новости",
            format="photo",
            publish_at=WHEN,
            deadline=date(2026, 12, 1),
            status="in_progress",
            editor="Алексеева Н.",
            categories=("kindergarten",),
            page_ids=(1, 2),
        ),
    )
    assert _count(demo_engine) == before + 1
    detail = queries.content_items_frame(demo_engine, WHEN - timedelta(days=1), WHEN + timedelta(days=1))
    row = detail[detail["id"] == item_id].iloc[0]
    assert row["categories"] == ("kindergarten",) and row["page_ids"] == (1, 2) and row["created_by"] == "Алексеева Н."
    _move(demo_engine, EDITOR, item_id, 1, WHEN + timedelta(days=2))
    content_plan.set_status(demo_engine, EDITOR, item_id, 2, "review")
    with pytest.raises(ValidationFailed, match="нельзя сразу перейти"):
        content_plan.set_status(demo_engine, EDITOR, item_id, 3, "idea")
    copy_id = content_plan.duplicate(demo_engine, OTHER, item_id)
    content_plan.cancel(demo_engine, EDITOR, item_id, 3)
    with demo_engine.connect() as connection:
        rows = {
            row.id: row
            for row in connection.execute(select(content_items).where(content_items.c.id.in_([item_id, copy_id])))
        }
        actions = [
            entry.action
            for entry in connection.execute(
                select(audit_log).where(audit_log.c.entity == "content_item", audit_log.c.entity_id == str(item_id))
            )
        ]
    assert rows[item_id].status == "cancelled" and rows[item_id].publish_at == WHEN + timedelta(days=2)
    assert rows[item_id].version == 4
    assert rows[copy_id].status == "idea" and rows[copy_id].title.endswith("(копия)")
    assert actions == ["create", "update", "update", "update"]


def test_viewer_cannot_plan_and_nothing_is_saved(demo_engine):
    before = _count(demo_engine)
    with pytest.raises(PermissionDenied):
        content_plan.create_material(demo_engine, VIEWER, Material(title="Не пройдёт"))
    assert _count(demo_engine) == before


def test_two_editors_on_one_material(demo_engine):
    item_id = content_plan.create_material(demo_engine, EDITOR, Material(title="Общий материал", publish_at=WHEN))
    _move(demo_engine, EDITOR, item_id, 1, WHEN + timedelta(hours=2))
    with pytest.raises(StaleRecord, match="Запись изменил\\(а\\) Алексеева Н. в"):
        content_plan.update_material(demo_engine, OTHER, item_id, 1, Material(title="Перезапись", publish_at=WHEN))
    frame = queries.content_items_frame(demo_engine, WHEN, WHEN + timedelta(days=1))
    survived = frame[frame["id"] == item_id].iloc[0]
    assert survived["title"] == "Общий материал" and survived["publish_at"] == WHEN + timedelta(hours=2)


def test_publication_marks_per_page(demo_engine):
    item_id = content_plan.create_material(
        demo_engine, EDITOR, Material(title="На три страницы", publish_at=WHEN, status="ready", page_ids=(5, 6, 7))
    )
    content_plan.mark_published(demo_engine, EDITOR, item_id, 1, {5: True, 6: True})
    targets = queries.content_item_targets(demo_engine, item_id).set_index("page_id")
    assert targets["published_at"].notna().to_dict() == {5: True, 6: True, 7: False}
    with pytest.raises(ValidationFailed, match="не входят в аудиторию"):
        content_plan.mark_published(demo_engine, EDITOR, item_id, 2, {8: True})
    with pytest.raises(StaleRecord):
        content_plan.mark_published(demo_engine, OTHER, item_id, 1, {7: True})


def test_coverage_counts_category_and_explicit_materials(demo_engine):
    start = datetime(2027, 3, 1)
    content_plan.create_material(
        demo_engine, EDITOR, Material(title="Для всех садов", publish_at=start, categories=("kindergarten",))
    )
    content_plan.create_material(
        demo_engine, EDITOR, Material(title="Для одной страницы", publish_at=start, page_ids=(1,))
    )
    content_plan.create_material(
        demo_engine,
        EDITOR,
        Material(title="Отменён", publish_at=start, status="cancelled", categories=("kindergarten",)),
    )
    coverage = queries.page_coverage(demo_engine, ALL_PAGES, start, start + timedelta(days=7)).set_index("page_id")
    kindergartens = queries.page_progress(demo_engine, PageFilter(categories=("kindergarten",)))["page_id"]
    assert (coverage.loc[list(kindergartens), "materials"] >= 1).all()
    assert coverage.loc[1, "materials"] == 2  # page 1 is a kindergarten and chosen explicitly
    assert coverage["materials"].sum() == len(kindergartens) + 1
    thin = content.under_served(coverage.reset_index(), weeks=1)
    assert len(thin) == len(coverage)  # nobody gets 3 a week from these two materials


def _items_for_export(engine):
    return queries.content_items_frame(engine, datetime(2026, 11, 1), datetime(2026, 12, 31))


def test_ics_parses_back_with_stable_uids(demo_engine):
    items = _items_for_export(demo_engine)
    first = Calendar.from_ical(ics.calendar_ics(items))
    events = list(first.walk("VEVENT"))
    assert len(events) == len(items.dropna(subset=["publish_at"])) > 0
    uids = {str(event["UID"]) for event in events}
    assert uids == {ics.item_uid(item_id) for item_id in items["id"]}
    assert list(first.walk("VTIMEZONE"))[0]["TZID"] == "Asia/Novosibirsk"
    sample = events[0]
    assert sample.decoded("DTSTART").tzinfo is not None and "Статус:" in str(sample["DESCRIPTION"])
    # Edit one material and export again: same UID, higher SEQUENCE, so a re-import updates it.
    item_id = int(items.iloc[0]["id"])
    _move(demo_engine, EDITOR, item_id, int(items.iloc[0]["version"]), datetime(2026, 12, 30, 9, 0))
    second = Calendar.from_ical(ics.calendar_ics(_items_for_export(demo_engine)))
    moved = next(event for event in second.walk("VEVENT") if str(event["UID"]) == ics.item_uid(item_id))
    assert int(moved["SEQUENCE"]) == int(items.iloc[0]["version"]) + 1
    assert {str(event["UID"]) for event in second.walk("VEVENT")} == uids


def test_week_pdf_lists_the_materials_in_russian(demo_engine):
    monday = date(2026, 11, 23)
    items = queries.content_items_frame(demo_engine, datetime(2026, 11, 23), datetime(2026, 11, 30))
    marks = {monday + timedelta(days=1): ["День проверки"]}
    reader = PdfReader(io.BytesIO(pdf.week_plan_pdf(items, monday, marks)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "План публикаций на неделю 23.11" in text and "День проверки" in text
    for title in items["title"]:
        assert title[:25] in text.replace("\n", " ")


def test_holidays_and_city_dates_on_the_grid():
    holidays = content_plan.holidays_between(date(2026, 11, 1), date(2026, 11, 30))
    assert holidays == {date(2026, 11, 4): "День народного единства"}
    dates = pd.DataFrame(
        {
            "day": [date(2025, 10, 5), date(2026, 6, 27)],
            "recurring": [True, False],
            "title": ["День учителя", "День города"],
        }
    )
    days = [date(2026, 10, 5), date(2027, 6, 27), date(2026, 11, 4)]
    assert content.marks_for(days, holidays, dates) == {
        date(2026, 10, 5): ["День учителя"],
        date(2027, 6, 27): [],
        date(2026, 11, 4): ["День народного единства"],
    }


def test_filter_items_by_fields_and_by_the_sidebar_selection():
    items = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "status": ["idea", "ready", "ready"],
            "rubric": ["А", "Б", "Б"],
            "format": ["news", "photo", "news"],
            "editor": ["Х", "У", "У"],
            "categories": [("school",), (), ()],
            "page_ids": [(), (5,), (9,)],
        }
    )
    assert list(content.filter_items(items, content.ItemFilter(statuses=("ready",)))["id"]) == [2, 3]
    assert list(content.filter_items(items, content.ItemFilter(), {5}, ("kindergarten",))["id"]) == [2]
    assert list(content.filter_items(items, content.ItemFilter(), {9}, ())["id"]) == [1, 3]


def test_materials_grouped_by_day_in_publication_order():
    items = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "publish_at": [datetime(2026, 12, 3, 15), datetime(2026, 12, 3, 9), None, datetime(2026, 12, 4, 0, 30)],
        }
    )
    per_day = content.by_day(items)
    assert {day: [row["id"] for row in rows] for day, rows in per_day.items()} == {
        date(2026, 12, 3): [2, 1],
        date(2026, 12, 4): [4],
    }
    assert content.by_day(items.iloc[0:0]) == {}


def test_the_month_grid_is_plain_json_with_day_names_and_the_materials_as_text():
    weeks = content.month_weeks(2026, 12)
    hostile = "<img src=x onerror=alert(1)> **жир** " + "Д" * 60
    items = pd.DataFrame(
        {
            "id": [7, 8],
            "title": [hostile, "Фотоотчёт"],
            "status": ["review", "published"],
            "editor": [float("nan"), "Алексеева Н."],
            "publish_at": [datetime(2026, 12, 4, 11, 0), datetime(2026, 11, 30, 18, 0)],
        }
    )
    grid = content.month_grid(
        weeks, 12, date(2026, 12, 4), content.by_day(items), {date(2026, 12, 12): ["День Конституции"]}
    )
    json.dumps(grid, allow_nan=False)  # what the component receives: no NaN, nothing but JSON
    assert grid["weekdays"] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    days = grid["days"]
    assert len(days) == 7 * len(weeks) == 35
    first, friday, saturday = days[0], days[4], days[12]
    assert (first["day"], first["name"], first["outside"]) == (30, "Пн, 30 ноября", True)
    assert first["items"] == [
        {"id": 8, "text": "18:00 Фотоотчёт", "color": "green", "about": "опубликовано · Алексеева Н."}
    ]
    assert (friday["name"], friday["today"], friday["outside"]) == ("Пт, 4 декабря, сегодня", True, False)
    item = friday["items"][0]
    assert item["text"] == "11:00 " + hostile[:47] + "…"  # shortened, markup left as it is: drawn as text
    assert (item["color"], item["about"]) == ("violet", "на согласовании · редактор не назначен")
    assert saturday["marks"] == ["День Конституции"] and not saturday["items"]
    assert sum(len(day["items"]) for day in days) == 2


def test_editor_load_counts_the_four_weeks_by_monday_without_cancelled():
    monday = date(2026, 11, 23)
    items = pd.DataFrame(
        {
            "editor": ["Х", "Х", "У", "У", None, "Х"],
            "status": ["planned", "ready", "cancelled", "idea", "planned", "planned"],
            "publish_at": [
                datetime(2026, 11, 23, 9),
                datetime(2026, 11, 29, 23),
                datetime(2026, 11, 24),
                datetime(2026, 12, 20, 12),
                datetime(2026, 12, 1),
                datetime(2026, 12, 21),
            ],
        }
    )
    load = content.editor_load(items, monday, weeks=4).set_index("Редактор")
    assert list(load.columns) == ["с 23.11", "с 30.11", "с 07.12", "с 14.12", "Всего"]
    assert load.loc["Х", "с 23.11"] == 2 and load.loc["Х", "Всего"] == 2  # 21.12 is past the fourth week
    assert load.loc["У", "с 14.12"] == 1 and load.loc["У", "Всего"] == 1  # the cancelled one is not counted
    assert load.loc["не назначен", "с 30.11"] == 1 and load["с 07.12"].sum() == 0  # a week without materials shows
    assert list(content.editor_load(items.iloc[0:0], monday, weeks=4).columns) == ["Редактор"]


def test_page_lists_of_the_planning_aids():
    coverage = pd.DataFrame(
        {
            "short_name": ["Сад 1", "Сад 1"],
            "platform": ["vk", "max"],
            "district": ["Центральный", "Центральный"],
            "materials": [0, 2],
        },
        index=[7, 9],
    )
    assert content.pages_table(coverage, with_materials=True).to_dict("list") == {
        "Страница": ["Сад 1", "Сад 1"],
        "Соцсеть": ["ВКонтакте", "MAX"],
        "Район": ["Центральный", "Центральный"],
        "Материалов": [0, 2],
    }
    assert list(content.pages_table(coverage, with_materials=False).columns) == ["Страница", "Соцсеть", "Район"]


def test_builders_take_missing_and_huge_optional_texts():
    moment = datetime(2026, 11, 24, 10, 0)
    items = pd.DataFrame(
        {
            "id": [1, 2],
            "title": ["Без рубрики", "Т" * 300],
            "rubric": [float("nan"), "Р" * 500],
            "format": ["news", "video"],
            "publish_at": [moment, moment],
            "deadline": [None, None],
            "status": ["ready", "review"],
            "editor": [None, "Е" * 500],
            "notes": [pd.NA, "З" * 5000],
            "categories": [(), ("school",)],
            "page_count": [3, 0],
            "published_count": [0, 0],
            "version": [1, 1],
            "page_ids": [(), ()],
            "created_by": ["t", "t"],
            "updated_by": ["t", "t"],
            "created_at": [moment, moment],
            "updated_at": [moment, moment],
        }
    )
    document = pdf.week_plan_pdf(items, date(2026, 11, 23), {date(2026, 11, 24): ["П" * 600]})
    reader = PdfReader(io.BytesIO(document))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Без рубрики" in text and "…" in text  # the 500-character rubric is shortened, not an error
    calendar_file = ics.calendar_ics(items)
    assert b"BEGIN:VEVENT" in calendar_file and b"nan" not in calendar_file.lower()


def test_published_only_when_the_time_has_come_and_a_page_is_marked(demo_engine):
    # Tests pin «today» to 2026-11-27 (GOSPUBLIKI_TODAY): WHEN, 3 December, is still ahead.
    item_id = content_plan.create_material(
        demo_engine, EDITOR, Material(title="Ещё не вышел", publish_at=WHEN, status="ready", page_ids=(5, 6))
    )
    with pytest.raises(ValidationFailed) as refused:
        content_plan.set_status(demo_engine, EDITOR, item_id, 1, "published")
    assert any("ещё не наступило" in problem for problem in refused.value.problems)
    assert any("отметьте" in problem for problem in refused.value.problems)
    past = datetime(2026, 11, 26, 9, 0)
    _move(demo_engine, EDITOR, item_id, 1, past)
    with pytest.raises(ValidationFailed, match="отметьте"):
        content_plan.update_material(
            demo_engine,
            EDITOR,
            item_id,
            2,
            Material(title="Ещё не вышел", publish_at=past, status="published", page_ids=(5, 6)),
        )
    content_plan.mark_published(demo_engine, EDITOR, item_id, 2, {6: True})
    content_plan.set_status(demo_engine, EDITOR, item_id, 3, "published")
    with demo_engine.connect() as connection:
        assert (
            connection.execute(select(content_items.c.status).where(content_items.c.id == item_id)).scalar()
            == "published"
        )
    # A material for whole categories has no per-page marks: the time alone decides.
    whole = content_plan.create_material(
        demo_engine, EDITOR, Material(title="Для всех школ", publish_at=past, status="ready", categories=("school",))
    )
    content_plan.set_status(demo_engine, EDITOR, whole, 1, "published")


def test_the_same_title_and_time_is_found_case_and_spaces_aside(demo_engine):
    first = content_plan.create_material(demo_engine, EDITOR, Material(title="Ёлка в парке", publish_at=WHEN))
    twin = Material(title="  ЕЛКА   в парке ", publish_at=WHEN)
    assert content_plan.same_materials(demo_engine, twin) == [first]
    assert content_plan.same_materials(demo_engine, twin, item_id=first) == []  # itself, while being edited
    assert (
        content_plan.same_materials(demo_engine, Material(title="Ёлка в парке", publish_at=WHEN + timedelta(hours=1)))
        == []
    )
    content_plan.cancel(demo_engine, EDITOR, first, 1)
    assert content_plan.same_materials(demo_engine, twin) == []


def test_a_material_keeps_what_it_looks_like_when_published(demo_engine):
    material = Material(
        title="Лагеря",
        publish_at=WHEN,
        status="ready",
        source_post=" https://vk.com/wall-1000_55 ",
        source_url="https://nsknews.info/lager",
        hashtag="ЛетоНСК",
        body="Первая строка\nВторая",
    )
    item_id = content_plan.create_material(demo_engine, EDITOR, material)
    with demo_engine.connect() as connection:
        row = connection.execute(select(content_items).where(content_items.c.id == item_id)).mappings().one()
    assert (row["source_post"], row["source_url"], row["hashtag"], row["body"]) == (
        "https://vk.com/wall-1000_55",
        "https://nsknews.info/lager",
        "#ЛетоНСК",
        "Первая строка\nВторая",
    )
    read_back = content_plan.material_of(row)
    assert (read_back.source_post, read_back.hashtag) == ("https://vk.com/wall-1000_55", "#ЛетоНСК")
    problems = content_plan.problems_of(
        replace(material, source_post="vk.com/club1", hashtag="#два слова!", source_url="нет")
    )
    assert any(problem.startswith("Пост редакции «vk.com/club1»") for problem in problems)
    assert any(problem.startswith("Хештег «#дваслова!»") for problem in problems)
    assert any(problem.startswith("Адрес материала «нет»") for problem in problems)
    frame = queries.content_items_frame(demo_engine, item_id=item_id)
    table = content.items_table(frame.assign(categories=[()], page_count=[0], published_count=[0]))
    assert table.loc[0, "Хештег"] == "#ЛетоНСК"  # in the CSV …
    assert "Текст материала" not in content.screen_columns(table)  # … not drawn on screen


def test_a_two_week_days_heading_marks_today_and_its_dates_in_red_with_markdown_escaped():
    monday = date(2026, 12, 7)
    assert content.day_heading(monday, 0, date(2026, 12, 1), []) == "**Пн, 07.12**"
    today = content.day_heading(monday, 0, monday, ["День *Конституции*"])
    assert today.startswith(":blue-background[**Пн, 07.12**] (сегодня) — :red[")
    assert "*Конституции*" not in today  # the mark's text is escaped, not markdown


def test_unserved_pages_and_city_date_names():
    coverage = pd.DataFrame({"page_id": [1, 2, 3], "materials": [0, 2, 0]})
    assert list(content.unserved(coverage)["page_id"]) == [1, 3]
    dates = pd.DataFrame({"id": [5], "day": [date(2026, 12, 7)], "title": ["Юбилей школы"]})
    assert content.city_date_names(dates) == {5: "2026-12-07 · Юбилей школы"}
