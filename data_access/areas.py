"""The data areas whose write counters key the dashboard's cached reads.

Every write names the areas it changes (writes.change, writes.bump_revisions) and raises their
counters in its transaction; every cached read names the areas it depends on
(components/reads/cache.shared_read) and is read again once one of them moved. An area is a member of
Area, never a bare string: a misspelt area would be a cache that never refreshes, so an unknown
name is an error on both sides.
"""

from __future__ import annotations

from enum import StrEnum


class Area(StrEnum):
    REGISTRY = "registry"  # institutions, their pages, targets, coordinates
    SUBSCRIBERS = "subscribers"  # subscriber figures (files, collection, undo)
    CHECKLIST = "checklist"  # verification marks and the checklist's items
    CALENDAR = "calendar"  # the content plan, city dates, where a material was published
    USERS = "users"  # accounts and roles
    MEASUREMENTS = "measurements"  # what VK measured per page (posts, views, the government mark)
    COLLECT = "collect"  # collection runs and the posts read from page walls


def areas_of(names) -> tuple[Area, ...]:
    """`names` as Areas; a ValueError names the one that is not an area."""
    result = []
    for name in names:
        try:
            result.append(Area(name))
        except ValueError:
            raise ValueError(f"unknown data area {name!r}; the areas are {', '.join(Area)}") from None
    return tuple(result)
