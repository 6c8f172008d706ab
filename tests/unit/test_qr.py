"""QR codes decode back to the page URL at every size; search finds what people type; posters."""

import io
import zipfile

import cairosvg
import pandas as pd
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from components import pdf, qr
from data_access import queries, search

URLS = [
    "https://vk.com/ds105nsk",
    "https://ok.ru/group/70000123456789",
    "https://t.me/gim1_nsk",
    "https://vk.com/club200123456",
]


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize("url", URLS)
def test_png_screen_and_print_sizes_decode_to_the_url(url):
    assert decode(Image.open(io.BytesIO(qr.qr_png(url)))) == [url]
    printed = Image.open(io.BytesIO(qr.qr_png_for_print(url, size_mm=60, dpi=300)))
    assert printed.width >= 60 / 25.4 * 300 * 0.9  # sharp enough for 60 mm at 300 dpi
    assert decode(printed) == [url]


@pytest.mark.parametrize("url", URLS)
def test_svg_renders_and_decodes_to_the_url(url):
    svg = qr.qr_svg(url)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    for width in (200, 800):
        png = cairosvg.svg2png(bytestring=svg, output_width=width)
        assert decode(Image.open(io.BytesIO(png))) == [url]


def test_poster_pdf_has_the_name_as_text_and_one_decodable_image():
    entry = {"name": "Детский сад № 105 «Подсолнух»", "url": URLS[0], "platform": "во ВКонтакте"}
    reader = PdfReader(io.BytesIO(pdf.posters_pdf([entry])))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Подписывайтесь на наш официальный" in text and "Детский сад № 105 «Подсолнух»" in text
    assert URLS[0] in text
    images = reader.pages[0].images
    assert len(images) == 1 and decode(images[0].image) == [URLS[0]]
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert all("PTSans" in str(font["/BaseFont"]) for font in fonts)  # the Cyrillic font itself
    assert all(
        "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for font in fonts
    )  # embedded, so the poster prints the same on any computer


def test_batch_posters_and_zip_cover_every_entry():
    entries = [
        {
            "name": f"Школа № {n}",
            "url": f"https://vk.com/school{n}",
            "platform": "во ВКонтакте",
            "platform_short": "ВКонтакте",
        }
        for n in (1, 2, 3)
    ]
    entries.append(dict(entries[0]))  # the same name twice must not overwrite a file
    calls = []
    reader = PdfReader(io.BytesIO(pdf.posters_pdf(entries, lambda done, total: calls.append((done, total)))))
    assert len(reader.pages) == 4 and calls[-1] == (4, 4)
    archive = zipfile.ZipFile(io.BytesIO(qr.qr_zip(entries)))
    names = archive.namelist()
    assert names == [
        "Школа № 1 (ВКонтакте).png",
        "Школа № 2 (ВКонтакте).png",
        "Школа № 3 (ВКонтакте).png",
        "Школа № 1 (ВКонтакте) 2.png",
    ]
    assert decode(Image.open(io.BytesIO(archive.read(names[1])))) == ["https://vk.com/school2"]


def test_file_names_are_safe():
    assert qr.file_name("МБУК «ДК «Заря»» / филиал: №2?") == "МБУК ДК Заря филиал №2"
    assert qr.file_name("...") == "госпаблик"


SEARCH_TABLE = [
    ("105", "Детский сад № 105 «Подсолнух»"),
    ("сад 105", "Детский сад № 105 «Подсолнух»"),
    ("детский сад № 105", "Детский сад № 105 «Подсолнух»"),
    ("Детский Сад №105", "Детский сад № 105 «Подсолнух»"),
    ("дс 105", "Детский сад № 105 «Подсолнух»"),
    ("МБДОУ 105", "Детский сад № 105 «Подсолнух»"),
    ("vk.com/ds105nsk", "Детский сад № 105 «Подсолнух»"),
    ("https://m.vk.com/ds105nsk/", "Детский сад № 105 «Подсолнух»"),
    ("МБОУ СОШ № 12", "Школа № 12"),
    ("сош 12", "Школа № 12"),
    ("подсолнух 105", "Детский сад № 105 «Подсолнух»"),
    ("гимназия 1", "Гимназия № 1"),
    ("гимназия №1", "Гимназия № 1"),
    ("ГИМНАЗИИ 1", "Гимназия № 1"),
    ("лицей 22", "Лицей № 22"),
    ("администрация кировского", "Адм. Кировского района"),
    ("департамент образования", "Департамент образования мэрии"),
]


@pytest.fixture(scope="module")
def demo_pages(demo_sqlite_template):
    from data_access.engine import make_engine

    engine = make_engine(f"sqlite:///{demo_sqlite_template}")
    pages = queries.page_progress(engine)
    engine.dispose()
    return pages


@pytest.mark.parametrize(("query", "first"), SEARCH_TABLE)
def test_search_finds_what_people_type_first(demo_pages, query, first):
    found = search.search(demo_pages, query)
    assert not found.empty and found.iloc[0]["short_name"] == first


def test_search_ignores_yo_and_respects_whole_numbers(demo_pages):
    yolochka = demo_pages[demo_pages["short_name"].str.contains("Ёлочка")]
    if not yolochka.empty:
        assert set(search.search(demo_pages, "елочка")["page_id"]) >= set(yolochka["page_id"])
    for name in search.search(demo_pages, "гимназия 1")["short_name"]:
        assert name == "Гимназия № 1"
    assert search.search(demo_pages, "").empty
    assert search.search(demo_pages, "несуществующее учреждение").empty


def test_search_prefers_kindergartens_for_a_bare_shared_number():
    pages = pd.DataFrame(
        {
            "short_name": ["Средняя общеобразовательная школа № 7", "Детский сад № 7 «Солнышко»"],
            "name": ["МБОУ «СОШ № 7»", "МКДОУ «Детский сад № 7 «Солнышко»"],
            "category": ["school", "kindergarten"],
        }
    )
    assert list(search.search(pages, "7")["short_name"]) == [
        "Детский сад № 7 «Солнышко»",
        "Средняя общеобразовательная школа № 7",
    ]
    assert list(search.search(pages, "школа 7")["short_name"]) == ["Средняя общеобразовательная школа № 7"]
