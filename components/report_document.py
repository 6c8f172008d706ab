"""The commission report as a document: one list of blocks (headings, paragraphs, tables, charts)
built from data_access.report.ReportData, written out as DOCX (python-docx) and as PDF (fpdf2)
from the very same blocks. Charts are the screens' Altair builders rendered to PNG without a
browser (vl-convert). No Streamlit here: the command line builds the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.fonts import FontFace

from components import charts, fonts
from components.formatting import number, percent, signed
from data_access import summaries
from data_access.content_plan import POSTS_PER_WEEK
from data_access.periods import MONTHS, long_date
from data_access.report import THIN_PAGES_LISTED, Figure, ReportData, monthly_output, thin_pages
from data_access.vocabulary import (
    CONTENT_FORMATS,
    FLAGSHIP_TARGET,
    REGULAR_TARGET,
    STATUSES,
    category_label,
    platform_label,
    plural,
)

TITLE = "О ходе развития официальных страниц муниципальных учреждений города Новосибирска"
REGION_TITLE = "О ходе развития официальных страниц государственных и муниципальных учреждений Новосибирской области"
DEMO_MARK = "ДЕМО-ДАННЫЕ: сгенерированный город, не для отчётности"
REGION_DEMO_MARK = "ДЕМО-ДАННЫЕ: сгенерированная область, не для отчётности"


def title(region: bool) -> str:
    """The report's title: the city's, or the region's when the store covers the region."""
    return REGION_TITLE if region else TITLE


AUTHOR = "Дашборд госпабликов Новосибирска"
NOTHING_PUBLISHED = "За период в контент-плане нет материалов со статусом «опубликовано» для страниц выбора."
# A4 portrait with the margins of an official document; the text width is what charts fill.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
LEFT_MM, RIGHT_MM, TOP_MM, BOTTOM_MM = 25, 15, 20, 20
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
CHART_WIDTH_PX = 640
CHART_SCALE = 2
# Table text and each cell's left plus right inner margin: fpdf2's 1 mm a side; Word's default
# 0,19 cm a side (1,9 mm), which LibreOffice keeps.
PDF_TABLE_PT, PDF_CELL_PADDING_MM = 8, 2.4
DOCX_TABLE_PT, DOCX_CELL_PADDING_MM = 9, 4.2


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # smaller, for explanations under a table


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns holding numbers: right-aligned.
    numeric: tuple[int, ...] = ()
    widths: tuple[float, ...] = ()  # relative widths of the columns
    empty_text: str = "Нет данных."


@dataclass(frozen=True)
class Image:
    png: bytes
    width_px: int
    height_px: int


@dataclass
class Report:
    """Blocks plus what every page repeats (the demo mark, the period)."""

    title: str
    running_head: str
    demo: bool
    blocks: list = field(default_factory=list)
    demo_mark: str = DEMO_MARK  # on every page of a demo store's report


# --- numbers and dates ----------------------------------------------------------------------


def _value(figure: Figure, value: float | None) -> str:
    return percent(value) if figure.kind == "share" else number(value)


def _delta(figure: Figure, value: float | None) -> str:
    if value is None:
        return "—"
    if figure.kind == "share":
        return f"{signed(value * 100, 1)}\u00a0п.\u00a0п."
    return signed(value)


def _day(day) -> str:
    return f"{day:%d.%m.%Y}"


def sentence(text: str) -> str:
    """End with a full stop, once (a date «… 2026 г.» already ends with one)."""
    return text if text.endswith(".") else text + "."


def month_name(first) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


# --- charts ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    vl_convert.register_font_directory(str(fonts.REGULAR.parent))
    return True


def chart_png(chart: alt.TopLevelMixin) -> Image:
    """An Altair chart as a PNG at print resolution, in Russian number format, with PT Sans."""
    _fonts_registered()
    spec = chart.properties(width=CHART_WIDTH_PX).to_dict()
    png = vl_convert.vegalite_to_png(
        spec,
        scale=CHART_SCALE,
        config={"font": "PT Sans"},
        format_locale=charts.RUSSIAN_LOCALE["number"],
        time_format_locale=charts.RUSSIAN_LOCALE["time"],
    )
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    return Image(png, width, height)


# --- the content ----------------------------------------------------------------------------


