"""page measurements: VK's government-organisation mark and trust mark beside «verified»

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('page_measurements') as batch:
        batch.add_column(sa.Column('government_mark', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('trust_mark', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('page_measurements') as batch:
        batch.drop_column('trust_mark')
        batch.drop_column('government_mark')
