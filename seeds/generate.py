"""Generate the DEMO city: 620 invented official pages of Novosibirsk institutions (not real data).

Run `python -m seeds.generate` to rewrite the CSV files in seeds/demo/. The output depends only
on the constants below and the random seed, so the committed files can always be regenerated
byte for byte (a test checks this).

Facts typed in by hand: the ten district names, how many municipal kindergartens each district has
(city open-data list), typical naming patterns, street names and a few points on land in each
district around which demo institutions are placed. Names, numbers, addresses, links and figures
of the institutions themselves are invented.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from data_access.names import school_short_name

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_AS_OF = date(2026, 11, 26)
HISTORY_DAYS = 365
SEED = 2023_620
# The deadline the demo figures are shaped around (see data_access.rules.default_deadline).
DEMO_DEADLINE = date(2027, 12, 31)

CATEGORY_COUNTS = {
    "kindergarten": 252,
    "school": 213,
    "culture": 58,
    "sport": 37,
    "city_hall": 40,
    "other": 20,
}

# Per district: municipal kindergartens (open-data list), schools, culture, sport, other.
DISTRICT_COUNTS: dict[str, dict[str, int]] = {
    "Дзержинский район": {"kindergarten": 23, "school": 19, "culture": 5, "sport": 4, "other": 2},
    "Железнодорожный район": {"kindergarten": 11, "school": 11, "culture": 6, "sport": 2, "other": 1},
    "Заельцовский район": {"kindergarten": 24, "school": 18, "culture": 5, "sport": 4, "other": 2},
    "Калининский район": {"kindergarten": 34, "school": 25, "culture": 5, "sport": 4, "other": 2},
    "Кировский район": {"kindergarten": 36, "school": 27, "culture": 6, "sport": 4, "other": 2},
    "Ленинский район": {"kindergarten": 45, "school": 35, "culture": 7, "sport": 5, "other": 3},
    "Октябрьский район": {"kindergarten": 27, "school": 25, "culture": 6, "sport": 4, "other": 2},
    "Первомайский район": {"kindergarten": 14, "school": 14, "culture": 3, "sport": 3, "other": 2},
    "Советский район": {"kindergarten": 21, "school": 22, "culture": 5, "sport": 4, "other": 2},
    "Центральный район": {"kindergarten": 17, "school": 17, "culture": 10, "sport": 3, "other": 2},
}

# Points on land inside each district (lat, lon, weight): residential areas, away from the Ob
# and from district borders. Demo institutions are scattered a few hundred metres around them.
DISTRICT_ANCHORS: dict[str, list[tuple[float, float, int]]] = {
    "Дзержинский район": [
        (55.0575, 82.9746, 9),
        (55.0469, 82.9599, 5),
        (55.0502, 82.9697, 4),
        (55.0480, 82.9883, 2),
        (55.0662, 82.9988, 1),
    ],
    "Железнодорожный район": [(55.0283, 82.9084, 3), (55.0374, 82.9040, 2), (55.0329, 82.8960, 1)],
    "Заельцовский район": [
        (55.0607, 82.8964, 12),
        (55.0796, 82.9033, 9),
        (55.0606, 82.9049, 7),
        (55.0681, 82.9132, 3),
        (55.0511, 82.8827, 2),
    ],
    "Калининский район": [
        (55.1716, 82.9706, 4),
        (55.1740, 82.9657, 3),
        (55.1787, 82.9715, 3),
        (55.1849, 82.9899, 2),
        (55.1698, 82.9964, 2),
    ],
    "Кировский район": [
        (54.9627, 82.9571, 10),
        (54.9384, 82.9256, 9),
        (54.9544, 82.9595, 7),
        (54.9648, 82.9101, 6),
        (54.9401, 82.9091, 6),
    ],
    "Ленинский район": [
        (54.9912, 82.8631, 19),
        (54.9856, 82.8235, 15),
        (54.9967, 82.8905, 14),
        (54.9901, 82.8067, 13),
        (54.9888, 82.8469, 11),
        (54.9683, 82.8425, 8),
    ],
    "Октябрьский район": [
        (55.0146, 82.9480, 17),
        (55.0217, 82.9682, 12),
        (55.0037, 83.0199, 9),
        (55.0016, 83.0045, 6),
        (54.9868, 82.9867, 4),
    ],
    "Первомайский район": [
        (54.9733, 83.0882, 7),
        (54.9649, 83.0623, 7),
        (54.9390, 83.1196, 4),
        (54.9381, 83.1055, 4),
        (54.9227, 83.0804, 3),
    ],
    "Советский район": [
        (54.8373, 83.1087, 22),
        (54.8642, 83.0947, 22),
        (54.8439, 83.0938, 16),
        (54.8879, 83.1004, 4),
        (54.8592, 82.9738, 4),
    ],
    "Центральный район": [
        (55.0412, 82.9261, 5),
        (55.0331, 82.9271, 2),
        (55.0354, 82.9263, 2),
        (55.0390, 82.9313, 2),
        (55.0431, 82.9237, 2),
    ],
}

STREETS: dict[str, list[str]] = {
    "Дзержинский район": [
        "проспект Дзержинского",
        "ул. Кошурникова",
        "ул. Есенина",
        "ул. Авиастроителей",
        "ул. Трикотажная",
        "ул. Королёва",
        "ул. Шекспира",
    ],
    "Железнодорожный район": [
        "ул. Ленина",
        "ул. Челюскинцев",
        "ул. Омская",
        "ул. Железнодорожная",
        "ул. Салтыкова-Щедрина",
        "ул. Дмитрия Шамшурина",
    ],
    "Заельцовский район": [
        "Красный проспект",
        "ул. Дуси Ковальчук",
        "ул. Кропоткина",
        "ул. Жуковского",
        "ул. Аэропорт",
        "ул. Галущака",
        "ул. Победителей",
    ],
    "Калининский район": [
        "ул. Богдана Хмельницкого",
        "ул. Объединения",
        "ул. Учительская",
        "ул. Тюленина",
        "ул. Свечникова",
        "ул. Красных Зорь",
        "ул. Народная",
    ],
    "Кировский район": [
        "ул. Сибиряков-Гвардейцев",
        "ул. Петухова",
        "ул. Зорге",
        "ул. Немировича-Данченко",
        "ул. Громова",
        "ул. Мира",
        "ул. Ватутина",
    ],
    "Ленинский район": [
        "ул. Станиславского",
        "ул. Плахотного",
        "ул. Титова",
        "ул. Пархоменко",
        "ул. Связистов",
        "ул. Троллейная",
        "ул. Блюхера",
        "ул. Забалуева",
    ],
    "Октябрьский район": [
        "ул. Бориса Богаткова",
        "ул. Кирова",
        "ул. Никитина",
        "ул. Выборная",
        "ул. Лескова",
        "ул. Ключ-Камышенское Плато",
        "ул. Зыряновская",
    ],
    "Первомайский район": [
        "ул. Первомайская",
        "ул. Марата",
        "ул. Эйхе",
        "ул. Физкультурная",
        "ул. Твардовского",
        "ул. Шмидта",
        "ул. Одоевского",
    ],
    "Советский район": [
        "Морской проспект",
        "ул. Ильича",
        "проспект Академика Лаврентьева",
        "ул. Ветлужская",
        "ул. Русская",
        "ул. Софийская",
        "ул. Экваторная",
    ],
    "Центральный район": [
        "Красный проспект",
        "ул. Советская",
        "ул. Фрунзе",
        "ул. Гоголя",
        "ул. Максима Горького",
        "ул. Романова",
        "ул. Каменская",
    ],
}

KINDERGARTEN_NAMES = [
    "Улыбка",
    "Теремок",
    "Солнышко",
    "Ромашка",
    "Радуга",
    "Золотой ключик",
    "Колокольчик",
    "Берёзка",
    "Сказка",
    "Жемчужинка",
    "Родничок",
    "Малыш",
    "Звёздочка",
    "Ласточка",
    "Рябинка",
    "Капелька",
    "Светлячок",
    "Медвежонок",
    "Аленький цветочек",
    "Снежинка",
    "Кораблик",
    "Ёлочка",
    "Лесовичок",
    "Чебурашка",
    "Дельфин",
    "Островок детства",
    "Журавушка",
    "Непоседы",
    "Семицветик",
    "Гнёздышко",
    "Подсолнух",
    "Академия детства",
    "Васильки",
    "Белочка",
    "Соловушка",
    "Синяя птица",
]
KINDERGARTEN_FORMS = [("МБДОУ", "бюджетное", 0.55), ("МАДОУ", "автономное", 0.3), ("МКДОУ", "казённое", 0.15)]

CULTURE_TEMPLATES = [
    ("Дом культуры «{n}»", "ДК «{n}»", "dk"),
    ("Библиотека им. {w}", "Библиотека им. {w}", "lib"),
    ("Детская библиотека им. {w}", "Детская библиотека им. {w}", "dlib"),
    ("Детская школа искусств № {k}", "ДШИ № {k}", "dshi"),
    ("Детская музыкальная школа № {k}", "ДМШ № {k}", "dmsh"),
    ("Центр культуры «{n}»", "ЦК «{n}»", "ck"),
]
CULTURE_WORDS = [
    "Звёздный",
    "Энергия",
    "Юность",
    "Сибирь",
    "Прогресс",
    "Заря",
    "Садовый",
    "Академия",
    "Победа",
    "Родина",
    "Рассвет",
    "Кристалл",
    "Маяк",
    "Мечта",
]
WRITERS = [
    "А. С. Пушкина",
    "М. Ю. Лермонтова",
    "А. П. Чехова",
    "Л. Н. Толстого",
    "Н. В. Гоголя",
    "В. В. Маяковского",
    "С. А. Есенина",
    "А. П. Гайдара",
    "С. Я. Маршака",
    "К. И. Чуковского",
    "Н. А. Некрасова",
    "И. А. Крылова",
    "Ф. М. Достоевского",
    "А. М. Горького",
    "В. Г. Белинского",
    "Н. А. Островского",
]
CULTURE_FLAGSHIPS = [
    ("Городской драматический театр «Сибирская сцена»", "Театр «Сибирская сцена»", "teatr-scena"),
    ("Централизованная библиотечная система города", "ЦБС города", "cbs-city"),
    ("Городской музей истории Новосибирска", "Музей истории города", "museum-city"),
    ("Детский театр кукол «Огонёк»", "Театр кукол «Огонёк»", "teatr-ogonek"),
    ("Городской концертный зал", "Концертный зал", "concert-hall"),
    ("Дом народного творчества", "Дом народного творчества", "dnt"),
]

SPORT_NAMES = [
    "Заря",
    "Спартак",
    "Сибирь",
    "Олимп",
    "Энергия",
    "Юность",
    "Старт",
    "Темп",
    "Смена",
    "Виктория",
    "Лидер",
    "Чемпион",
    "Атлант",
    "Зенит",
    "Буревестник",
    "Динамо",
    "Рекорд",
    "Факел",
    "Кедр",
    "Вымпел",
]
SPORT_KINDS = [
    "по лёгкой атлетике",
    "по плаванию",
    "по хоккею",
    "по футболу",
    "по лыжным гонкам",
    "по самбо и дзюдо",
    "по гимнастике",
    "по волейболу",
    "по баскетболу",
    "по боксу",
]

CITY_HALL_DEPARTMENTS = [
    ("Департамент образования мэрии", "depobr", True),
    ("Департамент культуры, спорта и молодёжной политики мэрии", "depkult", True),
    ("Департамент транспорта и дорожно-благоустроительного комплекса мэрии", "deptrans", True),
    ("Департамент энергетики, жилищного и коммунального хозяйства города", "depzhkh", True),
    ("Департамент строительства и архитектуры мэрии", "depstroy", True),
    ("Департамент по социальной политике мэрии", "depsoc", True),
    ("Департамент информационной политики мэрии", "depinfo", True),
    ("Департамент экономики и стратегического планирования мэрии", "depecon", True),
    ("Департамент земельных и имущественных отношений мэрии", "depzem", False),
    ("Департамент финансов и налоговой политики мэрии", "depfin", False),
    ("Департамент промышленности, инноваций и предпринимательства мэрии", "depprom", False),
    ("Департамент правовой и кадровой работы мэрии", "deppravo", False),
    ("Управление общественных связей мэрии", "uos", False),
    ("Комитет по делам молодёжи мэрии", "kdm", True),
    ("Комитет по физической культуре и спорту мэрии", "kfks", False),
    ("Комитет охраны окружающей среды мэрии", "koos", False),
    ("Управление по делам гражданской обороны и чрезвычайным ситуациям", "gochs", True),
    ("Главное управление благоустройства и озеленения мэрии", "gubo", False),
    ("Управление потребительского рынка мэрии", "upr", False),
    ("Управление архитектурно-строительной инспекции мэрии", "uasi", False),
    ("Управление по жилищным вопросам мэрии", "uzhv", False),
    ("Управление муниципального заказа мэрии", "umz", False),
    ("Управление организационной работы мэрии", "uor", False),
    ("Управление по взаимодействию с административными органами мэрии", "uvao", False),
    ("Комитет по работе с общественными объединениями мэрии", "kroo", False),
    ("Комитет по труду мэрии", "ktrud", False),
    ("Комитет муниципальной службы мэрии", "kms", False),
    ("Управление делами мэрии", "udm", False),
    ("Департамент организационно-контрольной работы мэрии", "depokr", False),
    ("Управление пресс-службы мэрии", "press", True),
    ("Управление по туризму мэрии", "tourism", False),
    ("Комитет по жилищным вопросам мэрии", "kzhv", False),
]
ADMINISTRATIONS = [
    ("Администрация Дзержинского района", "Дзержинский район", "adm-dzr"),
    ("Администрация Калининского района", "Калининский район", "adm-kln"),
    ("Администрация Кировского района", "Кировский район", "adm-kir"),
    ("Администрация Ленинского района", "Ленинский район", "adm-len"),
    ("Администрация Октябрьского района", "Октябрьский район", "adm-okt"),
    ("Администрация Первомайского района", "Первомайский район", "adm-per"),
    ("Администрация Советского района", "Советский район", "adm-sov"),
    (
        "Администрация Центрального округа по Железнодорожному, Заельцовскому и Центральному районам",
        "Центральный район",
        "adm-co",
    ),
]
OTHER_TEMPLATES = [
    ("Молодёжный центр «{n}»", "МЦ «{n}»", "mc"),
    ("Центр социальной помощи семье и детям «{n}»", "ЦСПСД «{n}»", "cspsd"),
    ("Центр психолого-педагогической поддержки молодёжи «{n}»", "ЦППМ «{n}»", "cppm"),
    ("Дом детского творчества «{n}»", "ДДТ «{n}»", "ddt"),
    ("Комплексный центр социального обслуживания населения", "КЦСОН", "kcson"),
]
OTHER_WORDS = [
    "Родник",
    "Планета",
    "Пилигрим",
    "Содружество",
    "Калейдоскоп",
    "Меридиан",
    "Галактика",
    "Гармония",
    "Альтаир",
    "Ориентир",
    "Перспектива",
    "Созвездие",
]

# Share of pages on which an item is done: all pages passed verification in 2023, some drifted.
CHECKLIST_DONE_SHARE = {
    "vk_page": 1.0,
    "ok_page": 0.95,
    "gov_mark": 0.99,
    "official_name": 0.97,
    "design": 0.93,
    "description": 0.94,
    "map_point": 0.8,
    "widgets": 0.91,
    "site_link": 0.94,
    "qr_code": 0.9,
    "comments_open": 0.98,
    "posting_cadence": 0.62,
    "replies_on_time": 0.96,
    "admin_2fa": 0.92,
}
STAFF = [
    "Иванова Е. А.",
    "Петров С. В.",
    "Кузнецова О. Н.",
    "Смирнова А. Д.",
    "Волков И. П.",
    "Морозова Т. В.",
    "Соколова М. И.",
    "Лебедев Д. А.",
]

NEWSROOM_EDITORS = ["Алексеева Н.", "Борисов К.", "Григорьева Л.", "Дмитриев А.", "Егорова С.", "Жукова В."]
RUBRICS = [
    "Городские новости",
    "Безопасность детей",
    "Культурная афиша",
    "Спортивная жизнь",
    "Госуслуги — просто",
    "Экология",
    "Наши педагоги",
    "Здоровье",
    "Новый год в городе",
    "Транспорт и дороги",
]
CONTENT_TOPICS = [
    ("Как записать ребёнка в детский сад через Госуслуги", "Госуслуги — просто", ["kindergarten"]),
    ("Безопасный лёд: правила для детей и родителей", "Безопасность детей", ["kindergarten", "school"]),
    ("Афиша выходных: спектакли и концерты", "Культурная афиша", ["culture"]),
    ("Городская спартакиада школьников: итоги", "Спортивная жизнь", ["school", "sport"]),
    ("Новогодние ёлки в районах города", "Новый год в городе", ["culture", "city_hall"]),
    ("Сортировка отходов: куда сдать батарейки", "Экология", ["school", "other"]),
    ("Учитель года: знакомимся с финалистами", "Наши педагоги", ["school"]),
    ("Прививка от гриппа: где сделать бесплатно", "Здоровье", ["city_hall", "other"]),
    ("Изменения в расписании общественного транспорта", "Транспорт и дороги", ["city_hall"]),
    ("Как подать обращение через Платформу обратной связи", "Госуслуги — просто", []),
    ("Зимние каникулы: бесплатные секции и кружки", "Спортивная жизнь", ["sport", "school"]),
    ("Опрос: какие праздники провести во дворах", "Городские новости", ["city_hall"]),
    ("Фотоотчёт: осенний субботник", "Экология", ["kindergarten", "school", "city_hall"]),
    ("Прямой эфир с главой района", "Городские новости", ["city_hall"]),
    ("Карточки: как защитить аккаунт от мошенников", "Безопасность детей", []),
    ("Библионочь: программа библиотек", "Культурная афиша", ["culture"]),
    ("Тонкий лёд: памятка МЧС", "Безопасность детей", ["school", "kindergarten", "sport"]),
    ("Мастер-классы в домах культуры", "Культурная афиша", ["culture", "other"]),
    ("Городской каток: расписание сеансов", "Спортивная жизнь", ["sport"]),
    ("Видео: как работает новая школа", "Наши педагоги", ["school"]),
]

CHECK_CODES = list(CHECKLIST_DONE_SHARE)


@dataclass
class DemoCity:
    institutions: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    snapshots: list[tuple[int, date, int]] = field(default_factory=list)
    measurements: list[dict] = field(default_factory=list)
    page_checks: list[dict] = field(default_factory=list)
    content_items: list[dict] = field(default_factory=list)
    content_item_categories: list[dict] = field(default_factory=list)
    content_item_pages: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)


def _weighted(rng: random.Random, options: list[tuple]) -> tuple:
    total = sum(option[-1] for option in options)
    pick = rng.uniform(0, total)
    for option in options:
        pick -= option[-1]
        if pick <= 0:
            return option
    return options[-1]


def _place(rng: random.Random, district: str) -> tuple[float, float]:
    lat, lon, _ = _weighted(rng, DISTRICT_ANCHORS[district])
    # ≈ 300 m spread, capped at ≈ 700 m so a point stays in the neighbourhood of its anchor.
    d_lat = max(-0.0063, min(0.0063, rng.gauss(0, 0.0027)))
    d_lon = max(-0.011, min(0.011, rng.gauss(0, 0.0047)))
    return round(lat + d_lat, 6), round(lon + d_lon, 6)


def _address(rng: random.Random, district: str) -> str:
    street = rng.choice(STREETS[district])
    house = rng.randint(1, 160)
    suffix = rng.choice(["", "", "", "/1", "/2", "а", "б"])
    return f"г. Новосибирск, {street}, {house}{suffix}"


def _shuffled_numbers(rng: random.Random, count: int, upper: int) -> list[int]:
    """Distinct institution numbers; the city's numbering does not follow districts."""
    return rng.sample(range(1, upper + 1), count)