def key_figures_table(data: ReportData, notes_apart: bool = False) -> Table:
    """The key figures against the start of the period and the previous period; the preview on
    the «Отчёт» page puts each figure's note in a column of its own (`notes_apart`)."""
    before_day = data.period.start - pd.Timedelta(days=1)
    columns = (
        "Показатель",
        f"На {_day(before_day)}",
        f"На {_day(data.end)}",
        "Изменение за период",
        f"Изменение за {data.previous.label}",
        *(("Пояснение",) if notes_apart else ()),
    )
    rows = tuple(
        (
            figure.name + (f" ({figure.note})" if figure.note and not notes_apart else ""),
            _value(figure, figure.before),
            _value(figure, figure.now),
            _delta(figure, figure.change),
            _delta(figure, figure.previous_change),
            *((figure.note,) if notes_apart else ()),
        )
        for figure in data.key_figures
    )
    return Table(columns, rows, numeric=(1, 2, 3, 4), widths=(3.2, 1.3, 1.3, 1.3, 1.5))


def _key_figures(data: ReportData) -> list:
    kpi = data.kpi
    lead = (
        f"На {long_date(data.end)} в выборе {number(kpi.pages)} "
        f"{plural(kpi.pages, 'страница', 'страницы', 'страниц')}, у них {number(kpi.subscribers)} "
        f"{plural(kpi.subscribers, 'подписчик', 'подписчика', 'подписчиков')}. Цели "
        f"{plural(kpi.at_target, 'достигла', 'достигли', 'достигли')} "
        f"{number(kpi.at_target)} {plural(kpi.at_target, 'страница', 'страницы', 'страниц')} "
        f"({percent(kpi.share_at_target)}): флагманских — {number(kpi.flagship_at_target)} из "
        f"{number(kpi.flagship_pages)} ({percent(kpi.flagship_share_at_target)}), остальных — "
        f"{number(kpi.other_at_target)} из {number(kpi.other_pages)} ({percent(kpi.other_share_at_target)}). "
        f"{plural(kpi.verified_pages, 'Верифицирована', 'Верифицированы', 'Верифицировано')} "
        f"{number(kpi.verified_pages)} {plural(kpi.verified_pages, 'страница', 'страницы', 'страниц')} "
        f"({percent(kpi.verified_share)})."
    )
    return [
        Heading("1. Основные показатели"),
        Paragraph(lead),
        key_figures_table(data),
        Paragraph(
            "Изменение долей — в процентных пунктах (п. п.). «—»: величина не известна (например, "
            "до начала сбора цифр).",
            note=True,
        ),
    ]


def _trend(data: ReportData) -> list:
    blocks: list = [Heading("2. Динамика за период")]
    if data.trend.empty:
        return [*blocks, Paragraph("За период нет цифр подписчиков.")]
    labelled = data.trend.assign(label=data.trend["group"].map(category_label))
    targets = {
        category_label(code): int(total) for code, total in data.pages.groupby("category")["target"].sum().items()
    }
    blocks.append(chart_png(charts.history_chart(labelled, targets, "Подписчики по категориям и цель (пунктир)")))
    pages_now = data.pages.groupby("category").size().to_dict()
    reached = summaries.at_target_history(data.trend, pages_now).assign(label=labelled["label"].to_numpy())
    blocks.append(chart_png(charts.at_target_history_chart(reached, "Страниц у цели по категориям")))
    rows = tuple(
        (
            category_label(row.category),
            number(row.subscribers_before),
            number(row.subscribers),
            signed(_minus(row.subscribers, row.subscribers_before)),
            number(row.at_target_before),
            number(row.at_target),
            signed(_minus(row.at_target, row.at_target_before)),
        )
        for row in data.category_trend.itertuples()
    )
    before_day = _day(data.period.start - pd.Timedelta(days=1))
    blocks.append(
        Table(
            (
                "Категория",
                f"Подписчиков на {before_day}",
                f"на {_day(data.end)}",
                "Прирост",
                f"У цели на {before_day}",
                f"на {_day(data.end)}",
                "Изменение",
            ),
            rows,
            numeric=(1, 2, 3, 4, 5, 6),
            widths=(2.2, 1.4, 1.3, 1.1, 1.3, 1.1, 1.2),
        )
    )
    return blocks


def _minus(now, then):
    return None if now is None or then is None or pd.isna(now) or pd.isna(then) else now - then


def _summary_rows(summary: pd.DataFrame, by: str, ranked: bool = False) -> tuple:
    rows = []
    for row in summary.itertuples():
        name = category_label(getattr(row, by)) if by == "category" else getattr(row, by)
        cells = (
            name,
            number(row.pages),
            number(row.subscribers),
            number(row.target_sum),
            number(row.at_target),
            percent(row.share_at_target),
            percent(row.fill),
            percent(getattr(row, "verified_share", None)),
        )
        rows.append(((number(row.rank),) if ranked else ()) + cells)
    return tuple(rows)


