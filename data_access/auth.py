"""Who is acting: roles, password hashes (scrypt), local sign-in with lock-out, roles from SSO claims."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from data_access.engine import write_transaction
from data_access.models import users, utc_now
from data_access.vocabulary import ROLE_ADMIN, ROLE_EDITOR, ROLE_VIEWER

ROLE_RANK = {ROLE_VIEWER: 1, ROLE_EDITOR: 2, ROLE_ADMIN: 3}

# scrypt cost: 2^15 × 8 × 128 B = 32 MiB of memory per hash, ~0.1 s here.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
# Every failed attempt costs the caller this long, on top of the hash itself.
FAILED_LOGIN_DELAY_SECONDS = 1.0


@dataclass(frozen=True)
class Actor:
    """The person behind a request: their login, name for the audit log and role."""

    login: str
    name: str
    role: str | None
    source: str = "local"  # local | sso | cli | anonymous

    def can(self, role: str) -> bool:
        return self.role is not None and ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    @property
    def label(self) -> str:
        """How the audit log and «changed by» notes name this person."""
        return self.name or self.login


def import_role(settings) -> str:
    """The role that may upload subscriber figures: editors too when `editors_can_import` is on."""
    return ROLE_EDITOR if settings.editors_can_import else ROLE_ADMIN


def can_import(actor: Actor, settings) -> bool:
    """Whether `actor` may use the upload page (the write path checks import_role again)."""
    return actor.can(import_role(settings))


ANONYMOUS = Actor("anonymous", "Гость", None, "anonymous")
COMMAND_LINE = Actor("cli", "Командная строка", ROLE_ADMIN, "cli")


class LoginFailed(Exception):
    """Sign-in refused; the message is safe to show (it does not say which part was wrong)."""


# The one answer to every refused sign-in.
LOGIN_REFUSED = (
    "Неверный логин или пароль. После нескольких неудачных попыток подряд вход временно "
    "блокируется; если не получается войти, обратитесь к администратору дашборда."
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash in the form scrypt$N$r$p$salt$hash (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check of `password` against a stored hash; False for anything malformed."""
    try:
        scheme, n, r, p, salt, expected = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=SCRYPT_MAXMEM,
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, base64.b64decode(expected))


# A real hash to check against when the login is unknown, so that the answer takes as long as
# for a known login and does not reveal which logins exist.
_UNKNOWN_USER_HASH = hash_password(secrets.token_urlsafe(16))


def _audit_login(connection, login: str, action: str, details: str) -> None:
    # Imported here: the write path imports Actor from this module.
    from data_access.writes import audit_row

    audit_row(connection, login, action, "user", login, details=details)


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count_failure(connection, row: Mapping, now: datetime) -> str:
    """One more wrong password for the account `row`, raised in the database (parallel attempts
    cannot under-count); the MAX_FAILED_LOGINS-th locks it for LOCK_MINUTES. Returns the reason
    for the audit log."""
    failed = connection.execute(
        users.update()
        .where(users.c.id == row["id"])
        .values(failed_logins=users.c.failed_logins + 1)
        .returning(users.c.failed_logins)
    ).scalar_one()
    reason = f"неверный пароль, попытка {failed}"
    if failed >= MAX_FAILED_LOGINS:
        connection.execute(
            users.update()
            .where(users.c.id == row["id"])
            .values(failed_logins=0, locked_until=now + timedelta(minutes=LOCK_MINUTES))
        )
        reason += ", вход заблокирован"
    return reason


def _account(engine: Engine, login: str) -> Mapping | None:
    with engine.connect() as connection:
        return connection.execute(select(users).where(func.lower(users.c.login) == login)).mappings().first()


def authenticate(
    engine: Engine, login: str, password: str, now: datetime | None = None, delay: float | None = None
) -> Actor:
    """Check a local account's password. Failures are counted, logged and slow; after
    MAX_FAILED_LOGINS in a row the account is locked for LOCK_MINUTES.

    Every refusal — unknown login, disabled or locked account, wrong password — gives the same
    message after the same work (the password is always hashed), so the answer does not tell
    which accounts exist or what state they are in; the real reason goes to the audit log only.
    The password is hashed before any write transaction opens (on SQLite the write lock would
    otherwise stall every editor's save for the hash's tenth of a second, per attempt); the short
    transaction after it re-reads the account (FOR UPDATE on PostgreSQL) and writes only the
    counter, the lock and the audit row. A password changed between the two is a failure.
    """
    now = now or utc_now()
    login = (login or "").strip().lower()
    found = _account(engine, login)
    checked_hash = found["password_hash"] if found else _UNKNOWN_USER_HASH
    password_ok = verify_password(password or "", checked_hash)
    with write_transaction(engine) as connection:
        row = (
            None
            if found is None
            else connection.execute(select(users).where(users.c.id == found["id"]).with_for_update()).mappings().first()
        )
        if row is None:
            reason = "неизвестный логин"
        elif not row["is_active"]:
            reason = "учётная запись отключена"
        elif (locked_until := _as_utc(row["locked_until"])) and locked_until > now:
            reason = "вход заблокирован"
        elif not password_ok or row["password_hash"] != checked_hash:
            reason = _count_failure(connection, row, now)
        else:
            connection.execute(
                users.update()
                .where(users.c.id == row["id"])
                .values(failed_logins=0, locked_until=None, last_login_at=now)
            )
            _audit_login(connection, row["login"], "login", "вход по паролю")
            return Actor(row["login"], row["display_name"] or row["login"], row["role"], "local")
        _audit_login(connection, row["login"] if row else (login or "—"), "login_failed", reason)
    time.sleep(FAILED_LOGIN_DELAY_SECONDS if delay is None else delay)
    raise LoginFailed(LOGIN_REFUSED)


