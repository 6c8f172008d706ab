"""The command line of the store: `python -m data_access --help`."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import accounts, clock, queries, schema, seed
from data_access.auth import COMMAND_LINE
from data_access.config import ConfigError, database_url, load_settings
from data_access.engine import StoreUnavailable, check_connection, make_engine
from data_access.vocabulary import CATEGORIES, PLATFORMS, ROLES, plural
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2

# argparse's own sentences, in Russian (Python's argparse has no Russian catalogue of its own).
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "не хватает аргументов: {0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "неизвестные аргументы: {0}"),
    (
        re.compile(r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)"),
        "аргумент {0}: недопустимое значение {1} (можно: {2})",
    ),
    (re.compile(r"argument (.*?): expected one argument"), "аргументу {0} нужно значение"),
    (re.compile(r"argument (.*?): invalid (.*?) value: (.*)"), "аргумент {0}: недопустимое значение {2}"),
    (re.compile(r"argument (.*?): not allowed with argument (.*)"), "аргумент {0} нельзя вместе с {1}"),
)


class RussianHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "использование: " if prefix is None else prefix)


class RussianArgumentParser(argparse.ArgumentParser):
    """argparse with Russian usage, section titles and errors; a usage error exits with 1."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")

    def error(self, message: str):
        for pattern, russian in _ARGPARSE_MESSAGES:
            found = pattern.fullmatch(message)
            if found:
                message = russian.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAILED, f"Ошибка: {message}\n")


def _init(engine: Engine, _args: argparse.Namespace) -> int:
    before = schema.current_revision(engine)
    seed.initialise(engine)
    after = schema.current_revision(engine)
    if before == after:
        print(f"Схема базы актуальна (ревизия {after}).")
    else:
        print(f"Схема обновлена: {before or 'пустая база'} → {after}.")
    return EXIT_OK


def _seed(engine: Engine, _args: argparse.Namespace) -> int:
    try:
        if _args.scale == "region":
            result = seed.load_region(engine, lambda text: print(f"  {text}", file=sys.stderr, flush=True))
        else:
            result = seed.load_demo(engine)
    except seed.SeedRefused as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    print(result.message)
    return _stats(engine, _args)


def _stats(engine: Engine, _args: argparse.Namespace) -> int:
    schema.upgrade(engine)
    counts = queries.store_counts(engine)
    labels = {
        "institutions": "учреждения",
        "pages": "страницы (госпаблики)",
        "subscriber_snapshots": "снимки подписчиков",
        "checklist_items": "пункты чек-листа",
        "page_checks": "отметки чек-листа",
        "content_items": "материалы контент-плана",
        "users": "пользователи",
        "audit_log": "записи журнала",
    }
    width = max(len(label) for label in labels.values())
    for key, label in labels.items():
        print(f"{label:<{width}}  {counts[key]:>10,}".replace(",", " "))
    as_of = queries.data_as_of(engine)
    print(f"{'данные на':<{width}}  {as_of.isoformat() if as_of else '—':>10}")
    if queries.dataset_label(engine) == "demo":
        print("В базе демо-данные (сгенерированы seeds/generate.py).")
    elif queries.dataset_label(engine) == "region-demo":
        print("В базе демо-данные области (сгенерированы seeds/region.py).")
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Пароль: ")
    if getpass.getpass("Пароль ещё раз: ") != first:
        raise ValidationFailed(["Пароли не совпадают."])
    return first


def _user_add(engine: Engine, args: argparse.Namespace) -> int:
    schema.upgrade(engine)
    password = None if args.sso_only else _read_password(args)
    accounts.create_user(
        engine,
        COMMAND_LINE,
        accounts.NewUser(
            login=args.login, role=args.role, display_name=args.name or "", email=args.email, password=password
        ),
    )
    print(f"Пользователь «{args.login.lower()}» создан, роль: {ROLES[args.role]}.")
    return EXIT_OK


def _user_passwd(engine: Engine, args: argparse.Namespace) -> int:
    schema.upgrade(engine)
    accounts.set_password(engine, COMMAND_LINE, args.login, _read_password(args))
    print(f"Пароль пользователя «{args.login}» изменён, блокировка входа снята.")
    return EXIT_OK