SUMMARY_COLUMNS = (
    "Страниц",
    "Подписчиков",
    "Сумма целей",
    "У цели",
    "Доля у цели",
    "Заполнение цели",
    "Верифицировано",
)


def _groups(data: ReportData) -> list:
    return [
        Heading("3. Категории учреждений и районы"),
        Heading("Категории", 2),
        Table(
            ("Категория", *SUMMARY_COLUMNS),
            _summary_rows(data.by_category, "category"),
            numeric=tuple(range(1, 8)),
            widths=(2.2, 1, 1.4, 1.3, 1, 1.1, 1.2, 1.3),
        ),
        chart_png(charts.status_by_group_chart(data.by_category, "category", "Статус страниц по категориям")),
        Heading("Районы (по доле страниц у цели)", 2),
        Table(
            ("Место", "Район", *SUMMARY_COLUMNS),
            _summary_rows(data.by_district, "district", ranked=True),
            numeric=(0, *range(2, 9)),
            widths=(0.8, 2.4, 1, 1.4, 1.3, 1, 1.1, 1.2, 1.3),
        ),
        chart_png(
            charts.share_at_target_chart(
                data.by_district, "district", "Доля страниц у цели по районам", data.kpi.share_at_target
            )
        ),
        Paragraph(
            "«Заполнение цели» — подписчики в зачёт цели (у каждой страницы не больше её цели), делённые на "
            "сумму целей; «Верифицировано» — доля страниц, у которых выполнены все обязательные пункты "
            "чек-листа.",
            note=True,
        ),
    ]


def _page(row) -> str:
    """A page in the report's tables: its institution and network («ДДТ «Меридиан» · MAX»), since
    an institution's VK page and MAX channel are two pages with the same name and district."""
    return f"{row.short_name} · {platform_label(row.platform)}"


def _leader_rows(data: ReportData) -> tuple[tuple, tuple]:
    """The rows of the two leader tables: the largest growth in the period, the furthest behind."""
    growth_rows = tuple(
        (
            number(index + 1),
            _page(row),
            category_label(row.category),
            row.district,
            number(row.subscribers_before),
            number(row.subscribers),
            signed(row.growth),
        )
        for index, row in enumerate(data.top_growth.itertuples())
    )
    behind_rows = tuple(
        (
            number(index + 1),
            _page(row),
            row.district,
            number(row.subscribers),
            number(row.target),
            number(row.missing),
            number(row.needed_weekly_growth, 1),
            STATUSES.get(row.status, row.status),
        )
        for index, row in enumerate(data.furthest_behind.itertuples())
    )
    return growth_rows, behind_rows


def _leaders(data: ReportData) -> list:
    before_day = _day(data.period.start - pd.Timedelta(days=1))
    growth_rows, behind_rows = _leader_rows(data)
    blocks = [
        Heading("4. Лидеры роста и отстающие"),
        Heading(f"Наибольший прирост за период ({len(growth_rows)})", 2),
        Table(
            ("№", "Страница", "Категория", "Район", f"На {before_day}", f"На {_day(data.end)}", "Прирост"),
            growth_rows,
            numeric=(0, 4, 5, 6),
            widths=(0.5, 3, 1.6, 2, 1.2, 1.2, 1.1),
            empty_text="Ни у одной страницы нет цифр и до периода, и в нём.",
        ),
    ]
    if data.new_pages:
        blocks.append(
            Paragraph(
                f"Без цифр до начала периода (в рейтинг прироста не входят): {number(data.new_pages)} "
                f"{plural(data.new_pages, 'страница', 'страницы', 'страниц')}.",
                note=True,
            )
        )
    blocks += [
        Heading(f"Дальше всех от цели ({len(behind_rows)})", 2),
        Table(
            ("№", "Страница", "Район", "Подписчиков", "Цель", "Не хватает", "Нужно в неделю", "Статус"),
            behind_rows,
            numeric=(0, 3, 4, 5, 6),
            widths=(0.5, 2.9, 1.9, 1.4, 0.8, 1.1, 1.2, 1.3),
            empty_text=summaries.no_laggards_text(data.kpi),
        ),
        Paragraph(
            f"Страницы без роста, затем отстающие от графика — по тому, какая часть цели ещё не набрана "
            f"(как «Кому помочь в первую очередь» на «Сводке»). «Нужно в неделю» — сколько подписчиков "
            f"в неделю надо набирать, чтобы успеть к {long_date(data.deadline)}",
            note=True,
        ),
    ]
    return blocks


