"""Госпаблики Новосибирска: the router. Page config, the store, navigation, shared sidebar."""

from pathlib import Path

import streamlit as st

from components import data, filters, widgets
from data_access.config import ConfigError
from data_access.engine import StoreUnavailable

st.set_page_config(
    page_title="Госпаблики Новосибирска",
    page_icon=":material/groups:",
    layout="wide",
    initial_sidebar_state="expanded",
)

try:
    data.get_engine()
    facts = data.store_facts(data.revision("registry", "subscribers"))
except (StoreUnavailable, ConfigError) as error:
    st.error(f"Дашборд не может открыть базу данных. {error}", icon=":material/error:")
    st.stop()

sections = {
    "Мониторинг": [
        st.Page("pages/overview.py", title="Сводка", icon=":material/dashboard:", default=True),
    ],
}
navigation = st.navigation(sections)

st.logo(str(Path(__file__).parent / "components" / "assets" / "logo.svg"), size="large")
filters.sidebar_filters(facts["options"])
widgets.data_badge(facts["as_of"], facts["dataset"])

navigation.run()
