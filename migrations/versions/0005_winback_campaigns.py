"""Win-back campaigns with a holdout and their members, CPR desk cases, active-customer counts
for churn rates, and the two new outbox email kinds (winback, cpr_offer).

Revision ID: 0005_winback
Revises: 0004_close_loop_email
Create Date: 2026-12-02 14:50:43.385527

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_winback'
down_revision = '0004_close_loop_email'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), "kind IN ('invitation', 'reminder', 'we_fixed_it', 'winback', 'cpr_offer')")
    op.create_table('active_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('segment', sa.String(length=100), nullable=False),
    sa.Column('plan', sa.String(length=100), nullable=False),
    sa.Column('active_customers', sa.Integer(), nullable=False),
    sa.Column('mrr_cents', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('active_customers >= 0', name=op.f('ck_active_count_active_not_negative')),
    sa.CheckConstraint('mrr_cents IS NULL OR mrr_cents >= 0', name=op.f('ck_active_count_mrr_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_active_count')),
    sa.UniqueConstraint('month', 'segment', 'plan', name=op.f('uq_active_count_month_segment_plan'))
    )
    with op.batch_alter_table('active_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_active_count_month'), ['month'], unique=False)

    op.create_table('winback_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('target', sa.JSON(), nullable=False),
    sa.Column('holdout_share', sa.Float(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('offer_text', sa.Text(), nullable=False),
    sa.Column('offer_code', sa.String(length=64), nullable=True),
    sa.Column('offer_value_cents', sa.Integer(), nullable=False),
    sa.Column('offer_deadline', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('landing_url', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'sent')", name=op.f('ck_winback_campaign_status_known')),
    sa.CheckConstraint('holdout_share >= 0 AND holdout_share < 1', name=op.f('ck_winback_campaign_holdout_fraction')),
    sa.CheckConstraint('offer_value_cents >= 0', name=op.f('ck_winback_campaign_offer_value_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_winback_campaign_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_winback_campaign'))
    )
    op.create_table('cpr_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('picked_by', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cost_to_serve_cents', sa.Integer(), nullable=True),
    sa.Column('offer_subject', sa.String(length=300), nullable=True),
    sa.Column('offer_text', sa.Text(), nullable=True),
    sa.Column('offer_value_cents', sa.Integer(), nullable=True),
    sa.Column('offer_deadline', sa.Date(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outbox_email_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("picked_by IN ('threshold', 'hand')", name=op.f('ck_cpr_case_picked_by_known')),
    sa.CheckConstraint("status IN ('open', 'offered', 'accepted', 'declined', 'expired')", name=op.f('ck_cpr_case_status_known')),
    sa.CheckConstraint('cost_to_serve_cents IS NULL OR cost_to_serve_cents >= 0', name=op.f('ck_cpr_case_cost_not_negative')),
    sa.CheckConstraint('offer_value_cents IS NULL OR offer_value_cents >= 0', name=op.f('ck_cpr_case_offer_value_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['departed_customer.id'], name=op.f('fk_cpr_case_customer_id_departed_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['staff_user.id'], name=op.f('fk_cpr_case_opened_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_email_id'], ['outbox_email.id'], name=op.f('fk_cpr_case_outbox_email_id_outbox_email'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cpr_case')),
    sa.UniqueConstraint('customer_id', name=op.f('uq_cpr_case_customer_id'))
    )
    with op.batch_alter_table('cpr_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpr_case_offer_deadline'), ['offer_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_cpr_case_status'), ['status'], unique=False)

    op.create_table('winback_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('arm', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('outbox_email_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clicked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("arm IN ('offer', 'holdout')", name=op.f('ck_winback_member_arm_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['winback_campaign.id'], name=op.f('fk_winback_member_campaign_id_winback_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['departed_customer.id'], name=op.f('fk_winback_member_customer_id_departed_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_email_id'], ['outbox_email.id'], name=op.f('fk_winback_member_outbox_email_id_outbox_email'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_winback_member')),
    sa.UniqueConstraint('campaign_id', 'customer_id', name=op.f('uq_winback_member_campaign_id_customer_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_winback_member_token_hash'))
    )
    with op.batch_alter_table('winback_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_winback_member_customer_id'), ['customer_id'], unique=False)



def downgrade():
    op.execute("DELETE FROM outbox_email WHERE kind IN ('winback', 'cpr_offer')")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), "kind IN ('invitation', 'reminder', 'we_fixed_it')")
    with op.batch_alter_table('winback_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_winback_member_customer_id'))

    op.drop_table('winback_member')
    with op.batch_alter_table('cpr_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cpr_case_status'))
        batch_op.drop_index(batch_op.f('ix_cpr_case_offer_deadline'))

    op.drop_table('cpr_case')
    op.drop_table('winback_campaign')
    with op.batch_alter_table('active_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_active_count_month'))

    op.drop_table('active_count')