SCOPE_NOTE = (
    "«Пункт страницы» считается по страницам тех соцсетей, где он есть (госметка и виджеты ПОС — "
    "ВКонтакте и Одноклассники); «пункт учреждения» — по учреждениям, один раз на учреждение, сколько бы "
    "у него ни было страниц."
)


def _verification(data: ReportData) -> list:
    kpi = data.kpi
    completion = data.item_completion.assign(missing=data.item_completion["applies"] - data.item_completion["done"])
    gaps = completion.sort_values(["is_required", "missing"], ascending=[False, False])
    rows = tuple(
        (
            row.title,
            "учреждению" if row.scope == "institution" else "странице",
            "обязательный" if row.is_required else "рекомендуемый",
            number(row.done),
            number(row.applies),
            number(row.missing),
            percent(row.share_done),
        )
        for row in gaps.itertuples()
    )
    common = gaps[(gaps["missing"] > 0) & gaps["is_required"]].head(3)
    text = (
        f"Все обязательные пункты страницы выполнены у {number(kpi.verified_pages)} из {number(kpi.pages)} "
        f"{plural(kpi.pages, 'страницы', 'страниц', 'страниц')} ({percent(kpi.verified_share)})."
    )
    if not common.empty:
        text += (
            " Чаще всего не хватает: "
            + "; ".join(
                f"«{row.title}» — у {number(row.missing)} "
                + (
                    plural(row.missing, "учреждения", "учреждений", "учреждений")
                    if row.scope == "institution"
                    else plural(row.missing, "страницы", "страниц", "страниц")
                )
                for row in common.itertuples()
            )
            + "."
        )
    return [
        Heading("5. Верификация страниц"),
        Paragraph(text),
        Paragraph(SCOPE_NOTE, note=True),
        Table(
            ("Пункт чек-листа", "Относится к", "Вид", "Выполнено", "Применимо", "Не выполнено", "Доля"),
            rows,
            numeric=(3, 4, 5, 6),
            widths=(3.2, 1.2, 1.4, 1.0, 1.0, 1.1, 0.8),
        ),
        chart_png(charts.item_completion_chart(data.item_completion, "Выполнение пунктов чек-листа")),
    ]


def _output_table(table: pd.DataFrame, labels) -> Table:
    shown = [column for column in table.columns if column != "total" and table[column].sum() > 0]
    rows = tuple(
        (
            month_name(month),
            *(number(int(table.loc[month, column])) for column in shown),
            number(int(table.loc[month, "total"])),
        )
        for month in table.index
    )
    totals = ("Итого", *(number(int(table[column].sum())) for column in shown), number(int(table["total"].sum())))
    return Table(
        ("Месяц", *(labels(column) for column in shown), "Всего"),
        (*rows, totals),
        numeric=tuple(range(1, len(shown) + 2)),
    )


def _newsroom(data: ReportData) -> list:
    by_format = monthly_output(data.published, data.period, "format")
    by_category = monthly_output(data.published, data.period, "category")
    thin = thin_pages(data)
    listed = thin.head(THIN_PAGES_LISTED)
    pages = len(data.coverage)
    blocks: list = [Heading("6. Материалы редакции «Новосибирские новости»")]
    if by_format["total"].sum():
        blocks += [
            Paragraph(
                f"Опубликовано материалов за период: {number(int(by_format['total'].sum()))} (материал для "
                "категории учреждений идёт на все её страницы; материал учтён, если дошёл хотя бы до одной "
                "страницы выбора)."
            ),
            Heading("По форматам", 2),
            _output_table(by_format, lambda code: CONTENT_FORMATS.get(code, code)),
            Heading("По категориям учреждений", 2),
            _output_table(by_category, category_label),
            Paragraph(
                "Материал для нескольких категорий учтён в каждой из них, а в столбце «Всего» — один раз.", note=True
            ),
        ]
    else:
        blocks.append(Paragraph(NOTHING_PUBLISHED))
    blocks += [
        Heading(f"Страницы, получившие меньше {POSTS_PER_WEEK} публикаций в неделю", 2),
        Paragraph(
            f"{number(len(thin))} из {number(pages)} {plural(pages, 'страницы', 'страниц', 'страниц')} "
            f"{plural(len(thin), 'получила', 'получили', 'получили')} "
            f"меньше {POSTS_PER_WEEK} опубликованных материалов редакции в неделю (в среднем за "
            f"{number(data.coverage_weeks, 1)} нед. с {_day(data.period.start)} по "
            f"{_day(min(data.period.end, data.today))})."
            + (
                f" Ниже — {number(len(listed))} с наименьшим числом; полный список — на странице «Контент-план»."
                if len(thin) > len(listed)
                else ""
            )
        ),
        Table(
            ("Страница", "Категория", "Район", "Материалов", "В неделю"),
            tuple(
                (_page(row), category_label(row.category), row.district, number(row.materials), number(row.per_week, 1))
                for row in listed.itertuples()
            ),
            numeric=(3, 4),
            widths=(3, 1.6, 2, 1.1, 1),
            empty_text="Таких страниц нет.",
        ),
    ]
    return blocks