def _user_list(engine: Engine, _args: argparse.Namespace) -> int:
    schema.upgrade(engine)
    table = accounts.list_users(engine)
    if table.empty:
        print("Пользователей пока нет. Создайте администратора: python -m data_access user add LOGIN --role admin")
        return EXIT_OK
    for row in table.itertuples():
        state = "активен" if row.is_active else "отключён"
        login_kind = "пароль" if row.has_password else "только SSO"
        print(
            f"{row.login:<24} {ROLES[row.role]:<14} {state:<9} {login_kind:<10} {row.display_name or ''} "
            f"{row.email or ''}".rstrip()
        )
    return EXIT_OK


def _user_set_active(active: bool):
    def handler(engine: Engine, args: argparse.Namespace) -> int:
        schema.upgrade(engine)
        accounts.set_active(engine, COMMAND_LINE, args.login, active)
        print(f"Пользователь «{args.login}» {'включён' if active else 'отключён'}.")
        return EXIT_OK

    return handler


def _import(engine: Engine, args: argparse.Namespace) -> int:
    from pathlib import Path

    from data_access import importers

    schema.upgrade(engine)
    if args.what == "undo":
        return _undo_import(engine, args.file)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"Ошибка: файл {path} не читается: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    if args.what == "subscribers":
        plan = importers.plan_subscribers(engine, data, path.name, clock.today())
    else:
        if args.category and args.category not in CATEGORIES:
            print(f"Ошибка: категория «{args.category}» неизвестна; можно: {', '.join(CATEGORIES)}", file=sys.stderr)
            return EXIT_FAILED
        plan = importers.plan_registry(
            engine, data, path.name, default_category=args.category, skip_junk=args.skip_junk
        )
    if not plan.ok:
        _print_problems(plan)
        return EXIT_FAILED
    if args.what == "subscribers" and not _subscribers_checked(plan, args):
        return EXIT_FAILED
    if args.what == "registry":
        print(f"Совпали с учреждениями, которые уже есть в реестре: {plan.matched}.")
        for text in plan.twins:
            print(f"  одинаковое краткое название в одном районе — {text}", file=sys.stderr)
    if args.dry_run:
        print(
            f"Проверка пройдена (без записи): новых {len(plan.new)}, изменённых {len(plan.updated)}, "
            f"без изменений {plan.unchanged}."
            + (f" Незаполненных строк шаблона: {plan.rows_without_figures}." if plan.rows_without_figures else "")
        )
        return EXIT_OK
    if args.what == "subscribers":
        importers.apply_subscribers(engine, COMMAND_LINE, plan, confirm_suspicious=args.confirm_suspicious)
    else:
        importers.apply_registry(engine, COMMAND_LINE, plan)
    print(
        f"Загружено из «{path.name}» (загрузка № {plan.import_id}"
        + f"; отменить: python -m data_access import undo {plan.import_id}"
        + f"): новых {len(plan.new)}, изменённых {len(plan.updated)}, "
        f"без изменений {plan.unchanged}."
        + (f" Пропущено строк-мусора: {len(plan.junk)}." if plan.junk else "")
        + (
            f" Пропущено незаполненных строк шаблона (страница без даты и числа): {plan.rows_without_figures}."
            if plan.rows_without_figures
            else ""
        )
    )
    return EXIT_OK


def _undo_import(engine: Engine, number: str) -> int:
    """`import undo ID`."""
    from data_access import importers

    if not number.isdigit():
        print(
            f"Ошибка: «{number}» — не номер загрузки; номера — в «Загрузке данных» → «История загрузок».",
            file=sys.stderr,
        )
        return EXIT_FAILED
    undone = importers.undo_import(engine, COMMAND_LINE, int(number))
    print(
        f"Загрузка № {undone.import_id} «{undone.file_name}» отменена: возвращено прежних значений "
        f"{undone.restored}, удалено добавленных {undone.removed}."
    )
    return EXIT_OK


def _print_problems(plan) -> None:
    """A refused file's problems, the first 200 of them, on stderr."""
    texts = plan.problem_texts()
    print(f"Файл не загружен, в базе ничего не изменено. Проблем: {len(texts)}", file=sys.stderr)
    for text in texts[:200]:
        print(f"  {text}", file=sys.stderr)
    if len(texts) > 200:
        print(f"  … и ещё {len(texts) - 200}", file=sys.stderr)
    if plan.junk and not plan.skip_junk:
        print("  Строки, похожие на мусор, можно пропустить: --skip-junk", file=sys.stderr)


