"""«Мой профиль»: who I am in the dashboard, and changing my own password."""

import streamlit as st

from components import editing, page, reads
from components import formatting as fmt
from data_access import accounts
from data_access.vocabulary import ROLE_VIEWER, ROLES

actor = page.start(ROLE_VIEWER)
if actor.source != "local":
    st.info("Вы вошли через единый вход: пароль меняется в системе единого входа, а не здесь.", icon=":material/info:")
    st.stop()

st.title("Мой профиль")
st.markdown(f"**{fmt.markdown_text(actor.name)}** · логин {fmt.markdown_text(actor.login)} · роль: {ROLES[actor.role]}")

st.subheader("Сменить пароль")
with st.form("profile_password", clear_on_submit=True):
    old = st.text_input("Текущий пароль", type="password", autocomplete="current-password")
    first = st.text_input("Новый пароль", type="password", autocomplete="new-password", help="Не короче 10 символов")
    second = st.text_input("Новый пароль ещё раз", type="password", autocomplete="new-password")
    submitted = st.form_submit_button("Сменить пароль", type="primary")
if submitted:
    if first != second:
        st.error("Пароли не совпадают, пароль не изменён.")
    elif editing.attempt(lambda: accounts.set_password(reads.store.get_engine(), actor, actor.login, first, old)):
        st.success("Пароль изменён.")
