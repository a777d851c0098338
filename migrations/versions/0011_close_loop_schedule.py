"""A "we fixed it" email booked for a chosen time: when, and who booked it.

Revision ID: 0011_close_loop_schedule
Revises: 0010_customer_language
Create Date: 2026-12-03 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_close_loop_schedule'
down_revision = '0010_customer_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('loop_scheduled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('loop_scheduled_by', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_item_loop_scheduled_at'), ['loop_scheduled_at'], unique=False)


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_loop_scheduled_at'))
        batch_op.drop_column('loop_scheduled_by')
        batch_op.drop_column('loop_scheduled_at')
