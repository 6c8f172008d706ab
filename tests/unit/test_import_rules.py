"""Imports refuse what they cannot read for certain (one test per rule, on SQLite and PostgreSQL),
show what will change, and load the portal's registry as downloaded."""

import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from data_access import importers, queries, registry
from data_access.auth import Actor
from data_access.config import Settings
from data_access.models import institutions, subscriber_snapshots
from data_access.registry import InstitutionDraft, PageDraft
from data_access.writes import ValidationFailed
from tests import shaped_files
from tests.conftest import ROOT
from tests.independent import active_pages

TODAY = date(2026, 11, 27)
ADMIN = Actor("admin", "Админ", "admin")


def _fingerprint(engine):
    with engine.connect() as connection:
        return (
            connection.execute(select(func.count(), func.sum(subscriber_snapshots.c.subscribers))).one(),
            queries.store_counts(engine),
        )


def _problems(plan):
    return [(problem.row, problem.column, problem.message) for problem in plan.problems]


def _refused(engine, content: str, name="f.csv"):
    before = _fingerprint(engine)
    plan = importers.plan_subscribers(engine, content.encode("utf-8"), name, TODAY)
    assert not plan.ok
    with pytest.raises(ValidationFailed):
        importers.apply_subscribers(engine, ADMIN, plan)
    assert _fingerprint(engine) == before
    return _problems(plan)


def test_a_row_with_more_cells_than_the_header_is_refused(demo_engine):
    problems = _refused(demo_engine, "page,date,subscribers\nhttps://vk.com/ds105nsk,2026-11-21,1,250\n")
    assert problems == [(2, "столбец 4 (без заголовка)", problems[0][2])]
    assert "больше заполненных ячеек (4), чем столбцов в заголовке (3)" in problems[0][2]


def test_empty_trailing_cells_as_excel_writes_them_are_fine(demo_engine):
    plan = importers.plan_subscribers(
        demo_engine, "Страница;Дата;Подписчики;;\nvk.com/ds105nsk;20.11.2026;341;;\n".encode(), "f.csv", TODAY
    )
    assert plan.ok and len(plan.updated) == 1


def test_a_row_missing_a_required_cell_is_refused(demo_engine):
    problems = _refused(demo_engine, "Страница;Дата;Подписчики\nvk.com/ds105nsk;20.11.2026\nvk.com/ds105nsk;;5\n")
    assert (2, "Подписчики", "не указано число подписчиков") in problems
    assert (3, "Дата", "не указана дата") in problems


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1,250", "неоднозначное число"),
        ("1.250", "неоднозначное число"),
        ("12,5", "неоднозначное число"),
        ("-3", "отрицательным"),
        ("50 000 001", "больше 50 000 000"),
        ("1 23", "ожидается целое число"),
    ],
)
def test_counts_that_are_not_plain_whole_numbers_are_refused(demo_engine, raw, reason):
    problems = _refused(demo_engine, f'Страница;Дата;Подписчики\nvk.com/ds105nsk;20.11.2026;"{raw}"\n')
    assert len(problems) == 1 and problems[0][:2] == (2, "Подписчики") and reason in problems[0][2]


@pytest.mark.parametrize("raw", ["1 234", "1\u00a0234", "1\u202f234", "1\u2009234", "1234,0", "1234.00"])
def test_thousand_spaces_and_excel_zeros_are_read(raw):
    from data_access import parsing

    assert parsing.parse_count(raw) == 1234


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ((TODAY + timedelta(days=1)).strftime("%d.%m.%Y"), "дата в будущем"),
        ("31.12.2014", "раньше 2015 года"),
    ],
)
def test_dates_in_the_future_or_before_2015_are_refused(demo_engine, day, reason):
    problems = _refused(demo_engine, f"Страница;Дата;Подписчики\nvk.com/ds105nsk;{day};340\n")
    assert problems[0][:2] == (2, "Дата") and reason in problems[0][2]


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://example.com/ds105nsk", "vk.com, ok.ru, t.me или max.ru"),
        ("https://vk.com/ds1о5nsk", "символ «о» (кириллица, 19-й знак)"),
        ("vk.сom/ds105nsk", "символ «с» (кириллица, 4-й знак)"),
    ],
)
def test_links_off_the_known_hosts_or_in_mixed_scripts_are_refused(demo_engine, link, reason):
    problems = _refused(demo_engine, f"Страница;Дата;Подписчики\n{link};20.11.2026;340\n")
    assert problems[0][:2] == (2, "Страница") and reason in problems[0][2]


