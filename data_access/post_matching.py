"""Which material of the newsroom's plan a page's post is: a pure rule, no database.

A material is planned for a set of pages at a time. When a page publishes it, its post shows it in
one of four ways, tried in this order (the first that holds decides):

1. **repost** — the post is a copy of the newsroom's own post: VK gives the original in the post's
   `copy_history` (owner_id and id; https://dev.vk.com/ru/reference/objects/post);
2. **link** — the post's text or its link attachment holds the material's address;
3. **hashtag** — the post carries the material's hashtag;
4. **text** — the post's text resembles the material's: the share of the material's word
   trigrams found in the post (containment; institutions shorten and prepend, rarely reorder) is at
   least TEXT_THRESHOLD.

Only materials planned for that page whose time falls in the window — from WINDOW_BEFORE before
the planned time to WINDOW_AFTER after it — are candidates, and a post matches at most one: the
first rule that holds for any candidate; among several, the one planned nearest the post's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from data_access import parsing

WINDOW_BEFORE = timedelta(days=1)
WINDOW_AFTER = timedelta(days=7)
TEXT_THRESHOLD = 0.5
MIN_TEXT_WORDS = 6  # a text of fewer words is too short to be recognised by its wording
RULES = ("repost", "link", "hashtag", "text")

_WALL_POST = re.compile(r"wall(-?\d+)_(\d+)")
_WORD = re.compile(r"[0-9a-zа-яё]+")
_URL = re.compile(r"https?://\S+|(?:www\.)?[a-zа-я0-9-]+(?:\.[a-zа-я0-9-]+)+/\S*", re.IGNORECASE)


def wall_post(text: str | None) -> tuple[int, int] | None:
    """(owner_id, post id) of a VK post address («vk.com/wall-123_456», «wall-123_456»), or None."""
    found = _WALL_POST.search(text or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def normal_url(url: str) -> str:
    """An address compared loosely: no scheme, no «www.», «m.» or trailing slash, no tracking tail."""
    text = (url or "").strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^(www\.|m\.)", "", text)
    text = text.split("#", 1)[0]
    text = re.sub(r"[?&]utm_[^&]*", "", text).rstrip("?&")
    return text.rstrip("/")


def words(text: str | None) -> list[str]:
    """The text's words, lower case, «ё» as «е», without addresses and hashtags' «#»."""
    text = _URL.sub(" ", parsing.folded(text or ""))
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def trigrams(text: str | None) -> frozenset[tuple[str, ...]]:
    """The text's word trigrams; remembered, since one post is compared with several materials and
    one material with every post of its pages."""
    tokens = words(text)
    return frozenset(tuple(tokens[index : index + 3]) for index in range(len(tokens) - 2))


def containment(material_text: str | None, post_text: str | None) -> float:
    """The share of the material's word trigrams that the post contains (0 for a short material)."""
    if not material_text or len(trigrams(material_text)) < MIN_TEXT_WORDS - 2:
        return 0.0
    wanted = trigrams(material_text)
    return len(wanted & trigrams(post_text)) / len(wanted) if wanted else 0.0


@dataclass(frozen=True)
class Material:
    """A planned material as the matcher sees it."""

    id: int
    planned_at: datetime
    page_ids: frozenset[int]
    source_post: tuple[int, int] | None = None  # the newsroom's own post (owner_id, id)
    source_url: str = ""
    hashtag: str = ""
    text: str = ""


@dataclass(frozen=True)
class Post:
    """A page's post as the collector read it."""

    page_id: int
    post_id: int
    posted_at: datetime
    text: str = ""
    copied: tuple[tuple[int, int], ...] = ()  # copy_history: (owner_id, id) of the reposted posts
    links: tuple[str, ...] = ()  # link attachments' addresses


@dataclass(frozen=True)
class Match:
    page_id: int
    post_id: int
    material_id: int
    rule: str


def _holds(rule: str, material: Material, post: Post) -> bool:
    if rule == "repost":
        return material.source_post is not None and material.source_post in post.copied
    if rule == "link":
        if not material.source_url:
            return False
        wanted = normal_url(material.source_url)
        found = [normal_url(link) for link in post.links] + [normal_url(url) for url in _URL.findall(post.text or "")]
        return bool(wanted) and any(link == wanted or link.startswith(wanted + "/") for link in found)
    if rule == "hashtag":
        tag = parsing.folded(material.hashtag.strip().lstrip("#"))
        return (
            bool(tag) and re.search(rf"#{re.escape(tag)}(?![0-9a-zа-яё_])", parsing.folded(post.text or "")) is not None
        )
    return containment(material.text, post.text) >= TEXT_THRESHOLD


def match(posts: Iterable[Post], materials: Iterable[Material]) -> list[Match]:
    """Each post matched to at most one material planned for its page within the window."""
    by_page: dict[int, list[Material]] = {}
    for material in materials:
        for page_id in material.page_ids:
            by_page.setdefault(page_id, []).append(material)
    found = []
    for post in posts:
        candidates = [
            material
            for material in by_page.get(post.page_id, ())
            if material.planned_at - WINDOW_BEFORE <= post.posted_at <= material.planned_at + WINDOW_AFTER
        ]
        candidates.sort(key=lambda material: (abs(material.planned_at - post.posted_at), material.id))
        for rule in RULES:
            chosen = next((material for material in candidates if _holds(rule, material, post)), None)
            if chosen is not None:
                found.append(Match(post.page_id, post.post_id, chosen.id, rule))
                break
    return found
