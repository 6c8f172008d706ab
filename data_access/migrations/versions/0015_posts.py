"""materials say what they look like when published; the posts the collector reads are kept, each
matched to at most one material

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

`content_items` gains the material's source — the newsroom's own post (`vk.com/wall-…_…`), the
article's address, a hashtag — and its text. `posts`: one row per post the collectors' posts step
read on a page (VK's wall.get), with its time, its counts, what it reposts and links to, and the
material it was matched to (data_access/post_matching.py) with the rule that matched.
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('content_items') as batch:
        batch.add_column(sa.Column('source_post', sa.String(200), nullable=True))
        batch.add_column(sa.Column('source_url', sa.String(500), nullable=True))
        batch.add_column(sa.Column('hashtag', sa.String(100), nullable=True))
        batch.add_column(sa.Column('body', sa.Text(), nullable=True))
    op.create_table(
        'posts',
        sa.Column('page_id', sa.Integer(), sa.ForeignKey('pages.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('post_id', sa.Integer(), primary_key=True),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=True),
        sa.Column('likes', sa.Integer(), nullable=True),
        sa.Column('comments', sa.Integer(), nullable=True),
        sa.Column('reposts', sa.Integer(), nullable=True),
        sa.Column('link', sa.String(300), nullable=False),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('copied', sa.Text(), nullable=True),
        sa.Column('links', sa.Text(), nullable=True),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('material_id', sa.Integer(), sa.ForeignKey('content_items.id', ondelete='SET NULL'), nullable=True),
        sa.Column('match_rule', sa.String(16), nullable=True),
    )
    op.create_index('ix_posts_material', 'posts', ['material_id'])
    op.create_index('ix_posts_day', 'posts', ['day'])


def downgrade() -> None:
    op.drop_index('ix_posts_day', 'posts')
    op.drop_index('ix_posts_material', 'posts')
    op.drop_table('posts')
    with op.batch_alter_table('content_items') as batch:
        for column in ('body', 'hashtag', 'source_url', 'source_post'):
            batch.drop_column(column)
