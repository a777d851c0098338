"""Slack alerts and the weekly digest (issue 20): the Slack endpoint kind on webhook endpoints and
the digest email kind.

Revision ID: 0007_alerts
Revises: 0006_conversations
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_alerts'
down_revision = '0006_conversations'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('invitation', 'reminder', 'we_fixed_it', 'winback', 'cpr_offer', 'interview')"
NEW_KINDS = "kind IN ('invitation', 'reminder', 'we_fixed_it', 'winback', 'cpr_offer', 'interview', 'digest')"


def upgrade():
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='webhook'))
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_email WHERE kind = 'digest'")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), OLD_KINDS)
    op.execute("DELETE FROM webhook_endpoint WHERE kind = 'slack'")
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.drop_column('kind')
