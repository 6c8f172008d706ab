"""Pure builders of the UI: formatting, CSV files, charts, tables."""

import csv
import io
import re
from datetime import date

import pandas as pd
import pytest

from components import charts, csv_export, formatting, tables
from data_access import summaries
from data_access.vocabulary import STATUS_COLORS, STATUSES


@pytest.mark.parametrize(
    ("value", "text"),
    [(288947, "288\u00a0947"), (0, "0"), (None, "—"), (float("nan"), "—"), (1234.5, "1\u00a0234")],
)
def test_number(value, text):
    assert formatting.number(value) == text


def test_percent_signed_and_dates():
    assert formatting.percent(0.2356) == "23,6\u00a0%"
    assert formatting.percent(None) == "—"
    assert formatting.signed(12) == "+12" and formatting.signed(-3) == "−3" and formatting.signed(0) == "0"
    assert formatting.day(date(2026, 11, 26)) == "26.11.2026"
    assert formatting.day_long(date(2026, 11, 26)) == "26 ноября 2026"


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "страница"), (2, "страницы"), (5, "страниц"), (11, "страниц"), (21, "страница"), (112, "страниц")],
)
def test_plural(count, word):
    assert formatting.plural(count, "страница", "страницы", "страниц") == word


def test_csv_is_excel_friendly_and_neutralises_formulas():
    frame = pd.DataFrame(
        {
            "Учреждение": ['=HYPERLINK("http://evil")', "+7 383", "@cmd", "Школа № 1", "-1+2"],
            "Подписчики": [1, 2, 3, 4, -5],
            "Доля": [0.5, 0.25, 0.0, 1.0, 0.125],
        }
    )
    data = csv_export.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Учреждение", "Подписчики", "Доля, %"]  # a share as the screen shows it
    assert rows[1] == ['\'=HYPERLINK("http://evil")', "1", "50,0"]
    assert rows[2][0] == "'+7 383" and rows[3][0] == "'@cmd"
    assert rows[4] == ["Школа № 1", "4", "100,0"]
    assert rows[5] == ["'-1+2", "-5", "12,5"]  # negative numbers stay numbers, text is neutralised


def _pages_frame():
    return pd.DataFrame(
        {
            "page_id": [1, 2, 3, 4],
            "short_name": ["Сад № 1", "Школа № 2", "ДК «Заря»", "Сад № 4"],
            "category": ["kindergarten", "school", "culture", "kindergarten"],
            "district": ["Кировский район", "Кировский район", "Ленинский район", "Ленинский район"],
            "platform": ["vk", "vk", "ok", "telegram"],
            "url": ["https://vk.com/a", "https://vk.com/b", "https://ok.ru/group/1", "https://t.me/d"],
            "is_flagship": [False, True, False, False],
            "subscribers": pd.array([520, 400, 100, 250], dtype="Int64"),
            "latest_day": [date(2026, 11, 26)] * 4,
            "target": pd.array([500, 1000, 500, 500], dtype="Int64"),
            "growth_7": pd.array([5, 10, -1, 2], dtype="Int64"),
            "growth_30": pd.array([20, 40, -3, 6], dtype="Int64"),
            "status": ["reached", "on_track", "stalled", "lagging"],
            "forecast": [date(2026, 11, 1), date(2027, 5, 1), None, date(2029, 1, 1)],
            "needed_weekly_growth": pd.array([None, 10.5, 7.0, 4.4], dtype="Float64"),
            "progress": [1.0, 0.4, 0.2, 0.5],
            "verified": [True, False, True, True],
        }
    )


def test_summaries_reconcile_with_the_total():
    pages = _pages_frame()
    kpi = summaries.kpis(pages)
    by_category = summaries.summarise(pages, "category")
    by_district = summaries.summarise(pages, "district")
    for summary in (by_category, by_district):
        assert summary["pages"].sum() == kpi.pages == 4
        assert summary["subscribers"].sum() == kpi.subscribers == 1270
        assert summary["at_target"].sum() == kpi.at_target == 1
    assert list(by_category["category"]) == ["kindergarten", "school", "culture"]
    kindergartens = by_category.set_index("category").loc["kindergarten"]
    assert kindergartens["fill"] == pytest.approx((500 + 250) / 1000)  # 520 is capped at its target
    assert kindergartens["subscriber_ratio"] == pytest.approx((520 + 250) / 1000)  # not capped
    assert kpi.flagship_pages == 1 and kpi.flagship_share_at_target == 0
    assert kpi.verified_share == 0.75


def test_a_share_with_nothing_to_divide_is_none_and_shows_a_dash():
    pages = _pages_frame()
    kpi = summaries.kpis(pages[~pages["is_flagship"]])
    assert kpi.flagship_pages == 0 and kpi.flagship_share_at_target is None
    assert formatting.percent(kpi.flagship_share_at_target) == "—"
    assert kpi.other_share_at_target == pytest.approx(1 / 3)