def _subscribers_checked(plan, args: argparse.Namespace) -> bool:
    """Say how many pages a figures file updates and list its suspicious changes; False when those
    need --confirm-suspicious before a real write."""
    print(
        f"Файл обновляет {plan.pages_in_file} из {plan.pages_active} "
        f"{plural(plan.pages_active, 'страницы', 'страниц', 'страниц')} реестра."
    )
    if not plan.suspicious:
        return True
    print(f"Подозрительных изменений: {len(plan.suspicious)}", file=sys.stderr)
    for row in plan.suspicious[:50]:
        print(
            f"  строка {row['row']}: {row['name']}, {row['previous_day']:%d.%m.%Y} — {row['previous']}, "
            f"{row['day']:%d.%m.%Y} — {row['subscribers']}: {row['reason']}",
            file=sys.stderr,
        )
    if not args.confirm_suspicious and not args.dry_run:
        print("Файл не загружен. Если цифры верны, повторите с --confirm-suspicious.", file=sys.stderr)
        return False
    return True


def _add_import_command(commands) -> None:
    command = commands.add_parser(
        "import",
        help="загрузить файл: цифры подписчиков или реестр учреждений (CSV или XLSX)",
        description=(
            "Те же проверки, что на странице «Загрузка данных»: при любой ошибке ничего не "
            "записывается, список проблем печатается, код выхода 1. Повторная загрузка того же "
            "файла ничего не меняет."
        ),
    )
    command.add_argument(
        "what",
        choices=["subscribers", "registry", "undo"],
        help="subscribers — страница, дата, подписчики; registry — учреждения и их страницы; "
        "undo — отменить загрузку (цифр или реестра) по её номеру",
    )
    command.add_argument("file", help="путь к файлу CSV или XLSX; для undo — номер загрузки")
    command.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")
    command.add_argument(
        "--confirm-suspicious",
        action="store_true",
        help="subscribers: загрузить и строки с резким падением или ростом за неделю",
    )
    command.add_argument(
        "--category",
        help="registry: категория всех строк, если в файле нет такого столбца "
        "(kindergarten, school, culture, sport, city_hall, other)",
    )
    command.add_argument(
        "--skip-junk",
        action="store_true",
        help="registry: пропустить строки, похожие на мусор (без названия, с управляющими символами)",
    )
    command.set_defaults(handler=_import)


