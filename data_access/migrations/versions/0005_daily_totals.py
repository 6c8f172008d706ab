"""daily totals

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    # A store that already has figures gets its totals now (the same grouping as data_access.rollup).
    op.execute(
        "INSERT INTO daily_totals (day, category, district, platform, is_flagship, subscribers, pages) "
        "SELECT s.day, i.category, i.district, p.platform, p.is_flagship, SUM(s.subscribers), COUNT(*) "
        "FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL "
        "GROUP BY s.day, i.category, i.district, p.platform, p.is_flagship"
    )


def downgrade() -> None:
    op.drop_table('daily_totals')
