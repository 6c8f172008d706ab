"""The post ↔ material rule: repost, link, hashtag, then text; the window; one material a post."""

from __future__ import annotations

from datetime import datetime, timedelta

from data_access import post_matching as matching
from data_access.post_matching import Material, Post
from tests import post_sample

PLANNED = datetime(2026, 11, 20, 10, 0)
TEXT = post_sample.MATERIALS[0]


def _materials():
    return [
        Material(
            1,
            PLANNED,
            frozenset({10, 11}),
            source_post=(-1000, 55),
            source_url="https://nsknews.info/news/lager",
            hashtag="#ЛетоНСК",
            text=TEXT,
        ),
        Material(2, PLANNED + timedelta(days=2), frozenset({10}), hashtag="ГодСемьи", text=post_sample.MATERIALS[8]),
    ]


def test_each_rule_in_its_order_and_only_within_the_window_and_the_plan():
    at = PLANNED + timedelta(hours=3)
    posts = [
        Post(10, 1, at, "Репост", copied=((-1000, 55),)),
        Post(10, 2, at, "Читайте: https://www.nsknews.info/news/lager/?utm_source=vk"),
        Post(10, 3, at, "Смотрите ссылку", links=("http://m.nsknews.info/news/lager",)),
        Post(10, 4, at, "Запись открыта #летонск 🌞"),
        Post(10, 5, at, "Друзья! " + TEXT),
        Post(10, 6, at, "Наш утренник прошёл весело"),  # the institution's own news
        Post(12, 7, at, "Друзья! " + TEXT),  # a page the material was not planned for
        Post(10, 8, PLANNED + timedelta(days=9), "Друзья! " + TEXT),  # after the window
        Post(10, 9, PLANNED - timedelta(days=2), "Друзья! " + TEXT),  # before the window
        Post(10, 10, at, "#летонск2027 не то же самое"),  # a longer tag is another tag
    ]
    found = {match.post_id: (match.material_id, match.rule) for match in matching.match(posts, _materials())}
    assert found == {1: (1, "repost"), 2: (1, "link"), 3: (1, "link"), 4: (1, "hashtag"), 5: (1, "text")}


def test_a_post_matches_one_material_the_strongest_rule_first_then_the_nearest_in_time():
    both = Post(10, 1, PLANNED + timedelta(days=2, hours=1), "#ГодСемьи " + TEXT)
    # Material 2's hashtag beats material 1's text, though material 1's text matches too.
    assert [(match.material_id, match.rule) for match in matching.match([both], _materials())] == [(2, "hashtag")]
    twins = [
        Material(3, PLANNED, frozenset({10}), hashtag="Новости"),
        Material(4, PLANNED + timedelta(days=3), frozenset({10}), hashtag="Новости"),
    ]
    post = Post(10, 2, PLANNED + timedelta(days=3, hours=2), "#Новости дня")
    assert [match.material_id for match in matching.match([post], twins)] == [4]  # planned nearer


def test_addresses_and_words_are_compared_loosely():
    assert matching.wall_post("https://vk.com/wall-1000_55") == (-1000, 55)
    assert matching.wall_post("vk.com/club1") is None
    assert matching.normal_url("HTTPS://WWW.nsknews.info/a/?utm_campaign=x#top") == "nsknews.info/a"
    assert matching.containment("коротко", "коротко") == 0.0  # too short to be recognised by wording
    assert matching.containment(TEXT, TEXT.replace("ё", "е").upper()) == 1.0


def test_the_text_rule_on_the_labelled_sample():
    precision, recall, pairs, positives = post_sample.precision_recall(matching.TEXT_THRESHOLD)
    assert pairs == len(post_sample.MATERIALS) * (3 * len(post_sample.MATERIALS) + len(post_sample.OWN_NEWS))
    assert positives == 3 * len(post_sample.MATERIALS)
    assert precision >= 0.95 and recall >= 0.9