def test_weakest_pages_put_stalled_before_lagging():
    weakest = summaries.weakest_pages(_pages_frame())
    assert list(weakest["short_name"]) == ["ДК «Заря»", "Сад № 4"]
    assert list(weakest["missing"]) == [400, 250]


def test_pages_frame_has_russian_headers_and_forecast_words():
    frame = tables.pages_frame(_pages_frame())
    # What decides first (who, subscribers, progress, status, forecast, weekly need), details after.
    assert list(frame.columns)[:6] == [
        "Учреждение",
        "Подписчики",
        "Прогресс",
        "Статус",
        "Прогноз достижения",
        "Нужно в неделю",
    ]
    assert list(frame.columns)[-4:] == ["Категория", "Район", "Соцсеть", "Страница"]
    # Mixed categories and districts: all shown, save the growth's span while no page has a gap.
    assert tables.shown_columns(frame) == [column for column in frame.columns if column != "Период роста, дней"]
    after_a_gap = tables.pages_frame(_pages_frame().assign(growth_7_days=pd.array([7, 7, 24, None], dtype="Int64")))
    assert list(after_a_gap["Период роста, дней"].astype("Float64").fillna(-1)) == [7, 7, 24, -1]
    assert tables.shown_columns(after_a_gap) == list(after_a_gap.columns)  # a gap: the span is shown
    one_district = frame.assign(Район="Кировский район")
    assert "Район" not in tables.shown_columns(one_district) and "Категория" in tables.shown_columns(one_district)
    assert list(frame["Статус"]) == ["цель достигнута", "по графику", "нет роста", "отстаёт"]
    assert list(frame["Прогноз достижения"]) == ["достигнута", "01.05.2027", "не достигнет", "01.01.2029"]
    assert list(frame["Категория"]) == ["Детские сады", "Школы", "Культура", "Детские сады"]


def test_status_chart_uses_the_status_colours_and_counts():
    summary = summaries.summarise(_pages_frame(), "category")
    spec = charts.status_by_group_chart(summary, "category", "Статус").to_dict()
    color = spec["encoding"]["color"]["scale"]
    reached_index = color["domain"].index(STATUSES["reached"])
    assert color["range"][reached_index] == "#{:02x}{:02x}{:02x}".format(*STATUS_COLORS["reached"])
    data = next(iter(spec["datasets"].values()))
    assert sum(row["count"] for row in data) == 4
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_share_chart_shows_the_average_rule():
    summary = summaries.summarise(_pages_frame(), "district")
    spec = charts.share_at_target_chart(summary, "district", "Районы", average=0.25).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]] == [
        "bar",
        "text",
        "rule",
    ]


def test_history_chart_has_lines_and_target_rules():
    history = pd.DataFrame(
        {"day": [date(2026, 11, 25), date(2026, 11, 26)], "label": ["Город", "Город"], "subscribers": [100, 110]}
    )
    spec = charts.history_chart(history, {"Город": 500}, "История").to_dict()
    assert len(spec["layer"]) == 2
    datasets = list(spec["datasets"].values())
    assert any(row.get("target") == 500 for data in datasets for row in data)


def _every_chart():
    by_category = summaries.summarise(_pages_frame(), "category")
    days = [date(2026, 11, 25), date(2026, 11, 26)]
    return [
        charts.status_by_group_chart(by_category, "category", "Статус"),
        charts.share_at_target_chart(by_category, "category", "Доля", average=0.25),
        charts.history_chart(
            pd.DataFrame({"day": days, "label": ["Город"] * 2, "subscribers": [100, 110]}), {"Город": 500}, "История"
        ),
        charts.weekly_growth_chart(
            pd.DataFrame({"week": days, "growth": [5, -2], "days": [7, 3], "partial": [False, True]}), "Прирост"
        ),
        charts.at_target_history_chart(
            pd.DataFrame({"day": days, "label": ["Город"] * 2, "at_target": [1, 2]}), "У цели"
        ),
        charts.target_fill_chart(by_category, "category", "Заполнение"),
        charts.item_completion_chart(
            pd.DataFrame(
                {
                    "title": ["Госметка", "QR-код"],
                    "is_required": [True, False],
                    "done": [3, 1],
                    "applies": [4, 4],
                    "share_done": [0.75, 0.25],
                }
            ),
            "Пункты",
        ),
        charts.age_bands_chart(
            pd.DataFrame({"band": [band for band, _ in summaries.AGE_BANDS], "pages": range(len(summaries.AGE_BANDS))}),
            14,
            "Возраст цифр",
        ),
    ]


