"""«Сбор данных» (admin): which platforms the collectors can ask, how the last runs went, which
pages failed and why, and a button to collect now."""

import streamlit as st

from components import admin_tables, editing, page, reads, widgets
from components import formatting as fmt
from data_access import collect
from data_access.filters import ALL_PAGES
from data_access.vocabulary import ROLE_ADMIN

actor = page.start(ROLE_ADMIN)
settings = reads.store.get_settings()

st.title("Сбор данных")
editing.show_flash()
st.caption(
    "Каждый день цифры подписчиков собираются с площадок по расписанию (как его настроить — раздел «Сбор "
    "цифр с площадок» в описании проекта). Здесь видно, какие площадки настроены, как прошли последние "
    "сборы и какие страницы не удалось опросить."
)

status = collect.configured(settings)
st.subheader("Площадки")
widgets.table(admin_tables.platform_status(status), "Площадок нет.")
st.caption(
    "Токены задаёт администратор сервера в файле настроек или в переменных окружения; здесь они не показываются."
)


runs = reads.admin.collection_runs()
st.subheader("Последние сборы")
if runs.empty:
    st.info("Сборов ещё не было.", icon=":material/info:")
else:
    shown = admin_tables.collection_runs(runs)
    widgets.table(
        shown, "Сборов ещё не было.", column_config={"Длительность, с": st.column_config.NumberColumn(format="%.1f")}
    )
    failed = admin_tables.collection_failures(
        runs.iloc[0]["failures"], reads.figures.page_directory(ALL_PAGES).set_index("page_id")
    )
    st.subheader(f"Не получено в последнем сборе: {fmt.pages_count(len(failed))}")
    widgets.table(
        failed,
        "В последнем сборе получены цифры всех страниц.",
        column_config={"Ссылка": st.column_config.LinkColumn()},
    )
    widgets.csv_download(failed, f"sbor-ne-polucheno-{reads.store.today()}", key="collection_csv_failures")

st.subheader("Собрать сейчас")
configured = [code for code, reason in status.items() if not reason]
if not configured:
    st.info("Ни одна площадка не настроена: задайте хотя бы один токен.", icon=":material/key_off:")
elif st.button("Собрать сейчас", type="primary", icon=":material/sync:", key="collection_now"):
    bar = st.progress(0.0, text="Начинаем…")
    try:
        editing.save(
            lambda: collect.collect(
                reads.store.get_engine(),
                settings,
                reads.store.today(),
                configured,
                actor=actor,
                progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
            ),
            admin_tables.collection_done,
        )
    except (collect.AlreadyRunning, collect.NotConfigured) as error:
        st.error(str(error), icon=":material/block:")
