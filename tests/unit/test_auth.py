"""Local accounts: hashing, sign-in failures, lock-out, roles from SSO claims, the CLI."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from data_access import accounts, auth, schema
from data_access.auth import COMMAND_LINE, Actor, LoginFailed
from data_access.config import Settings, load_settings
from data_access.models import audit_log, users, utc_now
from data_access.writes import PermissionDenied
from tests.conftest import ROOT

PASSWORD = "correct-horse-battery"


@pytest.fixture
def store(empty_engine):
    schema.upgrade(empty_engine)
    accounts.create_user(
        empty_engine,
        COMMAND_LINE,
        accounts.NewUser("ivanova", "editor", "Иванова Е. А.", "ivanova@nsk.example", PASSWORD),
    )
    return empty_engine


def test_hash_is_salted_scrypt_and_verifies_in_constant_time():
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$32768$8$1$")
    assert auth.verify_password(PASSWORD, first)
    assert not auth.verify_password(PASSWORD + "x", first)
    assert not auth.verify_password(PASSWORD, "garbage") and not auth.verify_password(PASSWORD, None)


def test_right_password_signs_in_with_the_role(store):
    actor = auth.authenticate(store, "IvanovA", PASSWORD, delay=0)
    assert actor == Actor("ivanova", "Иванова Е. А.", "editor", "local")
    assert actor.can("viewer") and actor.can("editor") and not actor.can("admin")


@pytest.mark.parametrize(("login", "password"), [("ivanova", "wrong-password"), ("nobody", PASSWORD), ("", "")])
def test_wrong_password_and_unknown_user_get_the_same_answer(store, login, password):
    with pytest.raises(LoginFailed, match="Неверный логин или пароль"):
        auth.authenticate(store, login, password, delay=0)
    with store.connect() as connection:
        last = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()
    assert last["action"] == "login_failed"


def _last_audit(store):
    with store.connect() as connection:
        return connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()


def test_disabled_user_cannot_sign_in_and_is_told_nothing_more(store):
    accounts.set_active(store, COMMAND_LINE, "ivanova", False)
    with pytest.raises(LoginFailed) as refused:
        auth.authenticate(store, "ivanova", PASSWORD, delay=0)
    assert str(refused.value) == auth.LOGIN_REFUSED
    assert _last_audit(store)["details"] == "учётная запись отключена"  # the reason is for the log only
    assert auth.refresh_actor(store, Actor("ivanova", "И", "editor")).is_anonymous


def test_five_failures_lock_the_account_even_for_the_right_password(store):
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            auth.authenticate(store, "ivanova", "wrong-password", delay=0)
    with pytest.raises(LoginFailed) as refused:
        auth.authenticate(store, "ivanova", PASSWORD, delay=0)
    assert str(refused.value) == auth.LOGIN_REFUSED and _last_audit(store)["details"] == "вход заблокирован"
    later = utc_now() + timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.authenticate(store, "ivanova", PASSWORD, now=later, delay=0).role == "editor"


def test_passwords_are_never_stored_or_logged_in_clear(store):
    auth.authenticate(store, "ivanova", PASSWORD, delay=0)
    accounts.set_password(store, COMMAND_LINE, "ivanova", "another-password-2")
    with store.connect() as connection:
        stored = connection.execute(select(users.c.password_hash)).scalar()
        everything = " ".join(str(value) for row in connection.execute(select(audit_log)) for value in row)
        database_dump = " ".join(str(value) for row in connection.execute(text("SELECT * FROM users")) for value in row)
    for secret in (PASSWORD, "another-password-2"):
        assert secret not in stored and secret not in everything and secret not in database_dump
    assert "password_hash" not in everything and stored not in everything


def test_a_user_changes_their_own_password_but_not_someone_elses(store):
    accounts.create_user(store, COMMAND_LINE, accounts.NewUser("petrov", "viewer", password="petrov-password-1"))
    petrov = auth.authenticate(store, "petrov", "petrov-password-1", delay=0)
    with pytest.raises(accounts.ValidationFailed, match="Текущий пароль указан неверно"):
        accounts.set_password(store, petrov, "petrov", "petrov-password-2")  # without the current one
    with pytest.raises(accounts.ValidationFailed, match="Текущий пароль указан неверно"):
        accounts.set_password(store, petrov, "petrov", "petrov-password-2", "not-my-password")
    accounts.set_password(store, petrov, "petrov", "petrov-password-2", "petrov-password-1")
    assert auth.authenticate(store, "petrov", "petrov-password-2", delay=0)
    with pytest.raises(PermissionDenied):
        accounts.set_password(store, petrov, "ivanova", "hijacked-password")
    assert auth.authenticate(store, "ivanova", PASSWORD, delay=0)


DEFAULT_NAMES = auth.role_names(Settings())


@pytest.mark.parametrize(
    ("claims", "claim", "role"),
    [
        ({"roles": ["gospubliki-editor"]}, "roles", "editor"),
        ({"roles": ["gospubliki-viewer", "GOSPUBLIKI-ADMIN"]}, "roles", "admin"),
        ({"realm_access": {"roles": ["offline_access", "gospubliki-editor"]}}, "realm_access.roles", "editor"),
        ({"groups": "gospubliki-admin"}, "groups", "admin"),
        # Only the configured names count: no suffix matching, no bare role words.
        ({"roles": ["jira-admin", "confluence-admin", "db_admin"]}, "roles", None),
        ({"roles": ["admin", "editor"]}, "roles", None),
        ({"roles": ["gospubliki-admin-old"]}, "roles", None),
        ({"roles": ["uma_authorization"]}, "roles", None),
        ({}, "roles", None),
    ],
)
def test_role_from_claims_maps_only_exact_configured_names(claims, claim, role):
    assert auth.role_from_claims(claims, claim, DEFAULT_NAMES) == role


def test_role_names_come_from_settings():
    settings = load_settings(environ={"GOSPUBLIKI_ADMIN_ROLES": "city-it-admins, dashboard-owners"}, secrets={})
    names = auth.role_names(settings)
    assert auth.role_from_claims({"roles": ["dashboard-owners"]}, "roles", names) == "admin"
    assert auth.role_from_claims({"roles": ["gospubliki-admin"]}, "roles", names) is None
    assert auth.role_from_claims({"roles": ["gospubliki-editor"]}, "roles", names) == "editor"


def test_sso_role_from_claim_else_verified_users_table_else_viewer(store):
    settings = Settings()
    by_claim = auth.sso_actor(
        store, {"sub": "x-1", "email": "x@nsk.example", "name": "Икс", "roles": ["gospubliki-admin"]}, settings
    )
    assert by_claim.role == "admin" and by_claim.source == "sso" and by_claim.login == "sso:x-1 <x@nsk.example>"
    verified = {"sub": "iv-1", "email": "Ivanova@nsk.example", "email_verified": True, "name": "Е. Иванова"}
    by_table = auth.sso_actor(store, verified, settings)
    assert by_table.role == "editor" and by_table.name == "Иванова Е. А."
    unverified = {**verified, "email_verified": False}
    assert auth.sso_actor(store, unverified, settings).role == "viewer"  # an unverified e-mail links to nobody
    assert (
        auth.sso_actor(store, {k: v for k, v in verified.items() if k != "email_verified"}, settings).role == "viewer"
    )
    assert auth.sso_actor(store, {"sub": "n", "email": "new@nsk.example"}, settings).role == "viewer"
    accounts.set_active(store, COMMAND_LINE, "ivanova", False)
    assert auth.sso_actor(store, {**verified, "roles": ["gospubliki-admin"]}, settings).role is None
    # Without «email_verified» (or with it false) and with an admin role in the claims: still out.
    for claims in ({k: v for k, v in verified.items() if k != "email_verified"}, unverified):
        assert auth.sso_actor(store, {**claims, "roles": ["gospubliki-admin"]}, settings).role is None
        assert auth.sso_actor(store, claims, settings).role is None


def test_wrong_current_passwords_in_the_profile_count_toward_the_lock_out(store, monkeypatch):
    monkeypatch.setattr(auth, "FAILED_LOGIN_DELAY_SECONDS", 0)
    ivanova = auth.authenticate(store, "ivanova", PASSWORD)
    for attempt in range(1, auth.MAX_FAILED_LOGINS + 1):
        with pytest.raises(accounts.ValidationFailed, match="Текущий пароль указан неверно") as refused:
            accounts.set_password(store, ivanova, "ivanova", "guessing-password-1", f"guess-{attempt}")
    assert f"заблокированы на {auth.LOCK_MINUTES} минут" in str(refused.value)
    assert _last_audit(store)["action"] == "password_check_failed"
    # Locked: the right current password is refused without being checked, and so is signing in.
    with pytest.raises(accounts.ValidationFailed, match="Слишком много неверных паролей"):
        accounts.set_password(store, ivanova, "ivanova", "another-password-2", PASSWORD)
    with pytest.raises(LoginFailed):
        auth.authenticate(store, "ivanova", PASSWORD)
    later = utc_now() + timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.authenticate(store, "ivanova", PASSWORD, now=later).role == "editor"


def test_sign_in_hashes_the_password_before_taking_the_write_lock(store, monkeypatch):
    """While the password is being hashed, another connection can write (SQLite's one writer)."""
    import threading

    from data_access.engine import write_transaction

    hashing, release, wrote = threading.Event(), threading.Event(), []
    real = auth.verify_password

    def slow_verify(password, stored):
        hashing.set()
        release.wait(5)
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    monkeypatch.setattr(auth, "FAILED_LOGIN_DELAY_SECONDS", 0)
    signing_in = threading.Thread(target=lambda: pytest.raises(LoginFailed, auth.authenticate, store, "ivanova", "x"))
    signing_in.start()
    assert hashing.wait(5)
    started = time.perf_counter()
    with write_transaction(store) as connection:  # the same account's row: would wait if sign-in held it
        connection.execute(users.update().where(users.c.login == "ivanova").values(display_name="Иванова Е."))
        wrote.append(True)
    assert time.perf_counter() - started < 2  # not the 5 s the hash is held up for
    release.set()
    signing_in.join(10)
    assert wrote == [True] and not signing_in.is_alive()


def test_account_validation_messages(store):
    with pytest.raises(accounts.ValidationFailed) as caught:
        accounts.create_user(store, COMMAND_LINE, accounts.NewUser("Я", "boss", email="not-an-email", password="short"))
    text_of = " ".join(caught.value.problems)
    assert (
        "Логин «я»" in text_of and "Роль «boss»" in text_of and "not-an-email" in text_of and "10 символов" in text_of
    )
    with pytest.raises(accounts.ValidationFailed, match="уже есть"):
        accounts.create_user(store, COMMAND_LINE, accounts.NewUser("ivanova", "viewer", password="whatever-long-1"))


def test_a_nul_in_a_name_or_an_e_mail_is_refused_naming_its_field_on_both_stores(store):
    """PostgreSQL itself refuses NUL in text with a message that names no field."""
    with pytest.raises(accounts.ValidationFailed) as caught:
        accounts.create_user(
            store,
            COMMAND_LINE,
            accounts.NewUser(
                "sidorov", "viewer", display_name="Сидоров\x00", email="s\x00@nsk.example", password="whatever-long-1"
            ),
        )
    assert [problem.split(":")[0] for problem in caught.value.problems] == ["E-mail", "Имя"]
    assert not any("\x00" in problem for problem in caught.value.problems)
    with store.connect() as connection:
        version, user_id = connection.execute(
            select(users.c.version, users.c.id).where(users.c.login == "ivanova")
        ).one()
    with pytest.raises(accounts.ValidationFailed, match="^Имя: есть управляющие символы"):
        accounts.update_user(
            store, COMMAND_LINE, user_id, version, role="editor", display_name="Ива\x00нова", email=None, is_active=True
        )
    with store.connect() as connection:
        assert connection.execute(select(users.c.display_name).where(users.c.id == user_id)).scalar() != "Ива\x00нова"


def test_cli_user_commands(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "data_access", "user", *args],
            input=stdin,
            text=True,
            capture_output=True,
            env=env,
            cwd=ROOT,
        )

    created = run(
        "add", "Admin", "--role", "admin", "--name", "Главный", "--password-stdin", stdin="admin-password-1\n"
    )
    assert created.returncode == 0 and "создан" in created.stdout
    refused = run("add", "ed", "--password-stdin", stdin="short\n")
    assert refused.returncode == 1 and "10 символов" in refused.stderr and "Traceback" not in refused.stderr
    assert run("passwd", "admin", "--password-stdin", stdin="admin-password-2\n").returncode == 0
    assert run("disable", "admin").returncode == 0
    listing = run("list")
    assert listing.returncode == 0 and "admin" in listing.stdout and "отключён" in listing.stdout
    assert "admin-password" not in listing.stdout