def _marks(spec: dict):
    for layer in spec.get("layer", [spec]):
        yield from _marks(layer) if "layer" in layer else [layer]


@pytest.mark.parametrize("chart", _every_chart(), ids=lambda chart: chart.to_dict()["description"])
def test_every_mark_of_a_chart_has_a_russian_tooltip_and_the_chart_its_title_for_screen_readers(chart):
    spec = chart.to_dict()
    # Without a tooltip of its own a mark shows Streamlit's default one: the frame's internal
    # column names («target_sum», «fill»).
    for mark in _marks(spec):
        tooltip = mark["encoding"]["tooltip"]
        titles = [field["title"] for field in (tooltip if isinstance(tooltip, list) else [tooltip])]
        assert titles and all(re.fullmatch(r"[А-Яа-яЁё ()]+", title) for title in titles), titles
    # Vega's own descriptions of marks, axes and the title are English: off; the chart is its title.
    assert spec["config"]["aria"] is False and spec["title"]["aria"] is False
    assert spec["description"] == spec["title"]["text"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Запись изменил(а) Иванова в 14:05", "Запись изменил(а) Иванова в 14:05"),
        ("**жирный**", "\\*\\*жирный\\*\\*"),
        ("[ссылка](javascript:alert(1))", "\\[ссылка\\](javascript\\:alert(1))"),
        ("<script>x</script>", "\\<script\\>x\\<\\/script\\>"),
        (":material/home:", "\\:material\\/home:"),
        (":red[текст]", "\\:red\\[текст\\]"),
        ("1. пункт", "1\\. пункт"),
        ("- пункт", "\\- пункт"),
    ],
)
def test_markdown_text_shows_data_literally(raw, escaped):
    assert formatting.markdown_text(raw) == escaped


def test_page_labels_always_name_the_network_and_never_repeat():
    from components.tables import page_labels

    pages = pd.DataFrame(
        {
            "page_id": [1, 2, 3, 4, 5],
            "institution_id": [10, 10, 20, 30, 40],
            "short_name": ["Гимназия № 5", "Гимназия № 5", "Школа № 7", "КЦСОН", "КЦСОН"],
            "district": ["Ленинский район"] * 5,
            "platform": ["vk", "max", "vk", "vk", "vk"],
            "url": [
                "https://vk.com/g5",
                "https://max.ru/g5",
                "https://vk.com/s7",
                "https://vk.com/kcson1",
                "https://vk.com/kcson2",
            ],
        }
    )
    labels = page_labels(pages)
    assert labels == {
        1: "Гимназия № 5 · ВКонтакте · Ленинский район",
        2: "Гимназия № 5 · MAX · Ленинский район",
        3: "Школа № 7 · ВКонтакте · Ленинский район",
        # two institutions with one short name in one district: their addresses tell them apart
        4: "КЦСОН · ВКонтакте · vk.com/kcson1 · Ленинский район",
        5: "КЦСОН · ВКонтакте · vk.com/kcson2 · Ленинский район",
    }
    assert len(set(labels.values())) == len(labels)


def test_new_channels_are_those_whose_first_figure_is_recent_once_the_store_has_a_history():
    from datetime import date

    from data_access import summaries

    def frame(first_days):
        return pd.DataFrame(
            {
                "first_day": pd.to_datetime(first_days),
                "latest_day": pd.to_datetime([date(2026, 12, 1)] * len(first_days)),
                "status": ["lagging"] * len(first_days),
                "progress": [0.1] * len(first_days),
                "target": [500] * len(first_days),
                "subscribers": [50] * len(first_days),
            }
        )

    pages = frame([date(2025, 1, 1), date(2026, 9, 2), date(2026, 9, 3), date(2026, 11, 20)])
    # 90 days before 1 December is 2 September: that day is not within them, the next is.
    assert list(summaries.new_channels(pages)) == [False, False, True, True]
    assert len(summaries.weakest_pages(pages)) == 2 and len(summaries.newest_channels(pages)) == 2
    # A store whose whole history is shorter than 90 days has no «new» channels: it just began counting.
    assert not summaries.new_channels(frame([date(2026, 10, 1), date(2026, 11, 20)])).any()


def test_a_card_names_the_institutions_audience_per_network_and_in_total():
    from components.cards import audience_text

    channels = pd.DataFrame(
        {"platform": ["vk", "max", "telegram"], "subscribers": pd.array([512, 40, None], dtype="Int64")}
    )
    assert audience_text(channels) == "ВКонтакте 512 · MAX 40 · Telegram нет данных · всего 552"


