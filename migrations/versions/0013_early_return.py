"""Billing returns that arrive before the cancellation they follow (providers do not promise
order): kept so the late cancellation still marks the customer as returned.

Revision ID: 0013_early_return
Revises: 0012_customer_phone
Create Date: 2026-12-05 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_early_return'
down_revision = '0012_customer_phone'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('early_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('event_id', sa.String(length=128), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_early_return')),
    sa.UniqueConstraint('provider', 'event_id', name=op.f('uq_early_return_provider_event_id'))
    )
    with op.batch_alter_table('early_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_early_return_external_id'), ['external_id'], unique=False)


def downgrade():
    with op.batch_alter_table('early_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_early_return_external_id'))
    op.drop_table('early_return')
