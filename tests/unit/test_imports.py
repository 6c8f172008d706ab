"""Imports: every fixture file gives the expected rows or the exact problems; a failure changes
nothing; the same file twice changes nothing; the parsers hold for any input (Hypothesis)."""

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from data_access import importers, parsing, queries
from data_access.auth import Actor
from data_access.models import subscriber_snapshots
from data_access.writes import PermissionDenied, ValidationFailed
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "imports"
TODAY = date(2026, 11, 27)
ADMIN = Actor("admin", "Админ", "admin")
EDITOR = Actor("editor", "Редактор", "editor")

# file -> (new, updated, unchanged, suspicious) for good files, or [(row, column, message part), …] for bad ones.
SUBSCRIBER_CASES = {
    "ok_utf8_semicolon.csv": (1, 1, 0, 0),
    "ok_utf8_bom_comma.csv": (1, 1, 0, 0),
    "ok_cp1251_semicolon.csv": (1, 1, 0, 0),
    "ok_tab_english.txt": (0, 1, 1, 1),  # 1 340 then 329 the next day: a drop to flag
    "ok_excel.xlsx": (1, 1, 0, 0),
    "ok_repeated_rows.csv": (1, 0, 2, 0),
    "bad_unknown_page.csv": [(2, "Страница", "такой страницы нет в реестре")],
    "bad_wrong_host.csv": [(2, "Страница", "vk.com, ok.ru, t.me или max.ru")],
    "bad_negative_and_text.csv": [
        (2, "Подписчики", "не может быть отрицательным"),
        (3, "Подписчики", "ожидается целое число"),
        (4, "Подписчики", "неоднозначное число"),
    ],
    # The comma-separated row «…,2026-11-21,1,250» is not read as 1 subscriber any more.
    "bad_ambiguous_counts.csv": [
        (2, "столбец 4 (без заголовка)", "больше заполненных ячеек (4), чем столбцов"),
        (3, "subscribers", "неоднозначное число"),
        (4, "subscribers", "неоднозначное число"),
    ],
    "bad_extra_cells.csv": [
        (3, "столбец 4 (без заголовка)", "больше заполненных ячеек (5), чем столбцов в заголовке (3)")
    ],
    "bad_scripts_and_bounds.csv": [
        (2, "Страница", "символ «о» (кириллица, 19-й знак)"),
        (3, "Дата", "раньше 2015 года"),
        (4, "Подписчики", "больше 50 000 000"),
    ],
    "bad_dates.csv": [(2, "Дата", "такой даты нет"), (3, "Дата", "ожидается дата"), (4, "Дата", "дата в будущем")],
    "bad_duplicate_conflict.csv": [(3, "Подписчики", "уже есть в строке 2 с другим значением (340)")],
    "bad_missing_column.csv": [(1, None, "нет столбца «дата»")],
    "bad_empty.csv": [(None, None, "файл пустой")],
    "bad_header_only.csv": [(None, None, "только заголовок")],
    "bad_binary.csv": [(None, None, "не похож на таблицу")],
    "bad_broken.xlsx": [(None, None, "XLSX повреждён")],
    "bad_formula.csv": [(2, "Страница", "vk.com, ok.ru, t.me или max.ru")],
    "bad_partly_good.csv": [(3, "Подписчики", "не может быть отрицательным")],
}


def _fingerprint(engine):
    with engine.connect() as connection:
        return (
            connection.execute(select(func.count(), func.sum(subscriber_snapshots.c.subscribers))).one(),
            queries.store_counts(engine),
        )


@pytest.mark.parametrize("name", sorted(SUBSCRIBER_CASES))
def test_subscriber_fixture(demo_engine, name):
    expected = SUBSCRIBER_CASES[name]
    data = (FIXTURES / name).read_bytes()
    before = _fingerprint(demo_engine)
    plan = importers.plan_subscribers(demo_engine, data, name, TODAY)
    if isinstance(expected, tuple):
        assert plan.ok, plan.problem_texts()
        assert (len(plan.new), len(plan.updated), plan.unchanged, len(plan.suspicious)) == expected
        if plan.suspicious:
            with pytest.raises(ValidationFailed, match="подозрительных изменений: 1"):
                importers.apply_subscribers(demo_engine, ADMIN, plan)
            assert _fingerprint(demo_engine) == before
        importers.apply_subscribers(demo_engine, ADMIN, plan, confirm_suspicious=True)
        again = importers.plan_subscribers(demo_engine, data, name, TODAY)
        assert (len(again.new), len(again.updated)) == (0, 0)  # the same file twice changes nothing
        assert again.unchanged == plan.rows_total
        history = importers.recent_imports(demo_engine)
        assert history.iloc[0]["file_name"] == name and history.iloc[0]["rows_added"] == expected[0]
    else:
        got = [(problem.row, problem.column, problem.message) for problem in plan.problems]
        assert len(got) == len(expected), plan.problem_texts()
        for (row, column, message), (want_row, want_column, want_part) in zip(got, expected):
            assert row == want_row and column == want_column and want_part in message
        with pytest.raises(ValidationFailed):
            importers.apply_subscribers(demo_engine, ADMIN, plan)
        assert _fingerprint(demo_engine) == before