def test_a_cell_longer_than_any_column_is_a_problem_not_a_traceback(demo_engine):
    huge = "x" * 137_443
    problems = _refused(demo_engine, f'Страница;Дата;Подписчики\n"{huge}";20.11.2026;340\n')
    assert problems[0][:2] == (2, "Страница") and "137\u00a0443 знаков" in problems[0][2]


def test_registry_districts_are_checked_with_the_nearest_suggested(demo_engine):
    data = (
        "Код;Название;Категория;Район\nx-1;Сад № 1;Детские сады;Дзержинскй район\n"
        "x-2;Сад № 2;Детские сады;Кольцово\nx-3;Сад № 3;Детские сады;кировский\n"
    ).encode()
    plan = importers.plan_registry(demo_engine, data, "r.csv")
    messages = {row: message for row, _column, message in _problems(plan)}
    assert "может быть, «Дзержинский район»?" in messages[2]
    assert "неизвестный район (в городе десять районов" in messages[3]
    assert 4 not in messages  # case and a missing «район» are forgiven


@pytest.mark.parametrize("target", ["0", "1000001"])
def test_target_overrides_outside_1_to_a_million_are_refused(demo_engine, target):
    data = f"Код;Название;Категория;Район;Цель\nx-1;Сад № 1;Детские сады;Кировский район;{target}\n".encode()
    problems = _problems(importers.plan_registry(demo_engine, data, "r.csv"))
    assert problems == [(2, "Цель", "цель должна быть от 1 до 1\u00a0000\u00a0000")]


def test_texts_are_checked_against_their_column_sizes_before_writing(demo_engine):
    before = _fingerprint(demo_engine)
    with pytest.raises(ValidationFailed, match="Краткое название: текст длиной 250 знаков не помещается"):
        registry.add_institution(
            demo_engine, ADMIN, InstitutionDraft("x-1", "Сад", "С" * 250, "kindergarten", "Кировский район"), None
        )
    with pytest.raises(ValidationFailed, match="Своя цель: цель должна быть от 1"):
        registry.add_institution(
            demo_engine,
            ADMIN,
            InstitutionDraft("x-1", "Сад", "Сад", "kindergarten", "Кировский район"),
            PageDraft("vk.com/x1", False, 0),
        )
    assert _fingerprint(demo_engine) == before


def test_the_same_file_imported_twice_at_once_gives_the_second_a_message(demo_engine):
    data = "Страница;Дата;Подписчики\nvk.com/ds105nsk;27.11.2026;345\nvk.com/gim1nsk;27.11.2026;999\n".encode()
    first = importers.plan_subscribers(demo_engine, data, "a.csv", TODAY)
    second = importers.plan_subscribers(demo_engine, data, "a.csv", TODAY)  # checked before the first is written
    importers.apply_subscribers(demo_engine, ADMIN, first)
    after_first = _fingerprint(demo_engine)
    with pytest.raises(ValidationFailed, match="Пока файл проверялся"):
        importers.apply_subscribers(demo_engine, ADMIN, second)
    assert _fingerprint(demo_engine) == after_first


