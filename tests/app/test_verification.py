"""AppTest of «Верификация»: figures match the store, roles see the right controls, items are data."""

from datetime import date

from sqlalchemy import create_engine, text

from components import formatting as fmt
from tests.app.conftest import metric_values, open_as, rows, scalar
from tests.independent import active_pages

PAGE = "pages/verification.py"
# docs/guide.md: the ПОС/Госуслуги widgets are a page item of VK and OK pages only.
MISSING_WIDGETS = (
    "SELECT COUNT(*) FROM pages p LEFT JOIN page_checks c ON c.page_id = p.id AND c.item_id = "
    "(SELECT id FROM checklist_items WHERE code = 'widgets') WHERE COALESCE(c.state, 'not_done') = 'not_done' "
    "AND p.platform IN ('vk', 'ok')"
)


def _labels(app):
    return [button.label for button in app.button]


def _open_tab(app, label):
    """Tabs draw their content only when open (st.tabs with on_change): choose one and rerun."""
    app.session_state["verification_tab"] = label
    app.run()
    assert not app.exception
    return app


def test_viewer_reads_everything_but_gets_no_edit_controls(open_app, store_url):
    app = open_app(PAGE)
    assert app.title[0].value == "Верификация"
    assert metric_values(app)["Страниц"] == fmt.number(active_pages(store_url))
    for tab in ("Кому чего не хватает", "Чек-лист страницы", "Таблица страниц × пунктов"):
        _open_tab(app, tab)
        assert not [label for label in _labels(app) if label.startswith("Сохранить") or label.startswith("Применить")]
        # The states an editing tab shows are a snapshot: it says when it was read and offers to read it again.
        assert "Обновить данные" in _labels(app)
        assert any(caption.value.startswith("Чек-листы прочитаны в ") for caption in app.caption)
    _open_tab(app, "Сводка")
    assert "Обновить данные" not in _labels(app)
    _open_tab(app, "Чек-лист страницы")
    assert "Менять чек-лист могут редакторы и администраторы." in [caption.value for caption in app.caption]
    assert [tab.label for tab in app.tabs] == [
        "Сводка",
        "Кому чего не хватает",
        "Чек-лист страницы",
        "Таблица страниц × пунктов",
        "Площадки",
    ]


def test_verified_share_matches_the_store(open_app, store_url):
    app = open_app(PAGE)
    # docs/guide.md: verified — every required item of the page on its network done (the institution's
    # items are counted per institution).
    fully = scalar(
        store_url,
        (
            "SELECT COUNT(*) FROM pages p WHERE NOT EXISTS (SELECT 1 FROM checklist_items i "
            "LEFT JOIN page_checks c ON c.item_id = i.id AND c.page_id = p.id "
            "WHERE i.is_required AND i.retired_at IS NULL AND COALESCE(c.state, 'not_done') = 'not_done' "
            "AND i.scope = 'page' AND (i.platforms IS NULL OR ',' || i.platforms || ',' LIKE '%,' || p.platform || "
            "',%'))"
        ),
    )
    assert metric_values(app)["Верифицировано"] == fmt.percent(fully / active_pages(store_url))
    complete = scalar(
        store_url,
        (
            "SELECT COUNT(*) FROM institutions s WHERE NOT EXISTS (SELECT 1 FROM checklist_items i "
            "LEFT JOIN institution_checks c ON c.item_id = i.id AND c.institution_id = s.id "
            "WHERE i.is_required AND i.retired_at IS NULL AND i.scope = 'institution' "
            "AND COALESCE(c.state, 'not_done') = 'not_done')"
        ),
    )
    institutions = scalar(store_url, "SELECT COUNT(*) FROM institutions")
    assert metric_values(app)["Пункты учреждений"] == fmt.percent(complete / institutions)


def test_the_summary_shows_one_group_table_at_a_time_counted_like_sql(open_app, store_url):
    app = open_app(PAGE)
    tables = [frame.value for frame in app.dataframe]
    assert len(tables) == 1 and "Категория" in tables[0].columns
    app.session_state["verification_groups"] = "district"
    app.run()
    assert not app.exception
    (by_district,) = [frame.value for frame in app.dataframe]
    shown = by_district.set_index("Район")[["Страниц", "Верифицировано страниц"]]
    # docs/guide.md: verified — every required item of the page on its network done.
    expected = rows(
        store_url,
        "SELECT i.district, COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM checklist_items ci "
        "LEFT JOIN page_checks c ON c.item_id = ci.id AND c.page_id = p.id WHERE ci.is_required "
        "AND ci.retired_at IS NULL AND COALESCE(c.state, 'not_done') = 'not_done' AND ci.scope = 'page' "
        "AND (ci.platforms IS NULL OR ',' || ci.platforms || ',' LIKE '%,' || p.platform || ',%')) "
        "THEN 1 ELSE 0 END) FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL GROUP BY i.district",
    )
    assert {district: (int(pages), int(verified)) for district, pages, verified in expected} == {
        district: (int(row["Страниц"]), int(row["Верифицировано страниц"])) for district, row in shown.iterrows()
    }
    assert [button.label for button in app.get("download_button")] == ["Скачать XLSX", "Скачать CSV"]


