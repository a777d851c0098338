"""Root causes in curation: who set a theme's root cause (model or human), and action items
that attach to a root cause as well as (or instead of) a theme.

Revision ID: 0002_root_causes
Revises: 0001_initial
Create Date: 2026-12-02 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_root_causes'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_source', sa.String(length=8), nullable=False,
                                      server_default='model'))
        batch_op.create_check_constraint(batch_op.f('ck_theme_category_source_known'),
                                         "category_source IN ('model', 'human')")
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cause_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_item_cause_key'), ['cause_key'], unique=False)


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_cause_key'))
        batch_op.drop_column('cause_key')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_theme_category_source_known'), type_='check')
        batch_op.drop_column('category_source')
