"""Госпаблики Новосибирска: the router. Page config, the store, sign-in, navigation, shared sidebar."""

import logging

import streamlit as st
from sqlalchemy.exc import DBAPIError

from components import auth, filters, idle_gc, reads, russian, shell, widgets
from data_access.auth import can_import
from data_access.config import ConfigError
from data_access.engine import StoreUnavailable
from data_access.vocabulary import ROLE_ADMIN

st.set_page_config(
    page_title="Госпаблики Новосибирска",
    # Our own image: a Material icon here would make every browser fetch it from Google's servers.
    page_icon=shell.favicon(),
    layout="wide",
    initial_sidebar_state="auto",  # open on a desktop, folded away on a phone
)
st.logo(shell.logo(), size="large")
russian.apply()
idle_gc.running()

# What a visitor sees when the store cannot be reached, at start or mid-session: one line, no
# user names, hosts or paths; the details go to the server log.
STORE_DOWN = (
    "Дашборд сейчас не может открыть базу данных. Попробуйте обновить страницу через несколько минут; "
    "если не поможет — сообщите администратору дашборда."
)
log = logging.getLogger("gospubliki")

try:
    reads.store.get_engine()
    settings = reads.store.get_settings()
    facts = reads.store.facts()
except (StoreUnavailable, ConfigError, DBAPIError) as error:
    log.error("store unavailable at start: %s", error)
    st.error(STORE_DOWN, icon=":material/error:")
    st.stop()

actor = auth.current_actor()

if settings.read_requires_login and actor.is_anonymous:
    # Reading needs a login here: the only page is the sign-in page.
    shell.navigation([shell.page("pages/login.py", "Вход", ":material/login:")]).run()
    widgets.data_badge(facts.as_of, facts.dataset)
    st.stop()

# Pages are declared once, here; what a role may not use is not offered at all.
sections = {
    "Мониторинг": [
        shell.page("pages/overview.py", "Сводка", ":material/dashboard:", default=True),
        shell.page("pages/targets.py", "Цели по подписчикам", ":material/trending_up:"),
        shell.page("pages/map.py", "Карта", ":material/map:"),
        shell.page("pages/verification.py", "Верификация", ":material/verified:"),
        shell.page("pages/freshness.py", "Свежесть данных", ":material/update:"),
        shell.page("pages/report.py", "Отчёт для комиссии", ":material/description:"),
    ],
}
sections["Редакция"] = [
    shell.page("pages/calendar.py", "Контент-план", ":material/calendar_month:"),
]
sections["Инструменты"] = [
    shell.page("pages/qr.py", "QR-коды", ":material/qr_code_2:"),
]


def restricted(path: str, title: str, icon: str, allowed: bool) -> st.Page:
    """A page for some roles only. For everybody else it is not in the menu, but its address
    still answers — with «войдите под подходящей учётной записью» from page.start() instead of
    Streamlit's English «Page not found», so a colleague's link or a page reloaded after the
    sign-in ended stays in Russian."""
    if allowed:
        return shell.page(path, title, icon)
    return shell.page(path, f"{title} — нет доступа", icon, visibility="hidden")


is_admin = actor.can(ROLE_ADMIN)
sections["Инструменты"].append(
    restricted("pages/imports.py", "Загрузка данных", ":material/upload_file:", can_import(actor, settings))
)
sections["Администрирование"] = [
    restricted("pages/registry.py", "Реестр учреждений", ":material/domain:", is_admin),
    restricted("pages/users.py", "Пользователи", ":material/manage_accounts:", is_admin),
    restricted("pages/audit.py", "Журнал изменений", ":material/history:", is_admin),
    restricted("pages/collection.py", "Сбор данных", ":material/cloud_sync:", is_admin),
]
sections["Учётная запись"] = [
    restricted(
        "pages/profile.py", "Мой профиль", ":material/person:", actor.source == "local" and not actor.is_anonymous
    )
]
navigation = shell.navigation(sections, expanded=True)  # all pages listed: no English «View N more»

filters.sidebar_filters(facts.options)
auth.sidebar_account(actor)
widgets.data_badge(facts.as_of, facts.dataset)

try:
    navigation.run()
except (StoreUnavailable, DBAPIError) as error:
    log.error("store unavailable during a page run: %s", error)
    st.error(STORE_DOWN, icon=":material/error:")
