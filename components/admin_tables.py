"""Pure builders of the administrator's screens: the audit log («Журнал изменений»), the collection
runs («Сбор данных») and the accounts («Пользователи»), as their tables show and download them."""

from __future__ import annotations

import pandas as pd

from components import audit_log
from components import formatting as fmt
from components.tables import page_names
from data_access.vocabulary import PLATFORMS, ROLES

# The audit log's actions and entities in words.
ACTIONS = {
    "create": "создание",
    "update": "изменение",
    "delete": "удаление",
    "retire": "вывод из работы",
    "denied": "отказ в доступе",
    "login": "вход",
    "login_failed": "неудачный вход",
    "import": "загрузка",
}
ENTITIES = {
    "user": "пользователь",
    "permission": "права",
    "page_check": "чек-лист страницы",
    "institution_check": "чек-лист учреждения",
    "checklist_item": "пункт чек-листа",
    "content_item": "материал",
    "institution": "учреждение",
    "page": "страница",
    "subscribers": "подписчики",
    "import": "загрузка",
    "city_date": "памятная дата",
}


def audit_entries(entries: pd.DataFrame, registry: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Audit rows (queries.audit_entries) in words; `registry` and `items` with the retired ones,
    to name what a row is about (audit_log.subjects)."""
    entries = entries.fillna("")
    return pd.DataFrame(
        {
            "Когда": entries["at"].map(fmt.local_datetime),
            "Кто": entries["actor"],
            "Действие": entries["action"].map(lambda code: ACTIONS.get(code, code)),
            "Объект": entries["entity"].map(lambda code: ENTITIES.get(code, code)),
            "Что именно": audit_log.subjects(entries, registry, items),
            "Номер": entries["entity_id"],
            "Подробности": entries["details"],
            "Было": entries["before"],
            "Стало": entries["after"],
        }
    )


def platform_status(status: dict[str, str]) -> pd.DataFrame:
    """Which platforms the collectors can ask (collect.configured: platform -> what is missing)."""
    return pd.DataFrame(
        {
            "Площадка": [PLATFORMS[code] for code in status],
            "Настроена": ["да" if not reason else "нет" for reason in status.values()],
            "Чего не хватает": [reason or "—" for reason in status.values()],
        }
    )


def walls_text(platforms: list[dict]) -> str:
    """What the VK posts step of a run did, in words."""
    vk = next((entry for entry in platforms if entry.get("platform") == "vk"), None)
    if vk is None or not (vk.get("walls") or vk.get("walls_failed")):
        return "—"
    text = f"прочитаны у {fmt.number(vk.get('walls_ok', 0))} из {fmt.pages_genitive(vk.get('walls', 0))}"
    return f"{text}; {vk['walls_failed']}" if vk.get("walls_failed") else text


def collection_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The recent collection runs (queries.collection_runs), newest first."""
    return pd.DataFrame(
        {
            "Начало": runs["started_at"].map(fmt.local_datetime),
            "Длительность, с": [
                (end - start).total_seconds()
                for start, end in zip(pd.to_datetime(runs["started_at"]), pd.to_datetime(runs["finished_at"]))
            ],
            "Кто запустил": runs["actor"],
            "Получено": runs["pages_ok"],
            "Не получено": runs["pages_failed"],
            "Записано": runs["written"],
            "Публикации ВКонтакте": runs["platforms"].map(walls_text),
            "Без записи": runs["dry_run"].map({True: "да", False: ""}),
        }
    )


def collection_failures(failures: list, directory: pd.DataFrame) -> pd.DataFrame:
    """The pages a run could not ask ([page_id, platform, reason] each), named with their network;
    `directory`: every page, indexed by page_id."""
    failed = pd.DataFrame(failures, columns=["page_id", "platform", "reason"])
    return pd.DataFrame(
        {
            "Страница": failed["page_id"].map(page_names(directory)).fillna("(выведена из работы)"),
            "Площадка": failed["platform"].map(PLATFORMS),
            "Ссылка": failed["page_id"].map(directory["url"]).fillna(""),
            "Причина": failed["reason"],
        }
    )


def collection_done(run) -> str:
    """What a finished collection run (collect.Run) did, for the message after it."""
    settled = (
        f" По измерениям ВКонтакте изменено пунктов чек-листа: {fmt.number(run.checks_changed)}."
        if run.checks_changed
        else ""
    )
    return f"Сбор закончен: получено цифр {fmt.number(run.collected)}, записано {fmt.number(run.written)}.{settled}"


def users(people: pd.DataFrame) -> pd.DataFrame:
    """The accounts (accounts.list_users) as «Пользователи» lists them."""
    return pd.DataFrame(
        {
            "Логин": people["login"],
            "Имя": people["display_name"].fillna(""),
            "E-mail": people["email"].fillna(""),
            "Роль": people["role"].map(ROLES),
            "Активен": people["is_active"].astype(bool),
            "Вход": people["has_password"].map({True: "пароль", False: "только SSO"}),
            "Последний вход": people["last_login_at"].map(fmt.local_datetime),
            "Заблокирован до": people["locked_until"].map(
                lambda moment: "" if pd.isna(moment) else fmt.local_datetime(moment)
            ),
        }
    )