def _centre(data: ReportData) -> list:
    centre = data.centre
    blocks: list = [Heading("7. Работа контент-центра")]
    materials = centre.materials
    if materials.empty:
        return [*blocks, Paragraph("За период в контент-плане нет материалов для страниц выбора.")]
    blocks.append(Paragraph(_centre_lead(centre)))
    top = materials.sort_values(["views", "material_id"], ascending=[False, True]).head(10)
    blocks.append(
        Table(
            ("Материал", "Дата", "Страниц", "Опубликовали", "Не опубл.", "Не прочит.", "Просмотры", "ER"),
            tuple(
                (
                    str(row.title),
                    f"{row.planned_at:%d.%m.%Y}",
                    number(row.planned),
                    number(row.on_time + row.late),
                    number(row.missing),
                    number(row.unread),
                    number(row.views),
                    percent(row.engagement),
                )
                for row in top.itertuples()
            ),
            numeric=(2, 3, 4, 5, 6, 7),
            widths=(3.2, 1.2, 1, 1.3, 1, 1, 1.2, 0.9),
        )
    )
    blocks.append(
        Paragraph(
            "В таблице — до 10 материалов с наибольшим числом просмотров; полный список — на странице "
            "«Контент-план», вкладка «Итоги недели».",
            note=True,
        )
    )
    silent = centre.silent
    blocks.append(
        Paragraph(
            f"Страниц, не опубликовавших ни одного из запланированных для них материалов: "
            f"{number(len(silent))}."
            + (
                ""
                if silent.empty
                else " Первые из них: "
                + "; ".join(
                    f"{row.short_name} · {platform_label(row.platform)}" for row in silent.head(10).itertuples()
                )
                + "."
            )
        )
    )
    blocks.append(_centre_growth(centre))
    return blocks


def _centre_lead(centre) -> str:
    """The materials of the period, the share of read pairs published, their views and reactions."""
    materials = centre.materials
    views = int(materials["views"].sum())
    reactions = int(materials["reactions"].sum())
    lead = (
        f"Материалов в плане за период: {number(len(materials))}; они запланированы на "
        f"{number(int(materials['planned'].sum()))} пар «материал — страница». "
    )
    if centre.readable_pairs:
        lead += (
            f"Из {number(centre.readable_pairs)} пар, чьи публикации прочитал сбор данных, опубликовано "
            f"{number(centre.published_pairs)} ({percent(centre.published_pairs / centre.readable_pairs)}); "
            f"найденные публикации набрали "
            f"{number(views)} {plural(views, 'просмотр', 'просмотра', 'просмотров')} и {number(reactions)} "
            f"{plural(reactions, 'реакцию', 'реакции', 'реакций')}"
            + (f" (ER {percent(reactions / views)})" if views else "")
            + ". "
        )
    else:
        lead += "Публикаций страниц за период сбор данных ещё не прочитал. "
    return lead + (
        f"Не прочитано пар (страница не во ВКонтакте, стена закрыта или не собрана после даты материала): "
        f"{number(centre.unread_pairs)} — они не входят в доли."
    )


def _centre_growth(centre) -> Paragraph:
    """The median growth of pages that published at least half their materials and of the others:
    a link, not a cause."""
    (active, active_growth), (rare, rare_growth) = centre.publishing, centre.rarely
    if not (active and rare):
        return Paragraph(
            "Для сравнения прироста нужны страницы с прочитанными публикациями в обеих группах "
            "(опубликовавшие больше и меньше половины материалов); их пока нет.",
            note=True,
        )
    return Paragraph(
        f"Связь, а не причина: у {number(active)} {plural(active, 'страницы', 'страниц', 'страниц')}, "
        "опубликовавших "
        f"не меньше половины запланированных материалов, медианный прирост подписчиков за период — "
        f"{signed(active_growth, 1)} %, у {number(rare)} {plural(rare, 'страницы', 'страниц', 'страниц')}, "
        f"опубликовавших меньше половины, — {signed(rare_growth, 1)} %. На рост влияет и многое другое "
        "(размер и тип учреждения, собственные публикации), поэтому разница не доказывает действия материалов."
    )


