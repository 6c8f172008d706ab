"""A labelled sample for the text rule of post matching: the newsroom's material texts, posts that
are those materials as institutions publish them (shortened, with a greeting or hashtags added, a
few words changed) and posts that are not (the institution's own news on the same subjects, and the
other materials). Synthetic and deterministic — written to look like the city's pages, labelled by
construction: which material each post is (or None)."""

from __future__ import annotations

import random

MATERIALS = [
    "В Новосибирске открылась запись в летние оздоровительные лагеря. Заявления принимаются через портал "
    "Госуслуг до 15 апреля. Путёвки получат дети от 7 до 15 лет, приоритет — семьям участников СВО.",
    "Мэрия напоминает о правилах безопасности на льду. Выходить на лёд водоёмов в период оттепели опасно: "
    "толщина льда может быть меньше 7 сантиметров. Берегите себя и своих детей.",
    "С 1 марта в городе меняется расписание автобусов маршрутов 13, 36 и 60. Новые интервалы движения "
    "опубликованы на сайте департамента транспорта и в приложении Новосибирск транспорт.",
    "Городской конкурс чтецов Живое слово собрал больше 300 школьников. Победители выступят на сцене "
    "Дома культуры имени Октябрьской революции в день города.",
    "Новосибирцев приглашают принять участие в голосовании за объекты благоустройства 2027 года. Выбрать "
    "скверы и парки можно на платформе обратной связи до конца месяца.",
    "В детских садах города проходит неделя здорового питания. Воспитатели рассказывают детям, почему "
    "важно есть овощи и фрукты, а повара готовят новые блюда по рецептам родителей.",
    "Библиотеки Новосибирска продлили часы работы в выходные дни. Читальные залы открыты с 10 до 20 часов, "
    "записаться можно с паспортом, а школьникам — со свидетельством о рождении.",
    "Спортивная школа олимпийского резерва объявляет набор в секции лыжных гонок и биатлона для детей "
    "с 8 лет. Первая тренировка бесплатно, инвентарь выдаётся на время занятий.",
    "В рамках Года семьи в городских парках пройдут бесплатные семейные фестивали. Программа включает "
    "мастер-классы, спортивные эстафеты и концерты творческих коллективов.",
    "Мэрия Новосибирска запустила горячую линию по вопросам отопления. Позвонить можно круглосуточно, "
    "специалисты принимают заявки о холодных батареях и авариях в домах.",
    "Школьники Новосибирска смогут бесплатно посетить музеи города по Пушкинской карте. Список выставок "
    "и экскурсий опубликован на сайте управления культуры мэрии.",
    "В поликлиниках города продолжается вакцинация от гриппа. Привиться можно бесплатно без записи, "
    "при себе нужно иметь паспорт и полис обязательного медицинского страхования.",
]

OWN_NEWS = [
    "Сегодня в нашем детском саду прошёл утренник, посвящённый Дню матери. Дети читали стихи и пели песни.",
    "Наши воспитанники заняли второе место в районном конкурсе рисунков Зимняя сказка. Поздравляем!",
    "В школе прошла неделя математики. Ученики решали олимпиадные задачи и играли в математический бой.",
    "Библиотека приглашает на встречу с писателем в субботу в 14 часов. Вход свободный.",
    "Спортивная школа поздравляет лыжников с победой на первенстве области. Тренер — Иванов П. С.",
    "В Доме культуры прошёл концерт хора ветеранов. Спасибо всем, кто пришёл поддержать артистов!",
    "Напоминаем родителям о родительском собрании в четверг в 18 часов в актовом зале школы.",
    "Наш детский сад участвует в акции Покормите птиц зимой. Приносите корм и кормушки.",
    "Поздравляем коллектив библиотеки с юбилеем! 50 лет мы дарим радость чтения жителям района.",
    "В городе прошёл турнир по мини-футболу среди школьных команд, наша команда вышла в финал.",
    "Информация для родителей: оплата за питание в детском саду принимается до 10 числа.",
    "Школьники побывали на экскурсии в музее железнодорожной техники и узнали историю города.",
]

GREETINGS = ["Друзья! ", "Уважаемые родители! ", "Коллеги, делимся важной новостью. ", "", "Внимание! "]
TAILS = [" #Новосибирск #НовостиГорода", " Подробнее — по ссылке в шапке профиля.", "", " 👍", " Делитесь с близкими!"]
SWAPS = {"города": "Новосибирска", "бесплатно": "без оплаты", "можно": "получится", "детей": "ребят"}


def _variant(text: str, rng: random.Random) -> str:
    """A material as an institution posts it: a greeting, a sentence or two, a swapped word, a tail."""
    sentences = [sentence.strip() for sentence in text.split(". ") if sentence.strip()]
    kept = sentences[: rng.choice([len(sentences), max(2, len(sentences) - 1)])]
    body = ". ".join(kept)
    for word, other in SWAPS.items():
        if word in body and rng.random() < 0.5:
            body = body.replace(word, other, 1)
            break
    return rng.choice(GREETINGS) + body + rng.choice(TAILS)


def sample(seed: int = 1) -> list[tuple[int, str, int | None]]:
    """(material index, post text, material index the post is — or None) for every pair tried:
    each post is tried against every material."""
    rng = random.Random(seed)
    posts = [(_variant(text, rng), index) for index, text in enumerate(MATERIALS) for _ in range(3)]
    posts += [(text, None) for text in OWN_NEWS]
    return [(material, post, label) for post, label in posts for material in range(len(MATERIALS))]


def precision_recall(threshold: float) -> tuple[float, float, int, int]:
    """(precision, recall, pairs, positive pairs) of «containment ≥ threshold» on the sample."""
    from data_access.post_matching import containment

    pairs = sample()
    true_positive = false_positive = false_negative = 0
    for material, post, label in pairs:
        predicted = containment(MATERIALS[material], post) >= threshold
        actual = label == material
        true_positive += predicted and actual
        false_positive += predicted and not actual
        false_negative += actual and not predicted
    positives = true_positive + false_negative
    return (
        true_positive / max(true_positive + false_positive, 1),
        true_positive / max(positives, 1),
        len(pairs),
        positives,
    )