def test_the_suspicious_check_scales_with_the_gap_since_the_previous_figure(demo_engine):
    """docs/guide.md: a drop of more than 20 % is flagged after any gap (a 32 % drop after 24 days too);
    the allowed jump grows with the gap: 5 times a week, 5 × 24/7 times after 24 days."""
    from datetime import timedelta

    with demo_engine.connect() as connection:
        page_id, url, value = connection.execute(
            text(
                "SELECT p.id, p.url, s.subscribers FROM pages p JOIN subscriber_snapshots s ON s.page_id = p.id "
                "WHERE s.subscribers > 100 AND s.day = (SELECT MAX(day) FROM subscriber_snapshots x WHERE x.page_id = "
                "p.id) "
                "ORDER BY p.id LIMIT 1"
            )
        ).one()
    with demo_engine.begin() as connection:  # the page's figures stop 24 days before today
        connection.execute(
            text("DELETE FROM subscriber_snapshots WHERE page_id = :page AND day > :cut"),
            {"page": page_id, "cut": TODAY - timedelta(days=24)},
        )
        before = connection.execute(
            text("SELECT subscribers FROM subscriber_snapshots WHERE page_id = :page ORDER BY day DESC LIMIT 1"),
            {"page": page_id},
        ).scalar()
    link = url.replace("https://", "")

    def reason(count: int) -> str:
        plan = importers.plan_subscribers(
            demo_engine, f"Страница;Дата;Подписчики\n{link};{TODAY:%d.%m.%Y};{count}\n".encode(), "gap.csv", TODAY
        )
        return plan.preview[0]["reason"]

    assert reason(int(before * 0.68)) == "падение больше чем на 20\u00a0% за 24 дня"
    assert reason(int(before * 16)) == ""  # within 5 × 24/7 ≈ 17,1 times
    assert reason(int(before * 18)) == "рост больше чем в 17,1 раза за 24 дня"


def test_the_preview_shows_the_previous_figure_its_date_and_the_change(demo_engine):
    with demo_engine.connect() as connection:
        page_id, day, value = connection.execute(
            text(
                "SELECT page_id, day, subscribers FROM subscriber_snapshots WHERE page_id = 4 ORDER BY day DESC LIMIT 1"
            )
        ).one()
    latest = day if isinstance(day, date) else date.fromisoformat(day)
    data = (
        f"Страница;Дата;Подписчики\nvk.com/ds105nsk;{TODAY:%d.%m.%Y};{value + 7}\nvk.com/gim1nsk;{TODAY:%d.%m.%Y};10\n"
    ).encode()  # gim1nsk has ~1000: a drop to flag
    plan = importers.plan_subscribers(demo_engine, data, "p.csv", TODAY)
    rows = {row["page_id"]: row for row in plan.preview}
    assert (rows[4]["previous"], rows[4]["previous_day"], rows[4]["change"]) == (value, latest, 7)
    assert not rows[4]["suspicious"]
    flagged = [row for row in plan.preview if row["suspicious"]]
    assert len(flagged) == 1 and "падение больше чем на 20" in flagged[0]["reason"]
    assert (plan.pages_in_file, plan.pages_active) == (2, active_pages(demo_engine))
    looser = importers.plan_subscribers(demo_engine, data, "p.csv", TODAY, settings=Settings(suspicious_drop=0.999))
    assert not looser.suspicious  # the threshold is a setting
    frame = importers.preview_frame(plan)
    assert list(frame.columns) == [
        "Строка",
        "Учреждение",
        "Заменяется",
        "Было",
        "Стало",
        "Изменение",
        "Проверить",
        "Дата",
        "На дату",
        "Запись",
    ]


def test_the_template_lists_every_page_of_the_selection_with_its_latest_figure(demo_engine):
    from data_access import rules
    from data_access.filters import PageFilter

    selection = PageFilter(districts=("Кировский район",))
    figures = rules.add_outlook(queries.page_progress(demo_engine, selection), date(2027, 12, 31))
    template = importers.subscriber_template(figures)
    with demo_engine.connect() as connection:
        expected = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
                "WHERE i.district = 'Кировский район' AND p.retired_at IS NULL AND i.retired_at IS NULL"
            )
        ).scalar()
    assert len(template) == expected and list(template.columns)[:3] == ["Страница", "Учреждение", "Последняя цифра"]
    # Left unfilled, the template changes nothing and refuses nothing.
    from components.csv_export import to_csv_bytes

    plan = importers.plan_subscribers(demo_engine, to_csv_bytes(template), "t.csv", TODAY)
    assert plan.ok and plan.rows_without_figures == expected and not plan.new