def test_audit_rows_say_which_page_with_its_network_and_which_item():
    from components.audit_log import subjects

    registry = pd.DataFrame(
        {
            "institution_id": [7, 7, 8],
            "short_name": ["Гимназия № 1", "Гимназия № 1", "ДК «Заря»"],
            "page_id": [10, 11, None],
            "platform": ["vk", "max", None],
        }
    )
    items = pd.DataFrame({"id": [3, 25], "title": ["Госметка получена", "Канал в MAX создан"]})
    entries = pd.DataFrame(
        {
            "entity": [
                "page_check",
                "institution_check",
                "page",
                "institution",
                "checklist_item",
                "user",
                "page_check",
            ],
            "entity_id": ["11/3", "7/25", "10", "8", "25", "ivanova", "999/3"],
        }
    )
    assert subjects(entries, registry, items) == [
        "Гимназия № 1 · MAX — «Госметка получена»",
        "Гимназия № 1 (учреждение) — «Канал в MAX создан»",
        "Гимназия № 1 · ВКонтакте",
        "ДК «Заря»",
        "Канал в MAX создан",
        "",
        "",
    ]


def test_xlsx_has_numbers_dates_percentages_a_frozen_header_and_the_selection_on_top():
    import io
    from datetime import date

    from openpyxl import load_workbook

    from components.csv_export import to_xlsx_bytes

    frame = pd.DataFrame(
        {
            "Учреждение": ["Школа № 1 · ВКонтакте", '=HYPERLINK("x")'],
            "Подписчики": pd.array([1234, None], dtype="Int64"),
            "Прогресс": [0.034, 1.0],
            "Нужно в неделю": [5.6, None],
            "Дата цифры": [date(2026, 11, 27), None],
        }
    )
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, heading=("Госпаблики — Школы", "Данные на 27.11.2026"))))
    sheet = book.active
    assert sheet["A1"].value == "Госпаблики — Школы" and sheet["A2"].value == "Данные на 27.11.2026"
    assert [cell.value for cell in sheet[4]] == list(frame.columns) and sheet.freeze_panes == "A5"
    assert sheet["B5"].value == 1234 and sheet["B5"].number_format == "#,##0" and sheet["B6"].value is None
    assert sheet["C5"].value == 0.034 and sheet["C5"].number_format == "0.0%"
    assert sheet["E5"].value.date() == date(2026, 11, 27) and sheet["E5"].number_format == "DD.MM.YYYY"
    assert sheet["A6"].value.startswith("'=")  # a formula stays text
    assert sheet.column_dimensions["A"].width >= len("Школа № 1 · ВКонтакте") and sheet.max_row == 6


def test_csv_shows_shares_as_the_screen_does_and_one_date_format():
    from datetime import date

    from components.csv_export import to_csv_bytes

    frame = pd.DataFrame({"Прогресс": [0.034], "Дата цифры": [date(2026, 11, 27)], "Доля": ["текст"]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["Прогресс, %;Дата цифры;Доля", "3,4;27.11.2026;текст"]


def test_changed_short_names_are_the_rows_a_person_edited():
    from components import imports

    before = pd.DataFrame({"Строка": [2, 3, 4], "Краткое название": ["Сад № 1", "Школа № 2", "ДК"]})
    after = before.assign(**{"Краткое название": ["Сад № 1", "Школа № 2 им. Ленина", "ДК"]})
    assert imports.changed_short_names(before, after) == {3: "Школа № 2 им. Ленина"}


def test_admin_tables_name_actions_platforms_and_runs_in_russian():
    from types import SimpleNamespace

    from components import admin_tables

    status = admin_tables.platform_status({"vk": None, "telegram": "нет токена TELEGRAM_BOT_TOKEN"})
    assert list(status["Настроена"]) == ["да", "нет"] and status.iloc[1]["Чего не хватает"].startswith("нет токена")
    assert admin_tables.walls_text([{"platform": "vk", "walls": 3, "walls_ok": 2, "walls_failed": ""}]) == (
        "прочитаны у 2 из 3 страниц"
    )
    assert admin_tables.walls_text([{"platform": "ok"}]) == "—"
    done = admin_tables.collection_done(SimpleNamespace(collected=1200, written=1190, checks_changed=0))
    assert done == "Сбор закончен: получено цифр 1\u00a0200, записано 1\u00a0190."
    directory = pd.DataFrame(
        {"short_name": ["Сад № 1"], "platform": ["vk"], "url": ["https://vk.com/sad1"]},
        index=pd.Index([7], name="page_id"),
    )
    failed = admin_tables.collection_failures([[7, "vk", "закрыта"], [99, "max", "нет канала"]], directory)
    assert list(failed["Страница"]) == ["Сад № 1 · ВКонтакте", "(выведена из работы)"]
    assert list(failed["Ссылка"]) == ["https://vk.com/sad1", ""]
