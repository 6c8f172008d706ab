"""daily totals count the pages at their target (for the history of «достигли цели»)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The same rule as data_access.rollup: +1 when a page's figure reaches its target, -1 when it
# falls below again; the target is the page's override, else 1000 for flagship pages and 500.
AT_TARGET = "CASE WHEN {value} >= COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END) THEN 1 ELSE 0 END"


def upgrade() -> None:
    with op.batch_alter_table('daily_totals') as batch:
        batch.add_column(sa.Column('at_target_change', sa.Integer(), server_default='0', nullable=False))
    op.execute("DELETE FROM daily_totals")
    op.execute(
        "INSERT INTO daily_totals (day, category, district, platform, is_flagship, subscriber_change, "
        "pages_started, pages_reported, at_target_change) "
        "SELECT day, category, district, platform, is_flagship, SUM(subscribers - COALESCE(previous, 0)), "
        "SUM(CASE WHEN previous IS NULL THEN 1 ELSE 0 END), COUNT(*), SUM(reached - COALESCE(reached_before, 0)) "
        "FROM (SELECT s.day, i.category, i.district, p.platform, p.is_flagship, s.subscribers, "
        "LAG(s.subscribers) OVER (PARTITION BY s.page_id ORDER BY s.day) AS previous, "
        f"{AT_TARGET.format(value='s.subscribers')} AS reached, "
        f"LAG({AT_TARGET.format(value='s.subscribers')}) OVER (PARTITION BY s.page_id ORDER BY s.day) AS reached_before "
        "FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL) AS ordered "
        "GROUP BY day, category, district, platform, is_flagship"
    )


def downgrade() -> None:
    with op.batch_alter_table('daily_totals') as batch:
        batch.drop_column('at_target_change')
