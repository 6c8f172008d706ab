"""The demo city: deterministic, realistic in shape, loaded idempotently."""

import csv
import filecmp
import gzip
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from data_access import queries, seed
from data_access.engine import make_engine, write_transaction
from data_access.models import institutions, store_info
from data_access.vocabulary import CITY_DISTRICTS
from seeds import generate

DEMO = Path(generate.DEMO_DIR)


def _rows(name):
    with (DEMO / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generator_reproduces_the_committed_files(tmp_path):
    generate.write(generate.generate(), tmp_path)
    for name in sorted(path.name for path in DEMO.iterdir()):
        assert filecmp.cmp(tmp_path / name, DEMO / name, shallow=False), f"{name} differs"


def test_demo_city_has_the_missions_shape():
    institutions_rows = _rows("institutions.csv")
    pages_rows = _rows("pages.csv")
    main_pages = [row for row in pages_rows if row["platform"] != "max"]
    assert len(institutions_rows) == len(main_pages) == 620  # one main page per institution
    assert {row["institution_id"] for row in main_pages} == {row["id"] for row in institutions_rows}
    categories = Counter(row["category"] for row in institutions_rows)
    assert categories.most_common(2)[0][0] == "kindergarten" and categories.most_common(2)[1][0] == "school"
    assert set(categories) == {"kindergarten", "school", "culture", "sport", "city_hall", "other"}
    assert {row["district"] for row in institutions_rows} == set(CITY_DISTRICTS)
    flagship_share = sum(row["is_flagship"] == "true" for row in main_pages) / len(main_pages)
    assert 0.08 <= flagship_share <= 0.13
    assert len({row["url"] for row in pages_rows}) == len(pages_rows)
    for row in institutions_rows:
        assert 54.80 <= float(row["lat"]) <= 55.20 and 82.75 <= float(row["lon"]) <= 83.20


def test_demo_history_is_a_full_year_for_every_main_page():
    with gzip.open(DEMO / "subscribers.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    platforms = {row["id"]: row["platform"] for row in _rows("pages.csv")}
    days_per_page = Counter(row["page_id"] for row in rows)
    assert all(days_per_page[page_id] == 365 for page_id, platform in platforms.items() if platform != "max")
    days = sorted({row["day"] for row in rows})
    assert days[0] == "2025-11-27" and days[-1] == generate.DEMO_AS_OF.isoformat()
    assert all(int(row["subscribers"]) >= 0 for row in rows)


def test_demo_max_channels_open_over_time_with_smaller_audiences():
    """MAX the way it happened: channels opened from autumn 2025 on, more of them each month,
    each with daily figures from its first day, and audiences well below the VK pages'."""
    with gzip.open(DEMO / "subscribers.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pages_rows = _rows("pages.csv")
    channels = {row["id"] for row in pages_rows if row["platform"] == "max"}
    assert all(row["url"].startswith("https://max.ru/") for row in pages_rows if row["id"] in channels)
    assert 0.2 <= len(channels) / 620 <= 0.5
    first_day = {}
    last = {}
    for row in rows:
        first_day.setdefault(row["page_id"], row["day"])
        last[row["page_id"]] = int(row["subscribers"])
    assert set(channels) <= set(first_day)  # every channel has figures
    opened = Counter(first_day[page_id][:7] for page_id in channels)
    assert sum(opened[month] for month in opened if month >= "2026-06") > sum(
        opened[month] for month in opened if month < "2026-06"
    )  # the share keeps growing
    vk_last = [last[row["id"]] for row in pages_rows if row["platform"] == "vk"]
    max_last = [last[page_id] for page_id in channels]
    assert sorted(max_last)[len(max_last) // 2] < sorted(vk_last)[len(vk_last) // 2] / 2
    # the institution's main page records its MAX channel as done
    marked = {row["page_id"] for row in _rows("page_checks.csv") if row["item_code"] == "max_channel"}
    owners = {row["id"]: row["institution_id"] for row in pages_rows}
    main_page = {row["institution_id"]: row["id"] for row in pages_rows if row["platform"] != "max"}
    assert marked == {main_page[owners[page_id]] for page_id in channels}


def test_loading_twice_changes_nothing(empty_engine):
    first = seed.load_demo(empty_engine)
    counts = queries.store_counts(empty_engine)
    second = seed.load_demo(empty_engine)
    assert first.loaded and not second.loaded
    assert queries.store_counts(empty_engine) == counts
    assert counts["institutions"] == 620 and counts["pages"] == len(_rows("pages.csv")) > 620
    with gzip.open(DEMO / "subscribers.csv.gz", "rt", encoding="utf-8") as handle:
        assert counts["subscriber_snapshots"] == sum(1 for _ in handle) - 1
    assert counts["checklist_items"] == 15  # seeds/checklist_items.csv, «Канал в MAX создан» included
    assert queries.dataset_label(empty_engine) == "demo"


def test_demo_is_not_loaded_over_real_data(empty_engine):
    seed.initialise(empty_engine)
    with write_transaction(empty_engine) as connection:
        connection.execute(
            institutions.insert().values(
                code="real-1",
                name="Настоящее учреждение",
                short_name="Учреждение",
                category="school",
                district="Кировский район",
            )
        )
    with pytest.raises(seed.SeedRefused, match="пустую базу"):
        seed.load_demo(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(institutions)).scalar() == 1
        assert connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar() is None


def test_new_rows_after_the_seed_get_fresh_ids(demo_engine):
    with write_transaction(demo_engine) as connection:
        new_id = connection.execute(
            institutions.insert()
            .values(
                code="new-1",
                name="Новое",
                short_name="Новое",
                category="sport",
                district="Кировский район",
            )
            .returning(institutions.c.id)
        ).scalar_one()
    assert new_id == 621


def test_cli_seed_twice_leaves_the_same_counts(tmp_path, capsys):
    from data_access.cli import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["seed"], engine_factory=lambda: make_engine(url)) == 0
    first = capsys.readouterr().out
    assert main(["seed"], engine_factory=lambda: make_engine(url)) == 0
    second = capsys.readouterr().out
    assert "загружены" in first and "уже загружены" in second
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]  # identical stats table
    assert "262 321" in second.replace("\u00a0", " ")  # the snapshots in seeds/demo/subscribers.csv.gz


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2027, 3, 3), date(2031, 7, 20)])
def test_the_demo_lives_in_the_present_whatever_day_it_is_loaded(tmp_path, today):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    seed.load_demo(engine, today=today)
    with engine.connect() as connection:
        first, last, days = connection.execute(
            text("SELECT MIN(day), MAX(day), COUNT(DISTINCT day) FROM subscriber_snapshots")
        ).one()
        published = (
            connection.execute(text("SELECT publish_at FROM content_items WHERE publish_at IS NOT NULL ORDER BY id"))
            .scalars()
            .all()
        )
    assert date.fromisoformat(str(last)) == today - timedelta(days=1)  # figures up to yesterday
    assert days == generate.HISTORY_DAYS and date.fromisoformat(str(first)) == today - timedelta(
        days=generate.HISTORY_DAYS
    )
    moments = [datetime.fromisoformat(str(value)) for value in published]
    monday = today - timedelta(days=today.weekday())
    assert any(monday <= moment.date() < monday + timedelta(days=7) for moment in moments)  # this week has materials
    # Moved by whole weeks: every material keeps the weekday the generator gave it.
    generated = [datetime.fromisoformat(row["publish_at"]) for row in _rows("content_items.csv") if row["publish_at"]]
    assert [moment.weekday() for moment in moments] == [moment.weekday() for moment in generated]
    engine.dispose()
