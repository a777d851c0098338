"""The billing provider's full time of a departure, so a late, older cancellation of the same day
is told apart from the newer one (a day alone cannot order them).

Revision ID: 0014_departure_time
Revises: 0013_early_return
Create Date: 2026-12-06 00:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_departure_time'
down_revision = '0013_early_return'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at_time', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.drop_column('left_at_time')
