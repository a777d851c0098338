"""When a customer last edited their answer (within the edit window), so an edit after a full run
read the answer counts under the edit's incremental guess rather than the run's older theme.

Revision ID: 0017_response_edited_at
Revises: 0016_billing_event_currency
Create Date: 2026-12-06 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_response_edited_at'
down_revision = '0016_billing_event_currency'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