def _backup(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import backup

    try:
        written = backup.backup(engine, args.out)
    except backup.BackupProblem as problem:
        print(f"Ошибка: {problem}", file=sys.stderr)
        return EXIT_FAILED
    size = f"{written.stat().st_size / 2**20:.1f}".replace(".", ",")
    print(f"Резервная копия записана в {written} ({size} МБ).")
    return EXIT_OK


def _restore(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import backup

    try:
        revision = backup.backup_revision(engine, args.file)
        if not args.yes:
            print(
                f"«{args.file}» — резервная копия этой базы (схема {revision}). Восстановление заменит ВСЁ "
                "содержимое базы содержимым копии; сначала сделайте копию нынешнего состояния "
                "(backup --out …). Чтобы восстановить, повторите команду с --yes."
            )
            return EXIT_FAILED
        backup.restore(engine, args.file, COMMAND_LINE)
    except backup.BackupProblem as problem:
        print(f"Ошибка: {problem}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"База восстановлена из «{args.file}» (схема {revision}, затем обновлена до текущей); "
        "открытые страницы дашборда перечитают данные сами."
    )
    return EXIT_OK


def _add_backup_commands(commands) -> None:
    command = commands.add_parser(
        "backup",
        help="резервная копия базы в файл (можно при работающем дашборде)",
        description=(
            "SQLite — встроенным механизмом резервного копирования SQLite (копия согласована, даже пока "
            "дашборд пишет); PostgreSQL — pg_dump в формате custom. Пример: python -m data_access backup "
            "--out /var/backups/gospubliki/2026-12-06.sqlite3"
        ),
    )
    command.add_argument("--out", metavar="ФАЙЛ", required=True, type=Path, help="куда записать копию")
    command.set_defaults(handler=_backup)
    command = commands.add_parser(
        "restore",
        help="восстановить базу из резервной копии (заменяет всё содержимое)",
        description=(
            "Проверяет, что файл — резервная копия этой базы (схема дашборда известной версии), и только "
            "с --yes заменяет им содержимое базы; после — обновляет схему до текущей и пишет в журнал."
        ),
    )
    command.add_argument("file", metavar="ФАЙЛ", type=Path, help="файл резервной копии")
    command.add_argument("--yes", action="store_true", help="да, заменить содержимое базы")
    command.set_defaults(handler=_restore)


def _collect(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import collect

    schema.upgrade(engine)
    try:
        run = collect.collect(
            engine,
            load_settings(),
            clock.today(),
            args.platform or None,
            dry_run=args.dry_run,
            progress=lambda _share, text: print(f"  {text}", file=sys.stderr, flush=True),
            counts_only=args.counts_only,
        )
    except collect.NotConfigured as error:
        print(f"Ошибка настройки: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except collect.AlreadyRunning as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return EXIT_FAILED
    for platform in run.platforms:
        label = PLATFORMS[platform.platform]
        if platform.skipped:
            print(f"{label}: пропущено — {collect.missing_text(platform.platform, platform.skipped)}.")
            continue
        failed = [result for result in platform.results if not result.ok]
        print(
            f"{label}: получено {len(platform.ok)} из {len(platform.results)}, не получено {len(failed)} "
            f"(запросов {platform.requests}, {platform.seconds:.1f} с)."
            + (f" {platform.failed}" if platform.failed else "")
        )
        for result in failed[:100]:
            print(f"  страница {result.page_id}: {result.reason}")
        if len(failed) > 100:
            print(f"  … и ещё {len(failed) - 100}")
        if platform.walls or platform.walls_failed:
            read = sum(wall.ok for wall in platform.walls)
            print(
                f"{label}, публикации: прочитаны у {read} из {len(platform.walls)} страниц."
                + (f" {platform.walls_failed}" if platform.walls_failed else "")
            )
    if args.dry_run:
        print(f"Проверка без записи: получено цифр {run.collected}.")
    else:
        print(
            f"Записано цифр за {run.day:%d.%m.%Y}: {run.written} (остальные не изменились)."
            + (f" Пунктов чек-листа изменено по измерениям: {run.checks_changed}." if run.checks_changed else "")
        )
    return EXIT_OK if run.collected else EXIT_FAILED


def _add_collect_command(commands) -> None:
    command = commands.add_parser(
        "collect",
        help="собрать сегодняшние цифры подписчиков с площадок (VK, OK, Telegram, MAX)",
        description=(
            "Спрашивает у API площадок число подписчиков каждой действующей страницы и записывает его "
            "за сегодняшний день (время Новосибирска) тем же путём, что загрузка файла. Площадка без "
            "токена пропускается. Затем у страниц ВКонтакте читаются последние 30 публикаций: сколько "
            "вышло за 7 дней, просмотры, лайки, комментарии, репосты (--counts-only — без этого шага). "
            "Код выхода: 0 — что-то собрано, 1 — ничего, 2 — ошибка настройки."
        ),
    )
    command.add_argument(
        "--platform",
        action="append",
        choices=list(PLATFORMS),
        metavar="ПЛОЩАДКА",
        help="только эта площадка (можно несколько раз): vk, ok, telegram, max",
    )
    command.add_argument("--dry-run", action="store_true", help="спросить, но ничего не записывать")
    command.add_argument(
        "--counts-only", action="store_true", help="только числа подписчиков, без публикаций и вовлечённости ВКонтакте"
    )
    command.set_defaults(handler=_collect)


def _add_user_commands(commands) -> None:
    user = commands.add_parser(
        "user",
        help="учётные записи: add, passwd, list, disable, enable",
        description="Локальные учётные записи дашборда. Первого администратора создают здесь.",
    )
    actions = user.add_subparsers(dest="user_command", required=True, metavar="ДЕЙСТВИЕ")
    add = actions.add_parser(
        "add",
        help="создать пользователя (пароль спросит дважды)",
        description="Создаёт учётную запись. Пароль — не короче 10 символов.",
    )
    add.add_argument("login", help="логин: латиница, цифры, точка, дефис")
    add.add_argument(
        "--role",
        choices=list(ROLES),
        default="viewer",
        help="viewer — просмотр, editor — редактор, admin — администратор (по умолчанию viewer)",
    )
    add.add_argument("--name", help="имя для журнала изменений, например «Иванова Е. А.»")
    add.add_argument("--email", help="e-mail; по нему находится роль при входе через SSO")
    add.add_argument(
        "--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода (для скриптов)"
    )
    add.add_argument("--sso-only", action="store_true", help="без пароля: пользователь входит только через единый вход")
    add.set_defaults(handler=_user_add)
    passwd = actions.add_parser("passwd", help="задать новый пароль (и снять блокировку входа)")
    passwd.add_argument("login")
    passwd.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода")
    passwd.set_defaults(handler=_user_passwd)
    actions.add_parser("list", help="показать всех пользователей").set_defaults(handler=_user_list)
    disable = actions.add_parser("disable", help="отключить пользователя (история сохраняется)")
    disable.add_argument("login")
    disable.set_defaults(handler=_user_set_active(False))
    enable = actions.add_parser("enable", help="снова включить пользователя")
    enable.add_argument("login")
    enable.set_defaults(handler=_user_set_active(True))


def build_parser() -> argparse.ArgumentParser:
    parser = RussianArgumentParser(
        prog="python -m data_access",
        description=(
            "Хранилище дашборда госпабликов Новосибирска. База берётся из DATABASE_URL, "
            "иначе из .streamlit/secrets.toml [connections.sql] url, иначе встроенный файл SQLite "
            "data/gospubliki.sqlite3."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА")
    commands.add_parser(
        "init",
        help="создать или обновить схему базы (миграции Alembic) и загрузить пункты чек-листа",
        description="Применяет все недостающие миграции; на актуальной базе ничего не меняет.",
    ).set_defaults(handler=_init)
    seed_command = commands.add_parser(
        "seed",
        help=(
            "загрузить демо-город (620 учреждений, 863 страницы с каналами MAX) в пустую базу; повторный запуск "
            "ничего не меняет"
        ),
        description=(
            "Загружает сгенерированные демо-данные из seeds/demo/. В базу, где уже есть "
            "настоящие учреждения, демо-данные не загружаются. --scale region — демо-область для "
            "нагрузочных проверок: 3465 страниц, каналы MAX рядом с ними и два года ежедневных цифр (≈2,7 млн строк, "
            "минуты)."
        ),
    )
    seed_command.add_argument(
        "--scale",
        choices=["city", "region"],
        default="city",
        help="city — город, 620 учреждений (по умолчанию); region — область, 3465 страниц и каналы MAX",
    )
    seed_command.set_defaults(handler=_seed)
    commands.add_parser(
        "stats",
        help="показать, сколько в базе учреждений, страниц, снимков и прочего",
        description="Печатает число записей в основных таблицах и дату последних данных.",
    ).set_defaults(handler=_stats)
    _add_user_commands(commands)
    _add_import_command(commands)
    _add_collect_command(commands)
    _add_backup_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, engine_factory: Callable[[], Engine] | None = None) -> int:
    return run(build_parser().parse_args(argv), engine_factory)


def run(args: argparse.Namespace, engine_factory: Callable[[], Engine] | None = None) -> int:
    """Call `args.handler(engine, args)` on the configured store (or `engine_factory()`'s), every
    refusal printed in Russian with its exit code — for this CLI and for the commands that live
    above data_access (components/report_command.py)."""
    try:
        engine = engine_factory() if engine_factory else make_engine(database_url())
        check_connection(engine)
        return args.handler(engine, args)
    except (StoreUnavailable, ConfigError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except ValidationFailed as error:
        for problem in error.problems:
            print(f"Ошибка: {problem}", file=sys.stderr)
        return EXIT_FAILED
    except (PermissionDenied, StaleRecord) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        print(f"Ошибка базы данных: {reason} / Database error.", file=sys.stderr)
        return EXIT_FAILED
