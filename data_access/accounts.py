"""Managing the dashboard's local accounts (admin only), through the write path."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.areas import Area
from data_access.auth import (
    MIN_PASSWORD_LENGTH,
    Actor,
    WrongCurrentPassword,
    check_current_password,
    hash_password,
)
from data_access.checks import has_control_characters
from data_access.models import users, utc_now
from data_access.parsing import clean_text
from data_access.queries import frame
from data_access.vocabulary import ROLE_ADMIN, ROLE_EDITOR, ROLES
from data_access.writes import ValidationFailed, change

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NewUser:
    login: str
    role: str
    display_name: str = ""
    email: str | None = None
    password: str | None = None


def check_password(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Пароль: нужно не меньше {MIN_PASSWORD_LENGTH} символов.")
    if password.strip() != password:
        problems.append("Пароль: без пробелов в начале и в конце.")
    return problems


def _check(login: str, role: str, email: str | None, display_name: str) -> list[str]:
    """Every problem of an account's fields, each naming its field. Control characters (NUL
    among them, which PostgreSQL refuses with a message naming no field) are refused here, and
    never echoed back."""
    problems = []
    fields = {"Логин": login, "E-mail": email or "", "Имя": display_name}
    broken = [field for field, value in fields.items() if has_control_characters(value)]
    for field in broken:
        problems.append(
            f"{field}: есть управляющие символы (например, NUL) — так бывает при копировании из "
            "испорченного файла; введите значение заново."
        )
    if "Логин" not in broken and not LOGIN_PATTERN.match(login):
        problems.append(
            f"Логин «{login}»: 3–50 символов, латинские строчные буквы, цифры, точка, дефис, подчёркивание."
        )
    if role not in ROLES:
        problems.append(f"Роль «{role}»: допустимы {', '.join(ROLES)}.")
    if email and "E-mail" not in broken and not EMAIL_PATTERN.match(email):
        problems.append(f"E-mail «{email}» не похож на адрес электронной почты.")
    if len(display_name) > 200:
        problems.append("Имя: не длиннее 200 символов.")
    return problems


def create_user(engine: Engine, actor: Actor, new: NewUser) -> int:
    login = new.login.strip().lower()
    email = (new.email or "").strip().lower() or None
    problems = _check(login, new.role, email, new.display_name)
    if new.password is not None:
        problems += check_password(new.password)
    with change(engine, actor, ROLE_ADMIN, "создание пользователей", [Area.USERS]) as current:
        if problems:
            raise ValidationFailed(problems)
        clash = func.lower(users.c.login) == login
        if email:
            clash = clash | (func.lower(users.c.email) == email)
        taken = current.connection.execute(select(users.c.login).where(clash)).first()
        if taken:
            raise ValidationFailed([f"Пользователь с логином «{login}» или таким e-mail уже есть."])
        values = {
            "login": login,
            "email": email,
            "display_name": clean_text(new.display_name),
            "role": new.role,
            "password_hash": hash_password(new.password) if new.password else None,
            "is_active": True,
            "failed_logins": 0,
            "created_at": utc_now(),
            "updated_at": utc_now(),
            "version": 1,
        }
        user_id = current.connection.execute(users.insert().values(**values).returning(users.c.id)).scalar_one()
        current.audit(
            "create",
            "user",
            login,
            None,
            {**values, "id": user_id},
            details="пароль задан" if new.password else "без пароля (вход через SSO)",
        )
    return user_id


def set_password(engine: Engine, actor: Actor, login: str, password: str, current_password: str | None = None) -> None:
    """An admin sets anyone else's password; anyone signed in may change their own, giving the
    current one (checked here, on the server, not only by the form; a wrong one counts toward the
    lock-out like a failed sign-in). Both hashes are computed before the write transaction."""
    problems = check_password(password)
    own = actor.login == login and actor.source == "local"
    needs = actor.role if own and actor.role else ROLE_ADMIN
    checked_hash = None
    if own and actor.can(needs):
        try:
            checked_hash = check_current_password(engine, login, current_password or "")
        except WrongCurrentPassword as error:
            raise ValidationFailed([str(error)]) from error
    if problems:
        raise ValidationFailed(problems)
    new_hash = hash_password(password)
    with change(engine, actor, needs, "смена пароля другого пользователя", [Area.USERS]) as current:
        row = current.connection.execute(select(users).where(users.c.login == login)).mappings().first()
        if row is None:
            raise ValidationFailed([f"Пользователь «{login}» не найден."])
        if own and row["password_hash"] != checked_hash:
            raise ValidationFailed(["Пароль только что изменили в другом окне — пароль не изменён. Войдите заново."])
        current.update_versioned(
            users,
            {"id": row["id"]},
            row["version"],
            {"password_hash": new_hash, "failed_logins": 0, "locked_until": None},
            "user",
        )


def update_user(
    engine: Engine,
    actor: Actor,
    user_id: int,
    expected_version: int,
    *,
    role: str,
    display_name: str,
    email: str | None,
    is_active: bool,
) -> None:
    email = (email or "").strip().lower() or None
    with change(engine, actor, ROLE_ADMIN, "изменение пользователей", [Area.USERS]) as current:
        row = current.connection.execute(select(users).where(users.c.id == user_id)).mappings().first()
        if row is None:
            raise ValidationFailed(["Пользователь не найден — обновите страницу."])
        problems = _check(row["login"], role, email, display_name)
        if row["login"] == actor.login and (role != ROLE_ADMIN or not is_active):
            problems.append("Свою роль администратора и свой доступ снять нельзя — это сделает другой администратор.")
        if email:
            clash = current.connection.execute(
                select(users.c.login).where(func.lower(users.c.email) == email, users.c.id != user_id)
            ).first()
            if clash:
                problems.append(f"E-mail «{email}» уже у пользователя «{clash.login}».")
        if problems:
            raise ValidationFailed(problems)
        current.update_versioned(
            users,
            {"id": user_id},
            expected_version,
            {
                "role": role,
                "display_name": clean_text(display_name),
                "email": email,
                "is_active": is_active,
                "locked_until": None if is_active else row["locked_until"],
            },
            "user",
        )


def set_active(engine: Engine, actor: Actor, login: str, active: bool) -> None:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.login == login)).mappings().first()
    if row is None:
        raise ValidationFailed([f"Пользователь «{login}» не найден."])
    update_user(
        engine,
        actor,
        row["id"],
        row["version"],
        role=row["role"],
        display_name=row["display_name"],
        email=row["email"],
        is_active=active,
    )


def list_users(engine: Engine) -> pd.DataFrame:
    statement = select(
        users.c.id,
        users.c.login,
        users.c.display_name,
        users.c.email,
        users.c.role,
        users.c.is_active,
        (users.c.password_hash.is_not(None)).label("has_password"),
        users.c.last_login_at,
        users.c.locked_until,
        users.c.version,
    ).order_by(users.c.login)
    with engine.connect() as connection:
        return frame(connection, statement)


def editor_names(engine: Engine) -> list[str]:
    """Display names (else logins) of the active users who may edit the content plan."""
    statement = select(users.c.display_name, users.c.login).where(
        users.c.is_active.is_(True), users.c.role.in_([ROLE_EDITOR, ROLE_ADMIN])
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return sorted({(name or login).strip() for name, login in rows if (name or login).strip()})