def _ensure_number(numbers: list[int], number: int, position: int) -> list[int]:
    """Put `number` at `position` (swapping with wherever it was, or replacing what was there)."""
    numbers = list(numbers)
    if number in numbers:
        other = numbers.index(number)
        numbers[other], numbers[position] = numbers[position], numbers[other]
    else:
        numbers[position] = number
    return numbers


def _institutions(rng: random.Random) -> list[dict]:
    rows: list[dict] = []

    def add(category: str, district: str, name: str, short: str, code: str, website: str, flagship: bool) -> None:
        lat, lon = _place(rng, district)
        rows.append(
            {
                "code": code,
                "name": name,
                "short_name": short,
                "category": category,
                "district": district,
                "address": _address(rng, district),
                "lat": lat,
                "lon": lon,
                "website": website,
                "_flagship": flagship,
            }
        )

    # The random draws come in a fixed order (the demo city is the same on every run): both lists of
    # numbers first, then the institutions category by category.
    kindergarten_list = _ensure_number(_shuffled_numbers(rng, CATEGORY_COUNTS["kindergarten"], 520), 105, 3)
    school_list = _shuffled_numbers(rng, CATEGORY_COUNTS["school"], 230)
    _kindergartens(rng, add, kindergarten_list)
    _schools(rng, add, school_list)
    _culture(rng, add)
    _sport(rng, add)
    _city_hall(add)
    _others(rng, add)
    for index, row in enumerate(rows, start=1):
        row["id"] = index
    return rows


