"""The "you told us, we changed it" email per action item: subject, body and the change described
for customers, written by staff.

Revision ID: 0004_close_loop_email
Revises: 0003_billing_integrations
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_close_loop_email'
down_revision = '0003_billing_integrations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_subject', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('customer_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('customer_change', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_column('customer_change')
        batch_op.drop_column('customer_body')
        batch_op.drop_column('customer_subject')