def test_problem_texts_name_file_row_column_and_value(demo_engine):
    plan = importers.plan_subscribers(
        demo_engine, (FIXTURES / "bad_negative_and_text.csv").read_bytes(), "май.csv", TODAY
    )
    assert plan.problem_texts()[0] == (
        "Файл «май.csv», строка 2, столбец «Подписчики», значение «-5»: число подписчиков не может быть отрицательным"
    )


def test_values_really_land_in_the_store(demo_engine):
    plan = importers.plan_subscribers(demo_engine, (FIXTURES / "ok_excel.xlsx").read_bytes(), "ok.xlsx", TODAY)
    importers.apply_subscribers(demo_engine, ADMIN, plan)
    with demo_engine.connect() as connection:
        value = connection.execute(
            select(subscriber_snapshots.c.subscribers).where(
                subscriber_snapshots.c.page_id == 4, subscriber_snapshots.c.day == date(2026, 11, 20)
            )
        ).scalar()
    assert value == 340


def test_oversized_and_too_many_rows(demo_engine):
    huge = b"a" * (parsing.MAX_FILE_BYTES + 1)
    assert "больше 20 МБ" in importers.plan_subscribers(demo_engine, huge, "huge.csv", TODAY).problems[0].message
    many = ("Страница;Дата;Подписчики\n" + "4;20.11.2026;1\n" * (parsing.MAX_ROWS + 1)).encode()
    problem = importers.plan_subscribers(demo_engine, many, "many.csv", TODAY).problems[0]
    assert "больше 300 000 строк" in problem.message


def test_editors_import_only_when_the_setting_allows(demo_engine, monkeypatch):
    plan = importers.plan_subscribers(demo_engine, (FIXTURES / "ok_utf8_semicolon.csv").read_bytes(), "f.csv", TODAY)
    with pytest.raises(PermissionDenied):
        importers.apply_subscribers(demo_engine, EDITOR, plan)
    monkeypatch.setenv("GOSPUBLIKI_EDITORS_CAN_IMPORT", "true")
    importers.apply_subscribers(demo_engine, EDITOR, plan)


def test_registry_file_adds_and_updates(demo_engine):
    data = (FIXTURES / "registry_ok.csv").read_bytes()
    plan = importers.plan_registry(demo_engine, data, "registry_ok.csv")
    assert plan.ok, plan.problem_texts()
    assert (len(plan.new), len(plan.updated)) == (1, 1)
    importers.apply_registry(demo_engine, ADMIN, plan)
    frame = queries.registry_frame(demo_engine).set_index("code")
    assert frame.loc["ds-900", "url"] == "https://vk.com/ds900nsk" and frame.loc["ds-900", "lat"] == 54.95
    assert bool(frame.loc["ds-105", "is_flagship"]) and frame.loc["ds-105", "target_override"] == 1200
    again = importers.plan_registry(demo_engine, data, "registry_ok.csv")
    assert (len(again.new), len(again.updated), again.unchanged) == (0, 0, 2)


def test_hostile_registry_text_is_stored_as_plain_text(demo_engine):
    plan = importers.plan_registry(demo_engine, (FIXTURES / "registry_hostile.csv").read_bytes(), "h.csv")
    importers.apply_registry(demo_engine, ADMIN, plan)
    names = queries.registry_frame(demo_engine).set_index("code")["name"]
    assert names["ds-901"] == "<script>alert('x')</script> Детский сад № 901"
    assert names["ds-902"].startswith("=HYPERLINK")


def test_registry_problems_are_all_named(demo_engine):
    before = _fingerprint(demo_engine)
    plan = importers.plan_registry(demo_engine, (FIXTURES / "registry_bad.csv").read_bytes(), "registry_bad.csv")
    got = [(problem.row, problem.column, problem.message) for problem in plan.problems]
    messages = " | ".join(f"{row}:{column}:{message}" for row, column, message in got)
    assert "2:category:неизвестная категория" in messages
    assert [(junk.row, junk.message) for junk in plan.junk] == [(3, "строка похожа на мусор: нет названия")]
    assert "4:lat:ожидается число от 53.0 до 57.5" in messages
    assert "4:flagship:ожидается «да» или «нет»" in messages
    assert "4:target:число подписчиков не может быть отрицательным" in messages
    assert "2:district" not in messages
    assert "4:page:эта страница в реестре принадлежит учреждению «ds-105»" in messages
    assert "6:page:эта страница уже указана в строке 5 для другого учреждения" in messages
    with pytest.raises(ValidationFailed):
        importers.apply_registry(demo_engine, ADMIN, plan)
    assert _fingerprint(demo_engine) == before