def _kindergartens(rng: random.Random, add, numbers: list[int]) -> None:
    kindergarten_numbers = iter(numbers)
    for district in DISTRICT_COUNTS:
        for _ in range(DISTRICT_COUNTS[district]["kindergarten"]):
            number = next(kindergarten_numbers)
            form, form_word, _ = _weighted(rng, KINDERGARTEN_FORMS)
            nickname = rng.choice(KINDERGARTEN_NAMES)
            short = f"Детский сад № {number} «{nickname}»"
            name = (
                f"муниципальное {form_word} дошкольное образовательное учреждение "
                f"города Новосибирска «Детский сад № {number} «{nickname}»"
            )
            add("kindergarten", district, name, short, f"ds-{number}", f"https://ds-{number}.nios.ru/", False)


def _schools(rng: random.Random, add, school_list: list[int]) -> None:
    school_kinds = (
        ["gymnasium"] * 25
        + ["lyceum"] * 20
        + ["special"] * 6
        + ["basic"] * 4
        + ["sosh"] * (CATEGORY_COUNTS["school"] - 55)
    )
    rng.shuffle(school_kinds)
    # Well-known numbers people type when they look for a code: «гимназия 1», «лицей 22».
    school_list = _ensure_number(school_list, 1, school_kinds.index("gymnasium"))
    school_list = _ensure_number(school_list, 22, school_kinds.index("lyceum"))
    school_numbers = iter(school_list)
    kinds = iter(school_kinds)
    for district in DISTRICT_COUNTS:
        for _ in range(DISTRICT_COUNTS[district]["school"]):
            number = next(school_numbers)
            kind = next(kinds)
            if kind == "gymnasium":
                short, legal, flagship = f"Гимназия № {number}", "МАОУ", rng.random() < 0.7
                code = f"gim-{number}"
            elif kind == "lyceum":
                short, legal, flagship = f"Лицей № {number}", "МАОУ", rng.random() < 0.6
                code = f"lic-{number}"
            elif kind == "special":
                short, legal, flagship = f"Специальная (коррекционная) школа № {number}", "МКОУ", False
                code = f"skosh-{number}"
            elif kind == "basic":
                short, legal, flagship = f"Основная общеобразовательная школа № {number}", "МБОУ", False
                code = f"oosh-{number}"
            else:
                short, legal, flagship = f"Средняя общеобразовательная школа № {number}", "МБОУ", False
                code = f"sosh-{number}"
            name = f"{legal} «{short}»"
            short = school_short_name(short)  # «Школа № 76»: type and number fit a table's name column
            add("school", district, name, short, code, f"https://sch{number}.edusite.ru/", flagship)


