"""every import keeps what it changed, so that it can be undone

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

`import_changes`: one row per subscriber figure an import (a file or a collection) wrote — the
page, the day, the value it replaced (NULL: there was none, the import added it) and the value it
wrote. `import_registry_changes`: one row per institution or page a registry import created or
changed — the fields it replaced (NULL: it created the row) and the row's version after the write.
`imports` gains who undid it and when. Imports made before this revision have no rows here
and cannot be undone (nothing recorded what they replaced).
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_changes',
        sa.Column('import_id', sa.Integer(), sa.ForeignKey('imports.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('page_id', sa.Integer(), sa.ForeignKey('pages.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('old_subscribers', sa.Integer(), nullable=True),
        sa.Column('new_subscribers', sa.Integer(), nullable=False),
    )
    op.create_index('ix_import_changes_cell', 'import_changes', ['page_id', 'day'])
    op.create_table(
        'import_registry_changes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('import_id', sa.Integer(), sa.ForeignKey('imports.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('entity', sa.String(32), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('version_after', sa.Integer(), nullable=False),
    )
    with op.batch_alter_table('imports') as batch:
        batch.add_column(sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('undone_by', sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('imports') as batch:
        batch.drop_column('undone_by')
        batch.drop_column('undone_at')
    op.drop_table('import_registry_changes')
    op.drop_index('ix_import_changes_cell', 'import_changes')
    op.drop_table('import_changes')
