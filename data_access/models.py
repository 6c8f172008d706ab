"""The tables of the store as SQLAlchemy 2 models; Alembic migrations create and evolve them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Institution(Base):
    """A municipal institution (kindergarten, school, theatre, department of the mayor's office …)."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable identifier from the registry the institution came from (e.g. «ds-105»).
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    website: Mapped[str | None] = mapped_column(String(300))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint(
            "category IN ('kindergarten', 'school', 'culture', 'sport', 'city_hall', 'other')",
            name="category_known",
        ),
    )


class Page(Base):
    """An official page (госпаблик) of an institution on one social network."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    # Canonical URL, e.g. https://vk.com/ds105nsk; unique across the store.
    url: Mapped[str] = mapped_column(String(300), unique=True)
    is_flagship: Mapped[bool] = mapped_column(Boolean, default=False)
    # NULL means the mission's default: 1000 for flagship pages, 500 for the others.
    target_override: Mapped[int | None] = mapped_column(Integer)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("platform IN ('vk', 'ok', 'telegram', 'max')", name="platform_known"),
        CheckConstraint("target_override IS NULL OR target_override > 0", name="target_positive"),
    )


class SubscriberSnapshot(Base):
    """The subscriber count of one page on one day."""

    __tablename__ = "subscriber_snapshots"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    subscribers: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("subscribers >= 0", name="subscribers_not_negative"),
        # Covering index: day-by-day sums read the index alone.
        Index("ix_subscriber_snapshots_day", "day", "page_id", "subscribers"),
        # On SQLite the rows are clustered by (page_id, day).
        {"sqlite_with_rowid": False},
    )


class DailyTotal(Base):
    """Per day and per (category, district, network, flagship) of the active pages: the change of
    the carried-forward subscriber sum, how many pages reported for the first time and how many
    reported at all. A running sum gives the history charts each page's last known figure per day
    without reading millions of snapshots. Kept in step by every write that touches figures or the
    registry (data_access.rollup)."""

    __tablename__ = "daily_totals"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    district: Mapped[str] = mapped_column(String(100), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    is_flagship: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    subscriber_change: Mapped[int] = mapped_column(BigInteger)
    pages_started: Mapped[int] = mapped_column(Integer)
    pages_reported: Mapped[int] = mapped_column(Integer)
    at_target_change: Mapped[int] = mapped_column(Integer, server_default="0")


class ChecklistItem(Base):
    """One requirement an official page or its institution must meet (госметка, ПОС widget,
    contacts … ; a VK page, a MAX channel, a link on the institution's site)."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # «page»: marked and scored on each page; «institution»: once per institution, whatever its pages.
    scope: Mapped[str] = mapped_column(String(16), default="page", server_default="page")
    # A page item's networks, comma-separated codes («vk,ok»); NULL: every network.
    platforms: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (CheckConstraint("scope IN ('page', 'institution')", name="scope_known"),)


class CheckMark:
    """The columns of one checklist mark, on a page or on an institution: its state, note, link
    and who changed it when, with a version for conflict-safe edits."""

    state: Mapped[str] = mapped_column(String(16), default="not_done")
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)


class InstitutionCheck(CheckMark, Base):
    """The state of one institution-scope checklist item for one institution; no row: «not done»."""

    __tablename__ = "institution_checks"

    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = (CheckConstraint("state IN ('done', 'not_done', 'n_a')", name="state_known"),)


class PageCheck(CheckMark, Base):
    """The state of one checklist item on one page; a missing row means «not done»."""

    __tablename__ = "page_checks"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = (CheckConstraint("state IN ('done', 'not_done', 'n_a')", name="state_known"),)


class ContentItem(Base):
    """A material the newsroom plans to publish on the pages."""

    __tablename__ = "content_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    rubric: Mapped[str | None] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(32), default="news")
    # NULL: an undated idea in the backlog.
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="idea")
    editor: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # What the material looks like when a page publishes it (post_matching.py): the newsroom's own
    # post (vk.com/wall-…_…), the article's address, a hashtag, and its text.
    source_post: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500))
    hashtag: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    created_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint(
            "status IN ('idea', 'in_progress', 'review', 'ready', 'published', 'cancelled')",
            name="status_known",
        ),
    )


class PagePost(Base):
    """One post the collectors' posts step read on a VK page: when (UTC, and the day in
    Novosibirsk), its counts, its link, its text (first POST_TEXT_CHARS), what it reposts
    (copy_history, «owner_id_id» as JSON) and links to (JSON), and the material it was matched
    to with the rule that matched (None: none)."""

    __tablename__ = "posts"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[date] = mapped_column(Date)
    views: Mapped[int | None] = mapped_column(Integer, nullable=True)
    likes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comments: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reposts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    link: Mapped[str] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    copied: Mapped[str | None] = mapped_column(Text, nullable=True)
    links: Mapped[str | None] = mapped_column(Text, nullable=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    material_id: Mapped[int | None] = mapped_column(ForeignKey("content_items.id", ondelete="SET NULL"), nullable=True)
    match_rule: Mapped[str | None] = mapped_column(String(16), nullable=True)

    __table_args__ = (Index("ix_posts_material", "material_id"), Index("ix_posts_day", "day"))


class ContentItemCategory(Base):
    """A whole institution category a material is meant for."""

    __tablename__ = "content_item_categories"

    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)