def _culture(rng: random.Random, add) -> None:
    culture_index = 0
    culture_flagships = iter(CULTURE_FLAGSHIPS)
    art_school_numbers = itertools.count(1)
    for district in DISTRICT_COUNTS:
        for i in range(DISTRICT_COUNTS[district]["culture"]):
            culture_index += 1
            flagship_row = (
                next(culture_flagships, None)
                if (
                    district == "Центральный район"
                    and i < 4
                    or district in ("Октябрьский район", "Железнодорожный район")
                    and i == 0
                )
                else None
            )
            if flagship_row:
                name, short, slug = flagship_row
                add("culture", district, f"МБУК «{name}»", short, f"cult-{slug}", f"https://{slug}.ru/", True)
                continue
            template, short_template, kind = rng.choice(CULTURE_TEMPLATES)
            values = {"n": rng.choice(CULTURE_WORDS), "w": rng.choice(WRITERS), "k": next(art_school_numbers)}
            name = template.format(**values)
            short = short_template.format(**values)
            legal = "МБУДО" if kind in ("dshi", "dmsh") else "МБУК"
            add(
                "culture",
                district,
                f"{legal} «{name}»",
                short,
                f"cult-{culture_index:03d}",
                f"https://cult{culture_index:03d}.nsk-kultura.ru/",
                False,
            )