def test_the_portal_registry_loads_as_downloaded(demo_engine):
    data = shaped_files.portal_kindergartens()
    plan = importers.plan_registry(demo_engine, data, "portal.csv")
    assert plan.mapping["name"] == [shaped_files.PORTAL_HEADERS.index("OuName")]
    assert plan.mapping["address"] == [shaped_files.PORTAL_HEADERS.index(name) for name in ("AdrStreet", "AdrDom")]
    assert [problem.message for problem in plan.problems] == [
        "в файле нет столбца категории: выберите категорию для всех строк"
    ]
    plan = importers.plan_registry(demo_engine, data, "portal.csv", default_category="kindergarten")
    assert not plan.problems and not plan.ok  # junk rows, not yet skipped
    assert [problem.row for problem in plan.junk] == [shaped_files.NUL_ROW, shaped_files.HUGE_ROW]
    assert "140\u00a0000 знаков" in plan.junk[1].message
    before = _fingerprint(demo_engine)
    with pytest.raises(ValidationFailed):
        importers.apply_registry(demo_engine, ADMIN, plan)
    assert _fingerprint(demo_engine) == before
    plan = importers.plan_registry(demo_engine, data, "portal.csv", default_category="kindergarten", skip_junk=True)
    assert plan.ok and len(plan.new) == 11
    first = plan.new[0]["institution"]
    assert first["short_name"] == "Детский сад № 9001 «Улыбка»"
    assert first["address"] == "Гоголя улица, 10/1" and first["lat"] is None and plan.new[0]["page"] is None
    importers.apply_registry(demo_engine, ADMIN, plan, short_names={2: "Сад № 9001 (Улыбка)"})
    with demo_engine.connect() as connection:
        names = dict(
            connection.execute(
                select(institutions.c.code, institutions.c.short_name).where(institutions.c.code.like("auto-%"))
            ).all()
        )
        audit = connection.execute(
            text("SELECT after FROM audit_log WHERE action = 'import' ORDER BY id DESC")
        ).scalar()
    assert len(names) == 11 and "Сад № 9001 (Улыбка)" in names.values()
    assert "skipped_junk_rows" in audit
    again = importers.plan_registry(demo_engine, data, "portal.csv", default_category="kindergarten", skip_junk=True)
    # Matched by name; a short name edited by a person is not re-derived over.
    assert (len(again.new), len(again.updated), again.unchanged) == (0, 0, 11)


def test_the_same_registry_loaded_again_in_any_shape_creates_nothing_twice(demo_engine):
    """The portal's file as downloaded, then the same kindergartens with «Код» and «Страница» added,
    then that again: as many institutions as the file has, their codes and pages added, nothing doubled."""
    count = 30
    before = _institutions(demo_engine)
    downloaded = shaped_files.portal_kindergartens(count, junk=False)
    plan = importers.plan_registry(demo_engine, downloaded, "portal.csv", default_category="kindergarten")
    assert plan.ok and (len(plan.new), plan.matched) == (count, 0)
    importers.apply_registry(demo_engine, ADMIN, plan)
    completed = shaped_files.portal_kindergartens(count, junk=False, code_and_page=True)
    plan = importers.plan_registry(demo_engine, completed, "portal-with-codes.csv", default_category="kindergarten")
    assert plan.ok and (len(plan.new), len(plan.updated), plan.matched) == (0, count, count)
    importers.apply_registry(demo_engine, ADMIN, plan)
    with demo_engine.connect() as connection:
        added = connection.execute(
            text(
                "SELECT i.code, COUNT(p.id) FROM institutions i LEFT JOIN pages p ON p.institution_id = i.id "
                "WHERE i.code LIKE 'ds-90__' GROUP BY i.code"
            )
        ).all()
    assert _institutions(demo_engine) == before + count
    assert sorted(added) == sorted((f"ds-{9001 + index}", 1) for index in range(count))
    for data in (completed, downloaded):
        again = importers.plan_registry(demo_engine, data, "again.csv", default_category="kindergarten")
        assert (len(again.new), len(again.updated), again.unchanged, again.matched) == (0, 0, count, count)