def test_filter_by_item_lists_exactly_the_pages_without_it(open_app, store_url):
    app = _open_tab(open_app(PAGE), "Кому чего не хватает")
    widgets_id = scalar(store_url, "SELECT id FROM checklist_items WHERE code = 'widgets'")
    app.selectbox(key="verification_missing_item").set_value(widgets_id).run()
    missing = next(frame.value for frame in app.dataframe if "Чего не хватает" in frame.value.columns)
    assert len(missing) == scalar(store_url, MISSING_WIDGETS)
    # Every listed page lacks the chosen item; the columns still count all its missing required items.
    assert all("Виджеты Госуслуг / ПОС установлены" in gaps.split("; ") for gaps in missing["Чего не хватает"])
    assert list(missing["Не хватает пунктов"]) == [len(gaps.split("; ")) for gaps in missing["Чего не хватает"]]
    with create_engine(store_url).connect() as connection:
        # A page with no row for an item has not done it (as MISSING_WIDGETS counts).
        expected = sorted(
            tuple(row)
            for row in connection.execute(
                text(
                    "WITH open_items AS (SELECT p.id AS page_id, ci.id AS item_id FROM pages p CROSS JOIN "
                    "checklist_items ci "
                    "  LEFT JOIN page_checks c ON c.page_id = p.id AND c.item_id = ci.id "
                    "  WHERE ci.retired_at IS NULL AND COALESCE(c.state, 'not_done') = 'not_done' AND p.retired_at IS "
                    "NULL "
                    "  AND ci.scope = 'page' AND (ci.platforms IS NULL OR ',' || ci.platforms || ',' LIKE '%,' || "
                    "p.platform || ',%')) "
                    "SELECT i.short_name || ' · ' || CASE p.platform WHEN 'vk' THEN 'ВКонтакте' WHEN 'ok' THEN "
                    "'Одноклассники' "
                    "  WHEN 'telegram' THEN 'Telegram' ELSE 'MAX' END, COUNT(*) "
                    "FROM open_items o JOIN checklist_items ci ON ci.id = o.item_id "
                    "JOIN pages p ON p.id = o.page_id JOIN institutions i ON i.id = p.institution_id "
                    "WHERE (ci.is_required OR ci.id = :item) "
                    "AND o.page_id IN (SELECT page_id FROM open_items WHERE item_id = :item) "
                    "GROUP BY o.page_id, i.short_name, p.platform"
                ),
                {"item": widgets_id},
            )
        )
    assert sorted(zip(missing["Учреждение"], missing["Не хватает пунктов"])) == expected


def test_editor_gets_save_buttons_and_admin_the_items_tab(open_app, sign_in):
    editor = open_as(sign_in, "editor", PAGE)
    assert {"Сохранить чек-лист страницы"} <= set(_labels(_open_tab(editor, "Чек-лист страницы")))
    assert any(
        label.startswith("Сохранить изменения") for label in _labels(_open_tab(editor, "Таблица страниц × пунктов"))
    )
    assert "Пункты чек-листа" not in [tab.label for tab in editor.tabs]


