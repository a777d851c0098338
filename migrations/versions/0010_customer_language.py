"""The departed customer's language (issue 22): from CSV, the departures API and billing webhooks,
used to pick the survey's and the emails' language.

Revision ID: 0010_customer_language
Revises: 0009_active_counts_source
Create Date: 2026-12-03 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_customer_language'
down_revision = '0009_active_counts_source'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('departed_customer', schema=None) as batch_op:
        batch_op.drop_column('language')
