"""Status, pace and forecast rules on hand-made histories."""

from datetime import date, timedelta

import pandas as pd
import pytest

from data_access import rules
from data_access.vocabulary import (
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_STALE,
    STATUS_STALLED,
)

LATEST = date(2026, 11, 26)
DEADLINE = date(2027, 12, 31)  # 400 days after LATEST


def test_flat_history_is_stalled_and_never_reaches():
    result = rules.outlook(300, 500, LATEST, 300, LATEST - timedelta(days=30), DEADLINE)
    assert result.status == STATUS_STALLED
    assert result.forecast is None
    assert result.daily_growth == 0


def test_decreasing_history_is_stalled():
    result = rules.outlook(280, 500, LATEST, 300, LATEST - timedelta(days=30), DEADLINE)
    assert result.status == STATUS_STALLED
    assert result.daily_growth == pytest.approx(-20 / 30)
    assert result.forecast is None


def test_linear_growth_forecasts_the_day_the_target_is_crossed():
    # +1 a day, 200 to go: exactly 200 days.
    result = rules.outlook(300, 500, LATEST, 270, LATEST - timedelta(days=30), DEADLINE)
    assert result.daily_growth == pytest.approx(1.0)
    assert result.forecast == LATEST + timedelta(days=200)
    assert result.status == STATUS_ON_TRACK


def test_forecast_rounds_up_to_a_whole_day():
    result = rules.outlook(300, 500, LATEST, 297, LATEST - timedelta(days=2), DEADLINE)
    # 1.5 a day, 200 to go: 133.33 days -> day 134.
    assert result.forecast == LATEST + timedelta(days=134)


def test_slow_growth_that_misses_the_deadline_is_lagging():
    # +0.2 a day, 200 to go: 1000 days, past the deadline.
    result = rules.outlook(300, 500, LATEST, 294, LATEST - timedelta(days=30), DEADLINE)
    assert result.status == STATUS_LAGGING
    assert result.forecast == LATEST + timedelta(days=1000)
    assert result.forecast > DEADLINE


def test_reached_target_wins_even_when_falling():
    result = rules.outlook(510, 500, LATEST, 530, LATEST - timedelta(days=30), DEADLINE)
    assert result.status == STATUS_REACHED
    assert result.needed_weekly_growth is None


def test_exactly_at_target_counts_as_reached():
    assert rules.outlook(1000, 1000, LATEST, 900, LATEST - timedelta(days=30), DEADLINE).status == STATUS_REACHED


def test_single_point_has_no_pace():
    result = rules.outlook(120, 500, LATEST, 120, LATEST, DEADLINE)
    assert result.status == STATUS_STALLED
    assert result.daily_growth is None
    assert result.forecast is None
    assert result.needed_weekly_growth == pytest.approx(round(380 / 400 * 7, 1))


def test_gap_in_dates_uses_the_real_span():
    # Base figure 60 days back (no snapshot between): +60 over 60 days is 1 a day, not 2.
    result = rules.outlook(300, 500, LATEST, 240, LATEST - timedelta(days=60), DEADLINE)
    assert result.daily_growth == pytest.approx(1.0)
    assert result.forecast == LATEST + timedelta(days=200)


def test_no_figures_at_all():
    assert rules.outlook(None, 500, None, None, None, DEADLINE).status == STATUS_NO_DATA


def test_needed_weekly_growth_spreads_the_gap_over_the_time_left():
    result = rules.outlook(100, 500, LATEST, 90, LATEST - timedelta(days=30), DEADLINE)
    assert result.needed_weekly_growth == pytest.approx(7.0)  # 400 to go in 400 days


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 5, 10), date(2026, 12, 31)),
        (date(2026, 11, 1), date(2026, 12, 31)),  # 60 days left: still this year
        (date(2026, 11, 2), date(2027, 12, 31)),  # 59 days left: next year
        (date(2026, 11, 26), date(2027, 12, 31)),
    ],
)
def test_default_deadline(as_of, expected):
    assert rules.default_deadline(as_of) == expected


def test_add_outlook_on_a_frame_matches_the_scalar_rule():
    frame = pd.DataFrame(
        {
            "subscribers": pd.array([300, 510, None], dtype="Int64"),
            "target": pd.array([500, 500, 1000], dtype="Int64"),
            "latest_day": [LATEST, LATEST, None],
            "base_subscribers": pd.array([270, 530, None], dtype="Int64"),
            "base_day": [LATEST - timedelta(days=30), LATEST - timedelta(days=30), None],
        }
    )
    result = rules.add_outlook(frame, DEADLINE)
    assert list(result["status"]) == [STATUS_ON_TRACK, STATUS_REACHED, STATUS_NO_DATA]
    assert result["forecast"][0] == LATEST + timedelta(days=200)
    assert list(result["progress"]) == [0.6, 1.0, 0.0]


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [(0, STATUS_ON_TRACK), (14, STATUS_ON_TRACK), (15, STATUS_STALE), (200, STATUS_STALE)],
)
def test_a_page_whose_latest_figure_is_older_than_the_setting_has_no_fresh_data(age_days, expected):
    today = LATEST + timedelta(days=age_days)
    result = rules.outlook(300, 500, LATEST, 270, LATEST - timedelta(days=30), DEADLINE, today, 14)
    assert result.status == expected
    if expected == STATUS_STALE:
        assert result.forecast is None  # an old pace predicts nothing


def test_a_page_that_reached_its_target_stays_reached_however_old_the_figure():
    result = rules.outlook(600, 500, LATEST, 500, LATEST - timedelta(days=30), DEADLINE, LATEST + timedelta(days=90))
    assert result.status == STATUS_REACHED


def test_add_outlook_gives_each_page_its_age():
    frame = pd.DataFrame(
        {
            "subscribers": pd.array([300, None], dtype="Int64"),
            "target": pd.array([500, 500], dtype="Int64"),
            "latest_day": [LATEST, None],
            "base_subscribers": pd.array([270, None], dtype="Int64"),
            "base_day": [LATEST - timedelta(days=30), None],
        }
    )
    result = rules.add_outlook(frame, DEADLINE, LATEST + timedelta(days=20), 14)
    assert list(result["status"]) == [STATUS_STALE, STATUS_NO_DATA]
    assert result["age_days"][0] == 20 and result["age_days"].isna()[1]
