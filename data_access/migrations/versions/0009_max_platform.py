"""pages may be channels in the national messenger MAX (max.ru), alongside VK, OK and Telegram

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pages') as batch:
        batch.drop_constraint(op.f('ck_pages_platform_known'), type_='check')
        batch.create_check_constraint(op.f('ck_pages_platform_known'), "platform IN ('vk', 'ok', 'telegram', 'max')")


def downgrade() -> None:
    op.execute("DELETE FROM pages WHERE platform = 'max'")
    with op.batch_alter_table('pages') as batch:
        batch.drop_constraint(op.f('ck_pages_platform_known'), type_='check')
        batch.create_check_constraint(op.f('ck_pages_platform_known'), "platform IN ('vk', 'ok', 'telegram')")
