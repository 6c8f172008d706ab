"""AppTest of «Контент-план»: creating shows the item, viewers only read, bad input is named."""

import calendar as calendar_module
from datetime import date, time

from sqlalchemy import create_engine, text

from tests.app.conftest import component_data, fire, open_as, rewrite_store, rows, scalar

PAGE = "pages/calendar.py"
GRID = "gospubliki.month_grid"


def _grid_items(app):
    """The materials the month grid shows, by id: (day number, its line, tooltip)."""
    return {
        item["id"]: (day["day"], item["text"], item["about"])
        for day in component_data(app, GRID)["days"]
        for item in day["items"]
    }


def _button(app, label):
    return next(button for button in app.button if button.label == label)


def test_viewer_sees_the_plan_but_no_edit_controls(open_app, store_url):
    app = open_app(PAGE)
    assert not app.exception and app.title[0].value == "Контент-план"
    month = app.session_state["calendar_month"]
    weeks = calendar_module.Calendar().monthdatescalendar(month.year, month.month)
    shown = _grid_items(app)
    # The grid holds exactly the materials published on its six weeks' days (no filter is set).
    expected = rows(
        store_url,
        "SELECT id, title FROM content_items WHERE date(publish_at) BETWEEN :first AND :last",
        first=weeks[0][0].isoformat(),
        last=weeks[-1][-1].isoformat(),
    )
    assert shown and set(shown) == {row.id for row in expected}
    assert all(shown[row.id][1].endswith(row.title) or shown[row.id][1].endswith("…") for row in expected)
    labels = [button.label for button in app.button]
    assert "Создать" not in labels and "Сохранить" not in labels
    assert "Новый материал" not in [expander.label for expander in app.expander]
    first = min(shown)
    fire(app, GRID, "open", first)  # a click on the material in the browser
    assert not app.exception
    assert f"Материал № {first}" in [header.value for header in app.subheader]
    assert "Сохранить" not in [button.label for button in app.button]


def test_calendar_filters_hold_while_their_expander_is_closed(open_app, store_url):
    app = open_app(PAGE)
    month = app.session_state["calendar_month"]
    weeks = calendar_module.Calendar().monthdatescalendar(month.year, month.month)
    # Closed, the filters draw no widgets (a rerun does not pay for them) and filter nothing.
    assert not [widget for widget in app.multiselect if widget.key.startswith("calendar_filter_")]
    assert not any(caption.value.startswith("Фильтры календаря:") for caption in app.caption)
    app.session_state["calendar_filters"] = True  # the visitor opens the expander
    app.run()
    app.multiselect(key="calendar_filter_status").set_value(["published"]).run()
    assert not app.exception
    published = {
        row.id
        for row in rows(
            store_url,
            "SELECT id FROM content_items WHERE status = 'published' AND date(publish_at) BETWEEN :first AND :last",
            first=weeks[0][0].isoformat(),
            last=weeks[-1][-1].isoformat(),
        )
    }
    assert published and set(_grid_items(app)) == published
    assert "Фильтры календаря: статус — опубликовано." in [caption.value for caption in app.caption]
    app.session_state["calendar_filters"] = False  # closed again: the choice stays in force and is named
    app.run()
    assert not [widget for widget in app.multiselect if widget.key.startswith("calendar_filter_")]
    assert set(_grid_items(app)) == published
    assert "Фильтры календаря: статус — опубликовано." in [caption.value for caption in app.caption]
    app.session_state["calendar_filters"] = True  # reopened: the widget shows the kept choice
    app.run()
    assert app.multiselect(key="calendar_filter_status").value == ["published"]
    app.multiselect(key="calendar_filter_status").set_value([]).run()
    assert not any(caption.value.startswith("Фильтры календаря:") for caption in app.caption)
    assert len(_grid_items(app)) > len(published)


