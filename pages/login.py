"""«Вход»: the only page while reading the dashboard requires a login."""

import streamlit as st

from components import auth, page

page.start()

st.title("Вход")
st.write("Дашборд госпабликов Новосибирска открыт только сотрудникам. Войдите, чтобы продолжить.")
if auth.sso_enabled():
    st.button("Войти через единый вход", on_click=st.login, key="login_page_sso", type="primary")
    st.caption("или локальной учётной записью:")
left, _ = st.columns([1, 2])
with left:
    auth.login_form("login_page")
