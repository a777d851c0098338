"""Integrations (issue 20): billing events processed once, the source of a response (survey page
or a billing provider's cancel form), API key scopes.

Revision ID: 0003_billing_integrations
Revises: 0002_root_causes
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_billing_integrations'
down_revision = '0002_root_causes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('billing_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('event_id', sa.String(length=128), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_event')),
    sa.UniqueConstraint('provider', 'event_id', name=op.f('uq_billing_event_provider_event_id'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), nullable=False, server_default='survey'))
        batch_op.create_check_constraint(batch_op.f('ck_response_source_known'),
                                         "source IN ('survey', 'stripe', 'chargebee', 'paddle')")
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.String(length=100), nullable=False,
                                      server_default='departures:write'))


def downgrade():
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('scopes')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_response_source_known'), type_='check')
        batch_op.drop_column('source')
    op.drop_table('billing_event')
