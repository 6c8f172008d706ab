"""Files shaped like the real ones people bring, generated (no real registry is copied): the city
open-data portal's kindergarten registry as downloaded, with its own headers, full legal names, no
page links, no coordinates and the junk such exports carry."""

from __future__ import annotations

import csv
import io

# The portal's export headers, in its order.
PORTAL_HEADERS = [
    "AdrDistr",
    "AdrDom",
    "AdrStreet",
    "E-mail",
    "Gruppy",
    "Mesta",
    "Osnachennost",
    "OuName",
    "Phone",
    "Regimraboti",
    "Site",
    "Uslugi",
]
FORMS = ["бюджетное", "автономное", "казенное"]
DISTRICTS = ["Дзержинский район", "Кировский район", "Ленинский район", "Советский район"]
NAMES = ["Улыбка", "Солнышко", "Теремок", "Радуга", "Золотой ключик", "Рябинка"]
# Row numbers (as a spreadsheet counts them, header = 1) of the junk the file carries.
NUL_ROW = 5
HUGE_ROW = 8
HUGE_CELL_CHARS = 140_000


# The ways the portal writes the own name in quotes (seen in its export: straight quotes left open,
# «ёлочки» mixed with straight ones, «N» for «№», no space after it, the kind of kindergarten).
QUOTINGS = [
    "«Детский сад № {n} «{own}»",
    '"Детский сад № {n} "{own}',
    "«Детский сад № {n} комбинированного вида «{own}»",
    "«Детский сад №{n}»",
    '"Детский сад N{n} "{own}" комбинированного вида',
    '«Детский сад № {n} "{own}»',
    '«Детский сад № {n}» "{own}',
]


def legal_name(number: int, own: str, form: str, quoting: int = 0) -> str:
    return f"муниципальное {form} дошкольное образовательное учреждение города Новосибирска " + QUOTINGS[
        quoting % len(QUOTINGS)
    ].format(n=number, own=own)


def portal_kindergartens(
    count: int = 12, huge_in: str = "OuName", junk: bool = True, code_and_page: bool = False
) -> bytes:
    """`count` kindergartens (numbers 9001…), a row of NUL characters at NUL_ROW and a cell of
    HUGE_CELL_CHARS characters in column `huge_in` at HUGE_ROW (unless not `junk`);
    «;»-separated UTF-8 with BOM. With `code_and_page`, the same file as a person completes it:
    «Код» and «Страница» columns added."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    headers = PORTAL_HEADERS + (["Код", "Страница"] if code_and_page else [])
    writer.writerow(headers)
    row_number = 1
    for index in range(count):
        row_number += 1
        if junk and row_number == NUL_ROW:
            writer.writerow(["\x00" * 12] * len(headers))
            row_number += 1
        number = 9001 + index
        row = {
            "AdrDistr": DISTRICTS[index % len(DISTRICTS)],
            "AdrDom": f"{10 + index}/1",
            "AdrStreet": "Дзержинского проспект" if index % 2 else "Гоголя улица",
            "E-mail": f"ds_{number}@edu54.ru",
            "Gruppy": str(8 + index % 5),
            "Mesta": str(200 + index * 7),
            "Osnachennost": "Медицинский кабинет, Музыкальный зал, Пищеблок",
            "OuName": legal_name(number, NAMES[index % len(NAMES)], FORMS[index % len(FORMS)], index),
            "Код": f"ds-{number}",
            "Страница": f"https://vk.com/ds{number}nsk",
            "Phone": f"+7(383)2{index:06d}",
            "Regimraboti": "7.00-19.00",
            "Site": f"https://ds{number}nsk.edusite.ru" if index % 3 else "",
            "Uslugi": "",
        }
        if junk and row_number == HUGE_ROW:
            row[huge_in] = "Л" * HUGE_CELL_CHARS
        writer.writerow([row[name] for name in headers])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def first_day_store(url: str, stage: str) -> None:
    """A store as a city has it on its first day: `init` only («init»), or with the portal's
    registry loaded and no figures yet («registry»)."""
    from data_access import importers, seed
    from data_access.auth import COMMAND_LINE
    from data_access.engine import make_engine

    engine = make_engine(url)
    seed.initialise(engine)
    if stage == "registry":
        plan = importers.plan_registry(
            engine, portal_kindergartens(40, junk=False), "portal.csv", default_category="kindergarten"
        )
        importers.apply_registry(engine, COMMAND_LINE, plan)
    engine.dispose()
