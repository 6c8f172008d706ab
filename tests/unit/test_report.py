"""The commission report: its figures against direct SQL, the DOCX read back with python-docx,
the PDF with poppler, the DOCX opened by a real client (LibreOffice), and the command line."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from sqlalchemy import text

from components import report_document
from components.report_command import main
from data_access import periods, report
from data_access.cli import EXIT_FAILED, EXIT_OK
from data_access.config import Settings
from data_access.engine import make_engine
from data_access.filters import PageFilter
from tests import independent
from tests.support import unavailable
from tests.unit.test_queries import small_store  # noqa: F401  (the fixture)

TODAY = date(2026, 11, 27)
AS_OF = date(2026, 11, 26)  # the demo's newest figures
NBSP = "\u00a0"


def _number(text: str) -> float:
    """«288 947» → 288947, «23,5 %» → 23.5, «+1 496» → 1496, «−3» → −3."""
    cleaned = text.replace(NBSP, "").replace(" ", "").replace("%", "").replace("п.п.", "").replace(",", ".")
    return float(cleaned.replace("−", "-").replace("+", ""))


def _tables(word) -> list[tuple[str, list[list[str]]]]:
    """Every table of the document with its header row («Показатель|На …|…»)."""
    found = []
    for table in word.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        found.append(("|".join(rows[0]), rows))
    return found


def _table(tables: list, first_column: str, containing: str = "") -> list[list[str]]:
    matches = [rows for header, rows in tables if header.split("|")[0] == first_column and containing in header]
    assert len(matches) == 1, f"{first_column}/{containing}: {[header for header, _ in tables]}"
    return matches[0]


def _build(engine, selection: PageFilter, period: periods.Period):
    data = report.gather(engine, selection, period, Settings(), TODAY)
    return data, report_document.build(data)


def _figures(rows) -> dict[str, list[str]]:
    return {row[0].split(" (")[0]: row[1:] for row in rows[1:]}


def _check_against_sql(url: str, word, selection: PageFilter, period: periods.Period) -> None:
    end = min(period.end, AS_OF)
    before_day = period.start - timedelta(days=1)
    now = independent.pages_on(url, end, selection.categories, selection.districts)
    then = independent.pages_on(url, before_day, selection.categories, selection.districts)
    tables = _tables(word)

    figures = _figures(_table(tables, "Показатель"))
    subscribers = sum(page["subscribers"] or 0 for page in now)
    subscribers_then = sum(page["subscribers"] or 0 for page in then)
    assert _number(figures["Подписчиков"][1]) == subscribers
    assert _number(figures["Подписчиков"][0]) == subscribers_then
    assert _number(figures["Подписчиков"][2]) == subscribers - subscribers_then
    reached = sum(page["reached"] for page in now)
    assert _number(figures["Страниц у цели"][1]) == reached
    assert _number(figures["Страниц у цели"][0]) == sum(page["reached"] for page in then)
    flagship = [page for page in now if page["flagship"]]
    assert _number(figures["Флагманских страниц у цели"][1]) == sum(page["reached"] for page in flagship)
    assert _number(figures["Остальных страниц у цели"][1]) == reached - sum(page["reached"] for page in flagship)
    assert _number(figures["Доля страниц у цели"][1]) == round(100 * reached / len(now), 1)
    assert _number(figures["Страниц с цифрами подписчиков"][1]) == sum(page["subscribers"] is not None for page in now)
    verified = sum(page["verified"] for page in now)
    assert _number(figures["Доля верифицированных страниц"][1]) == round(100 * verified / len(now), 1)

    categories = _table(tables, "Категория", "Сумма целей")
    expected = {}
    for page in now:
        group = expected.setdefault(report_document.category_label(page["category"]), [0, 0, 0, 0])
        group[0] += 1
        group[1] += page["subscribers"] or 0
        group[2] += page["target"]
        group[3] += page["reached"]
    shown = {row[0]: [_number(cell) for cell in row[1:5]] for row in categories[1:]}
    assert shown == expected

    districts = _table(tables, "Место")
    by_district = {}
    for page in now:
        group = by_district.setdefault(page["district"], [0, 0])
        group[0] += 1
        group[1] += page["reached"]
    assert {row[1]: [_number(row[2]), _number(row[5])] for row in districts[1:]} == by_district
    shares = [_number(row[6]) for row in districts[1:]]
    assert shares == sorted(shares, reverse=True), "districts are ranked by their share at target"
    assert [int(_number(row[0])) for row in districts[1:]] == list(range(1, len(by_district) + 1))

    growth = _table(tables, "№", "Прирост")
    before = {page["id"]: page["subscribers"] for page in then}
    expected_growth = sorted(
        (
            page["subscribers"] - before[page["id"]]
            for page in now
            if page["subscribers"] is not None and before.get(page["id"]) is not None
        ),
        reverse=True,
    )
    assert [_number(row[6]) for row in growth[1:]] == expected_growth[:10]

    published = independent.published_count(url, period.start, period.end, {page["id"] for page in now})
    if not published:
        assert report_document.NOTHING_PUBLISHED in [paragraph.text for paragraph in word.paragraphs]
        assert not [header for header, _ in tables if header.startswith("Месяц")]
        return
    by_format = _table(tables, "Месяц", "новость")
    by_category = _table(
        tables,
        "Месяц",
        "Школы"
        if not selection.categories or "school" in selection.categories
        else report_document.category_label(selection.categories[0]),
    )
    assert _number(by_format[-1][-1]) == _number(by_category[-1][-1]) == published
    assert [row[0] for row in by_format[1:-1]] == [report_document.month_name(first) for first in period.months()]


@pytest.mark.parametrize("code", ["2026-Q4", "2026-09"])
def test_docx_numbers_equal_direct_sql_for_the_whole_city(demo_engine, code):
    period = periods.parse(code)
    data, built = _build(demo_engine, PageFilter(), period)
    word = Document(io.BytesIO(report_document.docx_bytes(built)))
    url = demo_engine.url.render_as_string(hide_password=False)
    _check_against_sql(url, word, PageFilter(), period)
    assert data.end == min(period.end, AS_OF)
    # Section 5: every item in its own unit — the MAX channel counted once per institution
    # (243 of 620 in the demo), not on each of its 863 pages.
    with demo_engine.connect() as connection:
        titles = dict(connection.execute(text("SELECT title, code FROM checklist_items")).all())
    completion = independent.item_completion(url)
    rows = _table(_tables(word), "Пункт чек-листа")
    assert len(rows) - 1 == len(completion)
    for row in rows[1:]:
        done, applicable = completion[titles[row[0]]]
        assert (_number(row[3]), _number(row[4]), _number(row[5])) == (done, applicable, applicable - done), row
    max_row = next(row for row in rows[1:] if titles[row[0]] == "max_channel")
    assert max_row[1] == "учреждению" and (_number(max_row[3]), _number(max_row[4])) == completion["max_channel"]


def test_the_reports_page_tables_name_each_page_with_its_network(demo_engine):
    """An institution's VK page and MAX channel share a name and a district: the rows of the
    report's page tables say which page they are — no row more often than the store has such a
    page (two institutions may share a short name in one district)."""
    from collections import Counter

    from sqlalchemy import text

    from data_access.vocabulary import platform_label

    _, built = _build(demo_engine, PageFilter(), periods.parse("2026-Q4"))
    tables = _tables(Document(io.BytesIO(report_document.docx_bytes(built))))
    with demo_engine.connect() as connection:
        stored = Counter(
            (f"{name} · {platform_label(platform)}", district)
            for name, platform, district in connection.execute(
                text(
                    "SELECT i.short_name, p.platform, i.district FROM pages p JOIN institutions i ON i.id = "
                    "p.institution_id"
                )
            )
        )
    for rows, page_column in (
        (_table(tables, "№", "Прирост"), 1),
        (_table(tables, "№", "Нужно"), 1),
        (_table(tables, "Страница", "Материалов"), 0),
    ):
        district_column = rows[0].index("Район")
        shown = Counter((row[page_column], row[district_column]) for row in rows[1:])
        assert shown and all(count <= stored[page] for page, count in shown.items()), shown - stored


def test_docx_numbers_equal_direct_sql_for_a_filtered_selection(demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    selection = PageFilter(categories=("school", "kindergarten"), districts=("Кировский район", "Ленинский район"))
    period = periods.parse("2026-10-01..2026-11-20")
    data, built = _build(engine, selection, period)
    word = Document(io.BytesIO(report_document.docx_bytes(built)))
    _check_against_sql(demo_sqlite_url, word, selection, period)
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "Выбор страниц: Школы, Детские сады · Кировский район, Ленинский район." in text
    assert data.kpi.pages == len(
        independent.pages_on(demo_sqlite_url, AS_OF, selection.categories, selection.districts)
    )


def test_docx_is_an_official_document(demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    _, built = _build(engine, PageFilter(), periods.parse("2026-Q4"))
    word = Document(io.BytesIO(report_document.docx_bytes(built)))
    headings = [paragraph.text for paragraph in word.paragraphs if paragraph.style.name.startswith("Heading")]
    for expected in (
        "1. Основные показатели",
        "2. Динамика за период",
        "3. Категории учреждений и районы",
        "4. Лидеры роста и отстающие",
        "5. Верификация страниц",
        "6. Материалы редакции «Новосибирские новости»",
        "7. Работа контент-центра",
        "8. Методика и источники",
    ):
        assert expected in headings  # Word's navigation pane lists the Heading styles
    assert word.paragraphs[0].style.name == "Title" and word.paragraphs[0].text == report_document.TITLE
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == report_document.DEMO_MARK  # on every page: the demo store
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    pictures = word.inline_shapes
    assert len(pictures) == 5  # subscribers and pages at target over time, statuses, districts, checklist
    for picture in pictures:
        blip = picture._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(word.part.related_parts[blip].blob))
        assert (
            image.width > 600 and sum(1 for count in image.convert("L").histogram() if count) > 10
        )  # a drawn chart, not a blank
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "по состоянию на 26 ноября 2026 г." in text and "27 ноября 2026 г." in text


def test_a_real_store_has_no_demo_mark(demo_sqlite_url):
    engine = make_engine(demo_sqlite_url)
    with engine.begin() as connection:
        from data_access.models import store_info

        connection.execute(store_info.delete().where(store_info.c.key == "dataset"))
    _, built = _build(engine, PageFilter(), periods.parse("2026-11"))
    word = Document(io.BytesIO(report_document.docx_bytes(built)))
    assert report_document.DEMO_MARK not in "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert word.sections[0].header.paragraphs[0].text.startswith("Госпаблики города · ноябрь 2026 г.")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        unavailable(f"{name} is not installed (Debian: poppler-utils / libreoffice-writer)")
    return path


def test_pdf_has_the_headings_numbers_and_no_blank_page(demo_sqlite_url, tmp_path):
    engine = make_engine(demo_sqlite_url)
    data, built = _build(engine, PageFilter(), periods.parse("2026-Q4"))
    path = tmp_path / "report.pdf"
    path.write_bytes(report_document.pdf_bytes(built))
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in (
        "О ходе развития официальных страниц",
        "1. Основные показатели",
        "2. Динамика за период",
        "5. Верификация страниц",
        "8. Методика и источники",
    ):
        assert heading in text
    now = independent.pages_on(demo_sqlite_url, AS_OF)
    flat = text.replace(NBSP, " ")
    subscribers = sum(page["subscribers"] or 0 for page in now)
    assert f"{subscribers:,}".replace(",", " ") in flat  # «288 947»
    share = 100 * sum(page["reached"] for page in now) / len(now)
    assert f"{share:.1f} %".replace(".", ",") in flat  # «23,5 %»
    assert data.end == AS_OF
    pages = text.count("\f")
    assert text.count(report_document.DEMO_MARK) >= pages  # the demo mark on every page
    assert f"Страница {pages} из {pages}" in text
    subprocess.run([_tool("pdftoppm"), "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= 5
    for image_path in images:
        image = Image.open(image_path).convert("L")
        width, height = image.size
        body = image.crop((0, int(height * 0.08), width, int(height * 0.9)))  # without header and footer
        inked = sum(body.histogram()[:200])
        assert inked > 0.01 * body.width * body.height, f"{image_path.name} is nearly blank"


def test_libreoffice_opens_the_docx(demo_sqlite_url, tmp_path):
    engine = make_engine(demo_sqlite_url)
    _, built = _build(engine, PageFilter(categories=("culture",)), periods.parse("2026"))
    source = tmp_path / "report.docx"
    source.write_bytes(report_document.docx_bytes(built))
    converted = _convert_with_libreoffice(source, tmp_path)
    assert converted.exists() and converted.read_bytes().startswith(b"%PDF")
    text = subprocess.run([_tool("pdftotext"), str(converted), "-"], capture_output=True, text=True, check=True).stdout
    assert "Основные показатели" in text and "Культура" in text and "Страница 1 из" in text


def test_no_figures_for_the_period_is_refused_in_russian(demo_engine):
    with pytest.raises(report.NoDataForPeriod, match="цифр ещё нет"):
        report.gather(demo_engine, PageFilter(), periods.parse("2027-Q1"), Settings(), TODAY)
    with pytest.raises(report.NoDataForPeriod, match="цифр нет: первые цифры"):
        report.gather(demo_engine, PageFilter(), periods.parse("2019"), Settings(), TODAY)


def test_growth_ranks_only_pages_with_a_figure_before_the_period(small_store):  # noqa: F811
    data = report.gather(small_store, PageFilter(), periods.parse("2026-11"), Settings(), TODAY)
    # Page 2: 1100 (45 days back) → 1200; page 1: 270 (30 days back, 27 October) → 300; page 3's only
    # figure is from 23 November, page 4 has none.
    assert list(zip(data.top_growth["page_id"], data.top_growth["growth"])) == [(2, 100), (1, 30)]
    assert data.new_pages == 1


def _run(engine, *arguments):
    return main(list(arguments), engine_factory=lambda: engine)


def test_command_line_writes_docx_and_pdf(demo_sqlite_url, tmp_path, capsys):
    engine = make_engine(demo_sqlite_url)
    docx_path, pdf_path = tmp_path / "r.docx", tmp_path / "r.pdf"
    assert (
        _run(
            engine,
            "--period",
            "2026-Q4",
            "--category",
            "Школы",
            "--district",
            "кировский район",
            "--out",
            str(docx_path),
        )
        == EXIT_OK
    )
    assert "IV квартал 2026 г." in capsys.readouterr().out
    word = Document(str(docx_path))
    assert "Выбор страниц: Школы · Кировский район." in [paragraph.text for paragraph in word.paragraphs]
    assert _run(engine, "--period", "2026-11", "--out", str(pdf_path)) == EXIT_OK
    assert pdf_path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "2026-Q5", "--out", "r.docx"], "квартал 5 не существует"),
        (["--period", "2026-13", "--out", "r.docx"], "месяца 13 нет"),
        (["--period", "вчера", "--out", "r.docx"], "не распознан"),
        (["--out", "r.docx"], "Период не указан"),
        (["--period", "2026"], "Не указан файл отчёта"),
        (["--period", "2026", "--out", "r.txt"], "отчёт бывает .docx или .pdf"),
        (["--period", "2026", "--out", "r.docx", "--category", "зоопарки"], "категория «зоопарки» не найдена"),
        (["--period", "2026", "--out", "r.docx", "--district", "Марс"], "район «Марс» не найден"),
        (["--period", "2030", "--out", "r.docx"], "цифр ещё нет"),
        (["--period", "2026", "--out", "/nowhere/r.docx"], "Папки «/nowhere» нет"),
        (["--period", "2026", "--out", "r.docx", "--bogus"], "неизвестные аргументы: --bogus"),
    ],
)
def test_command_line_refuses_bad_arguments_in_russian(
    demo_sqlite_url, tmp_path, capsys, monkeypatch, arguments, message
):
    monkeypatch.chdir(tmp_path)
    engine = make_engine(demo_sqlite_url)
    with pytest.raises(SystemExit) if "--bogus" in arguments else contextlib.nullcontext() as raised:
        code = _run(engine, *arguments)
    if raised is not None:
        code = raised.value.code
    assert code == EXIT_FAILED
    assert message in capsys.readouterr().err
    assert not list(Path(tmp_path).glob("r.*"))  # nothing written


def _page_bodies(pdf: Path) -> list[tuple[list[str], int]]:
    """Per page of a PDF: its text lines without the running head and the page number, and how
    many images it shows."""
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    listed = subprocess.run([_tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images: dict[int, int] = {}
    for line in listed.splitlines()[2:]:
        fields = line.split()
        if fields[2] == "image":
            images[int(fields[0])] = images.get(int(fields[0]), 0) + 1
    bodies = []
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("ДЕМО-ДАННЫЕ", "Госпаблики ", "Страница "))]
        bodies.append((body, images.get(number, 0)))
    return bodies


def _broken_words(pdf: Path, words: set[str]) -> list[tuple[str, str, str]]:
    """Words of `words` that the PDF shows broken inside a table cell: a piece that starts the
    word, and the rest of it right below, in the same column."""
    import re

    html = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    broken = []
    for page in html.split("<page ")[1:]:
        placed = [
            (float(x0), float(y0), float(x1), float(y1), word)
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ]
        by_text: dict[str, list] = {}
        for box in placed:
            by_text.setdefault(box[4].rstrip(".,"), []).append(box)
        for x0, y0, x1, y1, piece in placed:
            for word in words:
                if 2 <= len(piece) < len(word) and word.startswith(piece):
                    for u0, v0, u1, _v1, rest in by_text.get(word[len(piece) :], []):
                        if 0 < v0 - y0 < 2.2 * (y1 - y0) and u0 < x1 + 2 and u1 > x0 - 2:
                            broken.append((word, piece, rest))
    return broken


def _convert_with_libreoffice(source: Path, tmp_path: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        unavailable("LibreOffice is not installed (Debian: libreoffice-writer)")
    result = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return tmp_path / "out" / f"{source.stem}.pdf"


def test_the_region_year_report_has_no_blank_page_no_broken_header_and_one_typeface(demo_sqlite_url, tmp_path):
    from dataclasses import replace

    import pandas as pd

    from data_access.vocabulary import REGION_AREAS

    engine = make_engine(demo_sqlite_url)
    data = report.gather(engine, PageFilter(), periods.parse("2026"), Settings(), TODAY)
    # The region's 44 areas: the 44-bar chart is taller than a page's text (it left page 5 blank).
    names = list(REGION_AREAS)[: 44 - len(data.by_district)]
    extra = pd.concat([data.by_district.iloc[[index % len(data.by_district)]] for index in range(len(names))])
    districts = pd.concat([data.by_district, extra.assign(district=names)], ignore_index=True)
    data = replace(data, region=True, by_district=report._ranked_districts(districts.drop(columns="rank")))
    built = report_document.build(data)
    assert built.title == report_document.REGION_TITLE and "Новосибирской области" in built.title
    assert built.demo_mark == report_document.REGION_DEMO_MARK
    pdf, docx = tmp_path / "region.pdf", tmp_path / "region.docx"
    pdf.write_bytes(report_document.pdf_bytes(built))
    docx.write_bytes(report_document.docx_bytes(built))
    converted = _convert_with_libreoffice(docx, tmp_path)
    header_words = {
        word
        for block in built.blocks
        if isinstance(block, report_document.Table)
        for title in block.columns
        for word in title.split()
        if len(word) >= 4
    }
    assert {"Подписчиков", "Верифицировано", "Страниц"} <= header_words
    for rendered in (pdf, converted):
        bodies = _page_bodies(rendered)
        assert len(bodies) >= 5
        for number, (body, images) in enumerate(bodies, start=1):
            assert body or images, f"{rendered.name}: page {number} has nothing but its running head"
        assert _broken_words(rendered, header_words) == [], rendered.name
        fonts = subprocess.run([_tool("pdffonts"), str(rendered)], capture_output=True, text=True, check=True).stdout
        families = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts.splitlines()[2:]}
        assert families <= {"PTSans", "PTSansBold"}, (rendered.name, families)  # one typeface in both files


def test_sources_name_the_collections_and_coverage_counts_pages_gone_from_their_platform(demo_sqlite_url):
    import json

    from data_access.collectors import BLOCKED, DELETED

    engine = make_engine(demo_sqlite_url)
    with engine.begin() as connection:
        gone = [row[0] for row in connection.execute(text("SELECT id FROM pages ORDER BY id LIMIT 3"))]
        for day, failures in (
            (date(2026, 11, 20), []),
            (
                date(2026, 11, 25),
                [
                    {"page_id": gone[0], "platform": "vk", "reason": DELETED},
                    {"page_id": gone[1], "platform": "vk", "reason": BLOCKED},
                    {"page_id": gone[2], "platform": "vk", "reason": DELETED},
                    {"page_id": 999999, "platform": "vk", "reason": DELETED},
                ],
            ),
        ):  # not a page of the selection
            connection.execute(
                text(
                    "INSERT INTO collection_runs (started_at, finished_at, actor, day, dry_run, pages_ok, "
                    "pages_failed, "
                    "written, platforms, failures) VALUES (:at, :at, 'cli', :day, :dry, 1, 0, 1, :platforms, :failures)"
                ),
                {
                    "at": f"{day} 03:00:00",
                    "day": day.isoformat(),
                    "dry": False,
                    "failures": json.dumps(failures),
                    "platforms": json.dumps(
                        [
                            {"platform": "vk", "skipped": False, "failed": "", "ok": 500},
                            {"platform": "ok", "skipped": True, "failed": "", "ok": 0},
                        ]
                    ),
                },
            )
        connection.execute(
            text(  # a dry run writes nothing: not a source
                "INSERT INTO collection_runs (started_at, finished_at, actor, day, dry_run, pages_ok, pages_failed, "
                "written, platforms, failures) VALUES ('2026-11-26 03:00:00', '2026-11-26 03:00:00', 'cli', "
                "'2026-11-26', "
                ":dry, 1, 0, 0, :platforms, '[]')"
            ),
            {"dry": True, "platforms": json.dumps([{"platform": "vk", "skipped": False, "failed": "", "ok": 500}])},
        )
    data, built = _build(engine, PageFilter(), periods.parse("2026-11"))
    sources = report_document.sources_text(data)
    assert "сбор цифр с площадки ВКонтакте через её API — 2 раза, с 20.11.2026 по 25.11.2026" in sources
    assert "Одноклассники" not in sources  # skipped in every run
    coverage = " ".join(block.text for block in built.blocks[:6] if isinstance(block, report_document.Paragraph))
    assert (
        "По сбору 25.11.2026 на своей площадке недоступны 3 страницы выбора (заблокирована — 1, удалена — 2)"
        in coverage
    )


def test_the_content_centre_section_equals_sql_over_the_posts(demo_sqlite_url):
    from tests.unit.test_newsroom import _setup

    engine = make_engine(demo_sqlite_url)
    _setup(engine)
    data, built = _build(engine, PageFilter(), periods.parse("2026-11"))
    centre = data.centre
    with engine.connect() as connection:
        views = connection.execute(text("SELECT SUM(views) FROM posts WHERE material_id IS NOT NULL")).scalar()
        published = connection.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT DISTINCT material_id, page_id FROM posts WHERE material_id IS NOT NULL) "
                "AS pairs"
            )
        ).scalar()
    assert int(centre.materials["views"].sum()) == views
    assert centre.published_pairs == published
    index = next(
        number
        for number, block in enumerate(built.blocks)
        if isinstance(block, report_document.Heading) and block.text == "7. Работа контент-центра"
    )
    lead = built.blocks[index + 1].text
    assert f"опубликовано {report_document.number(published)} (" in lead and "не входят в доли" in lead
    assert report_document.number(views) in lead