def test_derived_short_names_keep_the_number_and_balance_their_quotes(demo_engine):
    import re

    count = 28  # every quoting of the portal's, four times
    plan = importers.plan_registry(
        demo_engine, shaped_files.portal_kindergartens(count, junk=False), "portal.csv", default_category="kindergarten"
    )
    derived = {entry["institution"]["name"]: entry["institution"]["short_name"] for entry in plan.new}
    assert len(derived) == count
    for full, short in derived.items():
        number = re.search(r"(?:№|N)\s*(\d+)", full).group(1)
        assert f"№ {number}" in short, (full, short)
        assert short.count("«") == short.count("»") and '"' not in short, (full, short)
        assert "вида" not in short and "учреждение" not in short, (full, short)
    assert derived[shaped_files.legal_name(9002, "Солнышко", "автономное", 1)] == "Детский сад № 9002 «Солнышко»"
    assert (
        derived[shaped_files.legal_name(9005, "Золотой ключик", "автономное", 4)]
        == "Детский сад № 9005 «Золотой ключик»"
    )


def test_two_institutions_sharing_a_short_name_in_a_district_are_flagged(demo_engine):
    with demo_engine.connect() as connection:
        district, short_name = connection.execute(
            text("SELECT district, short_name FROM institutions ORDER BY id LIMIT 1")
        ).one()
    data = (
        f"Полное название;Краткое название;Район;Категория\nМБУ «Другое учреждение»;{short_name};{district};Другое\n"
    ).encode()
    plan = importers.plan_registry(demo_engine, data, "twins.csv")
    assert plan.ok and f"{district}: «{short_name}» — 2 учреждения" in plan.twins


def test_a_changed_mapping_is_remembered_for_the_next_file_with_the_same_headers(demo_engine):
    data = shaped_files.portal_kindergartens(count=3)
    suggested = importers.plan_registry(demo_engine, data, "p.csv", default_category="kindergarten")
    mapping = {**suggested.mapping, "website": [shaped_files.PORTAL_HEADERS.index("E-mail")]}
    plan = importers.plan_registry(
        demo_engine, data, "p.csv", mapping=mapping, default_category="kindergarten", skip_junk=True
    )
    importers.apply_registry(demo_engine, ADMIN, plan)
    later = importers.plan_registry(demo_engine, data, "p2.csv", default_category="kindergarten")
    assert later.mapping == mapping