def _sport(rng: random.Random, add) -> None:
    sport_index = 0
    for district in DISTRICT_COUNTS:
        for _ in range(DISTRICT_COUNTS[district]["sport"]):
            sport_index += 1
            nickname = SPORT_NAMES[(sport_index * 7) % len(SPORT_NAMES)]
            if rng.random() < 0.3:
                short = f"СШОР {rng.choice(SPORT_KINDS)}"
                name = f"МБУ ДО «Спортивная школа олимпийского резерва {short[5:]}»"
            else:
                short = f"Спортивная школа «{nickname}»"
                name = f"МБУ ДО «{short}»"
            add(
                "sport",
                district,
                name,
                short,
                f"sport-{sport_index:03d}",
                f"https://sport{sport_index:03d}.nsk-sport.ru/",
                sport_index % 9 == 1,
            )


def _city_hall(add) -> None:
    for name, district, slug in ADMINISTRATIONS:
        add(
            "city_hall", district, name, name.replace("Администрация ", "Адм. "), slug, "https://novo-sibirsk.ru/", True
        )
    for name, slug, flagship in CITY_HALL_DEPARTMENTS:
        add("city_hall", "Центральный район", name, name, slug, "https://novo-sibirsk.ru/", flagship)


def _others(rng: random.Random, add) -> None:
    other_index = 0
    for district in DISTRICT_COUNTS:
        for _ in range(DISTRICT_COUNTS[district]["other"]):
            other_index += 1
            template, short_template, _ = rng.choice(OTHER_TEMPLATES)
            word = OTHER_WORDS[(other_index * 5) % len(OTHER_WORDS)]
            add(
                "other",
                district,
                f"МБУ «{template.format(n=word)}»",
                short_template.format(n=word),
                f"other-{other_index:03d}",
                f"https://other{other_index:03d}.nsk-city.ru/",
                other_index in (1, 11),
            )


def _page_url(rng: random.Random, institution: dict, platform: str) -> str:
    slug = institution["code"].replace("-", "")
    if platform == "ok":
        return f"https://ok.ru/group/70000{rng.randint(10**8, 10**9 - 1)}"
    if platform == "telegram":
        return f"https://t.me/{slug}_nsk"
    if rng.random() < 0.3:
        return f"https://vk.com/club{rng.randint(2 * 10**8, 2 * 10**8 + 3 * 10**7)}"
    return f"https://vk.com/{slug}nsk"


def _pages(rng: random.Random, institutions: list[dict]) -> list[dict]:
    pages = []
    for institution in institutions:
        platform = _weighted(rng, [("vk", 93), ("ok", 4), ("telegram", 3)])[0]
        pages.append(
            {
                "id": institution["id"],
                "institution_id": institution["id"],
                "platform": platform,
                "url": _page_url(rng, institution, platform),
                "is_flagship": institution["_flagship"],
                "target_override": "",
            }
        )
    # A few district administrations aim higher than the mission's default.
    for page, institution in zip(pages, institutions):
        if institution["code"] in ("adm-len", "adm-kir", "adm-co"):
            page["target_override"] = 3000
    return pages


# MAX: official channels opened from August 2025 on (schools, kindergartens and culture were told to
# open theirs), so the share with a channel grows with time. Share of each category's institutions
# with a channel by the demo day; audiences are a fraction of the VK page's.
MAX_SEED = SEED + 17
MAX_FIRST_DAY = date(2025, 9, 1)
MAX_SHARE = {"kindergarten": 0.3, "school": 0.45, "culture": 0.4, "sport": 0.25, "city_hall": 0.6, "other": 0.2}


def _max_opening(rng: random.Random) -> date:
    """The day a channel opened: more of them the later it is, with a rush each September."""
    span = (DEMO_AS_OF - MAX_FIRST_DAY).days
    while True:
        day = MAX_FIRST_DAY + timedelta(days=int(span * math.sqrt(rng.random())))
        if day.month == 9 or rng.random() < 0.7:
            return day


def max_channel(institution: dict, page_id: int, opened: date) -> dict:
    """The MAX channel `page_id` of `institution`, opened on `opened`: not a flagship, the usual target."""
    return {
        "id": page_id,
        "institution_id": institution["id"],
        "platform": "max",
        "url": f"https://max.ru/{institution['code'].replace('-', '')}nsk",
        "is_flagship": False,
        "target_override": "",
        "_opened": opened,
    }


def _max_channels(
    rng: random.Random, institutions: list[dict], pages: list[dict], days: list[date]
) -> tuple[list[dict], list[tuple[int, date, int]]]:
    """Channels in MAX beside the existing pages, with daily figures from the day each opened."""
    channels, snapshots = [], []
    next_id = max(page["id"] for page in pages) + 1
    for institution in institutions:
        if rng.random() >= MAX_SHARE[institution["category"]]:
            continue
        opened = _max_opening(rng)
        channel = max_channel(institution, next_id, opened)
        next_id += 1
        channels.append(channel)
        current = rng.uniform(5, 40)
        daily = rng.uniform(0.15, 1.2) * (1.6 if institution["category"] in ("school", "city_hall") else 1.0)
        for day in days:
            if day < opened:
                continue
            mean = daily * _seasonality(institution["category"], day)
            current = max(0.0, current + rng.gauss(mean, math.sqrt(mean + 0.25)))
            snapshots.append((channel["id"], day, int(round(current))))
    return channels, snapshots


