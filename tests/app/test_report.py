"""AppTest of «Отчёт для комиссии»: the preview's figures equal direct SQL, the period and the
sidebar selection drive it, and a period without figures says so in Russian."""

from datetime import date

from sqlalchemy import create_engine, text

from components import reads
from tests import independent

AS_OF = date(2026, 11, 26)
NBSP = "\u00a0"


def _figures(app) -> dict[str, list[str]]:
    table = app.dataframe[0].value
    return {row[0]: list(row[1:5]) for row in table.itertuples(index=False)}


def _number(value: str) -> int:
    return int(value.replace(NBSP, "").replace("+", "").replace("−", "-"))


def test_report_page_shows_the_key_figures_of_the_quarter(open_app, store_url):
    app = open_app("pages/report.py")
    assert not app.exception
    assert app.title[0].value == "Отчёт для комиссии"
    assert app.selectbox(key="report_quarter").value == "2026-Q4"
    header = list(app.dataframe[0].value.columns)
    assert header[:3] == ["Показатель", "На 30.09.2026", "На 26.11.2026"] and header[-1] == "Пояснение"
    figures = _figures(app)
    now, then = independent.pages_on(store_url, AS_OF), independent.pages_on(store_url, date(2026, 9, 30))
    subscribers = sum(page["subscribers"] or 0 for page in now)
    assert _number(figures["Подписчиков (сумма по страницам)"][1]) == subscribers
    assert _number(figures["Подписчиков (сумма по страницам)"][2]) == subscribers - sum(
        page["subscribers"] or 0 for page in then
    )
    assert _number(figures["Страниц у цели"][1]) == sum(page["reached"] for page in now)
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Скачать DOCX", "Скачать PDF"]
    assert "демо-данные" in app.markdown[-1].value


def test_a_month_and_the_sidebar_selection_change_the_figures(open_app, store_url):
    app = open_app("pages/report.py")
    app.button_group(key="report_kind").set_value("Месяц").run()
    app.selectbox(key="report_month").set_value("2026-09").run()
    app.sidebar.multiselect(key="category").set_value(["school"]).run()
    assert not app.exception
    assert list(app.dataframe[0].value.columns)[1:3] == ["На 31.08.2026", "На 30.09.2026"]
    schools = independent.pages_on(store_url, date(2026, 9, 30), ("school",))
    figures = _figures(app)
    assert _number(figures["Подписчиков (сумма по страницам)"][1]) == sum(page["subscribers"] or 0 for page in schools)
    assert _number(figures["Флагманских страниц у цели"][1]) == sum(
        page["reached"] for page in schools if page["flagship"]
    )
    assert any("Школы" in caption.value for caption in app.caption)


def test_custom_dates_need_both_ends(open_app):
    app = open_app("pages/report.py")
    app.button_group(key="report_kind").set_value("Свои даты").run()
    app.date_input(key="report_dates").set_value((date(2026, 10, 5),)).run()
    assert not app.exception
    assert "и первый, и последний день" in app.info[0].value
    app.date_input(key="report_dates").set_value((date(2026, 10, 5), date(2026, 11, 10))).run()
    assert list(app.dataframe[0].value.columns)[1:3] == ["На 04.10.2026", "На 10.11.2026"]


def test_a_period_after_the_newest_figures_says_so(open_app):
    app = open_app("pages/report.py")
    app.button_group(key="report_kind").set_value("Свои даты").run()
    app.date_input(key="report_dates").set_value((date(2026, 12, 1), date(2026, 12, 20))).run()
    assert not app.exception
    assert "цифр ещё нет: последние цифры подписчиков — за 26.11.2026" in app.info[0].value
    assert not app.get("download_button")


def test_a_store_without_figures_has_nothing_to_report(open_app, store_url):
    engine = create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM subscriber_snapshots"))
    engine.dispose()
    reads.cache.clear_reads()
    app = open_app("pages/report.py")
    assert not app.exception
    assert "Цифр подписчиков в базе ещё нет" in app.info[0].value


def test_overview_links_to_the_report(open_app):
    app = open_app()
    links = {link.proto.label: link.proto.page for link in app.get("page_link")}
    assert links["Отчёт для комиссии (DOCX, PDF)"] == "report"
