"""Every public write function of data_access, driven with hostile strings, numbers and dates on
SQLite and PostgreSQL: each call either succeeds and reads back as stored, or raises the project's
own ValidationFailed with a Russian message — never anything else (no database error, no crash)."""

import itertools
import re
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from data_access import accounts, checklist, content_plan, parsing, registry
from data_access.auth import COMMAND_LINE
from data_access.checklist import ItemDraft
from data_access.content_plan import CityDate, Material
from data_access.models import checklist_items, city_dates, content_items, institutions, pages, users
from data_access.registry import InstitutionDraft, PageDraft
from data_access.writes import ValidationFailed

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=600),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "**жирный**",
            ":red[x]",
            "$x$",
            ":material/home:",
            "![p](http://host/pixel.png)",
            "'; DROP TABLE pages; --",
            "\u202eevil",
            "Ё" * 301,
            "😀" * 120,
            "ds1о5nsk",
        ]
    ),
)
NUMBERS = st.one_of(
    st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.sampled_from([0, 1, 1_000_000, 1_000_001, -1])
)
COORDINATES = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(53, 57.5))
DATES = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
SERIAL = itertools.count(1)
RUSSIAN = re.compile(r"[А-Яа-яЁё]")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _outcome(call):
    """Run a write: None when it succeeded, the problems when it was refused in Russian."""
    try:
        return None, call()
    except ValidationFailed as refused:
        assert refused.problems and all(RUSSIAN.search(problem) for problem in refused.problems), refused.problems
        return refused.problems, None


def _row(engine, table, row_id):
    with engine.connect() as connection:
        return connection.execute(select(table).where(table.c.id == row_id)).mappings().one()


@SETTINGS
@given(
    code=HOSTILE,
    name=HOSTILE,
    short=HOSTILE,
    address=HOSTILE,
    website=HOSTILE,
    district=HOSTILE,
    lat=COORDINATES,
    lon=COORDINATES,
    url=HOSTILE,
    target=NUMBERS,
)
def test_registry_writes(demo_engine, code, name, short, address, website, district, lat, lon, url, target):
    draft = InstitutionDraft(code, name, short, "school", district, address, lat, lon, website)
    refused, new_id = _outcome(
        lambda: registry.add_institution(demo_engine, COMMAND_LINE, draft, PageDraft(url, False, target))
    )
    if refused is None:
        stored = _row(demo_engine, institutions, new_id)
        assert stored["name"] == parsing.clean_text(name) and stored["code"] == parsing.clean_text(code)
        assert stored["short_name"] == parsing.clean_text(short or name)
    good = registry.add_institution(
        demo_engine,
        COMMAND_LINE,
        InstitutionDraft(f"p-{next(SERIAL)}", "Сад", "Сад", "kindergarten", "Кировский район"),
        None,
    )
    refused, page_id = _outcome(
        lambda: registry.add_page(demo_engine, COMMAND_LINE, good, PageDraft(url, True, target))
    )
    if refused is None:
        assert _row(demo_engine, pages, page_id)["target_override"] == target
    row = _row(demo_engine, institutions, good)
    _outcome(lambda: registry.update_institution(demo_engine, COMMAND_LINE, good, row["version"], draft))