MEASURE_SEED = SEED + 31


def _measurements(rng: random.Random, pages: list[dict], checks: list[dict], latest: dict[int, int]) -> list[dict]:
    """What the collector would have read on the demo day for every VK page: its government mark
    (the госметка), the blue «verified» tick and its last 30 posts, in line with the page's
    checklist (a page marked as posting three times a week did post at least three times; a page
    with the госметка has the government mark; only flagship pages among them carry the tick)."""
    done = {(row["page_id"], row["item_code"]) for row in checks if row["state"] == "done"}
    rows = []
    for page in pages:
        if page["platform"] != "vk":
            continue
        posts_7d = rng.randint(3, 9) if (page["id"], "posting_cadence") in done else rng.randint(0, 2)
        views = max(1, int(latest[page["id"]] * rng.uniform(0.3, 1.2))) * 30
        rows.append(
            {
                "page_id": page["id"],
                "day": DEMO_AS_OF.isoformat(),
                "measured_at": datetime.combine(DEMO_AS_OF, time(2, 0)).isoformat(timespec="minutes"),
                "government_mark": (page["id"], "gov_mark") in done,
                "verified": (page["id"], "gov_mark") in done and page["is_flagship"],
                "posts_7d": posts_7d,
                "posts_read": 30,
                "views": views,
                "likes": int(views * rng.uniform(0.01, 0.05)),
                "comments": int(views * rng.uniform(0.001, 0.008)),
                "reposts": int(views * rng.uniform(0.001, 0.006)),
            }
        )
    return rows


def _seasonality(category: str, day: date) -> float:
    """How much faster than usual a page gains subscribers on this day of the year."""
    factor = 1.0
    if category in ("kindergarten", "school"):
        if day.month in (6, 7):
            factor = 0.35
        elif day.month == 8:
            factor = 0.7
        elif day.month == 9 and day.day <= 21:
            factor = 2.6  # parents join at the start of the school year
    elif category == "culture" and day.month == 12:
        factor = 1.5
    elif category == "sport" and day.month in (9, 10):
        factor = 1.4
    return factor * (0.8 if day.weekday() >= 5 else 1.05)


def _target(page: dict) -> int:
    if page["target_override"]:
        return int(page["target_override"])
    return 1000 if page["is_flagship"] else 500


def _history(rng: random.Random, page: dict, category: str, days: list[date]) -> list[int]:
    target = _target(page)
    days_left = (DEMO_DEADLINE - DEMO_AS_OF).days
    archetype = _weighted(rng, [("reached", 22), ("on_track", 36), ("lagging", 27), ("stalled", 15)])[0]
    if category == "city_hall" and page["is_flagship"]:
        archetype = _weighted(rng, [("reached", 70), ("on_track", 25), ("lagging", 5)])[0]

    if archetype == "reached":
        end = target * rng.uniform(1.02, 1.7)
        monthly = target * rng.uniform(0.01, 0.05)
    elif archetype == "on_track":
        end = target * rng.uniform(0.45, 0.93)
        monthly = (target - end) / days_left * 30 * rng.uniform(1.25, 2.6)
    elif archetype == "lagging":
        end = target * rng.uniform(0.22, 0.85)
        monthly = (target - end) / days_left * 30 * rng.uniform(0.2, 0.8)
    else:
        end = target * rng.uniform(0.18, 0.7)
        monthly = target * rng.uniform(0.01, 0.04)  # before it stalled
    stall_from = len(days) - rng.randint(45, 220) if archetype == "stalled" else len(days)

    weights = [_seasonality(category, day) for day in days]
    recent = sum(weights[-30:]) / 30
    base_rate = monthly / 30 / max(recent, 0.3)
    expected = [base_rate * w if i < stall_from else -rng.uniform(0.0, 0.08) for i, w in enumerate(weights)]
    start = max(25.0, end - sum(expected))
    values = []
    current = start
    for mean in expected:
        spread = math.sqrt(abs(mean) + 0.25)
        current = max(0.0, current + rng.gauss(mean, spread))
        values.append(int(round(current)))
    return values


def _page_checks(rng: random.Random, institutions: list[dict], pages: list[dict]) -> list[dict]:
    rows = []
    start = datetime.combine(DEMO_AS_OF - timedelta(days=300), time(10, 0))
    for page, institution in zip(pages, institutions):
        diligence = rng.uniform(-0.06, 0.05)
        for code in CHECK_CODES:
            share = min(1.0, CHECKLIST_DONE_SHARE[code] + diligence)
            if code == "vk_page" and page["platform"] != "vk":
                state = "done" if rng.random() < 0.9 else "not_done"
            elif code == "qr_code" and institution["category"] == "city_hall" and rng.random() < 0.3:
                state = "n_a"
            else:
                state = "done" if rng.random() < share else "not_done"
            if state == "not_done" and rng.random() < 0.6:
                continue  # never touched: no row, which also means «not done»
            changed = start + timedelta(days=rng.randint(0, 299), minutes=rng.randint(0, 480))
            rows.append(
                {
                    "page_id": page["id"],
                    "item_code": code,
                    "state": state,
                    "note": "" if rng.random() < 0.9 else "Проверено по скриншоту",
                    "evidence_url": page["url"] if state == "done" and rng.random() < 0.2 else "",
                    "updated_at": changed.isoformat(timespec="minutes"),
                    "updated_by": rng.choice(STAFF),
                }
            )
    return rows


def _content(rng: random.Random, institutions: list[dict], pages: list[dict]) -> tuple[list, list, list]:
    items, categories, targets = [], [], []
    first_day = DEMO_AS_OF - timedelta(days=21)
    pages_by_category: dict[str, list[dict]] = {}
    for page, institution in zip(pages, institutions):
        pages_by_category.setdefault(institution["category"], []).append(page)
    item_id = 0
    for offset in range(0, 49):
        day = first_day + timedelta(days=offset)
        per_day = rng.choice([1, 1, 2, 2, 3]) if day.weekday() < 5 else rng.choice([0, 1])
        for _ in range(per_day):
            item_id += 1
            title, rubric, audience = rng.choice(CONTENT_TOPICS)
            fmt = _format_for(rng, title)
            publish_at = datetime.combine(day, time(rng.choice([9, 10, 11, 12, 15, 17, 18]), rng.choice([0, 0, 30])))
            deadline = day - timedelta(days=rng.choice([1, 1, 2, 3]))
            status = _material_status(rng, day)
            items.append(
                {
                    "id": item_id,
                    "title": title,
                    "rubric": rubric,
                    "format": fmt,
                    "publish_at": publish_at.isoformat(timespec="minutes"),
                    "deadline": deadline.isoformat(),
                    "status": status,
                    "editor": rng.choice(NEWSROOM_EDITORS),
                    "notes": "",
                    **_source(item_id),
                }
            )
            for category in audience:
                categories.append({"item_id": item_id, "category": category})
            if not audience:
                targets += _chosen_pages(rng, pages, item_id, status, publish_at)
    items += _ideas(rng, item_id)
    return items, categories, targets


