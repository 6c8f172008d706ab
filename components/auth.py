"""Sign-in in the app: who the current session is, the sidebar login form, single sign-on buttons.

Two ways in: single sign-on through Streamlit's st.login (OIDC, configured in secrets.toml
[auth]) and local accounts from the store. Either way the session ends up with a
data_access.auth.Actor, which every write function checks again on the server.
"""

from __future__ import annotations

import functools
import os

import streamlit as st

from components import formatting
from components.reads.store import get_engine, get_settings
from data_access import auth
from data_access.auth import ANONYMOUS, Actor, LoginFailed
from data_access.vocabulary import ROLES

ACTOR_KEY = "auth_actor"


@functools.cache
def _secrets_files() -> tuple[str, ...]:
    return tuple(st.get_option("secrets.files"))  # Streamlit works the default paths out on every call


def sso_enabled() -> bool:
    """True when secrets.toml has an [auth] section for st.login."""
    # Without any secrets file Streamlit looks for one again, and raises, on every read (≈ 0.2 ms).
    if not any(os.path.exists(path) for path in _secrets_files()):
        return False
    try:
        return "auth" in st.secrets
    except Exception:  # a secrets file Streamlit cannot read: it raises its own error
        return False


def current_actor() -> Actor:
    """The person using this session (ANONYMOUS when nobody signed in)."""
    if sso_enabled() and st.user.get("is_logged_in", False):
        return auth.sso_actor(get_engine(), st.user.to_dict(), get_settings())
    actor = st.session_state.get(ACTOR_KEY, ANONYMOUS)
    if actor.is_anonymous or actor.source != "local":
        return actor
    refreshed = auth.refresh_actor(get_engine(), actor)
    if refreshed.is_anonymous:
        st.session_state.pop(ACTOR_KEY, None)
    return refreshed


def _sign_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    # Per-page editing state must not leak to the next person at this screen.
    for key in [key for key in st.session_state if str(key).startswith("held_")]:
        del st.session_state[key]


def login_form(key_prefix: str) -> None:
    """Local sign-in form; on success the session gets its Actor and the app reruns."""
    with st.form(f"{key_prefix}_form", clear_on_submit=False, border=False):
        login = st.text_input("Логин", key=f"{key_prefix}_login", autocomplete="username")
        password = st.text_input(
            "Пароль", type="password", key=f"{key_prefix}_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Войти", type="primary", width="stretch")
    if submitted:
        try:
            actor = auth.authenticate(get_engine(), login, password)
        except LoginFailed as error:
            st.error(str(error), icon=":material/lock:")
            return
        st.session_state[ACTOR_KEY] = actor
        st.rerun()


def sidebar_account(actor: Actor, expanded: bool = False) -> None:
    """Who is signed in, with a sign-out button; or the ways to sign in."""
    with st.sidebar:
        if actor.is_anonymous:
            with st.expander("Вход для сотрудников", icon=":material/login:", expanded=expanded):
                if sso_enabled():
                    st.button(
                        "Войти через единый вход",
                        on_click=st.login,
                        key="auth_sso_login",
                        type="primary",
                        width="stretch",
                    )
                    st.caption("или локальной учётной записью:")
                login_form("auth_sidebar")
            return
        st.markdown(
            f":material/account_circle: **{formatting.markdown_text(actor.name)}**  \n"
            f"роль: {ROLES.get(actor.role or '', '—')}"
        )
        if actor.source == "sso":
            st.button("Выйти", on_click=st.logout, key="auth_sso_logout", width="stretch")
        else:
            st.button("Выйти", on_click=_sign_out, key="auth_logout", width="stretch")