def _method(data: ReportData) -> list:
    fresh = data.freshness
    notes = [
        "Подписчики — сумма последних известных цифр страниц на дату: страница, не приславшая цифру в этот день, "
        "входит со своей предыдущей.",
        f"Цель страницы — её собственная, если задана, иначе {number(FLAGSHIP_TARGET)} подписчиков у флагманской "
        f"и {number(REGULAR_TARGET)} у остальных. "
        "Страница у цели, если её последняя известная цифра не меньше цели; страница без цифр цели не достигла. "
        "Доли у цели на начало и конец периода считаются от нынешнего числа страниц выбора.",
        "Статусы «по графику», «отстаёт», «без роста» — по темпу последних 30 дней и сроку "
        f"{long_date(data.deadline)}; страница, чья последняя цифра старше {data.stale_after_days} дн., — «нет свежих "
        "данных».",
        "Верифицирована страница, у которой выполнены все обязательные пункты страницы в её соцсети (пункт "
        "«не применимо» не учитывается); пункты учреждения — есть страница во ВКонтакте, в Одноклассниках, канал в "
        "MAX, ссылка на сайте — считаются по учреждениям. Чек-лист хранит текущее состояние, поэтому доля "
        "верифицированных дана на дату отчёта.",
        "Прирост страницы — её последняя цифра на конец периода минус последняя цифра до начала периода.",
        f"Публикации — материалы контент-плана со статусом «опубликовано» и датой выхода в периоде; норма — "
        f"{POSTS_PER_WEEK} в неделю на страницу.",
        sources_text(data),
        f"Свежесть: последние цифры в базе — за {long_date(data.as_of)}; у {number(fresh.with_figures)} из "
        f"{number(fresh.pages)} страниц выбора есть цифры, без свежих данных — {number(fresh.stale)}, без цифр — "
        f"{number(fresh.without_figures)}.",
    ]
    if data.demo:
        notes.append("В базе демо-данные: город сгенерирован скриптом seeds/generate.py, цифры не настоящие.")
    return [Heading("8. Методика и источники"), *(Paragraph(f"{index}. {text}") for index, text in enumerate(notes, 1))]


def sources_text(data: ReportData) -> str:
    """«Источники»: the registry, each platform collection of the period with its runs and dates,
    the file uploads, the checklists and the content plan."""
    sources = data.sources
    parts = ["реестр госпабликов дашборда"]
    for run in sources.collections:
        times = f"{number(run.runs)} {plural(run.runs, 'раз', 'раза', 'раз')}"
        when = _day(run.first) if run.first == run.last else f"с {_day(run.first)} по {_day(run.last)}"
        parts.append(f"сбор цифр с площадки {platform_label(run.platform)} через её API — {times}, {when}")
    if not sources.collections:
        parts.append("сбора цифр с площадок за период не было")
    if sources.imports:
        parts.append(
            f"загрузки файлов цифр подписчиков (CSV/XLSX) — {number(sources.imports)}, последняя "
            f"{_day(sources.last_import)}"
        )
    else:
        parts.append("загрузок файлов цифр подписчиков за период не было")
    parts.append("чек-листы и контент-план дашборда")
    return "Источники: " + "; ".join(parts) + "."


def unavailable_text(data: ReportData) -> str:
    """The pages of the selection gone from their platform at the latest collection, or «»."""
    sources = data.sources
    if not sources.unavailable:
        return ""
    counts = ", ".join(
        f"{reason.removeprefix('страница ')} — {number(count)}" for reason, count in sorted(sources.unavailable.items())
    )
    total = sum(sources.unavailable.values())
    return (
        f" По сбору {_day(sources.unavailable_day)} на своей площадке недоступны {number(total)} "
        f"{plural(total, 'страница', 'страницы', 'страниц')} выбора ({counts}): их последние цифры в отчёте — "
        "до удаления или блокировки, в реестре их стоит проверить."
    )