def test_twenty_parallel_wrong_attempts_lock_the_account(store):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_):
        try:
            auth.authenticate(store, "ivanova", "wrong-password", delay=0)
        except LoginFailed:
            return True
        return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(attempt, range(20)))
    with store.connect() as connection:
        locked_until = connection.execute(select(users.c.locked_until)).scalar()
        failures = connection.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND details LIKE 'неверный пароль%'")
        ).scalar()
    assert locked_until is not None  # locked, however the attempts interleaved
    assert failures >= auth.MAX_FAILED_LOGINS
    with pytest.raises(LoginFailed):
        auth.authenticate(store, "ivanova", PASSWORD, delay=0)  # even the right password, while locked


def test_every_refusal_takes_the_same_work(store):
    import time

    accounts.create_user(store, COMMAND_LINE, accounts.NewUser("off", "viewer", password="off-password-1"))
    accounts.set_active(store, COMMAND_LINE, "off", False)
    accounts.create_user(store, COMMAND_LINE, accounts.NewUser("stuck", "viewer", password="stuck-password-1"))
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            auth.authenticate(store, "stuck", "wrong", delay=0)

    def seconds(login, password):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            with pytest.raises(LoginFailed) as refused:
                auth.authenticate(store, login, password, delay=0)
            runs.append(time.perf_counter() - start)
            assert str(refused.value) == auth.LOGIN_REFUSED
        return sorted(runs)[1]

    wrong = seconds("ivanova", "wrong-password")
    for login, password in (("nobody", "x"), ("off", "off-password-1"), ("stuck", "stuck-password-1")):
        # Each refusal hashes the password as a wrong one does (scrypt dominates): no 1 ms shortcut.
        assert seconds(login, password) > wrong * 0.5, login
