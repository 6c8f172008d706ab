"""Where the store lives and the dashboard's settings: environment first, then secrets.toml, then defaults."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = DEFAULT_DATA_DIR / "gospubliki.sqlite3"


class ConfigError(Exception):
    """A setting is present but unusable; the message says which and why, in Russian and English."""


def read_secrets(path: Path | None = None) -> dict[str, Any]:
    """The parsed secrets.toml, or an empty dict when there is none."""
    path = path or Path(os.environ.get("GOSPUBLIKI_SECRETS_FILE", SECRETS_PATH))
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"Файл настроек {path} повреждён: {error} / Settings file {path} is not valid TOML."
        ) from error


def default_sqlite_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def database_url(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> str:
    """DATABASE_URL, else secrets.toml [connections.sql] url, else the embedded SQLite file."""
    environ = os.environ if environ is None else environ
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    secrets = read_secrets() if secrets is None else secrets
    url = secrets.get("connections", {}).get("sql", {}).get("url")
    if url:
        return str(url)
    return default_sqlite_url()


def is_default_store(url: str) -> bool:
    """True for the embedded SQLite file the app creates and fills with demo data by itself."""
    return url == default_sqlite_url()


@dataclass(frozen=True)
class Settings:
    """Dashboard settings that are not Streamlit's own (see .streamlit/secrets.toml.example)."""

    deadline: date | None = None
    read_requires_login: bool = False
    editors_can_import: bool = False
    districts_geojson: Path | None = None
    map_tile_url: str | None = None
    role_claim: str = "roles"
    # Freshness and upload checks (see docs/guide.md, «Свежесть данных» and «Загрузка файлов»).
    stale_after_days: int = 14
    suspicious_drop: float = 0.2
    suspicious_jump: float = 5.0
    # Which districts a registry may name: «city» (the ten districts) or «region» (the region's
    # municipal districts and urban okrugs as well); empty: the region demo is «region», else «city».
    territory: str | None = None
    # Single sign-on: which exact role names in the token mean which dashboard role.
    admin_roles: tuple[str, ...] = ("gospubliki-admin",)
    editor_roles: tuple[str, ...] = ("gospubliki-editor",)
    viewer_roles: tuple[str, ...] = ("gospubliki-viewer",)
    # Collectors (python -m data_access collect): API addresses, tokens, requests per second per platform.
    vk_api_url: str = "https://api.vk.com/method"
    vk_token: str = field(default="", repr=False)
    vk_api_version: str = "5.199"
    ok_api_url: str = "https://api.ok.ru"
    ok_application_key: str = field(default="", repr=False)
    ok_access_token: str = field(default="", repr=False)
    ok_secret: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_token: str = field(default="", repr=False)
    max_api_url: str = "https://platform-api.max.ru"
    max_token: str = field(default="", repr=False)
    collect_rps: float = 3.0
    # MAX documents 30 requests a second on platform-api.max.ru (dev.max.ru/docs-api, «Рекомендации
    # по работе с API»); a little below it, as one channel costs one request.
    max_rps: float = 25.0


def _as_number(name: str, value: Any, default: float, low: float, high: float, whole: bool = False) -> Any:
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value).strip()) if whole else float(str(value).strip().replace(",", "."))
    except ValueError as error:
        raise ConfigError(f"Настройка {name}: ожидается число, получено «{value}».") from error
    if not low <= number <= high:
        raise ConfigError(f"Настройка {name}: ожидается число от {low} до {high}, получено «{value}».")
    return number


def _setting(name: str, environ: Mapping[str, str], section: Mapping[str, Any]) -> Any:
    env_name = f"GOSPUBLIKI_{name.upper()}"
    if env_name in environ:
        return environ[env_name]
    return section.get(name)


def _as_bool(name: str, value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on", "да"}:
        return True
    if text in {"0", "false", "no", "off", "нет", ""}:
        return False
    raise ConfigError(f"Настройка {name}: ожидается true или false, получено «{value}».")


def load_settings(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    secrets = read_secrets() if secrets is None else secrets
    section = secrets.get("gospubliki", {})

    deadline_value = _setting("deadline", environ, section)
    deadline = None
    if deadline_value:
        try:
            deadline = deadline_value if isinstance(deadline_value, date) else date.fromisoformat(str(deadline_value))
        except ValueError as error:
            raise ConfigError(f"Настройка deadline: «{deadline_value}» — не дата в формате ГГГГ-ММ-ДД.") from error

    geojson = _setting("districts_geojson", environ, section)
    return Settings(
        deadline=deadline,
        read_requires_login=_as_bool("read_requires_login", _setting("read_requires_login", environ, section)),
        editors_can_import=_as_bool("editors_can_import", _setting("editors_can_import", environ, section)),
        districts_geojson=Path(geojson) if geojson else None,
        map_tile_url=_setting("map_tile_url", environ, section) or None,
        role_claim=_setting("role_claim", environ, section) or "roles",
        stale_after_days=_as_number(
            "stale_after_days", _setting("stale_after_days", environ, section), 14, 1, 365, whole=True
        ),
        suspicious_drop=_as_number("suspicious_drop", _setting("suspicious_drop", environ, section), 0.2, 0.01, 1.0),
        suspicious_jump=_as_number("suspicious_jump", _setting("suspicious_jump", environ, section), 5.0, 1.1, 1000.0),
        territory=_territory(_setting("territory", environ, section)),
        admin_roles=_names(_setting("admin_roles", environ, section), ("gospubliki-admin",)),
        editor_roles=_names(_setting("editor_roles", environ, section), ("gospubliki-editor",)),
        viewer_roles=_names(_setting("viewer_roles", environ, section), ("gospubliki-viewer",)),
        **_collector_settings(environ, section),
    )


COLLECTOR_URLS = {
    "vk_api_url": Settings.vk_api_url,
    "ok_api_url": Settings.ok_api_url,
    "telegram_api_url": Settings.telegram_api_url,
    "max_api_url": Settings.max_api_url,
}
COLLECTOR_SECRETS = (
    "vk_token",
    "ok_application_key",
    "ok_access_token",
    "ok_secret",
    "telegram_bot_token",
    "max_token",
)


def _collector_settings(environ: Mapping[str, str], section: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, default in COLLECTOR_URLS.items():
        url = str(_setting(name, environ, section) or default).strip()
        if not url.startswith(("https://", "http://")):
            raise ConfigError(f"Настройка {name}: ожидается адрес http(s)://…, получено «{url}».")
        values[name] = url
    for name in COLLECTOR_SECRETS:
        values[name] = str(_setting(name, environ, section) or "").strip()
    values["vk_api_version"] = str(_setting("vk_api_version", environ, section) or Settings.vk_api_version).strip()
    values["collect_rps"] = _as_number(
        "collect_rps", _setting("collect_rps", environ, section), Settings.collect_rps, 0.1, 1000.0
    )
    values["max_rps"] = _as_number("max_rps", _setting("max_rps", environ, section), Settings.max_rps, 0.1, 1000.0)
    return values


def _names(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of names from TOML, or a comma-separated string from the environment."""
    if value is None or value == "":
        return default
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip().lower() for item in items if str(item).strip())


def _territory(value: Any) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text not in ("city", "region"):
        raise ConfigError(f"Настройка territory: ожидается city или region, получено «{value}».")
    return text