class WrongCurrentPassword(Exception):
    """The current password given to change one's own was wrong, or the account is locked; the
    message says which, in Russian."""


def check_current_password(
    engine: Engine, login: str, password: str, now: datetime | None = None, delay: float | None = None
) -> str:
    """Before a signed-in person changes their own password: the current one must be right. A
    wrong one counts toward the lock-out exactly like a failed sign-in (a session cannot guess it
    without limit), and a locked account is refused without checking. Hashed outside any write
    transaction, like authenticate. Returns the stored hash that was checked, so that the change
    can refuse if the password was changed meanwhile."""
    now = now or utc_now()
    found = _account(engine, (login or "").strip().lower())
    if found is None:
        raise WrongCurrentPassword("Учётная запись не найдена.")
    locked_until = _as_utc(found["locked_until"])
    if locked_until and locked_until > now:
        raise WrongCurrentPassword(
            f"Слишком много неверных паролей подряд: смена пароля и вход заблокированы на "
            f"{LOCK_MINUTES} минут. Попробуйте позже."
        )
    if verify_password(password or "", found["password_hash"]):
        return found["password_hash"]
    with write_transaction(engine) as connection:
        reason = _count_failure(connection, found, now)
        _audit_login(connection, found["login"], "password_check_failed", f"смена пароля: {reason}")
    time.sleep(FAILED_LOGIN_DELAY_SECONDS if delay is None else delay)
    locked = reason.endswith("вход заблокирован")
    raise WrongCurrentPassword(
        "Текущий пароль указан неверно — пароль не изменён."
        + (
            f" Это была {MAX_FAILED_LOGINS}-я неверная попытка подряд: смена пароля и вход заблокированы на "
            f"{LOCK_MINUTES} минут."
            if locked
            else ""
        )
    )


def refresh_actor(engine: Engine, actor: Actor) -> Actor:
    """A signed-in local account as it is now: a disabled account is signed out, a changed role
    applies at once."""
    with engine.connect() as connection:
        row = connection.execute(
            select(users.c.role, users.c.is_active, users.c.display_name).where(users.c.login == actor.login)
        ).first()
    if row is None or not row.is_active:
        return ANONYMOUS
    return Actor(actor.login, row.display_name or actor.login, row.role, actor.source)


def role_from_claims(claims: Mapping[str, Any], claim: str, role_names: Mapping[str, tuple[str, ...]]) -> str | None:
    """The strongest dashboard role whose configured name appears, exactly (case aside), in an SSO
    claim (a list or a string, dotted paths allowed, e.g. «realm_access.roles» for Keycloak).
    `role_names` maps each role to the names that grant it; nothing else does («jira-admin» is
    not an admin)."""
    value: Any = claims
    for part in claim.split("."):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
    claimed = {str(name).strip().lower() for name in names}
    found = None
    for role, granting in role_names.items():
        if claimed & {name.lower() for name in granting} and (found is None or ROLE_RANK[role] > ROLE_RANK[found]):
            found = role
    return found


def role_names(settings) -> dict[str, tuple[str, ...]]:
    return {ROLE_ADMIN: settings.admin_roles, ROLE_EDITOR: settings.editor_roles, ROLE_VIEWER: settings.viewer_roles}


def _verified(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"


def sso_actor(engine: Engine, claims: Mapping[str, Any], settings) -> Actor:
    """The actor for a single sign-on identity: role from the claim (exact configured names), else
    from the users table by e-mail — only when the provider says the e-mail is verified — else
    viewer. A disabled local account with the claimed e-mail keeps the person out whatever the
    claims say — verified or not, with an admin role or not: an unverified e-mail may never grant
    anything, but refusing on it can only keep out the person who claimed it. The audit log knows
    the person by the provider's stable subject plus the e-mail («sso:<sub> <e-mail>»)."""
    email = str(claims.get("email") or "").strip().lower()
    subject = str(claims.get("sub") or claims.get("preferred_username") or email or "unknown")
    login = f"sso:{subject}" + (f" <{email}>" if email else "")
    name = str(claims.get("name") or claims.get("preferred_username") or email or subject)
    role = role_from_claims(claims, settings.role_claim, role_names(settings))
    if email:
        with engine.connect() as connection:
            row = connection.execute(
                select(users.c.role, users.c.is_active, users.c.display_name).where(func.lower(users.c.email) == email)
            ).first()
        if row is not None and not row.is_active:
            return Actor(login, name, None, "sso")
        if row is not None and _verified(claims.get("email_verified")):
            role = role or row.role
            name = row.display_name or name
    return Actor(login, name, role or ROLE_VIEWER, "sso")
