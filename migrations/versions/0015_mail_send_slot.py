"""The outbox's shared send rate: one row every delivery run reserves its next send in, so
MAIL_RATE_PER_SECOND holds across concurrent runs.

Revision ID: 0015_mail_send_slot
Revises: 0014_departure_time
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_mail_send_slot'
down_revision = '0014_departure_time'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_send_slot',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('next_send_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_send_slot'))
    )


def downgrade():
    op.drop_table('mail_send_slot')
