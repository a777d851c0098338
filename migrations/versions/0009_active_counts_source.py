"""Active counts from the billing provider and cohort sizes (issue 21): subscription movements
read from billing events, and the number of new customers per month on uploaded counts.

Revision ID: 0009_active_counts_source
Revises: 0008_digest_prefs
Create Date: 2026-12-03 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_active_counts_source'
down_revision = '0008_digest_prefs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('active_count', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_customers', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_active_count_new_not_negative'), 'new_customers IS NULL OR new_customers >= 0'
        )
    op.create_table('subscription_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('event_id', sa.String(length=128), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('new', 'cancelled', 'returned')", name=op.f('ck_subscription_movement_kind_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_movement')),
    sa.UniqueConstraint('provider', 'event_id', name=op.f('uq_subscription_movement_provider_event_id'))
    )
    with op.batch_alter_table('subscription_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_movement_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_movement_external_id'), ['external_id'], unique=False)


def downgrade():
    with op.batch_alter_table('subscription_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_movement_external_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_movement_day'))
    op.drop_table('subscription_movement')
    with op.batch_alter_table('active_count', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_active_count_new_not_negative'), type_='check')
        batch_op.drop_column('new_customers')