def _material_status(rng: random.Random, day: date) -> str:
    """A demo material's status by its day: mostly published in the past, in the works near today."""
    if day < DEMO_AS_OF - timedelta(days=1):
        return _weighted(rng, [("published", 88), ("cancelled", 4), ("ready", 5), ("review", 3)])[0]
    if day <= DEMO_AS_OF + timedelta(days=3):
        return _weighted(rng, [("ready", 40), ("review", 30), ("in_progress", 30)])[0]
    return _weighted(rng, [("in_progress", 40), ("idea", 45), ("review", 15)])[0]


def _chosen_pages(rng: random.Random, pages: list[dict], item_id: int, status: str, publish_at: datetime) -> list:
    """A material for 3–12 pages chosen one by one; most of a published one's pages marked published."""
    targets = []
    chosen = rng.sample(pages, rng.randint(3, 12))
    for page in sorted(chosen, key=lambda p: p["id"]):
        published = status == "published" and rng.random() < 0.85
        targets.append(
            {
                "item_id": item_id,
                "page_id": page["id"],
                "published_at": (publish_at + timedelta(minutes=rng.randint(0, 240))).isoformat(timespec="minutes")
                if published
                else "",
            }
        )
    return targets


def _ideas(rng: random.Random, item_id: int) -> list[dict]:
    """Ideas without a date, numbered after the last dated material."""
    items = []
    for title in [
        "Серия о профессиях мэрии",
        "Челлендж «Мой район зимой»",
        "Подкаст с директорами школ",
        "Истории выпускников детских садов",
        "Гид по городским паркам",
        "Рубрика «Вопрос — ответ» о Госуслугах",
    ]:
        item_id += 1
        items.append(
            {
                "id": item_id,
                "title": title,
                "rubric": rng.choice(RUBRICS),
                "format": _format_for(rng, title),
                "publish_at": "",
                "deadline": "",
                "status": "idea",
                "editor": "",
                "notes": "Идея из планёрки, дата не назначена",
                "source_post": "",
                "hashtag": "",
            }
        )
    return items


# The newsroom's own VK community in the demo (its posts are what pages repost).
NEWSROOM_GROUP = 30_000_001
POSTS_SEED = SEED + 47
OWN_POSTS = [
    "Сегодня у нас прошёл открытый урок для родителей. Спасибо всем, кто пришёл!",
    "Поздравляем наших ребят с победой в районном конкурсе рисунков!",
    "Напоминаем: в четверг родительское собрание в 18:00.",
    "Фотоотчёт с субботника: навели порядок на территории вместе с родителями.",
    "Приглашаем на концерт в пятницу, вход свободный.",
    "Наши воспитанники подготовили выставку поделок к празднику.",
]


def _source(item_id: int) -> dict:
    """What a demo material looks like when published: every other one is the newsroom's own post
    that pages repost, the rest carry a hashtag of their own."""
    if item_id % 2 == 0:
        return {"source_post": f"https://vk.com/wall-{NEWSROOM_GROUP}_{1000 + item_id}", "hashtag": ""}
    return {"source_post": "", "hashtag": f"#НовостиНСК{item_id}"}


def _vk_audience(
    institutions: list[dict], vk: list[dict], categories: list[dict], targets: list[dict]
) -> dict[int, set[int]]:
    """Each material's VK pages: those of its whole categories and those chosen one by one."""
    category_of = {institution["id"]: institution["category"] for institution in institutions}
    by_category: dict[str, list[dict]] = {}
    for page in vk:
        by_category.setdefault(category_of[page["institution_id"]], []).append(page)
    audience: dict[int, set[int]] = {}
    for row in categories:
        audience.setdefault(row["item_id"], set()).update(page["id"] for page in by_category.get(row["category"], []))
    vk_ids = {page["id"] for page in vk}
    for row in targets:
        if row["page_id"] in vk_ids:
            audience.setdefault(row["item_id"], set()).add(row["page_id"])
    return audience


def _material_posts(rng: random.Random, items: list[dict], audience: dict, diligence: dict, add) -> None:
    """The published materials as their pages posted them: a repost of the newsroom's post or the
    title with the hashtag, from on time to days late; a page skips some by its diligence."""
    for item in items:
        if item["status"] != "published" or not item["publish_at"]:
            continue
        planned = datetime.fromisoformat(item["publish_at"])
        for page_id in sorted(audience.get(item["id"], ())):
            if rng.random() >= diligence[page_id]:
                continue
            moment = planned + timedelta(
                hours=rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 20, 30, 50, 80]), minutes=rng.randint(0, 59)
            )
            if moment.date() > DEMO_AS_OF:
                continue
            if item["source_post"]:
                add(page_id, moment, "", [f"-{NEWSROOM_GROUP}_{1000 + item['id']}"])
            else:
                add(page_id, moment, f"{item['title']} {item['hashtag']}", [])


