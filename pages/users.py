"""«Пользователи» (admin): accounts, roles, access, passwords."""

import streamlit as st

from components import admin_tables, editing, page, reads, widgets
from components import formatting as fmt
from data_access import accounts
from data_access.vocabulary import ROLE_ADMIN, ROLES

actor = page.start(ROLE_ADMIN)
engine = reads.store.get_engine()

st.title("Пользователи")
editing.show_flash()
st.caption(
    "Просмотр — читает и скачивает; редактор — контент-план и чек-листы; "
    "администратор — всё, а также пользователи, реестр учреждений и загрузка данных."
)

people = accounts.list_users(engine)
shown = admin_tables.users(people)
st.dataframe(shown, hide_index=True, placeholder="—", width="stretch")
widgets.csv_download(shown, "polzovateli", key="users_csv")

add, edit, password = st.tabs(["Новый пользователь", "Изменить", "Новый пароль"])

with add, st.form("users_add", clear_on_submit=False):
    login = st.text_input("Логин", help="латиница, цифры, точка, дефис; 3–50 символов")
    name = st.text_input("Имя для журнала", placeholder="Иванова Е. А.")
    email = st.text_input("E-mail", help="по нему находится роль при входе через единый вход (SSO)")
    role = st.selectbox(
        "Роль", list(ROLES), format_func=fmt.label_of(ROLES), key="users_add_role", placeholder="выберите из списка"
    )
    sso_only = st.checkbox("Без пароля — входит только через единый вход", key="users_add_sso")
    temporary = st.text_input(
        "Временный пароль",
        type="password",
        autocomplete="new-password",
        help="не короче 10 символов; пользователь сменит его в «Моём профиле»",
    )
    if st.form_submit_button("Создать", type="primary"):
        new = accounts.NewUser(login, role, name, email or None, None if sso_only else temporary)
        editing.save(
            lambda: accounts.create_user(engine, actor, new), f"Пользователь «{login.strip().lower()}» создан."
        )

with edit:
    if people.empty:
        st.info("Пользователей пока нет.")
    else:
        chosen = st.selectbox("Пользователь", people["login"], key="users_edit_login", placeholder="выберите из списка")
        row = people.set_index("login").loc[chosen]
        version = editing.held_version("users_edit", int(row["id"]), int(row["version"]))
        with st.form("users_edit_form"):
            new_role = st.selectbox(
                "Роль",
                list(ROLES),
                index=list(ROLES).index(row["role"]),
                format_func=fmt.label_of(ROLES),
                placeholder="выберите из списка",
            )
            new_name = st.text_input("Имя для журнала", value=row["display_name"] or "")
            new_email = st.text_input("E-mail", value=row["email"] or "")
            active = st.checkbox("Активен (может входить)", value=bool(row["is_active"]))
            saved = st.form_submit_button("Сохранить", type="primary")
        if saved:
            editing.save(
                lambda: accounts.update_user(
                    engine,
                    actor,
                    int(row["id"]),
                    version,
                    role=new_role,
                    display_name=new_name,
                    email=new_email or None,
                    is_active=active,
                ),
                f"Пользователь «{chosen}» сохранён.",
                held="users_edit",
            )

with password, st.form("users_password", clear_on_submit=True):
    target = st.selectbox("Пользователь", people["login"], key="users_password_login", placeholder="выберите из списка")
    new_password = st.text_input("Новый пароль", type="password", autocomplete="new-password")
    if st.form_submit_button("Задать пароль и снять блокировку"):
        if editing.attempt(lambda: accounts.set_password(engine, actor, target, new_password)):
            st.success(f"Пароль пользователя «{target}» изменён.")
