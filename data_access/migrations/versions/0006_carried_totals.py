"""daily totals carry each page's last known figure forward

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('daily_totals')
    op.create_table('daily_totals',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('is_flagship', sa.Boolean(), nullable=False),
    sa.Column('subscriber_change', sa.BigInteger(), nullable=False),
    sa.Column('pages_started', sa.Integer(), nullable=False),
    sa.Column('pages_reported', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'category', 'district', 'platform', 'is_flagship', name=op.f('pk_daily_totals'))
    )
    # A store that already has figures gets its totals now (the same rule as data_access.rollup).
    op.execute(
        "INSERT INTO daily_totals (day, category, district, platform, is_flagship, subscriber_change, "
        "pages_started, pages_reported) "
        "SELECT day, category, district, platform, is_flagship, SUM(subscribers - COALESCE(previous, 0)), "
        "SUM(CASE WHEN previous IS NULL THEN 1 ELSE 0 END), COUNT(*) FROM ("
        "SELECT s.day, i.category, i.district, p.platform, p.is_flagship, s.subscribers, "
        "LAG(s.subscribers) OVER (PARTITION BY s.page_id ORDER BY s.day) AS previous "
        "FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL) AS ordered "
        "GROUP BY day, category, district, platform, is_flagship"
    )


def downgrade() -> None:
    op.drop_table('daily_totals')
    op.create_table('daily_totals',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('is_flagship', sa.Boolean(), nullable=False),
    sa.Column('subscribers', sa.BigInteger(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'category', 'district', 'platform', 'is_flagship', name=op.f('pk_daily_totals'))
    )
    op.execute(
        "INSERT INTO daily_totals (day, category, district, platform, is_flagship, subscribers, pages) "
        "SELECT s.day, i.category, i.district, p.platform, p.is_flagship, SUM(s.subscribers), COUNT(*) "
        "FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL "
        "GROUP BY s.day, i.category, i.district, p.platform, p.is_flagship"
    )