def _posts(
    rng: random.Random,
    institutions: list[dict],
    pages: list[dict],
    items: list[dict],
    categories: list[dict],
    targets: list[dict],
) -> list[dict]:
    """The last four weeks of posts on the VK pages as the collector would keep them: the
    published materials planned for each page — most pages publish most of them, some rarely, a
    few late — and the page's own news. Views follow nothing in particular: it is a demo."""
    vk = [page for page in pages if page["platform"] == "vk"]
    audience = _vk_audience(institutions, vk, categories, targets)
    diligence = {page["id"]: rng.choice([0.95, 0.9, 0.8, 0.7, 0.5, 0.3, 0.1]) for page in vk}
    numbers: dict[int, int] = {}
    rows = []

    def add(page_id: int, moment: datetime, text: str, copied: list[str]) -> None:
        numbers[page_id] = numbers.get(page_id, 100) + 1
        views = rng.randint(60, 1200)
        rows.append(
            {
                "page_id": page_id,
                "post_id": numbers[page_id],
                "owner_id": -(1_000_000 + page_id),
                "posted_at": moment.isoformat(timespec="minutes"),
                "views": views,
                "likes": int(views * rng.uniform(0.01, 0.06)),
                "comments": int(views * rng.uniform(0, 0.01)),
                "reposts": int(views * rng.uniform(0, 0.008)),
                "text": text,
                "copied": json.dumps(copied),
                "links": "[]",
            }
        )

    _material_posts(rng, items, audience, diligence, add)
    for page in vk:
        for offset in range(28):
            if rng.random() < 0.3:
                day = DEMO_AS_OF - timedelta(days=offset)
                add(
                    page["id"],
                    datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59))),
                    rng.choice(OWN_POSTS),
                    [],
                )
    return sorted(rows, key=lambda row: (row["page_id"], row["post_id"]))


def _format_for(rng: random.Random, title: str) -> str:
    """The format a title announces («Видео: …», «Опрос: …»), else a typical one."""
    for prefix, fmt in (
        ("Видео", "video"),
        ("Опрос", "poll"),
        ("Фотоотчёт", "photo"),
        ("Карточки", "cards"),
        ("Прямой эфир", "live"),
        ("Афиша", "announcement"),
    ):
        if title.startswith(prefix):
            return fmt
    return _weighted(rng, [("news", 45), ("longread", 15), ("cards", 20), ("photo", 20)])[0]


def generate() -> DemoCity:
    rng = random.Random(SEED)
    city = DemoCity()
    city.institutions = _institutions(rng)
    city.pages = _pages(rng, city.institutions)
    days = [DEMO_AS_OF - timedelta(days=HISTORY_DAYS - 1 - i) for i in range(HISTORY_DAYS)]
    for page, institution in zip(city.pages, city.institutions):
        values = _history(rng, page, institution["category"], days)
        city.snapshots.extend((page["id"], day, value) for day, value in zip(days, values))
    city.page_checks = _page_checks(rng, city.institutions, city.pages)
    city.content_items, city.content_item_categories, city.content_item_pages = _content(
        rng, city.institutions, city.pages
    )
    # MAX channels come last, from their own random stream, so the pages before them stay as they were.
    max_rng = random.Random(MAX_SEED)
    channels, snapshots = _max_channels(max_rng, city.institutions, city.pages, days)
    owners = {institution["id"]: institution for institution in city.institutions}
    city.page_checks += _page_checks(max_rng, [owners[channel["institution_id"]] for channel in channels], channels)
    main_pages = {page["institution_id"]: page["id"] for page in city.pages}
    city.page_checks += [  # the institution's main page records that its MAX channel exists
        {
            "page_id": main_pages[channel["institution_id"]],
            "item_code": "max_channel",
            "state": "done",
            "note": "",
            "evidence_url": channel["url"],
            "updated_by": max_rng.choice(STAFF),
            "updated_at": datetime.combine(channel["_opened"], time(12, 0)).isoformat(timespec="minutes"),
        }
        for channel in channels
    ]
    city.pages += channels
    city.snapshots += snapshots
    latest = {page_id: value for page_id, _day, value in city.snapshots}  # in day order: the last one wins
    city.measurements = _measurements(random.Random(MEASURE_SEED), city.pages, city.page_checks, latest)
    city.posts = _posts(
        random.Random(POSTS_SEED),
        city.institutions,
        city.pages,
        city.content_items,
        city.content_item_categories,
        city.content_item_pages,
    )
    return city


def _write_csv(path: Path, fieldnames: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: ("true" if value is True else "false" if value is False else value) for key, value in row.items()}
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _snapshot_lines(snapshots: list[tuple[int, date, int]]) -> Iterator[str]:
    yield "page_id,day,subscribers\n"
    for page_id, day, value in snapshots:
        yield f"{page_id},{day.isoformat()},{value}\n"


# The columns of each CSV of the demo city, in order.
CSV_COLUMNS = {
    "institutions.csv": "id code name short_name category district address lat lon website",
    "pages.csv": "id institution_id platform url is_flagship target_override",
    "page_checks.csv": "page_id item_code state note evidence_url updated_at updated_by",
    "content_items.csv": "id title rubric format publish_at deadline status editor notes source_post hashtag",
    "posts.csv.gz": "page_id post_id owner_id posted_at views likes comments reposts text copied links",
    "content_item_categories.csv": "item_id category",
    "content_item_pages.csv": "item_id page_id published_at",
    "page_measurements.csv": "page_id day measured_at government_mark verified posts_7d posts_read views likes "
    "comments reposts",
}


def write(city: DemoCity, directory: Path = DEMO_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    rows = {
        "institutions.csv": city.institutions,
        "pages.csv": city.pages,
        "page_checks.csv": city.page_checks,
        "content_items.csv": city.content_items,
        "content_item_categories.csv": city.content_item_categories,
        "content_item_pages.csv": city.content_item_pages,
        "page_measurements.csv": city.measurements,
    }
    for name, table in rows.items():
        _write_csv(directory / name, CSV_COLUMNS[name].split(), table)
    # mtime=0 keeps the compressed files byte-identical between runs.
    with gzip.GzipFile(directory / "subscribers.csv.gz", "wb", mtime=0) as handle:
        handle.write("".join(_snapshot_lines(city.snapshots)).encode("utf-8"))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS["posts.csv.gz"].split(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(city.posts)
    with gzip.GzipFile(directory / "posts.csv.gz", "wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Сгенерировать демо-данные города (CSV в seeds/demo/).")
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="папка для CSV (по умолчанию seeds/demo)")
    args = parser.parse_args(argv)
    city = generate()
    write(city, args.out)
    print(
        f"Демо-данные записаны в {args.out}: учреждений {len(city.institutions)}, "
        f"страниц {len(city.pages)}, снимков {len(city.snapshots)}."
    )


if __name__ == "__main__":
    main()