def test_editor_creates_a_material_that_shows_in_the_month_and_the_table(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    today = app.session_state["calendar_month"]
    prefix = "calendar_new_0"
    app.text_input(key=f"{prefix}_title").input("Ёлка во дворе детского сада")
    app.text_input(key=f"{prefix}_rubric").input("Новый год в городе")
    app.date_input(key=f"{prefix}_day").set_value(date(today.year, today.month, 15))
    app.time_input(key=f"{prefix}_time").set_value(time(11, 0))
    app.multiselect(key=f"{prefix}_categories").set_value(["kindergarten"])
    _button(app, "Создать").click().run()
    assert not app.exception
    assert "создан" in app.success[0].value
    assert any(text.endswith("Ёлка во дворе детского сада") for _, text, _ in _grid_items(app).values())
    app.button_group(key="calendar_view").set_value("Таблица").run()
    table = next(frame.value for frame in app.dataframe if "Материал" in frame.value.columns)
    created = table[table["Материал"] == "Ёлка во дворе детского сада"]
    assert len(created) == 1 and created.iloc[0]["Аудитория"] == "Детские сады"
    engine = create_engine(store_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, editor FROM content_items WHERE title = 'Ёлка во дворе детского сада'")
        ).one()
    engine.dispose()
    assert row.status == "idea" and row.editor == "Тест editor"


def test_an_impossible_status_jump_is_named_and_nothing_saved(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    engine = create_engine(store_url)
    with engine.connect() as connection:
        item_id, version = connection.execute(
            text("SELECT id, version FROM content_items WHERE status = 'in_progress' ORDER BY id LIMIT 1")
        ).one()
    app.session_state["calendar_selected"] = item_id
    app.run()
    prefix = f"calendar_edit_{item_id}"
    app.selectbox(key=f"{prefix}_status").set_value("published")
    _button(app, "Сохранить").click().run()
    assert not app.exception
    message = app.error[0].value
    assert "Не сохранено" in message and "из «в работе» нельзя сразу перейти в «опубликовано»" in message
    app.date_input(key=f"{prefix}_deadline").set_value(date(2031, 1, 1))
    app.selectbox(key=f"{prefix}_status").set_value("in_progress")
    _button(app, "Сохранить").click().run()
    assert "позже даты публикации" in app.error[0].value
    with engine.connect() as connection:
        status, after = connection.execute(
            text("SELECT status, version FROM content_items WHERE id = :id"), {"id": item_id}
        ).one()
    engine.dispose()
    assert (status, after) == ("in_progress", version)


def test_every_view_and_download_works_with_every_optional_field_empty_or_huge(open_app, store_url):
    found = {}

    def add_bare_and_huge_materials(connection):
        day = found["day"] = connection.execute(
            text("SELECT MAX(publish_at) FROM content_items WHERE status = 'ready'")
        ).scalar()
        connection.execute(
            text(
                "INSERT INTO content_items (title, rubric, format, publish_at, status, editor, notes, created_at, "
                "created_by, updated_at, updated_by, version) VALUES "
                "('Без рубрики и редактора', NULL, 'news', :day, 'ready', NULL, NULL, :day, 't', :day, 't', 1), "
                "(:title, :rubric, 'news', :day, 'ready', :editor, :notes, :day, 't', :day, 't', 1)"
            ),
            {"day": day, "title": "Т" * 300, "rubric": "Р" * 100, "editor": "Е" * 200, "notes": "З" * 4000},
        )

    rewrite_store(store_url, add_bare_and_huge_materials)
    day = found["day"]
    app = open_app(PAGE)
    assert not app.exception
    moment = day if not isinstance(day, str) else __import__("datetime").datetime.fromisoformat(day)
    app.session_state["calendar_month"] = moment.date().replace(day=1)
    app.session_state["calendar_week"] = moment.date() - __import__("datetime").timedelta(days=moment.weekday())
    for view in ("Месяц", "Две недели", "Таблица", "Идеи без даты"):
        app.session_state["calendar_view"] = view
        app.run()
        assert not app.exception, (view, app.exception)
    labels = [button.label for button in app.download_button]
    assert labels, "the views offer their downloads"


def _info_texts(app):
    return [element.value for element in app.info]


def test_the_audience_picker_adds_one_whole_number_match_and_counts_before_saving(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    prefix = "calendar_new_0"
    app.text_input(key=f"{prefix}_page_search").input("сад № 41").run()
    offered = [
        button
        for button in app.button
        if button.key and button.key.startswith(f"{prefix}_add_") and not button.key.startswith(f"{prefix}_add_all_")
    ]
    expected = scalar(
        store_url,
        "SELECT COUNT(*) FROM institutions i JOIN pages p ON p.institution_id = i.id "
        "WHERE i.short_name LIKE 'Детский сад № 41 %' AND p.retired_at IS NULL",
    )
    assert len(offered) == expected >= 1  # its VK page (and its MAX channel, if any), not 410, 419, 141 …
    assert "Материал пойдёт" not in " ".join(_info_texts(app))
    offered[0].click().run()
    assert app.multiselect(key=f"{prefix}_pages").value == [int(offered[0].key.rsplit("_", 1)[1])]
    assert "Материал пойдёт на 1 страницу (выбранных отдельно — 1)." in _info_texts(app)
    app.multiselect(key=f"{prefix}_categories").set_value(["culture"]).run()
    culture = scalar(
        store_url,
        "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE i.category = 'culture' AND p.retired_at IS NULL AND i.retired_at IS NULL",
    )
    assert any(text.startswith(f"Материал пойдёт на {culture + 1} ") for text in _info_texts(app))


def test_all_pages_of_the_selection_are_an_explicit_counted_choice(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    app.session_state["category"] = ["kindergarten"]
    app.session_state["district"] = ["Калининский район"]
    app.run()
    expected = scalar(
        store_url,
        "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE i.category = 'kindergarten' AND i.district = 'Калининский район' "
        "AND p.retired_at IS NULL AND i.retired_at IS NULL",
    )
    box = app.checkbox(key="calendar_new_0_whole_selection")
    assert box.label.endswith(f"— {expected} страниц") or box.label.endswith(f"— {expected} страницы")
    assert not box.value
    box.check().run()
    assert any(text.startswith(f"Материал пойдёт на {expected} ") for text in _info_texts(app))
    prefix = "calendar_new_0"
    app.text_input(key=f"{prefix}_title").input("Зимние прогулки").run()
    _button(app, "Создать").click().run()
    assert not app.exception and "создан" in app.success[0].value
    saved = scalar(
        store_url,
        "SELECT COUNT(*) FROM content_item_pages WHERE item_id = "
        "(SELECT id FROM content_items WHERE title = 'Зимние прогулки')",
    )
    assert saved == expected


def test_the_same_title_and_time_is_flagged_and_needs_a_confirmation(open_app, sign_in, store_url):
    engine = create_engine(store_url)
    with engine.connect() as connection:
        title, publish_at = connection.execute(
            text(
                "SELECT title, publish_at FROM content_items WHERE publish_at IS NOT NULL AND status <> 'cancelled' "
                "ORDER BY id LIMIT 1"
            )
        ).one()
        before = connection.execute(text("SELECT COUNT(*) FROM content_items")).scalar()
    engine.dispose()
    moment = (
        publish_at if not isinstance(publish_at, str) else __import__("datetime").datetime.fromisoformat(publish_at)
    )
    app = open_as(sign_in, "editor", PAGE)
    prefix = "calendar_new_0"
    app.text_input(key=f"{prefix}_title").input(f"  {title.upper()} ")
    app.date_input(key=f"{prefix}_day").set_value(moment.date())
    app.time_input(key=f"{prefix}_time").set_value(moment.time()).run()
    assert app.warning and "Такой материал уже есть" in app.warning[0].value
    assert _button(app, "Создать").disabled
    app.checkbox(key=f"{prefix}_confirm_twin").check().run()
    assert not _button(app, "Создать").disabled
    assert scalar(store_url, "SELECT COUNT(*) FROM content_items") == before  # nothing saved on the way


def test_the_responsible_editor_is_picked_from_the_users(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    names = scalar(store_url, "SELECT COUNT(*) FROM users WHERE is_active AND role IN ('editor', 'admin')")
    options = app.selectbox(key="calendar_new_0_editor").options
    assert "не назначен" in options and "Тест editor" in options
    assert len(options) == names + 1


def _status(url, item_id):
    engine = create_engine(url)
    with engine.connect() as connection:
        status = connection.execute(text("SELECT status FROM content_items WHERE id = :id"), {"id": item_id}).scalar()
    engine.dispose()
    return status


def test_cancelling_asks_first(open_app, sign_in, store_url):
    app = open_as(sign_in, "editor", PAGE)
    item_id = scalar(store_url, "SELECT MIN(id) FROM content_items WHERE status IN ('idea', 'in_progress', 'review')")
    before = _status(store_url, item_id)
    app.session_state["calendar_selected"] = item_id
    app.run()
    _button(app, "Отменить материал").click().run()
    assert not app.exception
    assert _status(store_url, item_id) == before
    _button(app, "Да, отменить").click().run()
    assert _status(store_url, item_id) == "cancelled"


def test_the_weeks_results_equal_sql_over_the_posts_and_the_plan(open_app, store_url):
    from tests.app.conftest import metric_values
    from tests.unit.test_newsroom import _setup

    engine = create_engine(store_url)
    pages = _setup(engine)
    engine.dispose()
    rewrite_store(store_url, lambda connection: None)  # fresh reads, as after a collection
    app = open_app(PAGE)
    app.session_state["calendar_plan_tab"] = "Итоги недели"
    app.run()
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "Страниц в плане" in frame.value.columns)
    ours = table.set_index("№").loc[[9001, 9002]]
    assert list(ours["Материал"]) == ["Лагеря", "Лёд"]
    views = dict(
        rows(store_url, "SELECT material_id, SUM(views) FROM posts WHERE material_id IS NOT NULL GROUP BY material_id")
    )
    assert [int(value) for value in ours["Просмотры"]] == [views[9001], views[9002]]
    assert list(ours["Не прочитаны"]) == [1, 1] and list(ours["Позже"]) == [1, 0]
    week = scalar(
        store_url,
        "SELECT COUNT(*) FROM content_items WHERE status <> 'cancelled' AND publish_at >= "
        "'2026-11-16' AND publish_at < '2026-11-23' AND (id IN (SELECT item_id FROM content_item_pages) "
        "OR id IN (SELECT item_id FROM content_item_categories))",
    )
    assert metric_values(app)["Материалов"] == str(week) == str(len(table))
    silent = next(frame.value for frame in app.dataframe if "Материалов в плане" in frame.value.columns)
    url = scalar(store_url, "SELECT url FROM pages WHERE id = :id", id=pages["vk2"])
    assert url in set(silent["Ссылка"])


def test_the_weeks_results_print_as_a_pdf(open_app, store_url):
    import io

    from pypdf import PdfReader

    from components import pdf
    from components.week_results import printable
    from tests.unit.test_newsroom import _setup

    engine = create_engine(store_url)
    _setup(engine)
    engine.dispose()
    rewrite_store(store_url, lambda connection: None)
    app = open_app(PAGE)
    app.session_state["calendar_plan_tab"] = "Итоги недели"
    app.run()
    assert not app.exception
    assert any(button.label == "Итоги недели (PDF для печати)" for button in app.get("download_button"))
    table = next(frame.value for frame in app.dataframe if "Страниц в плане" in frame.value.columns)
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(pdf.tables_pdf("Итоги недели", "", [("Материалы", printable(table))]))).pages
    )
    assert "Лагеря" in text and "Лёд" in text
