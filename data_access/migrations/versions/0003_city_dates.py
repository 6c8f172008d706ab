"""city dates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('city_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('recurring', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city_dates'))
    )
    with op.batch_alter_table('city_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_city_dates_day'), ['day'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('city_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_city_dates_day'))

    op.drop_table('city_dates')
