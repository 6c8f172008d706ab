"""«Сбор данных» (admin): which platforms the collectors can ask, how the last runs went, which
pages failed and why, and a button to collect now."""

import pandas as pd
import streamlit as st

from components import data, editing, page, tables, widgets
from components import formatting as fmt
from data_access import collect
from data_access.filters import ALL_PAGES
from data_access.vocabulary import PLATFORMS, ROLE_ADMIN

actor = page.start(ROLE_ADMIN)
settings = data.get_settings()

st.title("Сбор данных")
editing.show_flash()
st.caption(
    "Каждый день цифры подписчиков собираются с площадок по расписанию (как его настроить — раздел «Сбор "
    "цифр с площадок» в описании проекта). Здесь видно, какие площадки настроены, как прошли последние "
    "сборы и какие страницы не удалось опросить."
)

status = collect.configured(settings)
st.subheader("Площадки")
widgets.table(
    pd.DataFrame(
        {
            "Площадка": [PLATFORMS[code] for code in status],
            "Настроена": ["да" if not reason else "нет" for reason in status.values()],
            "Чего не хватает": [reason or "—" for reason in status.values()],
        }
    ),
    "Площадок нет.",
)
st.caption(
    "Токены задаёт администратор сервера в файле настроек или в переменных окружения; здесь они не показываются."
)


def walls_text(platforms: list[dict]) -> str:
    """What the VK posts step of a run did, in words."""
    vk = next((entry for entry in platforms if entry.get("platform") == "vk"), None)
    if vk is None or not (vk.get("walls") or vk.get("walls_failed")):
        return "—"
    text = f"прочитаны у {fmt.number(vk.get('walls_ok', 0))} из {fmt.pages_genitive(vk.get('walls', 0))}"
    return f"{text}; {vk['walls_failed']}" if vk.get("walls_failed") else text


runs = data.load_collection_runs()
st.subheader("Последние сборы")
if runs.empty:
    st.info("Сборов ещё не было.", icon=":material/info:")
else:
    shown = pd.DataFrame(
        {
            "Начало": runs["started_at"].map(fmt.local_datetime),
            "Длительность, с": [
                (end - start).total_seconds()
                for start, end in zip(pd.to_datetime(runs["started_at"]), pd.to_datetime(runs["finished_at"]))
            ],
            "Кто запустил": runs["actor"],
            "Получено": runs["pages_ok"],
            "Не получено": runs["pages_failed"],
            "Записано": runs["written"],
            "Публикации ВКонтакте": runs["platforms"].map(walls_text),
            "Без записи": runs["dry_run"].map({True: "да", False: ""}),
        }
    )
    widgets.table(
        shown, "Сборов ещё не было.", column_config={"Длительность, с": st.column_config.NumberColumn(format="%.1f")}
    )
    latest = runs.iloc[0]
    failures = pd.DataFrame(latest["failures"], columns=["page_id", "platform", "reason"])
    directory = data.load_page_directory(ALL_PAGES).set_index("page_id")
    st.subheader(f"Не получено в последнем сборе: {fmt.pages_count(len(failures))}")
    failed = pd.DataFrame(
        {
            "Страница": failures["page_id"].map(tables.page_names(directory)).fillna("(выведена из работы)"),
            "Площадка": failures["platform"].map(PLATFORMS),
            "Ссылка": failures["page_id"].map(directory["url"]).fillna(""),
            "Причина": failures["reason"],
        }
    )
    widgets.table(
        failed,
        "В последнем сборе получены цифры всех страниц.",
        column_config={"Ссылка": st.column_config.LinkColumn()},
    )
    widgets.csv_download(failed, f"sbor-ne-polucheno-{data.today()}", key="collection_csv_failures")

st.subheader("Собрать сейчас")
configured = [code for code, reason in status.items() if not reason]
if not configured:
    st.info("Ни одна площадка не настроена: задайте хотя бы один токен.", icon=":material/key_off:")
elif st.button("Собрать сейчас", type="primary", icon=":material/sync:", key="collection_now"):
    bar = st.progress(0.0, text="Начинаем…")
    runs_done: list[collect.Run] = []
    try:
        saved = editing.attempt(
            lambda: runs_done.append(
                collect.collect(
                    data.get_engine(),
                    settings,
                    data.today(),
                    configured,
                    actor=actor,
                    progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
                )
            )
        )
    except (collect.AlreadyRunning, collect.NotConfigured) as error:
        st.error(str(error), icon=":material/block:")
    else:
        if saved:
            result = runs_done[0]
            settled = (
                f" По измерениям ВКонтакте изменено пунктов чек-листа: {fmt.number(result.checks_changed)}."
                if result.checks_changed
                else ""
            )
            editing.flash(
                f"Сбор закончен: получено цифр {fmt.number(result.collected)}, записано "
                f"{fmt.number(result.written)}.{settled}"
            )
            st.rerun()