def build(data: ReportData) -> Report:
    """The whole report as blocks, in the order the commission reads it."""
    place = "области" if data.region else "города"
    as_of = (
        f"Данные по состоянию на {long_date(data.end)}"
        + (
            " (период ещё не закончился)"
            if data.period.end >= data.today and data.is_partial
            else " (последние цифры в базе)"
            if data.is_partial
            else ""
        )
        + "."
    )
    fresh = data.freshness
    coverage = (
        f"Охват данных: цифры подписчиков есть у {number(fresh.with_figures)} из {number(fresh.pages)} "
        f"{plural(fresh.pages, 'страницы', 'страниц', 'страниц')} выбора; без свежих данных — "
        f"{number(fresh.stale)}, без цифр — {number(fresh.without_figures)}." + unavailable_text(data)
    )
    document = Report(
        title=title(data.region),
        running_head=f"Госпаблики {place} · {data.period.label} · {data.selection_text}",
        demo=data.demo,
        demo_mark=REGION_DEMO_MARK if data.region else DEMO_MARK,
    )
    document.blocks = [
        Paragraph(
            sentence(
                f"Период: {data.period.label} ({_day(data.period.start)} – {_day(data.period.end)}); "
                f"по сравнению с {data.previous.with_label}"
            )
        ),
        Paragraph(f"Выбор страниц: {data.selection_text}."),
        Paragraph(as_of),
        Paragraph(coverage),
        Paragraph(
            f"Отчёт сформирован {long_date(data.today)} Цели: {number(FLAGSHIP_TARGET)} подписчиков у "
            f"флагманских страниц, {number(REGULAR_TARGET)} — у остальных."
        ),
        *_key_figures(data),
        *_trend(data),
        *_groups(data),
        *_leaders(data),
        *_verification(data),
        *_newsroom(data),
        *_centre(data),
        *_method(data),
    ]
    if data.demo:
        document.blocks.insert(0, Paragraph(document.demo_mark))
    return document


