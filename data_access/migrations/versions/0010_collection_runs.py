"""collection runs: the history of the platform collectors (for the «Сбор данных» page)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'collection_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('dry_run', sa.Boolean(), nullable=False),
        sa.Column('pages_ok', sa.Integer(), nullable=False),
        sa.Column('pages_failed', sa.Integer(), nullable=False),
        sa.Column('written', sa.Integer(), nullable=False),
        sa.Column('platforms', sa.Text(), nullable=False),
        sa.Column('failures', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_runs')),
    )
    op.create_index(op.f('ix_collection_runs_started_at'), 'collection_runs', ['started_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_collection_runs_started_at'), table_name='collection_runs')
    op.drop_table('collection_runs')