def test_admin_adds_an_item_that_is_not_done_everywhere(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", PAGE)
    assert "Пункты чек-листа" in [tab.label for tab in app.tabs]
    _open_tab(app, "Пункты чек-листа")
    form = next(text_input for text_input in app.text_input if text_input.label == "Код")
    form.input("vk_clips")
    next(text_input for text_input in app.text_input if text_input.label == "Название").input("Клипы ВКонтакте")
    next(button for button in app.button if button.label == "Добавить пункт").click().run()
    assert not app.exception
    assert "Пункт «Клипы ВКонтакте» добавлен" in app.success[0].value
    assert metric_values(app)["Пунктов в чек-листе"].startswith("12 обяз.")
    assert scalar(store_url, "SELECT COUNT(*) FROM checklist_items WHERE code = 'vk_clips'") == 1
    # Required and not done anywhere: nobody is fully verified any more.
    assert metric_values(app)["Верифицировано"] == fmt.percent(0)


def test_platforms_tab_counts_each_network_like_sql(open_app, store_url):
    from sqlalchemy import create_engine, text

    engine = create_engine(store_url)
    with engine.begin() as connection:  # one school opens a MAX channel
        school = connection.execute(text("SELECT id FROM institutions WHERE category = 'school' ORDER BY id")).first()[
            0
        ]
        connection.execute(
            text(
                "INSERT INTO pages (institution_id, platform, url, is_flagship, created_at, updated_at, "
                "version) VALUES (:id, 'max', 'https://max.ru/school_test', :no, :now, :now, 1)"
            ),
            {"id": school, "no": False, "now": "2026-11-20 10:00:00"},
        )
        expected = dict(
            connection.execute(
                text(
                    "SELECT p.platform, COUNT(DISTINCT i.id) FROM institutions i JOIN pages p ON p.institution_id = "
                    "i.id "
                    "WHERE i.retired_at IS NULL AND p.retired_at IS NULL AND i.category = 'school' GROUP BY p.platform"
                )
            ).all()
        )
        with_max = connection.execute(
            text(
                "SELECT COUNT(DISTINCT i.id) FROM institutions i JOIN pages p ON p.institution_id = i.id "
                "WHERE i.retired_at IS NULL AND p.retired_at IS NULL AND p.platform = 'max'"
            )
        ).scalar()
    engine.dispose()
    app = open_app("pages/verification.py")
    _open_tab(app, "Площадки")
    assert not app.exception
    by_category = app.dataframe[0].value.set_index("Категория")
    schools = by_category.loc["Школы"]
    assert schools["MAX"] == expected["max"] > 1  # the demo's channels and the one opened above
    assert schools["ВКонтакте"] == expected.get("vk", 0) and schools["Telegram"] == expected.get("telegram", 0)
    institutions = app.dataframe[2].value
    assert institutions["MAX"].sum() == with_max


def test_the_page_checklist_says_what_vk_measured(open_app, store_url):
    ((page_id, posts, day, government_mark),) = rows(
        store_url,
        "SELECT m.page_id, m.posts_7d, m.day, m.government_mark FROM page_measurements m ORDER BY m.page_id LIMIT 1",
    )
    app = open_app(PAGE)
    app.session_state["verification_page"] = page_id
    _open_tab(app, "Чек-лист страницы")
    view = next(frame.value for frame in app.dataframe if "Измерено" in frame.value.columns).set_index("Пункт")
    shown = date.fromisoformat(str(day)[:10]).strftime("%d.%m.%Y")
    words = {1: "публикация", 2: "публикации", 3: "публикации", 4: "публикации"}.get(posts, "публикаций")
    assert view.loc["Публикации не реже 3 раз в неделю", "Измерено"] == (
        f"Измерено по ВКонтакте {shown}: {posts} {words} за 7 дней"
    )
    assert view.loc["Госметка получена", "Измерено"] == (
        f"Измерено по ВКонтакте {shown}: {'госметка есть' if government_mark else 'госметки нет'}"
    )
    assert view.loc["Комментарии открыты", "Измерено"] == ""  # an item no measurement settles


def test_an_institution_item_lists_institutions_and_is_marked_once_for_all_their_pages(open_app, sign_in, store_url):
    app = _open_tab(open_as(sign_in, "editor", PAGE), "Кому чего не хватает")
    max_id = scalar(store_url, "SELECT id FROM checklist_items WHERE code = 'max_channel'")
    app.selectbox(key="verification_missing_item").set_value(max_id).run()
    missing = next(frame.value for frame in app.dataframe if "Чего не хватает" in frame.value.columns)
    without = scalar(
        store_url,
        (
            "SELECT COUNT(*) FROM institutions i WHERE i.retired_at IS NULL AND COALESCE((SELECT c.state FROM "
            "institution_checks c WHERE c.institution_id = i.id AND c.item_id = :item), 'not_done') = 'not_done'"
        ).replace(":item", str(max_id)),
    )
    assert len(missing) == without and "Соцсети" not in missing.columns
    assert all("Канал в MAX создан" in gaps.split("; ") for gaps in missing["Чего не хватает"])
    # One row per institution: none of them carries a network, an institution is not a page.
    assert not missing["Учреждение"].str.contains(" · ").any()
