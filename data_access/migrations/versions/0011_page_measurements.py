"""page measurements: VK's verified flag, posting cadence and engagement per page and day

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'page_measurements',
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('measured_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('verified', sa.Boolean(), nullable=True),
        sa.Column('posts_7d', sa.Integer(), nullable=True),
        sa.Column('posts_read', sa.Integer(), nullable=True),
        sa.Column('views', sa.Integer(), nullable=True),
        sa.Column('likes', sa.Integer(), nullable=True),
        sa.Column('comments', sa.Integer(), nullable=True),
        sa.Column('reposts', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_page_measurements_page_id_pages'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('page_id', 'day', name=op.f('pk_page_measurements')),
    )
    op.create_index('ix_page_measurements_day', 'page_measurements', ['day'])


def downgrade() -> None:
    op.drop_index('ix_page_measurements_day', table_name='page_measurements')
    op.drop_table('page_measurements')