@SETTINGS
@given(title=HOSTILE, rubric=HOSTILE, editor=HOSTILE, notes=HOSTILE, day=DATES, deadline=DATES, page=NUMBERS)
# Found by Hypothesis: a material dated 0001-01-01 overflowed the date arithmetic of post matching.
@example(title="0", rubric="", editor="", notes="", day=date(1, 1, 1), deadline=None, page=None)
@example(title="0", rubric="", editor="", notes="", day=date(9999, 12, 31), deadline=date(9999, 12, 30), page=None)
# Found by Hypothesis: a wrong year with a page number beyond PostgreSQL's integer.
@example(title="", rubric="", editor="", notes="", day=date(2000, 1, 1), deadline=None, page=2_147_483_648)
def test_calendar_writes(demo_engine, title, rubric, editor, notes, day, deadline, page):
    moment = datetime.combine(day, time(10, 0)) if day else None
    pages_chosen = (page,) if page is not None else ()
    material = Material(
        title,
        rubric,
        "news",
        moment,
        deadline,
        "in_progress" if moment else "idea",
        editor,
        notes,
        ("school",),
        pages_chosen,
    )
    refused, item_id = _outcome(lambda: content_plan.create_material(demo_engine, COMMAND_LINE, material))
    if day is not None and not parsing.EARLIEST_YEAR <= day.year <= content_plan.LATEST_YEAR:
        assert refused is not None  # never stored
        if page is None:  # (a page number beyond the column's range is refused before the dates are read)
            assert any("проверьте год" in problem for problem in refused)
    if refused is None:
        stored = _row(demo_engine, content_items, item_id)
        assert stored["title"] == parsing.clean_text(title)
        assert (stored["rubric"] or "") == parsing.clean_text(rubric)
        assert (stored["notes"] or "") == parsing.clean_lines(notes)
    refused, date_id = _outcome(
        lambda: content_plan.add_city_date(
            demo_engine, COMMAND_LINE, CityDate(day or date(2026, 1, 1), title, True, notes)
        )
    )
    if refused is None:
        assert _row(demo_engine, city_dates, date_id)["title"] == parsing.clean_text(title)


@SETTINGS
@given(title=HOSTILE, description=HOSTILE, position=NUMBERS, code=HOSTILE)
@example(title="\x17Ì", description="строка\x00\nвторая", position=0, code="hostile_item")  # found once by Hypothesis
def test_checklist_writes(demo_engine, title, description, position, code):
    refused, item_id = _outcome(
        lambda: checklist.add_item(demo_engine, COMMAND_LINE, code, ItemDraft(title, description, True, position or 0))
    )
    if refused is None:
        stored = _row(demo_engine, checklist_items, item_id)
        assert stored["title"] == parsing.clean_text(title) and stored["position"] == (position or 0)


@SETTINGS
@given(login=HOSTILE, name=HOSTILE, email=st.one_of(st.none(), HOSTILE), password=HOSTILE)
# Unassigned code points in a name (category Cn): stored cleaned like every other text, not as typed.
@example(login="photo", name="\U000a3ea0\U0005323a¶&Ø", email=None, password="😀" * 20)
def test_account_writes(demo_engine, login, name, email, password):
    refused, user_id = _outcome(
        lambda: accounts.create_user(
            demo_engine, COMMAND_LINE, accounts.NewUser(login, "viewer", name, email, password)
        )
    )
    if refused is None:
        stored = _row(demo_engine, users, user_id)
        assert stored["display_name"] == parsing.clean_text(name)
        _outcome(lambda: accounts.set_password(demo_engine, COMMAND_LINE, stored["login"], password))


def test_the_property_tests_reach_both_outcomes(demo_engine):
    """A guard that the strategies are not so hostile that nothing is ever accepted."""
    assert (
        _outcome(
            lambda: registry.add_institution(
                demo_engine,
                COMMAND_LINE,
                InstitutionDraft("ok-1", "Сад № 1", "", "kindergarten", "Кировский район"),
                None,
            )
        )[0]
        is None
    )
    assert _outcome(
        lambda: registry.add_institution(
            demo_engine, COMMAND_LINE, InstitutionDraft("ok-2", "\x00", "", "kindergarten", "Кировский район"), None
        )
    )[0]
    with pytest.raises(ValidationFailed):
        content_plan.create_material(demo_engine, COMMAND_LINE, Material("\x00"))


def test_a_renamed_account_keeps_its_name_cleaned(demo_engine):
    user_id = accounts.create_user(demo_engine, COMMAND_LINE, accounts.NewUser("renamed", "viewer", "Имя", None, None))
    accounts.update_user(
        demo_engine,
        COMMAND_LINE,
        user_id,
        1,
        role="viewer",
        display_name="\U000a3ea0Анна\u200b Ч.",
        email=None,
        is_active=True,
    )
    assert _row(demo_engine, users, user_id)["display_name"] == "Анна Ч."
