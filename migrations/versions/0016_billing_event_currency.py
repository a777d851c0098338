"""The currency of the amounts a billing event added to revenue lost, so an event in another
currency is recorded without adding its amounts up as if they were the same unit.

Revision ID: 0016_billing_event_currency
Revises: 0015_mail_send_slot
Create Date: 2026-12-06 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_billing_event_currency'
down_revision = '0015_mail_send_slot'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('billing_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=True))


def downgrade():
    with op.batch_alter_table('billing_event', schema=None) as batch_op:
        batch_op.drop_column('currency')
