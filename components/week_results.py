"""«Итоги недели» on «Контент-план»: what became of last week's materials on the pages they were
planned for — for the planning meeting. The figures are data_access.newsroom's; this draws them."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import pdf, reads, widgets
from data_access import newsroom
from data_access.vocabulary import CONTENT_FORMATS, category_label, platform_label


def materials_frame(materials: pd.DataFrame) -> pd.DataFrame:
    """Per material, as the table shows it and its CSV writes it."""
    return pd.DataFrame(
        {
            "№": materials["material_id"],
            "Материал": materials["title"],
            "Когда": pd.to_datetime(materials["planned_at"]).dt.strftime("%d.%m %H:%M"),
            "Формат": materials["format"].map(lambda code: CONTENT_FORMATS.get(code, code)),
            "Страниц в плане": materials["planned"],
            "Опубликовали в срок": materials["on_time"],
            "Позже": materials["late"],
            "Не опубликовали": materials["missing"],
            "Не прочитаны": materials["unread"],
            "Доля опубликовавших": materials["published_share"].astype(float).round(3),
            "Публикаций": materials["posts"],
            "Просмотры": materials["views"],
            "Реакции": materials["reactions"],
            "ER": materials["engagement"].astype(float).round(4),
            "Просмотров на публикацию": materials["views_per_post"].astype(float).round(0),
        }
    ).reset_index(drop=True)


def printable(table: pd.DataFrame) -> pd.DataFrame:
    """The materials table for paper: shares and ER as percentages with «%»."""
    return table.assign(
        **{
            column: table[column].map(lambda share: "" if share != share else fmt.percent(share))
            for column in ("Доля опубликовавших", "ER")
        }
    )


def shares_frame(shared: pd.DataFrame, by: str, label: str) -> pd.DataFrame:
    """newsroom.shares as a table: pairs planned, read, published and the share published."""
    names = shared[by].map(category_label) if by == "category" else shared[by]
    return pd.DataFrame(
        {
            label: names,
            "Пар в плане": shared["planned"],
            "Прочитано": shared["readable"],
            "Опубликовали": shared["published"],
            "Доля опубликовавших": shared["share"].astype(float).round(3),
        }
    ).reset_index(drop=True)


def page_shares_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Per page, over the last 30 days: its materials planned, read, published and the share."""
    shared = newsroom.shares(rows, "page_id")
    names = rows.drop_duplicates("page_id").set_index("page_id")
    return pd.DataFrame(
        {
            "Страница": [
                f"{names.loc[page, 'short_name']} · {platform_label(names.loc[page, 'platform'])}"
                for page in shared["page_id"]
            ],
            "Материалов в плане": shared["planned"].to_numpy(),
            "Прочитано": shared["readable"].to_numpy(),
            "Опубликовали": shared["published"].to_numpy(),
            "Доля опубликовавших": shared["share"].astype(float).round(3).to_numpy(),
            "Ссылка": [names.loc[page, "url"] for page in shared["page_id"]],
        }
    )


def silent_frame(silent: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Страница": silent["short_name"] + " · " + silent["platform"].map(platform_label),
            "Категория": silent["category"].map(category_label),
            "Район": silent["district"],
            "Материалов в плане": silent["planned"],
            "Ссылка": silent["url"],
        }
    ).reset_index(drop=True)


COLUMNS = {
    "Доля опубликовавших": st.column_config.NumberColumn(
        format="percent", help="Из страниц, чьи публикации удалось прочитать; непрочитанные в долю не входят"
    ),
    "ER": st.column_config.NumberColumn(format="percent", help="Реакции (лайки, комментарии, репосты) ÷ просмотры"),
    "Просмотры": st.column_config.NumberColumn(format="localized"),
    "Не прочитаны": st.column_config.NumberColumn(
        help="Страницы не во ВКонтакте, с закрытой стеной или не собранные после даты материала: о них неизвестно"
    ),
}


def draw(today) -> None:
    """The week's results: a chosen week's materials and how the pages published them, then the
    pages of the last 30 days."""
    monday, _sunday = newsroom.last_week(today)
    start = st.columns(3)[0].date_input(
        "Неделя с понедельника", value=monday, format="DD.MM.YYYY", key="calendar_week_results", max_value=today
    )
    start = start - timedelta(days=start.weekday())
    end = start + timedelta(days=6)
    rows = reads.plan.week_results(start, end)
    materials = newsroom.by_material(rows)
    st.caption(
        f"Материалы, запланированные с {start:%d.%m} по {end:%d.%m.%Y}, и публикации страниц ВКонтакте, которые нашёл "
        "сбор данных: репост поста редакции, ссылка на статью, хештег или похожий текст — от суток до плана до недели "
        "после. «В срок» — не позже суток после плана. Страницы, чьих публикаций сбор не прочитал (не ВКонтакте, "
        "закрытая стена, не собраны после даты материала), в доли не входят и не считаются неопубликовавшими."
    )
    if materials.empty:
        st.info("На эту неделю материалов в плане не было.", icon=":material/event_busy:")
        return
    _figures(materials)
    table = materials_frame(materials)
    widgets.table(table, "", column_config=COLUMNS, height=widgets.table_height(len(table), 10))
    _downloads(table, rows, start, end)
    _rankings(materials, rows)
    _silent(rows, start)
    _last_30_days(today)