class ContentItemPage(Base):
    """A page a material goes to, and whether it has been published there."""

    __tablename__ = "content_item_pages"

    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(200))


class CityDate(Base):
    """A notable date for the newsroom (City Day, Teacher's Day …); recurring ones repeat yearly."""

    __tablename__ = "city_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    recurring: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)


class User(Base):
    """A person who signs in: local password account or single sign-on identity."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="viewer")
    # scrypt hash in PHC-like form; NULL for accounts that only sign in through SSO.
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role_known"),)


class AuditEntry(Base):
    """Who changed what and when, with the values before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)


class ImportRun(Base):
    """One successful file import: who, when, which file, how many rows added and updated."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(300))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    undone_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ImportChange(Base):
    """One subscriber figure an import wrote: the page, the day, the value it replaced (None: it
    added the figure) and the value it wrote — what undoing the import puts back."""

    __tablename__ = "import_changes"

    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    old_subscribers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    new_subscribers: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_import_changes_cell", "page_id", "day"),)


class ImportRegistryChange(Base):
    """One institution or page a registry import created or changed: the fields it replaced, as
    JSON (None: the import created the row), and the row's version right after the write — what
    undoing the import needs, and how it sees that someone changed the row since."""

    __tablename__ = "import_registry_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(32))  # institution | page
    entity_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    version_after: Mapped[int] = mapped_column(Integer)


class CollectionRun(Base):
    """One run of the platform collectors: when, who started it, how it went per platform, and
    the reason for every page that could not be collected (JSON)."""

    __tablename__ = "collection_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    pages_ok: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    written: Mapped[int] = mapped_column(Integer, default=0)
    platforms: Mapped[str] = mapped_column(Text)
    failures: Mapped[str] = mapped_column(Text)


class PageMeasurement(Base):
    """What VK itself says about a page on one day, beyond its count: from the count request its
    government-organisation mark (`is_government_organization`, the госметка), the blue «verified»
    tick of a confirmed community and its `trust_mark` — three different things — and, from its
    last posts (wall.get), how many came out in the 7 days before the measurement and the views,
    likes, comments and reposts of the posts read. Empty fields: not measured (another platform, a
    closed wall, a run with --counts-only)."""

    __tablename__ = "page_measurements"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    measured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    government_mark: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    trust_mark: Mapped[int | None] = mapped_column(Integer, nullable=True)
    posts_7d: Mapped[int | None] = mapped_column(Integer, nullable=True)
    posts_read: Mapped[int | None] = mapped_column(Integer, nullable=True)
    views: Mapped[int | None] = mapped_column(Integer, nullable=True)
    likes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comments: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reposts: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_page_measurements_day", "day"),)


class ImportMapping(Base):
    """How the columns of a registry file were matched to the registry's fields, remembered for
    the next file with the same headers (the portal exports the same columns every time)."""

    __tablename__ = "import_mappings"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    mapping: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class DataRevision(Base):
    """A counter per data area, raised by every write; readers key their caches on it."""

    __tablename__ = "data_revisions"

    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class StoreInfo(Base):
    """Facts about the store itself, e.g. which data set is loaded («demo» for the demo city)."""

    __tablename__ = "store_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# The tables as SQLAlchemy Core sees them (declarative types a mapped class's __table__ as a FromClause).
institutions = cast(Table, Institution.__table__)
pages = cast(Table, Page.__table__)
subscriber_snapshots = cast(Table, SubscriberSnapshot.__table__)
daily_totals = cast(Table, DailyTotal.__table__)
checklist_items = cast(Table, ChecklistItem.__table__)
page_checks = cast(Table, PageCheck.__table__)
institution_checks = cast(Table, InstitutionCheck.__table__)
content_items = cast(Table, ContentItem.__table__)
content_item_categories = cast(Table, ContentItemCategory.__table__)
content_item_pages = cast(Table, ContentItemPage.__table__)
posts = cast(Table, PagePost.__table__)
city_dates = cast(Table, CityDate.__table__)
users = cast(Table, User.__table__)
audit_log = cast(Table, AuditEntry.__table__)
imports = cast(Table, ImportRun.__table__)
import_changes = cast(Table, ImportChange.__table__)
import_registry_changes = cast(Table, ImportRegistryChange.__table__)
collection_runs = cast(Table, CollectionRun.__table__)
page_measurements = cast(Table, PageMeasurement.__table__)
import_mappings = cast(Table, ImportMapping.__table__)
data_revisions = cast(Table, DataRevision.__table__)
store_info = cast(Table, StoreInfo.__table__)
