"""Codes stored in the database and the Russian words shown for them on screen."""

from __future__ import annotations

# Institution categories: code -> label. The order is the order of every table and chart.
CATEGORIES: dict[str, str] = {
    "kindergarten": "Детские сады",
    "school": "Школы",
    "culture": "Культура",
    "sport": "Спорт",
    "city_hall": "Подразделения мэрии",
    "other": "Другое",
}

PLATFORMS: dict[str, str] = {
    "vk": "ВКонтакте",
    "ok": "Одноклассники",
    "telegram": "Telegram",
    "max": "MAX",
}

# The ten districts (районы) of Novosibirsk, in the city's usual alphabetical order.
CITY_DISTRICTS: tuple[str, ...] = (
    "Дзержинский район",
    "Железнодорожный район",
    "Заельцовский район",
    "Калининский район",
    "Кировский район",
    "Ленинский район",
    "Октябрьский район",
    "Первомайский район",
    "Советский район",
    "Центральный район",
)

# The region's municipal districts and urban okrugs outside the city, with their administrative
# centres (lat, lon): the districts a region-wide registry may name besides the city's ten.
REGION_AREAS: dict[str, tuple[float, float]] = {
    "городской округ Бердск": (54.758, 83.107),
    "городской округ Искитим": (54.640, 83.306),
    "городской округ Обь": (54.994, 82.693),
    "р. п. Кольцово": (54.939, 83.186),
    "Новосибирский район": (55.120, 82.620),
    "Искитимский район": (54.520, 83.500),
    "Тогучинский район": (55.236, 84.388),
    "Куйбышевский район": (55.447, 78.318),
    "Барабинский район": (55.352, 78.350),
    "Карасукский район": (53.730, 78.040),
    "Черепановский район": (54.222, 83.372),
    "Ордынский район": (54.366, 81.898),
    "Коченёвский район": (55.023, 82.206),
    "Колыванский район": (55.308, 82.738),
    "Мошковский район": (55.303, 83.612),
    "Болотнинский район": (55.672, 84.392),
    "Купинский район": (54.366, 77.297),
    "Татарский район": (55.214, 75.974),
    "Сузунский район": (53.784, 82.311),
    "Маслянинский район": (54.338, 84.214),
    "Краснозёрский район": (53.984, 79.241),
    "Чулымский район": (55.099, 80.963),
    "Каргатский район": (55.196, 80.283),
    "Венгеровский район": (55.676, 76.748),
    "Чановский район": (55.311, 76.754),
    "Здвинский район": (54.701, 78.661),
    "Баганский район": (54.097, 77.666),
    "Доволенский район": (54.496, 79.669),
    "Кочковский район": (54.335, 80.483),
    "Убинский район": (55.300, 79.683),
    "Чистоозёрный район": (54.708, 76.583),
    "Усть-Таркский район": (55.567, 75.696),
    "Северный район": (56.349, 78.361),
    "Кыштовский район": (56.563, 76.627),
}

# Default subscriber targets of the mission; a page may override its own (within the bounds).
FLAGSHIP_TARGET = 1000
REGULAR_TARGET = 500
TARGET_OVERRIDE_RANGE = (1, 1_000_000)

# A page whose latest figure is older than this many days has «нет свежих данных» (a setting).
DEFAULT_STALE_AFTER_DAYS = 14

# Progress statuses of a page against its subscriber target.
STATUS_REACHED = "reached"
STATUS_ON_TRACK = "on_track"
STATUS_LAGGING = "lagging"
STATUS_STALLED = "stalled"
STATUS_STALE = "stale"
STATUS_NO_DATA = "no_data"

STATUSES: dict[str, str] = {
    STATUS_REACHED: "цель достигнута",
    STATUS_ON_TRACK: "по графику",
    STATUS_LAGGING: "отстаёт",
    STATUS_STALLED: "нет роста",
    STATUS_STALE: "нет свежих данных",
    STATUS_NO_DATA: "нет данных",
}

# Colours used for statuses in every chart and on the map (RGB), so a status looks the same
# everywhere.
STATUS_COLORS: dict[str, tuple[int, int, int]] = {
    STATUS_REACHED: (46, 139, 87),
    STATUS_ON_TRACK: (66, 133, 244),
    STATUS_LAGGING: (240, 160, 40),
    STATUS_STALLED: (214, 69, 65),
    STATUS_STALE: (120, 100, 160),
    STATUS_NO_DATA: (150, 150, 150),
}

# Verification checklist states.
CHECK_DONE = "done"
CHECK_NOT_DONE = "not_done"
CHECK_NOT_APPLICABLE = "n_a"

CHECK_STATES: dict[str, str] = {
    CHECK_DONE: "выполнено",
    CHECK_NOT_DONE: "не выполнено",
    CHECK_NOT_APPLICABLE: "не применимо",
}

# Content calendar.
CONTENT_STATUSES: dict[str, str] = {
    "idea": "идея",
    "in_progress": "в работе",
    "review": "на согласовании",
    "ready": "готово",
    "published": "опубликовано",
    "cancelled": "отменено",
}

CONTENT_FORMATS: dict[str, str] = {
    "news": "новость",
    "photo": "фото",
    "video": "видео",
    "longread": "лонгрид",
    "cards": "карточки",
    "poll": "опрос",
    "live": "прямой эфир",
    "announcement": "анонс",
}

# Roles of people who use the dashboard, weakest first.
ROLE_VIEWER = "viewer"
ROLE_EDITOR = "editor"
ROLE_ADMIN = "admin"

ROLES: dict[str, str] = {
    ROLE_VIEWER: "просмотр",
    ROLE_EDITOR: "редактор",
    ROLE_ADMIN: "администратор",
}


def category_label(code: str) -> str:
    return CATEGORIES.get(code, code)


def platform_label(code: str) -> str:
    return PLATFORMS.get(code, code)


def page_name(short_name: str, platform: str) -> str:
    """One page as people read it everywhere: its institution and network («Гимназия № 1 · MAX»),
    since an institution's VK page and its MAX channel share a name and a district."""
    return f"{short_name} · {platform_label(platform)}"


def status_label(code: str) -> str:
    return STATUSES.get(code, code)


def plural(count: int, one: str, few: str, many: str) -> str:
    """Russian plural form: plural(21, 'страница', 'страницы', 'страниц') -> «страница»."""
    count = abs(count)
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