def _figures(materials: pd.DataFrame) -> None:
    """Materials, the share of pages that published them, views and engagement."""
    readable = materials["on_time"].sum() + materials["late"].sum() + materials["missing"].sum()
    if not readable:
        st.info(
            "Публикаций страниц за эту неделю сбор данных ещё не прочитал: их читает ежедневный сбор с ВКонтакте "
            "(страница «Сбор данных» у администратора). Ниже — только план.",
            icon=":material/info:",
        )
    row = st.columns(4)
    row[0].metric("Материалов", fmt.number(len(materials)), border=True)
    row[1].metric(
        "Опубликовали",
        fmt.percent((materials["on_time"].sum() + materials["late"].sum()) / readable) if readable else "—",
        border=True,
        help=f"Из {fmt.number(int(readable))} прочитанных пар «материал — страница»; не прочитано — "
        f"{fmt.number(int(materials['unread'].sum()))}",
    )
    row[2].metric("Просмотры", fmt.number(int(materials["views"].sum())), border=True)
    views = materials["views"].sum()
    row[3].metric(
        "ER",
        fmt.percent(materials["reactions"].sum() / views) if views else "—",
        border=True,
        help="Реакции ÷ просмотры по всем найденным публикациям недели",
    )


def _downloads(table: pd.DataFrame, rows: pd.DataFrame, start, end) -> None:
    """The week's results as a printable PDF and as CSV."""
    downloads = st.columns([1, 3])
    widgets.download(
        "Итоги недели (PDF для печати)",
        lambda: pdf.tables_pdf(
            f"Итоги недели {start:%d.%m} – {end:%d.%m.%Y}",
            "Материалы редакции «Новосибирские новости» и публикации страниц ВКонтакте, найденные сбором данных. "
            "Доля опубликовавших — из страниц, чьи публикации прочитаны; «не прочитаны» в неё не входят.",
            [
                ("Материалы", printable(table)),
                (
                    "Страницы, не опубликовавшие ничего из запланированного",
                    silent_frame(newsroom.pages_publishing_none(rows)),
                ),
            ],
        ),
        f"itogi-nedeli-{start}.pdf",
        "application/pdf",
        key="calendar_week_results_pdf",
        icon=":material/print:",
        place=downloads[0],
    )
    with downloads[1]:
        widgets.csv_download(table, f"itogi-nedeli-{start}", key="calendar_week_results_csv")


def _rankings(materials: pd.DataFrame, rows: pd.DataFrame) -> None:
    """The best and worst material by views per post; formats and rubrics ranked; the share of
    pages that published, by category and by district."""
    with_posts = materials[materials["posts"] > 0].sort_values("views_per_post", ascending=False)
    if len(with_posts) >= 2:
        best, worst = with_posts.iloc[0], with_posts.iloc[-1]
        st.caption(
            fmt.markdown_text(
                f"Больше всего просмотров на публикацию — «{best['title']}» ({fmt.number(best['views_per_post'])}), "
                f"меньше всего — «{worst['title']}» ({fmt.number(worst['views_per_post'])})."
            )
        )
    left, right = st.columns(2)
    for column, by, label in ((left, "format", "Формат"), (right, "rubric", "Рубрика")):
        shown = ranked_frame(newsroom.ranked(materials, by), by, label)
        with column:
            widgets.table(shown, f"{label}: публикаций с просмотрами нет.", height=widgets.table_height(len(shown), 6))
    left, right = st.columns(2)
    for column, by, label in ((left, "category", "Категория"), (right, "district", "Район")):
        shared = newsroom.shares(rows, by)
        with column:
            widgets.table(
                shares_frame(shared, by, label),
                "Нет данных.",
                height=widgets.table_height(len(shared), 8),
                column_config={"Доля опубликовавших": st.column_config.NumberColumn(format="percent")},
            )


def _silent(rows: pd.DataFrame, start) -> None:
    """The pages that published nothing planned for them that week."""
    silent = newsroom.pages_publishing_none(rows)
    st.markdown(f"**Страницы, не опубликовавшие ничего из запланированного для них: {fmt.number(len(silent))}**")
    silent_table = silent_frame(silent)
    widgets.table(
        silent_table,
        "Таких нет: каждая прочитанная страница опубликовала хотя бы один материал.",
        column_config={"Ссылка": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)")},
        height=widgets.table_height(len(silent_table), 10),
    )
    if not silent_table.empty:
        widgets.csv_download(silent_table, f"ne-opublikovali-{start}", key="calendar_week_silent_csv")


def _last_30_days(today) -> None:
    """Per page over the last 30 days: the share of the materials planned for it that came out."""
    first, last = newsroom.last_days(today)
    pages = page_shares_frame(reads.plan.week_results(first, last))
    st.markdown(
        f"**Страницы за 30 дней** ({first:%d.%m} – {last:%d.%m.%Y}): какая доля запланированных для "
        "каждой материалов вышла, самые низкие доли сверху"
    )
    widgets.table(
        pages,
        "За 30 дней материалов в плане не было.",
        height=widgets.table_height(len(pages), 10),
        column_config={
            "Доля опубликовавших": st.column_config.NumberColumn(format="percent"),
            "Ссылка": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)"),
        },
    )
    if not pages.empty:
        widgets.csv_download(pages, f"stranicy-30-dnej-{last}", key="calendar_month_pages_csv")


def ranked_frame(ranked: pd.DataFrame, by: str, label: str) -> pd.DataFrame:
    """Formats or rubrics ranked by the median views per post (newsroom.ranked), as shown."""
    return pd.DataFrame(
        {
            label: ranked[by].map(lambda code: CONTENT_FORMATS.get(code, code)) if by == "format" else ranked[by],
            "Материалов": ranked["materials"],
            "Медиана просмотров на публикацию": ranked["median_views_per_post"].round(0),
        }
    )
