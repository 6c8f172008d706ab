"""checklist items get a scope (the institution or one page) and the networks a page item applies
to; institution items keep their marks per institution

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

Items that belong to the institution — a VK page exists, an OK page exists, a MAX channel exists,
a link on the institution's site — were marked on every page, so a MAX channel counted as lacking a
MAX channel. Their marks move to `institution_checks`, one per institution and item: «выполнено»
where any of its pages had it done, else «не выполнено» where any had it open, else «не применимо»;
note, link and who-and-when come from the newest mark of that state. The page rows stay where they
were (nothing is deleted; the scores no longer read them), so a downgrade loses nothing either.
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

INSTITUTION_ITEMS = ('vk_page', 'ok_page', 'max_channel', 'site_link')
# Page items that exist only on some networks: the госметка and ПОС/Госуслуги widgets and the
# address with a map point are VK and OK features.
PLATFORMS = {'gov_mark': 'vk,ok', 'widgets': 'vk,ok', 'map_point': 'vk,ok'}

# Per institution and institution item, the mark its pages' marks add up to (see the docstring).
MOVE_MARKS = sa.text("""
INSERT INTO institution_checks (institution_id, item_id, state, note, evidence_url, updated_at, updated_by, version)
SELECT ranked.institution_id, ranked.item_id, ranked.state, ranked.note, ranked.evidence_url, ranked.updated_at,
       ranked.updated_by, 1
FROM (
    SELECT p.institution_id, c.item_id, c.state, c.note, c.evidence_url, c.updated_at, c.updated_by,
           ROW_NUMBER() OVER (
               PARTITION BY p.institution_id, c.item_id
               ORDER BY CASE c.state WHEN 'done' THEN 0 WHEN 'not_done' THEN 1 ELSE 2 END,
                        c.updated_at DESC, c.page_id) AS position
    FROM page_checks c
    JOIN pages p ON p.id = c.page_id
    JOIN checklist_items i ON i.id = c.item_id
    WHERE i.scope = 'institution'
) ranked
WHERE ranked.position = 1
""")


def upgrade() -> None:
    with op.batch_alter_table('checklist_items') as batch:
        batch.add_column(sa.Column('scope', sa.String(16), nullable=False, server_default='page'))
        batch.add_column(sa.Column('platforms', sa.String(64), nullable=True))
        batch.create_check_constraint(op.f('ck_checklist_items_scope_known'), "scope IN ('page', 'institution')")
    op.create_table(
        'institution_checks',
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('evidence_url', sa.String(500), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(200), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('done', 'not_done', 'n_a')", name=op.f('ck_institution_checks_state_known')),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                                name=op.f('fk_institution_checks_institution_id_institutions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['checklist_items.id'],
                                name=op.f('fk_institution_checks_item_id_checklist_items'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('institution_id', 'item_id', name=op.f('pk_institution_checks')),
    )
    op.create_index('ix_institution_checks_item_id', 'institution_checks', ['item_id'])
    items = sa.table('checklist_items', sa.column('code', sa.String), sa.column('scope', sa.String),
                     sa.column('platforms', sa.String))
    op.execute(items.update().where(items.c.code.in_(INSTITUTION_ITEMS)).values(scope='institution'))
    for code, platforms in PLATFORMS.items():
        op.execute(items.update().where(items.c.code == code).values(platforms=platforms))
    op.execute(MOVE_MARKS)


def downgrade() -> None:
    op.drop_index('ix_institution_checks_item_id', table_name='institution_checks')
    op.drop_table('institution_checks')
    with op.batch_alter_table('checklist_items') as batch:
        batch.drop_constraint(op.f('ck_checklist_items_scope_known'), type_='check')
        batch.drop_column('platforms')
        batch.drop_column('scope')