def test_cli_import_exit_codes_and_messages(tmp_path, demo_sqlite_url):
    env = {"DATABASE_URL": demo_sqlite_url, "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "data_access", "import", *args], capture_output=True, text=True, env=env, cwd=ROOT
        )

    bad = run("subscribers", str(FIXTURES / "bad_dates.csv"))
    assert bad.returncode == 1 and "ничего не изменено" in bad.stderr and "строка 3" in bad.stderr
    assert "Traceback" not in bad.stderr
    dry = run("subscribers", str(FIXTURES / "ok_utf8_semicolon.csv"), "--dry-run")
    assert dry.returncode == 0 and "без записи" in dry.stdout
    good = run("subscribers", str(FIXTURES / "ok_utf8_semicolon.csv"))
    assert good.returncode == 0 and "новых 1, изменённых 1" in good.stdout
    again = run("subscribers", str(FIXTURES / "ok_utf8_semicolon.csv"))
    assert again.returncode == 0 and "новых 0, изменённых 0, без изменений 2" in again.stdout
    missing = run("registry", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "не читается" in missing.stderr


# Property-based tests of the parsers --------------------------------------------------------------

SEPARATORS = st.sampled_from(["", " ", "\u00a0", "\u202f"])


@given(st.integers(min_value=0, max_value=parsing.MAX_COUNT), SEPARATORS)
def test_counts_survive_any_thousands_separator(number, separator):
    text = f"{number:,}".replace(",", separator)
    assert parsing.parse_count(text) == number
    assert parsing.parse_count(f" {text} ") == number


@given(st.integers(min_value=1, max_value=10**6))
def test_negative_counts_are_refused(number):
    with pytest.raises(ValueError, match="отрицательным"):
        parsing.parse_count(f"-{number}")


@given(st.text(max_size=20))
def test_count_parser_never_crashes(text):
    try:
        assert parsing.parse_count(text) >= 0
    except ValueError:
        pass


@given(st.dates(min_value=date(parsing.EARLIEST_YEAR, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_in_russian_and_iso_forms(day):
    for text in (
        f"{day:%d.%m.%Y}",
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day.isoformat()} 00:00:00",
        f"{day.day}.{day.month}.{day.year:04d}",
    ):
        assert parsing.parse_day(text) == day


@given(st.text(max_size=25))
def test_date_parser_never_crashes(text):
    try:
        parsing.parse_day(text)
    except ValueError:
        pass


SLUGS = st.from_regex(r"[a-z][a-z0-9_.]{2,20}", fullmatch=True).filter(lambda slug: not slug.endswith("."))


@given(SLUGS, st.sampled_from(["vk.com", "ok.ru", "t.me", "max.ru"]))
def test_every_common_form_of_a_link_is_the_same_page(slug, host):
    canonical = f"https://{host}/{slug}"
    for text in (
        canonical,
        f"{host}/{slug}",
        f"http://www.{host}/{slug}/",
        f"https://m.{host}/{slug.upper()}",
        f" {host}/{slug}?utm_source=qr ",
        f"https://{host}/{slug}#wall",
    ):
        assert parsing.canonical_page_url(text) == canonical


def test_max_channels_are_a_platform_of_their_own():
    url = parsing.canonical_page_url("https://max.ru/ds105nsk/")
    assert url == "https://max.ru/ds105nsk" and parsing.platform_of(url) == "max"


@given(st.text(max_size=40))
def test_url_parser_never_crashes(text):
    try:
        assert parsing.canonical_page_url(text).startswith("https://")
    except ValueError:
        pass


def test_clean_text_drops_control_characters_and_keeps_markup_as_text():
    assert parsing.clean_text("Сад\x00 № 1\x1b[31m  <b>", 100) == "Сад № 1[31m <b>"


def test_a_registry_import_is_undone_exactly_unless_its_rows_changed_or_gathered_data(demo_engine):
    from tests.unit.test_import_rules import _content_hashes

    before = _content_hashes(demo_engine)
    data = (FIXTURES / "registry_ok.csv").read_bytes()
    plan = importers.apply_registry(demo_engine, ADMIN, importers.plan_registry(demo_engine, data, "registry_ok.csv"))
    assert _content_hashes(demo_engine) != before
    undone = importers.undo_import(demo_engine, ADMIN, plan.import_id)
    assert (undone.removed, undone.restored) == (2, 2)  # ds-900 and its page created; ds-105 and its page changed
    mapping = "import_mappings"  # the remembered column matching of the file's headers is kept, on purpose
    assert {k: v for k, v in _content_hashes(demo_engine).items() if k != mapping} == {
        k: v for k, v in before.items() if k != mapping
    }  # institutions, pages, daily sums: as they were
    # Loaded again, and its new page gets a figure: the undo would lose it, so it is refused.
    plan = importers.apply_registry(demo_engine, ADMIN, importers.plan_registry(demo_engine, data, "registry_ok.csv"))
    figures = importers.plan_subscribers(
        demo_engine, "Страница;Дата;Подписчики\nvk.com/ds900nsk;27.11.2026;12\n".encode(), "new.csv", TODAY
    )
    importers.apply_subscribers(demo_engine, ADMIN, figures)
    after = _content_hashes(demo_engine)
    with pytest.raises(ValidationFailed) as refused:
        importers.undo_import(demo_engine, ADMIN, plan.import_id)
    assert "https://vk.com/ds900nsk: у неё после загрузки появились цифры подписчиков" in " ".join(
        refused.value.problems
    )
    assert _content_hashes(demo_engine) == after