def test_cli_refuses_with_exit_code_1_and_changes_nothing(tmp_path, demo_engine):
    url = demo_engine.url.render_as_string(hide_password=False)
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "GOSPUBLIKI_TODAY": TODAY.isoformat()}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "data_access", "import", *args], capture_output=True, text=True, env=env, cwd=ROOT
        )

    before = _fingerprint(demo_engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("page,date,subscribers\nhttps://vk.com/ds105nsk,2026-11-21,1,250\n", encoding="utf-8")
    result = run("subscribers", str(bad))
    assert result.returncode == 1 and "строка 2" in result.stderr and "Traceback" not in result.stderr
    portal = tmp_path / "portal.csv"
    portal.write_bytes(shaped_files.portal_kindergartens())
    result = run("registry", str(portal))
    assert result.returncode == 1 and "нет столбца категории" in result.stderr
    result = run("registry", str(portal), "--category", "kindergarten")
    assert result.returncode == 1 and "--skip-junk" in result.stderr and "строка 5" in result.stderr
    assert _fingerprint(demo_engine) == before
    result = run("registry", str(portal), "--category", "kindergarten", "--skip-junk")
    assert result.returncode == 0, result.stderr
    assert "новых 11" in result.stdout and "Пропущено строк-мусора: 2" in result.stdout
    drop = tmp_path / "drop.csv"
    drop.write_text(f"Страница;Дата;Подписчики\nvk.com/gim1nsk;{TODAY:%d.%m.%Y};10\n", encoding="utf-8")
    result = run("subscribers", str(drop))
    assert result.returncode == 1 and "--confirm-suspicious" in result.stderr
    assert run("subscribers", str(drop), "--confirm-suspicious").returncode == 0
    template = tmp_path / "template.csv"  # two rows filled in, two left blank as the template had them
    template.write_text(
        f"Страница;Дата;Подписчики\nvk.com/gim1nsk;{TODAY:%d.%m.%Y};11\nvk.com/ds105nsk;;\n"
        f"vk.com/gim5nsk;;\nvk.com/lic22nsk;{TODAY:%d.%m.%Y};900\n",
        encoding="utf-8",
    )
    result = run("subscribers", str(template), "--dry-run", "--confirm-suspicious")
    assert result.returncode == 0 and "Незаполненных строк шаблона: 2." in result.stdout, result.stdout + result.stderr


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused_before_parsing(demo_engine):
    import io
    import time
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row><c><v>1</v></c></row>" * 3_000_000)  # ≈ 80 MB
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    started = time.perf_counter()
    plan = importers.plan_subscribers(demo_engine, data, "bomb.xlsx", TODAY)
    assert time.perf_counter() - started < 5
    assert not plan.ok and "архивная бомба" in plan.problems[0].message
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(600):
            archive.writestr(f"part{number}.xml", "x")
    assert (
        "архивная бомба"
        in importers.plan_subscribers(demo_engine, many.getvalue(), "m.xlsx", TODAY).problems[0].message
    )


def test_a_region_sized_registry_is_checked_and_previewed_quickly(demo_engine):
    import time

    rows = "".join(
        f"big-{number};Сад № {number};Детские сады;Кировский район;https://vk.com/big{number}\n"
        for number in range(3500)
    )
    data = ("Код;Название;Категория;Район;Страница\n" + rows).encode()
    started = time.perf_counter()
    plan = importers.plan_registry(demo_engine, data, "big.csv")
    preview = importers.registry_preview_frame(plan)
    assert plan.ok and len(preview) == 3500 and set(preview["Запись"]) == {"новое"}
    assert time.perf_counter() - started < 20  # linear work: a few seconds on this machine


def _institutions(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM institutions")).scalar()


def test_an_xlsx_is_read_as_its_rows_are_not_as_it_declares(monkeypatch):
    """A declared «A1:XFD1048576» is ignored (no made-up rows or columns); a value right of the
    200th column is refused naming its row and column; reading stops at the time limit."""
    from bench.hostile_xlsx import workbook
    from data_access import parsing

    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Страница</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Подписчики</t></is></c></row>'
    )
    far = (
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>vk.com/gim1nsk</t></is></c>'
        '<c r="B1048576"><v>512</v></c></row>'
    )
    rows = parsing.read_rows(workbook([header, far], '<dimension ref="A1:XFD1048576"/>'), "trap.xlsx")
    assert rows == [(1, ["Страница", "Подписчики"]), (1048576, ["vk.com/gim1nsk", "512"])]
    wide = '<row r="2"><c r="A2"><v>1</v></c><c r="XFD2" t="inlineStr"><is><t>мусор</t></is></c></row>'
    with pytest.raises(parsing.FileProblem, match="строка 2, столбец XFD: значение «мусор» правее 200-го столбца"):
        parsing.read_rows(workbook([header, wide]), "wide.xlsx")
    monkeypatch.setattr(parsing, "MAX_XLSX_SECONDS", -1)  # every row is «too late»
    with pytest.raises(parsing.FileProblem, match="читается дольше"):
        parsing.read_rows(workbook([header, far]), "slow.xlsx")


def _content_hashes(engine) -> dict[str, str]:
    """Each table's rows, hashed — save the import history itself and the cache counters."""
    import hashlib

    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(engine)
    hashes = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            if name in ("audit_log", "data_revisions", "imports", "import_changes", "import_registry_changes"):
                continue
            rows = sorted(repr(tuple(str(value) for value in row)) for row in connection.execute(select(table)))
            hashes[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return hashes


def _load(engine, content: str, name: str) -> int:
    plan = importers.plan_subscribers(engine, content.encode("utf-8"), name, TODAY)
    assert plan.ok, _problems(plan)
    return importers.apply_subscribers(engine, ADMIN, plan, confirm_suspicious=True).import_id


def test_an_import_is_undone_exactly_and_a_later_one_on_the_same_figures_must_go_first(demo_engine):
    with demo_engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT s.subscribers FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
                "WHERE p.url LIKE '%ds105nsk' AND s.day = '2026-11-20'"
            )
        ).scalar()
    before = _content_hashes(demo_engine)
    # A late file: replaces 20.11 (preview names the value it replaces) and adds a new day.
    late = f"Страница;Дата;Подписчики\nvk.com/ds105nsk;20.11.2026;{stored - 4}\nvk.com/ds105nsk;27.11.2026;999\n"
    plan = importers.plan_subscribers(demo_engine, late.encode(), "late.csv", TODAY)
    replaced = next(row for row in plan.preview if row["kind"] == "updated")
    assert replaced["stored"] == stored
    assert importers.preview_frame(plan).loc[0, "Заменяется"] == stored  # the same day's value, not the day before
    first = _load(demo_engine, late, "late.csv")
    second = _load(demo_engine, "Страница;Дата;Подписчики\nvk.com/ds105nsk;20.11.2026;1\n", "again.csv")
    with pytest.raises(ValidationFailed, match=f"№ {second} «again.csv» — 1 цифра"):
        importers.undo_import(demo_engine, ADMIN, first)
    assert importers.undo_import(demo_engine, ADMIN, second).restored == 1
    undone = importers.undo_import(demo_engine, ADMIN, first)
    assert (undone.restored, undone.removed) == (1, 1)
    assert _content_hashes(demo_engine) == before  # snapshots, daily sums — every table as it was
    with pytest.raises(ValidationFailed, match="уже отменена"):
        importers.undo_import(demo_engine, ADMIN, first)
    with demo_engine.connect() as connection:
        audited = connection.execute(
            text("SELECT details FROM audit_log WHERE action = 'undo_import' ORDER BY id")
        ).all()
    assert [row.details.split(":")[0] for row in audited] == [
        f"отменена загрузка № {second} «again.csv»",
        f"отменена загрузка № {first} «late.csv»",
    ]
    with pytest.raises(Exception, match="администратор|роли|прав"):
        importers.undo_import(demo_engine, Actor("ivanova", "Иванова", "editor"), first)


def test_an_import_whose_figure_was_changed_since_is_not_undone(demo_engine):
    first = _load(demo_engine, "Страница;Дата;Подписчики\nvk.com/ds105nsk;27.11.2026;777\n", "one.csv")
    with demo_engine.begin() as connection:  # changed behind the imports' back (e.g. a manual fix in SQL)
        connection.execute(
            text("UPDATE subscriber_snapshots SET subscribers = 778 WHERE subscribers = 777 AND day = '2026-11-27'")
        )
    before = _content_hashes(demo_engine)
    with pytest.raises(ValidationFailed, match="в базе 778, загрузка записала 777"):
        importers.undo_import(demo_engine, ADMIN, first)
    assert _content_hashes(demo_engine) == before
