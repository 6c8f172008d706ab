"""Where the database URL and the settings come from."""

from datetime import date
from pathlib import Path

import pytest

from data_access import config


def test_database_url_prefers_the_environment():
    secrets = {"connections": {"sql": {"url": "postgresql://from-secrets/db"}}}
    assert config.database_url({"DATABASE_URL": "sqlite:///x.db"}, secrets) == "sqlite:///x.db"


def test_database_url_falls_back_to_secrets_then_embedded_sqlite():
    secrets = {"connections": {"sql": {"url": "postgresql://from-secrets/db"}}}
    assert config.database_url({}, secrets) == "postgresql://from-secrets/db"
    assert config.database_url({}, {}) == config.default_sqlite_url()
    assert config.is_default_store(config.database_url({}, {}))
    assert config.default_sqlite_url().endswith("data/gospubliki.sqlite3")


def test_secrets_file_is_read_and_broken_toml_is_reported(tmp_path: Path):
    good = tmp_path / "secrets.toml"
    good.write_text('[connections.sql]\nurl = "sqlite:///a.db"\n', encoding="utf-8")
    assert config.read_secrets(good)["connections"]["sql"]["url"] == "sqlite:///a.db"
    assert config.read_secrets(tmp_path / "missing.toml") == {}
    broken = tmp_path / "broken.toml"
    broken.write_text("[connections.sql\nurl=", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="повреждён"):
        config.read_secrets(broken)


def test_settings_from_secrets_and_environment():
    secrets = {"gospubliki": {"deadline": "2027-06-30", "read_requires_login": True}}
    settings = config.load_settings({}, secrets)
    assert settings.deadline == date(2027, 6, 30)
    assert settings.read_requires_login is True
    assert settings.editors_can_import is False
    overridden = config.load_settings({"GOSPUBLIKI_READ_REQUIRES_LOGIN": "нет"}, secrets)
    assert overridden.read_requires_login is False


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GOSPUBLIKI_DEADLINE": "31.12.2027"}, "ГГГГ-ММ-ДД"),
        ({"GOSPUBLIKI_READ_REQUIRES_LOGIN": "может быть"}, "true или false"),
    ],
)
def test_bad_settings_get_a_russian_message(environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load_settings(environ, {})
