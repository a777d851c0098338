"""Weekly digest opt-in per staff user, and the cause alert event renamed to cause.spiked (issue 20).

Revision ID: 0008_digest_prefs
Revises: 0007_alerts
Create Date: 2026-12-03 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_digest_prefs'
down_revision = '0007_alerts'
branch_labels = None
depends_on = None

OLD_EVENT, NEW_EVENT = 'cause.share_jumped', 'cause.spiked'


def _rename_subscriptions(old, new):
    # Subscriptions keep their event names space-separated; an endpoint subscribed to the old name
    # now gets the new one. Past deliveries stay as they were sent.
    op.execute(
        sa.text("UPDATE webhook_endpoint SET events = REPLACE(events, :old, :new) WHERE events LIKE :like")
        .bindparams(old=old, new=new, like=f'%{old}%')
    )


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_opt_in', sa.Boolean(), nullable=False, server_default=sa.false()))
    _rename_subscriptions(OLD_EVENT, NEW_EVENT)


def downgrade():
    _rename_subscriptions(NEW_EVENT, OLD_EVENT)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('digest_opt_in')