# --- DOCX -----------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def docx_bytes(document: Report) -> bytes:
    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    normal = word.styles["Normal"]
    normal.font.size = Pt(11)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Header", "Footer"):
        style = word.styles[name]
        style.font.name = fonts.NAME
        style.element.rPr.rFonts.set(qn("w:eastAsia"), fonts.NAME)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x1B, 0x24, 0x30)
    fonts.embed_in_docx(word)  # the PDF's typeface, inside the file
    word.core_properties.title = document.title
    word.core_properties.author = AUTHOR
    word.core_properties.language = "ru-RU"

    header = section.header.paragraphs[0]
    header.text = document.demo_mark if document.demo else document.running_head
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].font.size = Pt(9)
    if document.demo:
        header.runs[0].font.bold = True
        header.runs[0].font.color.rgb = RGBColor(0xB0, 0x3A, 0x2E)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Страница ")
    _field(footer, "PAGE")
    footer.add_run(" из ")
    _field(footer, "NUMPAGES")

    word.add_heading(document.title, level=0)
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
                    run.font.italic = True
        elif isinstance(block, Image):
            width, height = _image_mm(block)
            word.add_picture(io.BytesIO(block.png), width=Mm(width), height=Mm(height))
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Table):
            _docx_table(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx_table(word, block: Table) -> None:
    if not block.rows:
        word.add_paragraph(block.empty_text)
        return
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = column_widths_mm(block, DOCX_TABLE_PT, DOCX_CELL_PADDING_MM)
    for index, title in enumerate(block.columns):
        cell = table.rows[0].cells[index]
        cell.text = title
        cell.paragraphs[0].runs[0].font.bold = True
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = value
            if index in block.numeric:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.autofit = False
    for index, column in enumerate(table.columns):  # the grid, which LibreOffice reads
        column.width = Mm(widths[index])
    for row in table.rows:
        for index, cell in enumerate(row.cells):  # and each cell, which Word reads
            cell.width = Mm(widths[index])
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(DOCX_TABLE_PT)
    word.add_paragraph()


# --- PDF ------------------------------------------------------------------------------------


class _FontPDF(FPDF):
    """An FPDF with the project's Cyrillic font registered; `family` is its name."""

    def __init__(self, **options):
        super().__init__(**options)
        self.family = fonts.register(self)


class _ReportPDF(_FontPDF):
    def __init__(self, document: Report):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document

    def header(self) -> None:
        self.set_font(self.family, "B" if self.document.demo else "", 8)
        self.set_text_color(176, 58, 46) if self.document.demo else self.set_text_color(90, 100, 115)
        self.cell(
            0,
            5,
            self.document.demo_mark if self.document.demo else self.document.running_head,
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_text_color(27, 36, 48)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 100, 115)
        self.cell(0, 5, f"Страница {self.page_no()} из {{nb}}", align="C")


def pdf_bytes(document: Report) -> bytes:
    pdf = _ReportPDF(document)
    pdf.set_margins(LEFT_MM, TOP_MM - 8, RIGHT_MM)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM_MM)
    pdf.set_title(document.title)
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_lang("ru")
    pdf.add_page()
    family = pdf.family
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, document.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.start_section(document.title, level=0)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            # A heading stays with what follows it: a new page when that would not fit under it.
            following = document.blocks[index + 1] if index + 1 < len(document.blocks) else None
            if pdf.get_y() + 12 + _height_mm(following) > PAGE_HEIGHT_MM - BOTTOM_MM:
                pdf.add_page()
            pdf.ln(3 if block.level == 1 else 1)
            pdf.start_section(block.text, level=block.level)
            pdf.set_font(family, "B", 13 if block.level == 1 else 11)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font(family, "", 8.5 if block.note else 10)
            pdf.multi_cell(0, 4.5 if block.note else 5.2, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif isinstance(block, Image):
            width, height = _image_mm(block)
            if pdf.get_y() + height > PAGE_HEIGHT_MM - BOTTOM_MM:
                pdf.add_page()
            pdf.image(io.BytesIO(block.png), x=LEFT_MM + (TEXT_WIDTH_MM - width) / 2, w=width, h=height)
            pdf.ln(3)
        elif isinstance(block, Table):
            _pdf_table(pdf, block)
    return bytes(pdf.output())


# The tallest a chart may be: the page's text height less the running head and a heading above it
# (a taller one — the region's 44 districts — was pushed whole to the next page, leaving a page
# with nothing but its running head).
IMAGE_MAX_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM - 25


def _image_mm(block: Image) -> tuple[float, float]:
    """Width and height of a chart on the page: its natural size, at most the text width and at
    most IMAGE_MAX_HEIGHT_MM tall (narrower, then, in proportion)."""
    width = min(TEXT_WIDTH_MM, block.width_px / CHART_SCALE * 25.4 / 96 * 1.2)
    height = width * block.height_px / block.width_px
    if height > IMAGE_MAX_HEIGHT_MM:
        width, height = width * IMAGE_MAX_HEIGHT_MM / height, IMAGE_MAX_HEIGHT_MM
    return width, height


def _height_mm(block) -> float:
    """Roughly how much room the start of `block` needs (a whole chart; a table's first rows)."""
    if isinstance(block, Image):
        return _image_mm(block)[1]
    if isinstance(block, Table):
        return 30
    return 15


@lru_cache(maxsize=1)
def _measuring_pdf() -> _FontPDF:
    return _FontPDF(unit="mm")


def _longest_word_mm(texts, size_pt: float, bold: bool) -> float:
    pdf = _measuring_pdf()
    pdf.set_font(pdf.family, "B" if bold else "", size_pt)
    # A no-break space joins a number's groups («108 223»): such a number is one word.
    return max((pdf.get_string_width(word) for text in texts for word in str(text).split(" ") if word), default=0.0)


def column_widths_mm(block: Table, size_pt: float, padding_mm: float) -> list[float]:
    """The columns' widths on the page, summing to the text width: the block's proportions, but
    every column at least as wide as the longest word of its header (bold) and of its cells, so
    that Word, LibreOffice and the PDF never break a word («Подписчико/в») inside a cell. Where
    the words cannot all fit, the columns shrink in proportion to what they need."""
    relative = block.widths or (1,) * len(block.columns)
    wanted = [TEXT_WIDTH_MM * share / sum(relative) for share in relative]
    needed = [
        padding_mm
        + max(
            _longest_word_mm([title], size_pt, True),
            _longest_word_mm([row[index] for row in block.rows], size_pt, False),
        )
        for index, title in enumerate(block.columns)
    ]
    if sum(needed) >= TEXT_WIDTH_MM:
        return [TEXT_WIDTH_MM * need / sum(needed) for need in needed]
    widths = list(wanted)
    for _ in range(len(widths)):
        short = [index for index, width in enumerate(widths) if width < needed[index] - 1e-9]
        if not short:
            break
        for index in short:
            widths[index] = needed[index]
        # What the widened columns took is given back by the others, in proportion, none below its need.
        free = [index for index in range(len(widths)) if widths[index] > needed[index] + 1e-9]
        excess = sum(widths) - TEXT_WIDTH_MM
        room = sum(widths[index] - needed[index] for index in free)
        for index in free:
            widths[index] -= excess * (widths[index] - needed[index]) / room
    return widths


def _pdf_table(pdf: _FontPDF, block: Table) -> None:
    family = pdf.family
    pdf.set_font(family, "", PDF_TABLE_PT)
    if not block.rows:
        pdf.multi_cell(0, 5, block.empty_text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    widths = column_widths_mm(block, PDF_TABLE_PT, PDF_CELL_PADDING_MM)
    align = tuple("RIGHT" if index in block.numeric else "LEFT" for index in range(len(block.columns)))
    with pdf.table(
        col_widths=widths,
        width=TEXT_WIDTH_MM,
        text_align=align,
        line_height=4.2,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
        repeat_headings=1,
    ) as table:
        table.row(block.columns)
        for values in block.rows:
            table.row(values)
    pdf.ln(3)
