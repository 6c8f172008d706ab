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
    assert len(pages_rows) == 620
    categories = Counter(row["category"] for row in institutions_rows)
    assert categories.most_common(2)[0][0] == "kindergarten" and categories.most_common(2)[1][0] == "school"
    assert set(categories) == {"kindergarten", "school", "culture", "sport", "city_hall", "other"}
    assert {row["district"] for row in institutions_rows} == set(CITY_DISTRICTS)
    flagship_share = sum(row["is_flagship"] == "true" for row in pages_rows) / len(pages_rows)
    assert 0.08 <= flagship_share <= 0.13
    assert len({row["url"] for row in pages_rows}) == 620
    for row in institutions_rows:
        assert 54.80 <= float(row["lat"]) <= 55.20 and 82.75 <= float(row["lon"]) <= 83.20


def test_demo_history_is_a_full_year_for_every_page():
    with gzip.open(DEMO / "subscribers.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 620 * 365
    days = sorted({row["day"] for row in rows})
    assert days[0] == "2025-11-27" and days[-1] == generate.DEMO_AS_OF.isoformat()
    assert all(int(row["subscribers"]) >= 0 for row in rows)


def test_loading_twice_changes_nothing(empty_engine):
    first = seed.load_demo(empty_engine)
    counts = queries.store_counts(empty_engine)
    second = seed.load_demo(empty_engine)
    assert first.loaded and not second.loaded
    assert queries.store_counts(empty_engine) == counts
    assert counts["institutions"] == 620 and counts["pages"] == 620
    assert counts["subscriber_snapshots"] == 620 * 365
    assert counts["checklist_items"] == 15  # seeds/checklist_items.csv, «Канал в MAX создан» included
    assert queries.dataset_label(empty_engine) == "demo"


def test_demo_is_not_loaded_over_real_data(empty_engine):
    seed.initialise(empty_engine)
    with write_transaction(empty_engine) as connection:
        connection.execute(institutions.insert().values(
            code="real-1", name="Настоящее учреждение", short_name="Учреждение", category="school",
            district="Кировский район"))
    with pytest.raises(seed.SeedRefused, match="пустую базу"):
        seed.load_demo(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(institutions)).scalar() == 1
        assert connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar() is None


def test_new_rows_after_the_seed_get_fresh_ids(demo_engine):
    with write_transaction(demo_engine) as connection:
        new_id = connection.execute(institutions.insert().values(
            code="new-1", name="Новое", short_name="Новое", category="sport", district="Кировский район",
        ).returning(institutions.c.id)).scalar_one()
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
    assert "226 300" in second.replace("\u00a0", " ")


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2027, 3, 3), date(2031, 7, 20)])
def test_the_demo_lives_in_the_present_whatever_day_it_is_loaded(tmp_path, today):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    seed.load_demo(engine, today=today)
    with engine.connect() as connection:
        first, last, days = connection.execute(text(
            "SELECT MIN(day), MAX(day), COUNT(DISTINCT day) FROM subscriber_snapshots")).one()
        published = connection.execute(text(
            "SELECT publish_at FROM content_items WHERE publish_at IS NOT NULL ORDER BY id")).scalars().all()
    assert date.fromisoformat(str(last)) == today - timedelta(days=1)  # figures up to yesterday
    assert days == generate.HISTORY_DAYS and date.fromisoformat(str(first)) == today - timedelta(days=generate.HISTORY_DAYS)
    moments = [datetime.fromisoformat(str(value)) for value in published]
    monday = today - timedelta(days=today.weekday())
    assert any(monday <= moment.date() < monday + timedelta(days=7) for moment in moments)  # this week has materials
    # Moved by whole weeks: every material keeps the weekday the generator gave it.
    generated = [datetime.fromisoformat(row["publish_at"]) for row in _rows("content_items.csv") if row["publish_at"]]
    assert [moment.weekday() for moment in moments] == [moment.weekday() for moment in generated]
    engine.dispose()
