"""PDF documents in Russian (fpdf2 + PT Sans): the newsroom's week plan, QR posters."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from components import fonts, qr
from components.content import WEEKDAYS, audience_text
from components.formatting import text_of
from data_access.vocabulary import CONTENT_FORMATS, CONTENT_STATUSES

# A table cell longer than this is shortened with «…», so that one row always fits on a page.
CELL_CHARS = 240


def _cell(value: object, limit: int = CELL_CHARS) -> str:
    text = " ".join(text_of(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _document(orientation: str = "portrait") -> tuple[FPDF, str]:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    family = fonts.register(pdf)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(12, 12, 12)
    pdf.set_creator("Дашборд госпабликов Новосибирска")
    return pdf, family


def week_plan_pdf(
    items: pd.DataFrame, monday: date, marks: Mapping[date, Sequence[str]], title_note: str = "", weeks: int = 1
) -> bytes:
    """The plan of `weeks` weeks from `monday` for the planning meeting: day by day, one row per material."""
    pdf, family = _document("landscape")
    sunday = monday + timedelta(days=7 * weeks - 1)
    pdf.set_title(f"План публикаций {monday:%d.%m}–{sunday:%d.%m.%Y}")
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    span = "неделю" if weeks == 1 else "две недели" if weeks == 2 else f"{weeks} нед."
    pdf.cell(0, 9, f"План публикаций на {span} {monday:%d.%m} – {sunday:%d.%m.%Y}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.cell(
        0,
        6,
        f"Редакция «Новосибирские новости» · госпаблики города {title_note}".rstrip(),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    dated = items.dropna(subset=["publish_at"]).sort_values("publish_at")
    days = pd.to_datetime(dated["publish_at"]).dt.date if not dated.empty else pd.Series(dtype=object)
    header = ("Время", "Материал", "Формат", "Рубрика", "Редактор", "Статус", "Аудитория")
    widths = (16, 86, 24, 36, 32, 30, 49)
    for offset in range(7 * weeks):
        day = monday + timedelta(days=offset)
        pdf.set_font(family, "B", 12)
        line = f"{WEEKDAYS[offset % 7]}, {day:%d.%m}"
        if marks.get(day):
            line += " — " + "; ".join(marks[day])
        pdf.multi_cell(0, 8, _cell(line, 300), new_x="LMARGIN", new_y="NEXT")
        todays = dated[days == day] if not dated.empty else dated
        pdf.set_font(family, "", 9)
        if todays.empty:
            pdf.cell(0, 6, "Публикаций не запланировано.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=5,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
        ) as table:
            table.row(header)
            for row in todays.itertuples():
                table.row(
                    (
                        f"{pd.Timestamp(row.publish_at):%H:%M}",
                        _cell(row.title),
                        CONTENT_FORMATS.get(row.format, row.format),
                        _cell(row.rubric, 80),
                        _cell(row.editor, 80),
                        CONTENT_STATUSES.get(row.status, row.status),
                        _cell(audience_text(row.categories, row.page_count), 120),
                    )
                )
        pdf.ln(2)
    return bytes(pdf.output())


def tables_pdf(title: str, subtitle: str, sections: list[tuple[str, pd.DataFrame]]) -> bytes:
    """A landscape A4 of headed tables (the frames as they are: their columns, their rows) — for
    printing what a screen shows, e.g. «Итоги недели» for the planning meeting."""
    pdf, family = _document("landscape")
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, _cell(subtitle, 1200), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, frame in sections:
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8)
        if frame.empty:
            pdf.cell(0, 6, "Нет данных.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            text_align="LEFT", line_height=4.5, headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245))
        ) as table:
            table.row(tuple(str(column) for column in frame.columns))
            for values in frame.itertuples(index=False):
                table.row(tuple(_cell(_printed(value), 160) for value in values))
        pdf.ln(3)
    return bytes(pdf.output())


def _printed(value: object) -> str:
    """A cell as printed: numbers in Russian format, shares of 0…1 as percentages, nothing for NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


POSTER_HEADLINE = "Подписывайтесь на наш официальный госпаблик"


def _poster_page(pdf: FPDF, family: str, name: str, url: str, platform: str) -> None:
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_fill_color(31, 95, 191)
    pdf.rect(0, 0, pdf.w, 12, style="F")
    pdf.set_y(26)
    pdf.set_font(family, "B", 30)
    pdf.set_text_color(27, 36, 48)
    pdf.multi_cell(width, 13, POSTER_HEADLINE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 20)
    pdf.multi_cell(width, 9, _cell(name, 160), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    size = 120
    pdf.image(io.BytesIO(qr.qr_png_for_print(url, size_mm=size)), x=(pdf.w - size) / 2, y=pdf.get_y(), w=size, h=size)
    pdf.set_y(pdf.get_y() + size + 6)
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(width, 9, url, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 14)
    pdf.set_text_color(74, 85, 99)
    pdf.multi_cell(
        width,
        7,
        f"Наведите камеру телефона на код — откроется наша страница {platform}.\n"
        "Здесь — новости, объявления и ответы на ваши вопросы.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(pdf.h - 24)
    pdf.set_font(family, "", 11)
    pdf.multi_cell(
        width,
        5,
        "Официальная страница муниципального учреждения города Новосибирска",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def posters_pdf(entries: list[dict], progress: Callable[[int, int], None] | None = None) -> bytes:
    """A4 posters, one page each: headline, institution name, the QR code of its page, the URL.

    `entries` hold name, url and platform («во ВКонтакте»); `progress(done, total)` is called
    after every page, so a long batch can show a progress bar.
    """
    pdf, family = _document("portrait")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Плакаты с QR-кодами госпабликов")
    for done, entry in enumerate(entries, start=1):
        _poster_page(pdf, family, entry["name"], entry["url"], entry["platform"])
        if progress:
            progress(done, len(entries))
    return bytes(pdf.output())
