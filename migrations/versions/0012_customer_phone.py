"""The departed customer's phone number, from intake (CSV, the departures API, billing webhooks),
shown to CX only on request in the follow-up queue (audited), for customers who ask to be called.

Revision ID: 0012_customer_phone
Revises: 0011_close_loop_schedule
Create Date: 2026-12-04 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_customer_phone'
down_revision = '0011_close_loop_schedule'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.drop_column('phone')
